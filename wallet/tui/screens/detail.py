"""One badge in full: overview (image, issuer, recipient, what it proves), verification check by
check, history, EU micro-credential elements, evidence and the raw JSON, one tab each."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static, TabbedContent, TabPane

from wallet.errors import WalletError
from wallet.i18n import N_, _, ngettext
from wallet.tui import detail_parts
from wallet.tui.screens.base import PlecakScreen
from wallet.tui.view import STYLES, status_text
from wallet.tui.widgets.badge_image import BadgeImage

TABS = ("overview", "verification", "history", "eu", "evidence", "json")


class DetailScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape,backspace", "back", N_("Back"), show=True),
        Binding("r", "recheck", N_("Recheck"), show=True),
        Binding("t", "tags", N_("Tags"), show=True),
        Binding("e", "export", N_("Export"), show=True),
        Binding("d,delete", "remove", N_("Remove"), show=True),
        Binding("m", "identities", N_("Identities"), show=False),
        Binding("1", "tab('overview')", N_("Overview"), show=False),
        Binding("2", "tab('verification')", N_("Verification"), show=False),
        Binding("3", "tab('history')", N_("History"), show=False),
        Binding("4", "tab('eu')", N_("EU elements"), show=False),
        Binding("5", "tab('evidence')", N_("Evidence"), show=False),
        Binding("6", "tab('json')", N_("Raw JSON"), show=False),
    ]

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.view: Any = None
        self.loaded_version = -1

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="title", classes="title-bar")
        with TabbedContent(id="tabs"):
            with (
                TabPane(_("1 Overview"), id="overview"),
                Horizontal(id="overview-row"),
                VerticalScroll(id="overview-scroll"),
            ):
                yield Static("", id="overview-body")
            for tab, label in (
                ("verification", _("2 Verification")),
                ("history", _("3 History")),
                ("eu", _("4 EU")),
                ("evidence", _("5 Evidence")),
                ("json", _("6 JSON")),
            ):
                with TabPane(label, id=tab), VerticalScroll(id=f"{tab}-scroll"):
                    yield Static("", id=f"{tab}-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.loaded_version not in (-1, self.wallet.data_version):
            self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        version = self.wallet.data_version
        try:
            view = await self.call(self.wallet.service.show, self.entry_id)
        except WalletError as error:
            self.query_one("#title", Static).update(error.user_message())
            self.show_error(error)
            return
        self.loaded_version = version
        self.show_view(view)

    def show_view(self, view: Any) -> None:
        self.view = view
        entry, credential, report = view.entry, view.credential, view.report
        title = Text(credential.title or entry.title or entry.id, style="bold")
        title.append("  ")
        title.append(status_text(entry.status), style=STYLES[entry.status])
        self.query_one("#title", Static).update(title)
        for old in self.query(BadgeImage):
            old.remove()
        self.query_one("#overview-row", Horizontal).mount(
            BadgeImage(credential), before="#overview-scroll"
        )
        bodies = {
            "overview": detail_parts.overview(entry, credential, report),
            "verification": detail_parts.verification(report),
            "history": detail_parts.history(view.history),
            "eu": detail_parts.eu_elements(view.eu_elements),
            "evidence": detail_parts.evidence(credential, report),
            "json": Syntax(
                detail_parts.raw_json(credential),
                "json",
                theme="ansi_dark",
                word_wrap=True,
                background_color="default",
            ),
        }
        for tab, body in bodies.items():
            self.query_one(f"#{tab}-body", Static).update(body)

    # ------------------------------------------------------------------ actions

    def action_identities(self) -> None:
        """From a badge issued to another identity: add the identity where it is explained."""
        from wallet.tui.screens.identities import IdentitiesScreen

        self.app.push_screen(IdentitiesScreen())

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-scroll", VerticalScroll).focus()

    @on(TabbedContent.TabActivated)
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or "overview"
        if pane in TABS:
            self.query_one(f"#{pane}-scroll", VerticalScroll).focus()

    def action_recheck(self) -> None:
        from wallet.tui.screens.recheck import RecheckScreen

        self.app.push_screen(RecheckScreen([self.entry_id]))

    def action_tags(self) -> None:
        if self.view is None:
            return
        from wallet.tui.screens.tags import TagsScreen

        def done(changed: bool | None) -> None:
            if changed:
                self.load()

        self.app.push_screen(TagsScreen([self.view.entry]), done)

    def action_export(self) -> None:
        from wallet.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen([self.entry_id]))

    def action_remove(self) -> None:
        if self.view is None:
            return
        from wallet.tui.screens.confirm import ConfirmScreen

        entry = self.view.entry
        question = _("Remove this badge from the wallet? This cannot be undone.")

        def done(yes: bool | None) -> None:
            if yes:
                self._remove()

        self.app.push_screen(
            ConfirmScreen(
                question, f"  {status_text(entry.status)}  {entry.title or entry.id}", danger=True
            ),
            done,
        )

    @work(exclusive=True, group="remove", exit_on_error=False)
    async def _remove(self) -> None:
        try:
            await self.call(self.wallet.service.remove, [self.entry_id])
        except WalletError as error:
            self.show_error(error)
            return
        self.wallet.portfolio_changed()
        self.notify(ngettext("Removed {n} badge.", "Removed {n} badges.", 1).format(n=1))
        self.app.pop_screen()
