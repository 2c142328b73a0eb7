"""Re-verify one, several or all badges, with progress; what changed is highlighted."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Label, ProgressBar, Static

from wallet.errors import WalletError
from wallet.i18n import N_, _, ngettext
from wallet.tui.screens.base import PlecakScreen
from wallet.tui.view import STYLES, status_text


class RecheckScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "back", N_("Back"), show=True),
        Binding("c", "only_changed", N_("Only changes"), show=True),
    ]

    def __init__(self, ids: Sequence[str] | None) -> None:
        super().__init__()
        self.ids = list(ids) if ids is not None else None
        self.running = False
        self.outcomes: list[Any] = []
        self.titles: dict[str, str] = {}
        self.changed_only = False
        self.laid_out = False
        """True once the results table shows the last results at their final column widths."""

    def compose(self) -> ComposeResult:
        if self.ids is None:
            title = _("Rechecking every badge")
        else:
            title = ngettext("Rechecking {n} badge", "Rechecking {n} badges", len(self.ids)).format(
                n=len(self.ids)
            )
        yield Static(title, id="title", classes="title-bar")
        yield ProgressBar(id="progress", show_eta=False)
        yield Label(_("Starting…"), id="progress-label")
        table: DataTable[Any] = DataTable(id="results", cursor_type="row")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns(_("Change"), _("Badge"), _("Before"), _("Now"), _("Checks that moved"))
        table.focus()
        self._run()

    def _progress(self, done: int, total: int, source: str) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
        name = self.titles.get(source, source)
        self.query_one("#progress-label", Label).update(
            _("{done} of {total}: {source}").format(done=done, total=total, source=name)
        )

    @work(exclusive=True, group="recheck", exit_on_error=False)
    async def _run(self) -> None:
        self.running = True
        service = self.wallet.service
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int, source: str) -> None:
            loop.call_soon_threadsafe(self._progress, done, total, source)

        try:
            entries = await self.call(service.list)
            self.titles = {e.id: e.title or e.id for e in entries}
            self.outcomes = await self.call(service.recheck, self.ids, progress=progress)
        except WalletError as error:
            self.query_one("#progress-label", Label).update(error.user_message())
            self.show_error(error)
            return
        finally:
            self.running = False
        self.wallet.portfolio_changed()
        self._show()

    def _show(self) -> None:
        table = self.query_one("#results", DataTable)
        self.laid_out = False
        table.clear()
        moved = 0
        for outcome in self.outcomes:
            changed = outcome.before is not outcome.after or bool(outcome.changed)
            moved += changed
            if self.changed_only and not changed:
                continue
            mark = (
                Text("● " + _("changed"), style="bold yellow")
                if changed
                else Text("  " + _("same"), style="dim")
            )
            after_style = STYLES[outcome.after] + (
                " reverse" if outcome.before is not outcome.after else ""
            )
            table.add_row(
                mark,
                self.titles.get(outcome.id, outcome.id),
                Text(status_text(outcome.before), style=STYLES[outcome.before]),
                Text(status_text(outcome.after), style=after_style),
                Text(", ".join(outcome.changed), style="yellow" if outcome.changed else ""),
                key=outcome.id,
            )
        total = len(self.outcomes)
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=total)
        summary = (
            ngettext("{n} badge checked", "{n} badges checked", total).format(n=total)
            + " · "
            + ngettext("{n} changed", "{n} changed", moved).format(n=moved)
        )
        self.query_one("#progress-label", Label).update(summary)
        # DataTable sizes its columns on its next idle, and rows it painted before that keep their
        # cached header-width rendering (the cache is not keyed on widths): on a loaded machine the
        # results then stayed squeezed.  Right after that idle, drop the stale renders once.
        table.call_next(self._sized, table)

    def _sized(self, table: DataTable[Any]) -> None:
        table.notify_style_update()
        self.laid_out = True

    def action_only_changed(self) -> None:
        self.changed_only = not self.changed_only
        if not self.running:
            self._show()

    def action_back(self) -> None:
        if self.running:
            self.notify(_("The recheck is still running; it will finish in a moment."))
            return
        self.app.pop_screen()
