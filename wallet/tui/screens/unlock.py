"""Unlock: the passphrase, checked by the service on its own thread (the KDF takes a moment)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Input, Label, Static

from wallet.errors import WalletError
from wallet.i18n import N_, _
from wallet.tui import messages
from wallet.tui.screens.base import PlecakScreen


class UnlockScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "app.quit", N_("Quit"), show=True),
    ]

    def __init__(self, *, automatic: bool = False) -> None:
        super().__init__()
        self.automatic = automatic

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="dialog", classes="dialog"):
            yield Static(_("plecak — your badge wallet"), classes="dialog-title")
            if self.automatic:
                yield Label(_("The wallet locked itself after a period of inactivity."))
            yield Label(_("Passphrase"), classes="field-label")
            yield Input(password=True, id="passphrase", placeholder=_("Enter your passphrase"))
            yield Label(_("Press Enter to unlock."), id="message", classes="hint")
            if self.wallet.unlock_hint:
                yield Label(self.wallet.unlock_hint, classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self._say(_("Type your passphrase, then press Enter."), error=True)
            return
        self.query_one("#passphrase", Input).disabled = True
        self._say(_("Unlocking…"))
        self._unlock(event.value)

    def _say(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.set_class(error, "error")

    @work(exclusive=True, exit_on_error=False)
    async def _unlock(self, passphrase: str) -> None:
        field = self.query_one("#passphrase", Input)
        try:
            await self.call(self.wallet.service.unlock, passphrase)
        except WalletError as error:
            field.disabled = False
            field.value = ""
            field.focus()
            self._say(error.user_message(), error=True)
            return
        self.post_message(messages.Unlocked())
