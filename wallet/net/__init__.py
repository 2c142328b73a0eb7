"""The one Fetcher of plecak and its mirrors (architecture.md: all network goes through here).

``from wallet.net import HttpFetcher`` is cheap: httpx is imported on the first network request
(``plecak --help`` must not pay for it).  Modules:

* :mod:`wallet.net.fetcher` - :class:`HttpFetcher` (cache -> documents -> mirrors -> contexts -> network);
* :mod:`wallet.net.exchange` - how the network is asked (redirects by hand, caps, failures in words);
* :mod:`wallet.net.fake` - :class:`FakeFetcher`, the in-memory Fetcher for tests;
* :mod:`wallet.net.policy` - which URLs and addresses may be fetched (SSRF / DNS rebinding defence);
* :mod:`wallet.net.transport` - the httpx transport that enforces the policy at connect time;
* :mod:`wallet.net.mirror` - mirror index files (cli.md): load, read, write.
"""

from __future__ import annotations

from wallet.net.exchange import ApiResponse
from wallet.net.fetcher import HttpFetcher
from wallet.net.mirror import (
    Mirror,
    MirrorEntry,
    content_type_for,
    documents_from_mirror,
    load_mirror,
    write_mirror,
)
from wallet.net.policy import AddressPolicy
from wallet.ports import Document

__all__ = [
    "AddressPolicy",
    "ApiResponse",
    "Document",
    "HttpFetcher",
    "Mirror",
    "MirrorEntry",
    "content_type_for",
    "documents_from_mirror",
    "load_mirror",
    "write_mirror",
]
