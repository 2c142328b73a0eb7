"""The terminal wallet: one app factory for ``plecak``, ``plecak demo``, the tests and the benchmark.

``make_app(service)`` builds the same app everywhere (posting's habit), so what the snapshot tests
see is what a learner sees.  The app only decides which screen is shown (create, unlock, portfolio)
and locks the wallet after an idle time; the screens talk to the service through the runner, on its
own thread, so the interface never waits for a KDF, the network or a signature check.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget

from wallet.errors import WalletError
from wallet.i18n import N_, _, set_language
from wallet.ports import Clock, system_clock
from wallet.tui import messages
from wallet.tui.runner import ServiceRunner
from wallet.tui.widgets.translated import translate_bindings

if TYPE_CHECKING:
    from wallet.connect.protocol import ConnectionsFactory
    from wallet.service import WalletService
    from wallet.service.protocol import WalletApi

DEFAULT_IDLE_LOCK = timedelta(minutes=5)
ACTIVITY = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""What counts as the learner being there (resets the idle lock)."""
IDLE_ENV = "PLECAK_IDLE_LOCK"
"""Seconds of inactivity before the wallet locks itself (0 = never)."""


def idle_from_env(default: timedelta = DEFAULT_IDLE_LOCK) -> timedelta | None:
    raw = os.environ.get(IDLE_ENV, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        return default
    return None if seconds <= 0 else timedelta(seconds=seconds)


class PlecakApp(App[int]):
    CSS_PATH = "plecak.tcss"
    TITLE = "plecak"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True),
        Binding("f1", "toggle_keys", N_("Keys"), show=False),
        Binding("escape", "hide_keys", N_("Close the keys"), show=False, priority=True),
        Binding("ctrl+l", "lock", N_("Lock"), show=True),
        Binding("v", "review_bundles", N_("Review bundles"), show=False),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True),
    ]

    def __init__(
        self,
        service: WalletApi,
        *,
        clock: Clock = system_clock,
        idle_lock: timedelta | None = DEFAULT_IDLE_LOCK,
        runner: ServiceRunner | None = None,
        start_dir: Path | None = None,
        unlock_hint: str = "",
        blink: bool = True,
        title: str | None = None,
        passphrase: str | None = None,
        connections: ConnectionsFactory | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.service = service
        self.connections = connections
        """Makes the Connections screen's service; None in a window with no wallet behind it."""
        self.clock = clock
        self.idle_lock = idle_lock
        self.runner = runner or ServiceRunner()
        self._own_runner = runner is None
        self.start_dir = start_dir or Path.cwd()
        self.unlock_hint = unlock_hint
        self.blink = blink
        self.unlocked = False
        self.data_version = 0
        """Bumped whenever the portfolio changed; screens reload when they see a newer one."""
        self.last_activity = clock()
        self._passphrase = passphrase
        if title:
            self.title = title

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.set_interval(1.0, self.check_idle_lock, name="idle-lock")
        self._start()

    @work(exclusive=True, group="start", exit_on_error=False)
    async def _start(self) -> None:
        try:
            unlocked = await self.runner.call(lambda: bool(self.service.unlocked))
            exists = True if unlocked else await self.runner.call(self.service.wallet_exists)
            if exists and not unlocked and self._passphrase:
                passphrase, self._passphrase = self._passphrase, None
                await self.runner.call(self.service.unlock, passphrase)
                unlocked = True
        except WalletError as error:
            self.notify(error.user_message(), severity="error", timeout=10, markup=False)
            unlocked, exists = False, True
        if unlocked:
            self.unlocked = True
            await self._show_portfolio()
        elif exists:
            from wallet.tui.screens.unlock import UnlockScreen

            await self.push_screen(UnlockScreen())
        else:
            from wallet.tui.screens.create import CreateScreen

            await self.push_screen(CreateScreen())

    async def _show_portfolio(self) -> None:
        from wallet.tui.screens.portfolio import PortfolioScreen

        self.touch()
        if len(self.screen_stack) > 1:
            await self.switch_screen(PortfolioScreen())
        else:
            await self.push_screen(PortfolioScreen())

    async def on_unlocked(self, message: messages.Unlocked) -> None:
        self.unlocked = True
        await self._show_portfolio()

    def portfolio_changed(self) -> None:
        """Credentials were imported, rechecked, tagged or removed: lists reload when shown."""
        self.data_version += 1

    def touch(self) -> None:
        self.last_activity = self.clock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self.touch()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock when the learner has been away for ``idle_lock`` (called every second)."""
        if not self.unlocked or self.idle_lock is None:
            return
        if self.clock() - self.last_activity >= self.idle_lock:
            self.post_message(messages.LockRequested(automatic=True))

    def action_lock(self) -> None:
        if self.unlocked:
            self.post_message(messages.LockRequested())

    async def on_lock_requested(self, message: messages.LockRequested) -> None:
        if not self.unlocked:
            return
        self.unlocked = False
        self.workers.cancel_group(self, "default")
        try:
            await self.runner.call(self.service.lock)
        except WalletError as error:
            self.notify(error.user_message(), severity="error", markup=False)
        from wallet.tui.screens.unlock import UnlockScreen

        while len(self.screen_stack) > 2:
            await self.pop_screen()
        screen = UnlockScreen(automatic=message.automatic)
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    # ------------------------------------------------------------------ advisor's review

    def _on_portfolio(self) -> bool:
        from wallet.tui.screens.portfolio import PortfolioScreen

        shown = [s for s in self.screen_stack if not isinstance(s, CommandPalette)]
        return self.unlocked and bool(shown) and isinstance(shown[-1], PortfolioScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``v`` (Review bundles) is offered on the portfolio only, and only when unlocked; Esc
        closes the keys panel only while one is shown (otherwise it means "back" as usual)."""
        if action == "review_bundles":
            return self._on_portfolio()
        if action == "hide_keys":
            return bool(self._keys_panels())
        return True

    def action_review_bundles(self) -> None:
        """The advisor's read-only review of share bundles: choose the files, then the review."""
        if self._on_portfolio():
            from wallet.tui.screens.review import ReviewPickScreen

            self.push_screen(ReviewPickScreen())

    # ------------------------------------------------------------------ palette and exit

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action bound on the current screen, by its (translated) footer description."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action == "command_palette":
                continue
            if binding.description in seen or not _declared_here(active.node, binding.action):
                continue
            seen.add(binding.description)
            node, action = active.node, binding.action

            async def run(node: Any = node, action: str = action) -> None:
                await self.run_action(action, node)

            yield SystemCommand(
                binding.description,
                _("Key: {key}").format(key=self.get_key_display(binding)),
                run,
            )
        yield SystemCommand(_("Show all keys"), _("Key: {key}").format(key="F1"), self._help)
        yield SystemCommand(_("Quit plecak"), _("Key: {key}").format(key="^q"), self.action_quit)

    def _help(self) -> None:
        self.action_toggle_keys()

    def _keys_panels(self) -> list[Widget]:
        """Every keys panel on any screen of the stack (one may have been left on a screen below)."""
        from textual.widgets import HelpPanel

        return [panel for screen in self.screen_stack for panel in screen.query(HelpPanel)]

    def action_toggle_keys(self) -> None:
        """F1 opens the keys panel and F1 again closes it (Textual's own action only opens)."""
        panels = self._keys_panels()
        if panels:
            self.action_hide_keys()
            return
        # The panel lists the keys Textual's own widgets bring too ("Scroll Up", "Focus Next"):
        # their descriptions go through the catalogue like ours (textual.po) before it is drawn.
        translate_bindings(self)
        for node in self.screen.walk_children(with_self=True):
            translate_bindings(node)
        self.action_show_help_panel()

    def action_hide_keys(self) -> None:
        for panel in self._keys_panels():
            panel.remove()
        self.refresh_bindings()

    async def action_quit(self) -> None:
        self.exit(0)

    def on_unmount(self) -> None:
        if self._own_runner:
            self.runner.close()


def make_app(
    service: WalletApi,
    *,
    clock: Clock | None = None,
    idle_lock: timedelta | str | None = "env",
    runner: ServiceRunner | None = None,
    start_dir: Path | None = None,
    lang: str | None = None,
    unlock_hint: str = "",
    blink: bool = True,
    title: str | None = None,
    passphrase: str | None = None,
    connections: ConnectionsFactory | None = None,
) -> PlecakApp:
    """Build the terminal wallet over ``service`` (the one factory the CLI, demo and tests use).

    ``idle_lock``: inactivity before the wallet locks itself; ``"env"`` reads ``PLECAK_IDLE_LOCK``
    (seconds, 0 = never; default 5 minutes).  ``runner``: pass one when the service was already
    used on a runner's thread (the demo fills its wallet before the app starts).  ``blink=False``
    stops cursor blinking (snapshot tests).  ``connections``: makes the Connections screen's
    service (:func:`wallet.connect.service.connections_for` over a real wallet; None: the screen
    says there are none here).
    """
    if lang is not None:
        set_language(lang)
    idle = idle_from_env() if idle_lock == "env" else idle_lock
    assert not isinstance(idle, str)
    return PlecakApp(
        service,
        clock=clock or system_clock,
        idle_lock=idle,
        runner=runner,
        start_dir=start_dir,
        unlock_hint=unlock_hint,
        blink=blink,
        title=title,
        passphrase=passphrase,
        connections=connections,
    )


def run_tui(service: WalletService, **options: Any) -> int:
    """The CLI's entry (``plecak`` without a command): run the app, return the exit code.

    ``PLECAK_PASSPHRASE`` (cli.md) unlocks without the prompt, as for every other command.
    The window's connections are built over this same wallet.
    """
    from wallet.connect.service import connections_for

    options.setdefault("passphrase", os.environ.get("PLECAK_PASSPHRASE") or None)
    options.setdefault("connections", connections_for(service))
    app = make_app(service, **options)
    try:
        result = app.run()
    finally:
        app.runner.close()
    return int(result or 0)


def run_review_tui(
    service: WalletApi, paths: Iterable[Path], pathway: Path | None = None, **options: Any
) -> int:
    """``plecak review --tui``: only the read-only review screen (no wallet, no unlock).

    Returns the exit code ``plecak review`` would give: 0 every bundle intact, 1 otherwise.
    """
    from wallet.tui.review_app import ReviewApp

    lang = options.pop("lang", None)
    if lang is not None:
        set_language(lang)
    app = ReviewApp(service, list(paths), pathway, **options)
    try:
        result = app.run()
    finally:
        app.runner.close()
    return int(result or 0)


def _declared_here(node: object, action: str) -> bool:
    """The palette offers plecak's own actions only: the bindings Textual's widgets bring
    ("Focus Next", "Copy selected text", cursor moves) are keys, not things to do, and they
    have no translation."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("wallet."):
            continue
        for binding in vars(cls).get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.action == action:
                return True
    return False
