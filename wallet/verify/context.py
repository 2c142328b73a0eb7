"""What a verification run needs besides the credential: fetcher, clock, recipients, caches.

One ``VerifyContext`` per run (a ``plecak verify`` call, an import batch, a recheck): the caches here
are what makes a batch of 200 badges from 10 issuers fetch each issuer, key and list once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wallet.ports import Clock, Fetcher, system_clock


@dataclass(slots=True)
class VerifyContext:
    fetcher: Fetcher
    clock: Clock = system_clock
    recipients: tuple[str, ...] = ()
    """Identities to match the recipient against (wallet identities or --recipient)."""
    offline: bool = False
    cache: dict[str, Any] = field(default_factory=dict)
    """Per-run memo for parsed documents, resolved keys, processed contexts, status lists."""
    vouched: set[str] = field(default_factory=set)
    """URLs of documents a valid proof by the credential's own issuer key protects (status lists):
    a carried copy of those may be relied on (:mod:`wallet.verify.provenance`)."""
