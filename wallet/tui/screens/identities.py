"""The learner's identities (emails, URLs, DIDs): what recipients of badges are matched against."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Label, Static

from wallet.errors import WalletError
from wallet.i18n import N_, _
from wallet.tui.screens.base import PlecakScreen


class IdentitiesScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "back", N_("Back"), show=True),
        Binding("a", "add", N_("Add"), show=True),
        Binding("d,delete", "remove", N_("Remove"), show=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static(_("Your identities"), id="title", classes="title-bar")
        yield Label(
            _(
                "Badges name their recipient by an email, a web address or a DID. "
                "plecak checks each badge against these."
            ),
            classes="hint",
        )
        table: DataTable[Any] = DataTable(id="identities", cursor_type="row")
        yield table
        yield Label(_("Add an identity (email, https:// URL or did:…), then Enter:"))
        yield Input(id="new", placeholder="learner@example.org", compact=True)
        yield Label("", id="message", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#identities", DataTable).add_columns(_("Kind"), _("Identity"))
        self.query_one("#identities", DataTable).focus()
        self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        try:
            identities = await self.call(self.wallet.service.identities)
        except WalletError as error:
            self._say(error.user_message())
            return
        table = self.query_one("#identities", DataTable)
        table.clear()
        for value, kind in identities:
            table.add_row(kind, value, key=value)
        if not identities:
            self._say(_("No identities yet: press a to add your email address."))

    def _say(self, text: str) -> None:
        self.query_one("#message", Label).update(text)

    def action_add(self) -> None:
        self.query_one("#new", Input).focus()

    @on(Input.Submitted, "#new")
    def submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self._add(value)

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _add(self, value: str) -> None:
        try:
            await self.call(self.wallet.service.add_identity, value)
        except WalletError as error:
            self._say(error.user_message())
            return
        self.query_one("#new", Input).value = ""
        self._say(_("Added {identity}.").format(identity=value))
        self.wallet.portfolio_changed()
        self.load()

    def action_remove(self) -> None:
        table = self.query_one("#identities", DataTable)
        if not table.row_count:
            return
        value = str(table.get_row_at(table.cursor_row)[1])
        from wallet.tui.screens.confirm import ConfirmScreen

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(value)

        self.app.push_screen(
            ConfirmScreen(_("Remove this identity?"), "  " + value, danger=True), done
        )

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _remove(self, value: str) -> None:
        try:
            await self.call(self.wallet.service.remove_identity, value)
        except WalletError as error:
            self._say(error.user_message())
            return
        self._say(_("Removed {identity}.").format(identity=value))
        self.wallet.portfolio_changed()
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
