"""``plecak review --tui``: the advisor's review as a program of its own, with no wallet at all.

An advisor or employer who received bundles has no wallet to unlock: this app is the wallet's app
(same runner thread, palette, help, languages, styles) with the start-up replaced by the review
screen, and without the wallet's keys (lock, idle lock).  Closing the review ends the program with
the exit code ``plecak review`` would give (0 all bundles intact, 1 otherwise, 2 unusable input).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding

from wallet.i18n import N_
from wallet.tui.app import PlecakApp

if TYPE_CHECKING:
    from wallet.service.protocol import WalletApi


class ReviewApp(PlecakApp, inherit_bindings=False):
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True),
        Binding("f1", "toggle_keys", N_("Keys"), show=False),
        Binding("escape", "hide_keys", N_("Close the keys"), show=False, priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), show=True, priority=True),
    ]

    def __init__(
        self,
        service: WalletApi,
        paths: Sequence[Path],
        pathway: Path | None = None,
        **options: Any,
    ) -> None:
        options["idle_lock"] = None
        super().__init__(service, **options)
        self.paths = [Path(p) for p in paths]
        self.pathway = pathway
        if not options.get("title"):
            self.title = "plecak review"

    @work(exclusive=True, group="start", exit_on_error=False)
    async def _start(self) -> None:
        """Instead of create/unlock/portfolio: only the review (nothing here touches a wallet)."""
        from wallet.tui.screens.review import ReviewScreen

        await self.push_screen(ReviewScreen(self.paths, self.pathway, standalone=True))

    async def action_quit(self) -> None:
        from wallet.tui.screens.review import ReviewScreen

        screen = self.screen
        self.exit(screen.exit_code if isinstance(screen, ReviewScreen) else 0)
