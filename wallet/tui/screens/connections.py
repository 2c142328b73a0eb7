"""Connections: where the learner earns badges (OB 3.0 API, Badge Connect) and OpenID4VCI offers.

The same operations as ``plecak connect|sync|connection|receive``, through the window's
:class:`~wallet.connect.protocol.ConnectionsApi` (the real one is
:class:`~wallet.connect.service.ConnectService`), run on the service thread.  Connecting opens the
system browser for the host's sign-in; the screen shows the address too, in case it does not
open.  Nothing secret is ever shown: tokens stay in the wallet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Label, Static

from wallet.errors import UsageError, WalletError
from wallet.i18n import N_, _, ngettext
from wallet.tui.screens.base import PlecakScreen

if TYPE_CHECKING:
    from wallet.connect.protocol import ConnectionsApi
    from wallet.connect.vci_credential import Pending
    from wallet.service import ImportOutcome


class ConnectionsScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "back", N_("Back"), show=True),
        Binding("a", "add", N_("Connect"), show=True),
        Binding("s", "sync", N_("Sync"), show=True),
        Binding("S", "sync_all", N_("Sync all"), show=True),
        Binding("n", "rename", N_("Rename"), show=True),
        Binding("d,delete", "remove", N_("Disconnect"), show=True),
        Binding("o", "offer", N_("Receive offer"), show=True),
        Binding("w", "resume", N_("Ask for waiting"), show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._connect: ConnectionsApi | None = None
        self._renaming: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Connections"), id="title", classes="title-bar")
        yield Label(
            _(
                "Connect to where you earn badges (Open Badges 3.0 API or Badge Connect); "
                "sync fetches what is new, verifies it and stores it."
            ),
            classes="hint",
        )
        table: DataTable[Any] = DataTable(id="connections", cursor_type="row")
        yield table
        yield Label(_("Address of the platform, then Enter:"), id="url-label")
        yield Input(id="url", placeholder="https://badges.example.edu", compact=True)
        yield Label(_("New name, then Enter:"), id="name-label")
        yield Input(id="name", compact=True)
        yield Label(_("OpenID4VCI offer (openid-credential-offer://…), then Enter:"))
        yield Input(id="offer", placeholder="openid-credential-offer://", compact=True)
        yield Input(
            id="tx-code",
            placeholder=_("transaction code, if the issuer sent one"),
            password=True,
            compact=True,
        )
        yield Label("", id="pending", classes="hint")
        yield Label("", id="message", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#connections", DataTable).add_columns(
            _("Name"), _("Protocol"), _("Host"), _("Account"), _("Last sync"), _("Stored")
        )
        self.query_one("#connections", DataTable).focus()
        suggestions: dict[str, str] = getattr(self.app, "connect_suggestions", None) or {}
        if suggestions:  # ``plecak demo``: its platform's address and an offer, ready to use
            self.query_one("#url", Input).value = suggestions.get("url", "")
            self.query_one("#offer", Input).value = suggestions.get("offer", "")
        self.load(hint_when_empty=True)

    # ------------------------------------------------------------------ helpers

    def service(self) -> ConnectionsApi:
        """The window's connections (made on first use); a window with no wallet behind it
        has none, and says so."""
        if self._connect is None:
            factory = self.wallet.connections
            if factory is None:
                raise UsageError(_("Connections are not available in this window."))
            self._connect = factory(self._announce)
        return self._connect

    def _announce(self, url: str) -> None:
        """Called on the service thread while the browser opens."""
        text = _("Finish signing in in your browser. If it did not open, visit: {url}")
        self.app.call_from_thread(self._say, text.format(url=url))

    def _say(self, text: str) -> None:
        self.query_one("#message", Label).update(text)

    def _selected(self) -> str | None:
        table = self.query_one("#connections", DataTable)
        if not table.row_count:
            return None
        return str(table.get_row_at(table.cursor_row)[0])

    # ------------------------------------------------------------------ list

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self, hint_when_empty: bool = False) -> None:
        try:
            connections = await self.call(self.service().list)
            waiting = await self.call(self.service().pending)
        except WalletError as error:
            self._say(error.user_message())
            return
        self._show_waiting(waiting)
        table = self.query_one("#connections", DataTable)
        table.clear()
        for item in connections:
            table.add_row(
                item.name,
                item.profile.kind,
                item.profile.origin,
                item.account or "—",
                item.last_sync.strftime("%Y-%m-%d %H:%M") if item.last_sync else _("never"),
                str(item.synced),
                key=item.name,
            )
        if not connections and hint_when_empty:
            self._say(_("No connections yet: press a and give the address of the platform."))

    def _show_waiting(self, waiting: list[Pending]) -> None:
        """Credentials issuers deferred (OpenID4VCI): how many, from whom; never their tokens."""
        text = ""
        if waiting:
            issuers = ", ".join(dict.fromkeys(item.issuer or item.source for item in waiting))
            text = ngettext(
                "{n} credential is waiting to be delivered ({issuers}): press w to ask for it.",
                "{n} credentials are waiting to be delivered ({issuers}): press w to ask for them.",
                len(waiting),
            ).format(n=len(waiting), issuers=issuers)
        self.query_one("#pending", Label).update(text)

    # ------------------------------------------------------------------ connect

    def action_add(self) -> None:
        self.query_one("#url", Input).focus()

    @on(Input.Submitted, "#url")
    def url_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._add(event.value.strip())

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _add(self, url: str) -> None:
        self._say(_("Connecting to {url}…").format(url=url))
        try:
            connection = await self.call(self.service().connect, url)
        except WalletError as error:
            self._say(error.user_message())
            return
        self.query_one("#url", Input).value = ""
        self._say(_("Connected {name}: press s to fetch your badges.").format(name=connection.name))
        self.load()

    # ------------------------------------------------------------------ sync

    def action_sync(self) -> None:
        name = self._selected()
        if name is not None:
            self._sync(name)

    def action_sync_all(self) -> None:
        if self._selected() is not None:
            self._sync(None)

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _sync(self, name: str | None) -> None:
        self._say(_("Fetching new badges…"))
        try:
            results = await self.call(self.service().sync, name)
        except WalletError as error:
            self._say(error.user_message())
            return
        outcomes = [o for result in results for o in result.outcomes]
        self._say(_summary(outcomes))
        self.wallet.portfolio_changed()
        self.load()

    # ------------------------------------------------------------------ rename, remove

    def action_rename(self) -> None:
        name = self._selected()
        if name is None:
            return
        self._renaming = name
        field = self.query_one("#name", Input)
        field.value = name
        field.focus()

    @on(Input.Submitted, "#name")
    def name_submitted(self, event: Input.Submitted) -> None:
        if self._renaming and event.value.strip():
            self._rename(self._renaming, event.value.strip())

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _rename(self, old: str, new: str) -> None:
        try:
            renamed = await self.call(self.service().rename, old, new)
        except WalletError as error:
            self._say(error.user_message())
            return
        self._renaming = None
        self.query_one("#name", Input).value = ""
        self._say(_("Renamed {old} to {new}.").format(old=old, new=renamed.name))
        self.query_one("#connections", DataTable).focus()
        self.load()

    def action_remove(self) -> None:
        name = self._selected()
        if name is None:
            return
        from wallet.tui.screens.confirm import ConfirmScreen

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(name)

        self.app.push_screen(
            ConfirmScreen(
                _("Disconnect and forget this connection?"),
                "  " + name + "\n  " + _("Its access is revoked at the host."),
                danger=True,
            ),
            done,
        )

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _remove(self, name: str) -> None:
        try:
            revoked = await self.call(self.service().remove, name)
        except WalletError as error:
            self._say(error.user_message())
            return
        if revoked:
            self._say(_("Disconnected {name}; the host revoked the access.").format(name=name))
        else:
            self._say(
                _(
                    "Forgot {name}, but the host did not confirm revoking the access; "
                    "you can withdraw it in your account there."
                ).format(name=name)
            )
        self.load()

    # ------------------------------------------------------------------ OpenID4VCI

    def action_offer(self) -> None:
        self.query_one("#offer", Input).focus()

    @on(Input.Submitted, "#offer")
    @on(Input.Submitted, "#tx-code")
    def offer_submitted(self, event: Input.Submitted) -> None:
        offer = self.query_one("#offer", Input).value.strip()
        if offer:
            self._receive(offer, self.query_one("#tx-code", Input).value.strip())

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _receive(self, offer: str, tx_code: str) -> None:
        def ask(spec: dict[str, Any]) -> str:
            if not tx_code:
                raise UsageError(
                    _("This offer needs a transaction code."),
                    hint=_("Type the code the issuer sent you in the field below the offer."),
                )
            return tx_code

        self._say(_("Receiving…"))
        deferred: list[Pending] = []
        try:
            outcomes = await self.call(
                self.service().receive, offer, tx_code=ask, on_pending=deferred.append
            )
        except WalletError as error:
            self._say(error.user_message())
            return
        self.query_one("#offer", Input).value = ""
        self.query_one("#tx-code", Input).value = ""
        said = _summary(outcomes)
        if deferred:
            said += " " + _("The issuer will deliver the rest later: press w to ask for it.")
        self._say(said)
        self.wallet.portfolio_changed()
        self.load()

    # ------------------------------------------------------------------ deferred credentials

    def action_resume(self) -> None:
        self._resume()

    @work(exclusive=True, group="change", exit_on_error=False)
    async def _resume(self) -> None:
        self._say(_("Asking the issuers…"))
        try:
            outcomes = await self.call(self.service().resume)
        except WalletError as error:
            self._say(error.user_message())
            return
        self._say(_summary(outcomes))
        self.wallet.portfolio_changed()
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _summary(outcomes: list[ImportOutcome]) -> str:
    stored = sum(o.state == "stored" for o in outcomes)
    dup = sum(o.state == "duplicate" for o in outcomes)
    failed = [o for o in outcomes if o.state == "failed"]
    text = _("New {stored}, already present {dup}, failed {failed}.").format(
        stored=stored, dup=dup, failed=len(failed)
    )
    if failed and failed[0].error is not None:
        text += " " + failed[0].error.user_message()
    return text
