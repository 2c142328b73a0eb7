"""First run: create the wallet with a passphrase typed twice, with a live strength hint."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Input, Label, Static

from wallet.errors import WalletError
from wallet.i18n import N_, _, tr
from wallet.tui import messages
from wallet.tui.screens.base import PlecakScreen
from wallet.tui.strength import estimate

MIN_LENGTH = 8
STRENGTH_CLASSES = ("weak", "weak", "fair", "strong", "strong")


class CreateScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "app.quit", N_("Quit"), show=True),
    ]

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="dialog", classes="dialog"):
            yield Static(_("Create your plecak wallet"), classes="dialog-title")
            yield Label(
                _(
                    "Your badges are stored encrypted with this passphrase. "
                    "It cannot be recovered: keep it safe."
                ),
                classes="hint",
            )
            yield Label(_("Passphrase"), classes="field-label")
            yield Input(password=True, id="first", placeholder=_("A long phrase is best"))
            yield Label("", id="strength", classes="hint")
            yield Label(_("Repeat the passphrase"), classes="field-label")
            yield Input(password=True, id="second")
            yield Label(_("Press Enter to create the wallet."), id="message", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()
        self._show_strength("")

    @on(Input.Changed, "#first")
    def changed(self, event: Input.Changed) -> None:
        self._show_strength(event.value)

    def _show_strength(self, value: str) -> None:
        strength = estimate(value)
        label = self.query_one("#strength", Label)
        bar = "█" * (strength.score + 1) + "░" * (4 - strength.score)
        label.update(_("Strength: {bar} {label}").format(bar=bar, label=tr(strength.label)))
        for name in set(STRENGTH_CLASSES):
            label.set_class(name == STRENGTH_CLASSES[strength.score], name)

    @on(Input.Submitted, "#first")
    def first_done(self) -> None:
        self.query_one("#second", Input).focus()

    @on(Input.Submitted, "#second")
    def second_done(self) -> None:
        first = self.query_one("#first", Input).value
        second = self.query_one("#second", Input).value
        if len(first) < MIN_LENGTH:
            self._say(
                _("Use at least {n} characters.").format(n=MIN_LENGTH), error=True, focus="#first"
            )
            return
        if first != second:
            self.query_one("#second", Input).value = ""
            self._say(_("The two passphrases differ. Type it again."), error=True, focus="#second")
            return
        for field in self.query(Input):
            field.disabled = True
        self._say(_("Creating the wallet…"))
        self._create(first)

    def _say(self, text: str, *, error: bool = False, focus: str | None = None) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.set_class(error, "error")
        if focus:
            self.query_one(focus, Input).focus()

    @work(exclusive=True, exit_on_error=False)
    async def _create(self, passphrase: str) -> None:
        service = self.wallet.service
        try:
            await self.call(service.create, passphrase)
            if not await self.call(lambda: bool(service.unlocked)):
                await self.call(service.unlock, passphrase)
        except WalletError as error:
            for field in self.query(Input):
                field.disabled = False
            self._say(error.user_message(), error=True, focus="#first")
            return
        self.post_message(messages.Unlocked())
