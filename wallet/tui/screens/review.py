"""The advisor's review of share bundles: a file chooser, then a read-only screen with one tab per
section (overview, timeline, credits and levels, skills, stacks, pathway, EU completeness).

Read-only by design: the review never writes to the wallet or to the bundles, so it is the same
screen whether it is opened from a learner's portfolio (key ``v`` or the command palette) or by an
advisor with no wallet at all (``plecak review --tui FILE...``).  The service checks every bundle
(which can mean network and signature checks) on the runner's thread while the tabs show a loading
state; any failure is a sentence on the screen, and ``r`` tries again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DirectoryTree, Footer, Input, Label, Static, TabbedContent, TabPane

from wallet.errors import EXIT_NOT_VALID, EXIT_OK, WalletError
from wallet.i18n import N_, _, ngettext, tr
from wallet.tui import review_view
from wallet.tui.screens.base import PlecakScreen

TABS: tuple[tuple[str, str], ...] = (
    ("overview", N_("1 Overview")),
    ("timeline", N_("2 Timeline")),
    ("credits", N_("3 Credits")),
    ("skills", N_("4 Skills")),
    ("stacks", N_("5 Stacks")),
    ("pathway", N_("6 Pathway")),
    ("eu", N_("7 EU")),
)
PATHWAY_SUFFIXES = (".json",)
"""A chosen file with this suffix is the pathway; anything else is taken as a bundle."""


class ReviewPickScreen(PlecakScreen[None]):
    """Choose the bundles (and optionally a pathway file), then open the review."""

    DEFAULT_CSS = """
    ReviewPickScreen #review-tree { height: 1fr; }
    ReviewPickScreen #review-hint, ReviewPickScreen #review-chosen { padding: 0 1; width: 100%; }
    ReviewPickScreen #review-path { margin: 0 1; }
    """
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+s", "review", N_("Review"), show=True, priority=True),
        Binding("ctrl+x", "clear", N_("Clear choice"), show=True),
        Binding("escape", "back", N_("Back"), show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.bundles: list[Path] = []
        self.pathway: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Review share bundles"), id="title", classes="title-bar")
        yield Label(
            _(
                "Enter on a .zip adds or removes a bundle; on a .json sets the pathway. Ctrl+S: review."
            ),
            id="review-hint",
            classes="hint",
        )
        yield DirectoryTree(self.wallet.start_dir, id="review-tree")
        yield Input(
            id="review-path",
            compact=True,
            placeholder=_("Or type a path (bundle .zip or pathway .json) and press Enter"),
        )
        yield Static("", id="review-chosen")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        tree = self.query_one("#review-tree", DirectoryTree)
        tree.root.set_label(self.wallet.start_dir.name or str(self.wallet.start_dir))
        tree.focus()
        self._show()

    @on(DirectoryTree.FileSelected)
    def file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.choose(event.path)

    @on(Input.Submitted, "#review-path")
    def typed(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            self.action_review()
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.wallet.start_dir / path
        if self.choose(path):
            event.input.value = ""

    def choose(self, path: Path) -> bool:
        """Add or remove a bundle, or set or unset the pathway; False (and a message) if no file."""
        if not path.is_file():
            self._show(_("There is no file {path}.").format(path=path), error=True)
            return False
        if path.suffix.lower() in PATHWAY_SUFFIXES:
            self.pathway = None if self.pathway == path else path
        elif path in self.bundles:
            self.bundles.remove(path)
        else:
            self.bundles.append(path)
        self._show()
        return True

    def _show(self, message: str = "", *, error: bool = False) -> None:
        text = Text(_("Bundles: "), style="bold")
        text.append(", ".join(p.name for p in self.bundles) or _("none chosen yet"))
        text.append("\n")
        text.append(_("Pathway: "), style="bold")
        text.append(self.pathway.name if self.pathway else _("none (optional)"))
        if message:
            text.append("\n" + message, style="bold red" if error else "")
        self.query_one("#review-chosen", Static).update(text)

    def action_clear(self) -> None:
        self.bundles, self.pathway = [], None
        self._show()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_review(self) -> None:
        if not self.bundles:
            self._show(_("Choose at least one bundle first."), error=True)
            return
        self.app.switch_screen(ReviewScreen(self.bundles, self.pathway))


class ReviewScreen(PlecakScreen[None]):
    """The review itself: read-only, one tab per section, loaded in a worker."""

    DEFAULT_CSS = """
    ReviewScreen #review-tabs { height: 1fr; }
    ReviewScreen .review-scroll { height: 1fr; padding: 0 1; }
    ReviewScreen #review-state { height: auto; max-height: 3; }
    """
    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "close", N_("Close"), show=True),
        Binding("r", "reload", N_("Check again"), show=True),
        *(
            Binding(str(i), f"tab('{tab}')", label, show=False)
            for i, (tab, label) in enumerate(TABS, 1)
        ),
    ]

    def __init__(
        self, paths: Sequence[Path], pathway: Path | None = None, *, standalone: bool = False
    ) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.pathway = pathway
        self.standalone = standalone
        """Opened by ``plecak review --tui``: closing the review ends the program."""
        self.review: Any = None
        self.error: WalletError | None = None
        self.loading_review = False

    def compose(self) -> ComposeResult:
        names = ", ".join(p.name for p in self.paths)
        yield Static(
            Text(_("Advisor's review: {files}").format(files=names), overflow="ellipsis"),
            id="title",
            classes="title-bar",
        )
        yield Static("", id="review-state", classes="status-bar")
        with TabbedContent(id="review-tabs"):
            for tab, label in TABS:
                with (
                    TabPane(tr(label), id=tab),
                    VerticalScroll(id=f"{tab}-scroll", classes="review-scroll"),
                ):
                    yield Static("", id=f"{tab}-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="review", exit_on_error=False)
    async def load(self) -> None:
        self.loading_review = True
        tabs = self.query_one("#review-tabs", TabbedContent)
        tabs.loading = True
        n = len(self.paths)
        self._state(
            ngettext(
                "Checking {n} bundle (its files, the holder's signature and every credential)…",
                "Checking {n} bundles (their files, the holders' signatures and every credential)…",
                n,
            ).format(n=n)
        )
        try:
            review = await self.call(self.wallet.service.review, self.paths, self.pathway)
        except WalletError as error:
            self.error, self.review = error, None
            self._show_error(error)
            return
        finally:
            self.loading_review = False
            tabs.loading = False
        self.error, self.review = None, review
        self._show_review(review)

    def _state(self, text: str | Text, *, error: bool = False) -> None:
        state = self.query_one("#review-state", Static)
        state.update(text)
        state.set_class(error, "error")

    def _show_error(self, error: WalletError) -> None:
        self._state(
            _("The review could not be made: {reason}").format(reason=error.user_message()),
            error=True,
        )
        body = Text(error.user_message(), style="bold red")
        body.append("\n\n" + _("Press r to try again, or Esc to close."), style="")
        self.query_one("#overview-body", Static).update(body)
        for tab, _label in TABS[1:]:
            self.query_one(f"#{tab}-body", Static).update("")
        self.query_one(TabbedContent).active = "overview"

    def _show_review(self, review: Any) -> None:
        for tab, render in review_view.SECTIONS.items():
            self.query_one(f"#{tab}-body", Static).update(render(review))
        bundles = review.bundles
        damaged = sum(1 for b in bundles if b.get("ok") is not True)
        if damaged:
            state = Text("✗ ", style="bold red")
            state.append(
                ngettext(
                    "{n} of {total} bundles is damaged or unsafe: its credentials count for nothing.",
                    "{n} of {total} bundles are damaged or unsafe: their credentials count for nothing.",
                    damaged,
                ).format(n=damaged, total=len(bundles))
            )
        else:
            state = Text("✓ ", style="bold green")
            state.append(
                ngettext(
                    "The bundle is intact and signed by its holder.",
                    "All {n} bundles are intact and signed by their holders.",
                    len(bundles),
                ).format(n=len(bundles))
            )
        self._state(state)
        self.query_one("#overview-scroll", VerticalScroll).focus()

    @property
    def exit_code(self) -> int:
        """What ``plecak review --tui`` exits with: as ``plecak review`` (cli.md)."""
        if self.error is not None:
            return int(self.error.exit_code)
        if self.review is None:
            return EXIT_NOT_VALID
        return EXIT_OK if self.review.ok else EXIT_NOT_VALID

    # ------------------------------------------------------------------ actions

    def action_reload(self) -> None:
        if not self.loading_review:
            self.load()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-scroll", VerticalScroll).focus()

    @on(TabbedContent.TabActivated)
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or "overview"
        if any(pane == tab for tab, _label in TABS):
            self.query_one(f"#{pane}-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        if self.standalone:
            self.app.exit(self.exit_code)
        else:
            self.app.pop_screen()
