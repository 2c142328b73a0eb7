"""Import badges from a file or folder (a file picker), a URL, or pasted text.

The import runs in a worker on the service thread (fetching, parsing, verifying, storing); progress
arrives from that thread through ``call_soon_threadsafe`` and every item gets a result line:
stored (with its verification status), already in the wallet, or failed with a readable reason.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    DirectoryTree,
    Footer,
    Input,
    Label,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from wallet.errors import WalletError, source_name
from wallet.i18n import N_, _, ngettext, tr
from wallet.tui.screens.base import PlecakScreen
from wallet.tui.view import STYLES, status_text

STATE_WORDS = {
    "stored": N_("stored"),
    "duplicate": N_("already in the wallet"),
    "failed": N_("failed"),
    "skipped": N_("skipped"),
}
STATE_STYLES = {"stored": "green", "duplicate": "dim", "failed": "bold red", "skipped": "dim"}
MAX_PASTE = 5 * 1024 * 1024


class ImportScreen(PlecakScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+s", "run_import", N_("Import"), show=True, priority=True),
        Binding("escape", "back", N_("Back"), show=True),
        Binding("f2", "tab('file')", N_("File"), show=True),
        Binding("f3", "tab('url')", N_("URL"), show=True),
        Binding("f4", "tab('paste')", N_("Paste"), show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(_("Import badges"), id="title", classes="title-bar")
        with TabbedContent(id="kinds"):
            with TabPane(_("File or folder (F2)"), id="file"), Vertical():
                yield DirectoryTree(self.wallet.start_dir, id="tree")
                yield Input(
                    id="path",
                    compact=True,
                    select_on_focus=False,
                    placeholder=_("Path of a badge file, folder or ZIP; Enter imports"),
                )
            with TabPane(_("URL (F3)"), id="url"), Vertical():
                yield Label(_("Address of a hosted badge or credential (http or https):"))
                yield Input(id="url-input", placeholder="https://", compact=True)
            with TabPane(_("Paste (F4)"), id="paste"), Vertical():
                yield Label(_("Paste a badge: JSON, a JWS/JWT or a URL; then press Ctrl+S."))
                yield TextArea(id="paste-text", soft_wrap=True, show_line_numbers=False)
        with Horizontal(id="progress-row"):
            yield Button(_("Import (Ctrl+S)"), id="go", variant="primary", compact=True)
            yield ProgressBar(id="progress", show_eta=False)
            yield Label("", id="progress-label")
        table: DataTable[Any] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns(_("Result"), _("Status"), _("Badge"), _("Source or reason"))
        self.query_one("#progress", ProgressBar).display = False
        tree = self.query_one("#tree", DirectoryTree)
        tree.root.set_label(self.wallet.start_dir.name or str(self.wallet.start_dir))
        tree.focus()

    # ------------------------------------------------------------------ choosing the source

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {"file": "#tree", "url": "#url-input", "paste": "#paste-text"}[tab]
        self.query_one(target).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing while the file tree has the focus types into the path field (people type a
        path straight away); the tree keeps its arrow, Enter and space keys."""
        tree = self.query_one("#tree", DirectoryTree)
        if self.focused is not tree or not event.is_printable or event.character in (None, " "):
            return
        field = self.query_one("#path", Input)
        field.focus()
        field.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    @on(DirectoryTree.FileSelected)
    def file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self._choose(event.path)

    @on(DirectoryTree.DirectorySelected)
    def directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        self._choose(event.path)

    def _choose(self, path: Path) -> None:
        field = self.query_one("#path", Input)
        field.value = str(path)
        self.query_one("#progress-label", Label).update(
            _("Press Enter or Ctrl+S to import {name}").format(name=path.name or str(path))
        )

    @on(Input.Submitted, "#path")
    @on(Input.Submitted, "#url-input")
    def submitted(self) -> None:
        self.action_run_import()

    @on(Button.Pressed, "#go")
    def pressed(self) -> None:
        self.action_run_import()

    def action_back(self) -> None:
        if not self.running:
            self.app.pop_screen()
        else:
            self.notify(_("The import is still running; it will finish in a moment."))

    # ------------------------------------------------------------------ importing

    def action_run_import(self) -> None:
        if self.running:
            return
        kind = self.query_one(TabbedContent).active or "file"
        if kind == "paste":
            text = self.query_one("#paste-text", TextArea).text
            if not text.strip():
                self._say(_("Paste a badge first."), error=True)
                return
            if len(text.encode("utf-8")) > MAX_PASTE:
                self._say(_("The pasted text is too large to be a badge."), error=True)
                return
            self._import(None, text)
            return
        if kind == "url":
            url = self.query_one("#url-input", Input).value.strip()
            if not url.lower().startswith(("http://", "https://")):
                self._say(_("Type an address starting with http:// or https://."), error=True)
                return
            self._import([url], None)
            return
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self._say(_("Choose a file or folder in the tree, or type its path."), error=True)
            return
        self._import([str(Path(path).expanduser())], None)

    def _say(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#progress-label", Label)
        label.update(text)
        label.set_class(error, "error")

    def _progress(self, done: int, total: int, source: str) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        self._say(_("{done} of {total}: {source}").format(done=done, total=total, source=source))

    @work(exclusive=True, group="import", exit_on_error=False)
    async def _import(self, sources: list[str] | None, text: str | None) -> None:
        self.running = True
        self.query_one("#go", Button).disabled = True
        self._say(_("Importing…"))
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int, source: str) -> None:
            loop.call_soon_threadsafe(self._progress, done, total, source)

        service = self.wallet.service
        try:
            if text is not None:
                outcomes = await self.call(service.import_text, text, progress=progress)
            else:
                outcomes = await self.call(service.import_sources, sources or [], progress=progress)
        except WalletError as error:
            self._say(error.user_message(), error=True)
            return
        finally:
            self.running = False
            self.query_one("#go", Button).disabled = False
        self._show_outcomes(outcomes)

    def _fill_results(self, table: DataTable[Any], rows: list[tuple[Text, Text, str, str]]) -> None:
        """Columns sized by meaning, not by their headers: the result and status words always
        whole, then the badge's title, and the source or reason gets what is left (cut with "…")."""
        table.clear(columns=True)
        labels = (_("Result"), _("Status"), _("Badge"), _("Source or reason"))
        state_w = max([len(labels[0]), *(len(r[0].plain) for r in rows)])
        status_w = max([len(labels[1]), *(len(r[1].plain) for r in rows)])
        room = max(self.size.width - 2 - 4 * 2 - state_w - status_w, 20)  # 2 padding per column
        longest_title = max([len(labels[2]), *(len(r[2]) for r in rows)])
        title_w = min(longest_title, max(room * 11 // 20, 10))
        source_w = max(room - title_w, 10)
        for label, width in zip(labels, (state_w, status_w, title_w, source_w), strict=True):
            table.add_column(label, width=width)
        for state, status, title, reason in rows:
            table.add_row(state, status, _fit(title, title_w), _fit(reason, source_w))

    def _show_outcomes(self, outcomes: list[Any]) -> None:
        table = self.query_one("#results", DataTable)
        counts = {"stored": 0, "duplicate": 0, "failed": 0, "skipped": 0}
        rows: list[tuple[Text, Text, str, str]] = []
        for outcome in outcomes:
            state = str(outcome.state)
            counts[state] = counts.get(state, 0) + 1
            entry = outcome.entry
            status = Text("")
            if entry is not None:
                status = Text(status_text(entry.status), style=STYLES[entry.status])
            elif outcome.report is not None:
                status = Text(
                    status_text(outcome.report.status), style=STYLES[outcome.report.status]
                )
            reason = source_name(outcome.source)
            if outcome.error is not None:
                error = outcome.error
                reason = error.user_message() if isinstance(error, WalletError) else str(error)
            title = (entry.title if entry is not None else None) or ""
            rows.append(
                (Text(_state_word(state), style=STATE_STYLES.get(state, "")), status, title, reason)
            )
        self._fill_results(table, rows)
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(len(outcomes), 1), progress=len(outcomes))
        summary = ", ".join(
            [
                ngettext("{n} stored", "{n} stored", counts["stored"]).format(n=counts["stored"]),
                ngettext(
                    "{n} already in the wallet", "{n} already in the wallet", counts["duplicate"]
                ).format(n=counts["duplicate"]),
                ngettext("{n} failed", "{n} failed", counts["failed"]).format(n=counts["failed"]),
            ]
            + (
                [
                    ngettext(
                        "{n} skipped (not a credential)",
                        "{n} skipped (not credentials)",
                        counts["skipped"],
                    ).format(n=counts["skipped"])
                ]
                if counts["skipped"]
                else []
            )
        )
        self._say(summary, error=counts["failed"] > 0 and not counts["stored"])
        if not outcomes:
            self._say(_("Nothing was found to import."), error=True)
        if counts["stored"]:
            self.wallet.portfolio_changed()
        self.notify(summary, severity="warning" if counts["failed"] else "information")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _state_word(state: str) -> str:
    return tr(STATE_WORDS.get(state, STATE_WORDS["failed"]))
