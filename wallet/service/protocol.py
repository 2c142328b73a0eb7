"""``WalletApi``: the part of the service the terminal wallet calls, as a protocol.

Why a protocol: the TUI's screenshots run against a hand-made fake with fixed data
(tests/tui/fakes.py); mypy checks that both the real :class:`~wallet.service.WalletService` and
that fake satisfy this one interface, so neither can drift from what the screens call.
Parameters the screens pass by position are positional-only here.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from wallet.model import PortfolioEntry, Status
from wallet.service.types import CredentialView, ImportOutcome, Progress, RecheckOutcome

if TYPE_CHECKING:
    from pathlib import Path

    from wallet.review import Review
    from wallet.store.damage import DamageReport


class WalletApi(Protocol):
    """Lifecycle, reading, import, recheck, organising and export, as the screens use them."""

    def wallet_exists(self) -> bool: ...

    def create(self, passphrase: str, /) -> None: ...

    def unlock(self, passphrase: str, /) -> None: ...

    def lock(self) -> None: ...

    @property
    def unlocked(self) -> bool: ...

    def damage(self) -> DamageReport: ...

    def list(
        self, *, status: Status | None = None, tag: str | None = None, search: str | None = None
    ) -> builtins.list[PortfolioEntry]: ...

    def counts(self) -> dict[Status, int]: ...

    def tags(self) -> dict[str, int]: ...

    def show(self, id_or_prefix: str, /) -> CredentialView: ...

    async def import_sources(
        self, sources: Sequence[str], /, *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]: ...

    async def import_text(
        self, text: str, /, *, progress: Progress | None = None
    ) -> builtins.list[ImportOutcome]: ...

    async def recheck(
        self, ids: Sequence[str] | None = None, /, *, progress: Progress | None = None
    ) -> builtins.list[RecheckOutcome]: ...

    def tag(self, id_or_prefix: str, tags: Sequence[str], /) -> None: ...

    def untag(self, id_or_prefix: str, tags: Sequence[str], /) -> None: ...

    def remove(self, ids: Sequence[str], /) -> builtins.list[str]: ...

    def identities(self) -> builtins.list[tuple[str, str]]: ...

    def add_identity(self, value: str, /) -> str: ...

    def remove_identity(self, value: str, /) -> None: ...

    def export_kinds(self) -> builtins.list[str]: ...

    def sensitive_fields(
        self, ids: Sequence[str], /
    ) -> builtins.list[tuple[str, str, builtins.list[str]]]: ...

    def export(
        self,
        kind: str,
        ids: Sequence[str],
        /,
        *,
        disclose_identity: str | None = None,
        purpose: str | None = None,
    ) -> bytes: ...

    async def review(self, paths: Sequence[Path], pathway: Path | None = None, /) -> Review: ...
