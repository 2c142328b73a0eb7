"""``ConnectionsApi``: what the terminal wallet's Connections screen calls, as a protocol.

Why: the TUI is typed against protocols only (:class:`~wallet.service.protocol.WalletApi` for
the wallet), so its screens and the fakes its tests use cannot drift from the real services.
Connections are a service of their own, built over the real wallet by the shell that opens the
window (:func:`wallet.connect.service.connections_for`); a window with no wallet behind it (the
advisor's review) has none.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from wallet.connect.records import Connection
    from wallet.connect.service import SyncResult
    from wallet.connect.vci_credential import Pending
    from wallet.connect.vci_token import TxCodePrompt
    from wallet.service import ImportOutcome


class ConnectionsApi(Protocol):
    """Connect, list, sync, rename and remove connections; receive an OpenID4VCI offer, and ask
    again for what its issuer deferred."""

    def list(self) -> builtins.list[Connection]: ...

    async def connect(self, url: str, name: str | None = None, /) -> Connection: ...

    async def sync(self, name: str | None = None, /) -> builtins.list[SyncResult]: ...

    def rename(self, old: str, new: str, /) -> Connection: ...

    async def remove(self, name: str, /) -> bool | None: ...

    async def receive(
        self,
        offer: str,
        /,
        *,
        tx_code: TxCodePrompt,
        on_pending: Callable[[Pending], None] | None = None,
    ) -> builtins.list[ImportOutcome]: ...

    def pending(self) -> builtins.list[Pending]: ...

    async def resume(self) -> builtins.list[ImportOutcome]: ...


ConnectionsFactory = Callable[[Callable[[str], None]], ConnectionsApi]
"""Builds the connections of one window, given how to show a sign-in address (in case the system
browser does not open)."""
