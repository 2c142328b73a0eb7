"""The application API the shells (CLI, TUI) call: ``from wallet.service import WalletService``.

Modules: :mod:`~wallet.service.api` (the class: what the shells can do), :mod:`.types` (what they
get back), :mod:`.protocol` (``WalletApi``, the interface the TUI is written against),
:mod:`.sources` (gathering input), :mod:`.run` (one verification run as one ``async with``),
:mod:`.storing`, :mod:`.checking`, :mod:`.exporting`, :mod:`.entries`.  The composition root that
builds a service from the environment is :mod:`wallet.factory`.
"""

from __future__ import annotations

from wallet.service.api import WalletService
from wallet.service.entries import changed_checks, filter_entries, identity_kind
from wallet.service.protocol import WalletApi
from wallet.service.sources import MAX_STDIN_BYTES
from wallet.service.types import (
    CredentialView,
    ImporterRegistry,
    ImportOutcome,
    Progress,
    RecheckOutcome,
    VerifyOutcome,
)

__all__ = [
    "MAX_STDIN_BYTES",
    "CredentialView",
    "ImportOutcome",
    "ImporterRegistry",
    "Progress",
    "RecheckOutcome",
    "VerifyOutcome",
    "WalletApi",
    "WalletService",
    "changed_checks",
    "filter_entries",
    "identity_kind",
]
