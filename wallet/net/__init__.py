"""The one Fetcher of plecak and its mirrors (architecture.md: all network goes through here).

``from wallet.net import HttpFetcher`` is cheap: httpx is imported on the first network request
(``plecak --help`` must not pay for it).  Modules:

* :mod:`wallet.net.fetcher` - :class:`HttpFetcher` (cache -> documents -> mirrors -> contexts -> network);
* :mod:`wallet.net.policy` - which URLs and addresses may be fetched (SSRF / DNS rebinding defence);
* :mod:`wallet.net.transport` - the httpx transport that enforces the policy at connect time;
* :mod:`wallet.net.mirror` - mirror index files (cli.md): load, read, write.
"""

from __future__ import annotations

from wallet.net.fetcher import ApiResponse, Document, HttpFetcher
from wallet.net.mirror import (
    Mirror,
    MirrorEntry,
    content_type_for,
    documents_from_mirror,
    load_mirror,
    write_mirror,
)
from wallet.net.policy import AddressPolicy

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
