"""The portfolio: every badge with its status in words, a live filter, collections and counts.

The entries are listed once from the service (on its thread) and filtered here in memory on every
keystroke; after an import, recheck, tag or removal the app bumps its data version and this screen
reloads when it becomes current again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from wallet.errors import WalletError
from wallet.i18n import N_, _, ngettext, tr
from wallet.model import PortfolioEntry, Status
from wallet.tui.filtering import PortfolioIndex, Scope, SortKey
from wallet.tui.screens.base import PlecakScreen
from wallet.tui.view import GLYPHS, counted_status, fmt_tags, status_text
from wallet.tui.widgets.badge_table import BadgeTable
from wallet.tui.widgets.collections import Collections

SORT_ORDER = (SortKey.DATE, SortKey.TITLE, SortKey.ISSUER, SortKey.STATUS, SortKey.ADDED)
SORT_LABELS = {
    SortKey.DATE: N_("date issued"),
    SortKey.TITLE: N_("title"),
    SortKey.ISSUER: N_("issuer"),
    SortKey.STATUS: N_("status"),
    SortKey.ADDED: N_("date added"),
}
WIDE = 100
"""From this many columns on, the collections sidebar is shown unless hidden by the learner."""


def damage_lines(service: Any) -> list[str]:
    """The damage report as sentences (on the service's thread): a catalogue that fails its own
    check is said too, while the intact entries stay listed below it."""
    try:
        report = service.damage()
    except WalletError as error:
        return [error.user_message()]
    return list(report.sentences())


def tally(entries: list[PortfolioEntry]) -> tuple[dict[Status, int], dict[str, int]]:
    """Badges per status and per tag, as ``service.counts()`` and ``service.tags()`` give them."""
    counts = dict.fromkeys(Status, 0)
    tags: dict[str, int] = {}
    for entry in entries:
        counts[entry.status] += 1
        for tag in entry.tags:
            tags[tag] = tags.get(tag, 0) + 1
    return counts, dict(sorted(tags.items()))


class PortfolioScreen(PlecakScreen[None]):
    AUTO_FOCUS = "BadgeTable"
    """Focus the table from the start: a later focus change re-renders the footer twice more."""
    BINDINGS: ClassVar[list[Any]] = [
        Binding("slash", "search", N_("Filter"), show=True),
        Binding("i", "import", N_("Import"), show=True),
        Binding("r", "recheck", N_("Recheck"), show=True),
        Binding(
            "R", "recheck_all", N_("Recheck all"), show=False
        ),  # F1 and the palette; the footer needs the room for m
        Binding("t", "tags", N_("Tags"), show=True),
        Binding("d,delete", "remove", N_("Remove"), show=True),
        Binding("e", "export", N_("Export"), show=True),
        Binding("m", "identities", N_("Identities"), show=True),
        Binding("n", "connections", N_("Connections"), show=False),
        Binding("s", "sort", N_("Sort"), show=True),
        Binding("S", "reverse", N_("Reverse"), show=False),
        Binding("c", "sidebar", N_("Collections"), show=True),
        Binding("escape", "clear", N_("Clear filter"), show=False),
        Binding("q", "app.quit", N_("Quit"), show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index = PortfolioIndex([])
        self.scope = Scope()
        self.sort_key = SortKey.DATE
        self.reverse = False
        self.counts: dict[Status, int] = {}
        self.tags: dict[str, int] = {}
        self.loaded_version = -1
        self.loading_version = -1
        """The data version a running :meth:`load` is listing (-1 when none is running)."""
        self.sidebar_choice: bool | None = None
        self.shown: list[PortfolioEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title-bar")
        yield Static(id="damage", classes="damage-banner", markup=False)
        with Horizontal(id="body"):
            yield Collections(id="collections")
            with Vertical(id="main"):
                yield Input(
                    id="search",
                    compact=True,
                    placeholder=_("Filter: words, #tag, -exclude   (press /)"),
                )
                yield BadgeTable(id="table")
                yield Static(id="summary", classes="status-bar")
        yield Footer(compact=True)

    @property
    def table(self) -> BadgeTable:
        return self.query_one(BadgeTable)

    def on_mount(self) -> None:
        self.table.empty_text = _("Loading your badges…")
        self.table.focus()
        self._update_title()
        self._place_sidebar()
        self.load()

    def on_screen_resume(self) -> None:
        # The first resume comes right after on_mount, whose load() is still listing: starting
        # another would cancel that worker but not its call on the service thread, so the index
        # would be decrypted twice before the first screen shows.
        version = self.wallet.data_version
        if version not in (self.loaded_version, self.loading_version) and self.is_mounted:
            self.load()

    def on_resize(self) -> None:
        self._place_sidebar()

    def _place_sidebar(self) -> None:
        show = self.sidebar_choice
        if show is None:
            show = self.size.width >= WIDE
        self.query_one(Collections).display = show

    # ------------------------------------------------------------------ data

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        service = self.wallet.service
        version = self.wallet.data_version
        self.loading_version = version
        try:
            # One pass over the encrypted index: counts and tags are derived from the same list
            # (service.counts()/tags() would decrypt the whole index twice more).
            entries = await self.call(service.list)
        except WalletError as error:
            self.table.empty_text = error.user_message()
            self.table.refresh()
            self.show_error(error)
            return
        finally:
            if self.loading_version == version:
                self.loading_version = -1
        counts, tags = tally(entries)
        self.set_entries(entries, counts, tags)
        self.loaded_version = version
        # After the list is on screen: the catalogue check must not delay the first screen.
        self._show_damage(await self.call(damage_lines, service))

    def _show_damage(self, lines: list[str]) -> None:
        """The banner over the list: what the wallet's catalogue and index report as damaged."""
        banner = self.query_one("#damage", Static)
        banner.update("\n".join(["⚠ " + line for line in lines]))
        banner.display = bool(lines)

    def set_entries(
        self,
        entries: list[PortfolioEntry],
        counts: Mapping[Status, int],
        tags: Mapping[str, int],
    ) -> None:
        self.index = PortfolioIndex(entries)
        self.counts = dict(counts)
        self.tags = dict(tags)
        if self.scope.tag is not None and self.scope.tag not in self.tags:
            self.scope = Scope()
        self.table.keep_marks({e.id: e for e in entries})
        self.table.empty_text = _("No badges yet. Press i to import your first badge.")
        self.query_one(Collections).show_counts(self.counts, self.tags, self.scope)
        self.apply()

    def apply(self) -> None:
        """Filter and sort in memory and show the result (runs on every keystroke)."""
        query = self.query_one("#search", Input).value
        self.shown = self.index.select(query, self.scope, self.sort_key, self.reverse)
        table = self.table
        table.sort_key, table.sort_reverse = self.sort_key, self.reverse
        if self.index.entries and not self.shown:
            table.empty_text = _("No badge matches this filter. Press Escape to clear it.")
        elif not self.index.entries:
            table.empty_text = _("No badges yet. Press i to import your first badge.")
        table.set_rows(self.shown)
        self._update_title()
        self._update_summary()

    def _update_title(self) -> None:
        total = len(self.index.entries)
        name = self.wallet.title
        text = ngettext("{name} · {n} badge", "{name} · {n} badges", total).format(
            name=name, n=total
        )
        if self.scope.status is not None:
            text += " · " + status_text(self.scope.status)
        elif self.scope.tag is not None:
            text += " · #" + self.scope.tag
        self.query_one("#title", Static).update(text)

    def _update_summary(self) -> None:
        total = len(self.index.entries)
        parts = []
        if len(self.shown) != total:
            parts.append(_("showing {shown} of {total}").format(shown=len(self.shown), total=total))
        narrow = self.size.width < WIDE
        # With a filter on, the counts are of what is shown, not of the whole wallet.
        counts = self.counts if len(self.shown) == total else Counter(e.status for e in self.shown)
        parts.append(
            (" " if narrow else " · ").join(
                f"{GLYPHS[status]}{n}" if narrow else counted_status(status, n)
                for status in Status
                if (n := counts.get(status, 0))
            )
        )
        marked = len(self.table.marked)
        if marked:
            parts.append(ngettext("{n} marked", "{n} marked", marked).format(n=marked))
        sort = tr(SORT_LABELS[self.sort_key])
        parts.append(_("sorted by {key}").format(key=sort) + (" ↕" if self.reverse else ""))
        self.query_one("#summary", Static).update("  ·  ".join(p for p in parts if p))

    # ------------------------------------------------------------------ events

    @on(Input.Changed, "#search")
    def filter_changed(self) -> None:
        self.apply()

    @on(Input.Submitted, "#search")
    def filter_done(self) -> None:
        self.table.focus()

    @on(Collections.ScopeSelected)
    def scope_selected(self, event: Collections.ScopeSelected) -> None:
        self.scope = event.scope
        self.apply()
        self.table.focus()

    @on(BadgeTable.Opened)
    def opened(self, event: BadgeTable.Opened) -> None:
        from wallet.tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.entry.id))

    @on(BadgeTable.MarksChanged)
    def marks_changed(self) -> None:
        self._update_summary()

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        if search.value or self.scope != Scope():
            search.value = ""
            self.scope = Scope()
            self.query_one(Collections).show_counts(self.counts, self.tags, self.scope)
            self.apply()
        elif self.table.marked:
            self.table.clear_marks()
        self.table.focus()

    def action_sort(self) -> None:
        self.sort_key = SORT_ORDER[(SORT_ORDER.index(self.sort_key) + 1) % len(SORT_ORDER)]
        self.apply()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.apply()

    def action_sidebar(self) -> None:
        sidebar = self.query_one(Collections)
        self.sidebar_choice = not sidebar.display
        self._place_sidebar()
        if sidebar.display:
            sidebar.focus()
        else:
            self.table.focus()

    def action_import(self) -> None:
        from wallet.tui.screens.importer import ImportScreen

        self.app.push_screen(ImportScreen())

    def _selected(self) -> list[PortfolioEntry]:
        chosen = self.table.selection()
        if not chosen:
            self.notify(_("There is no badge to work on here."), severity="warning")
        return chosen

    def action_recheck(self) -> None:
        chosen = self._selected()
        if chosen:
            from wallet.tui.screens.recheck import RecheckScreen

            self.app.push_screen(RecheckScreen([e.id for e in chosen]))

    def action_recheck_all(self) -> None:
        from wallet.tui.screens.recheck import RecheckScreen

        self.app.push_screen(RecheckScreen(None))

    def action_tags(self) -> None:
        chosen = self._selected()
        if chosen:
            from wallet.tui.screens.tags import TagsScreen

            self.app.push_screen(TagsScreen(chosen, known=sorted(self.tags)))

    def action_remove(self) -> None:
        chosen = self._selected()
        if not chosen:
            return
        from wallet.tui.screens.confirm import ConfirmScreen

        titles = "\n".join(
            f"  {status_text(e.status)}  {e.title or e.id}  {fmt_tags(e.tags)}" for e in chosen[:8]
        )
        if len(chosen) > 8:
            titles += "\n  " + _("… and {n} more").format(n=len(chosen) - 8)
        question = ngettext(
            "Remove this badge from the wallet? This cannot be undone.",
            "Remove these {n} badges from the wallet? This cannot be undone.",
            len(chosen),
        ).format(n=len(chosen))
        ids = [e.id for e in chosen]

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(ids)

        self.app.push_screen(ConfirmScreen(question, titles, danger=True), done)

    @work(exclusive=True, group="remove", exit_on_error=False)
    async def _remove(self, ids: list[str]) -> None:
        try:
            await self.call(self.wallet.service.remove, ids)
        except WalletError as error:
            self.show_error(error)
            return
        self.notify(
            ngettext("Removed {n} badge.", "Removed {n} badges.", len(ids)).format(n=len(ids))
        )
        self.wallet.portfolio_changed()
        self.load()

    def action_export(self) -> None:
        from wallet.tui.screens.export import ExportScreen

        chosen = self.table.selection()
        self.app.push_screen(ExportScreen([e.id for e in chosen], tags=sorted(self.tags)))

    def action_connections(self) -> None:
        from wallet.tui.screens.connections import ConnectionsScreen

        self.app.push_screen(ConnectionsScreen())

    def action_identities(self) -> None:
        from wallet.tui.screens.identities import IdentitiesScreen

        self.app.push_screen(IdentitiesScreen())
