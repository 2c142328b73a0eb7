"""What every screen of the wallet shares: translated bindings, service calls, readable errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar, cast, overload

from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from wallet.errors import WalletError
from wallet.i18n import _
from wallet.tui.widgets.translated import translate_bindings

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from wallet.tui.app import PlecakApp

R = TypeVar("R")
P = ParamSpec("P")


class ScreenHelpers:
    """Mixed into screens: the app typed as ours, service calls off the UI thread, errors as text."""

    @property
    def wallet(self) -> PlecakApp:
        return cast("PlecakApp", self.app)  # type: ignore[attr-defined]

    @overload
    async def call(
        self, fn: Callable[P, Awaitable[R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> R: ...

    @overload
    async def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R: ...

    async def call(self, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> object:
        """Call the service on its own thread; raises WalletError (never anything else)."""
        return await self.wallet.runner.call(fn, *args, **kwargs)

    def show_error(self, error: WalletError) -> None:
        self.wallet.notify(
            error.user_message(), title=_("Error"), severity="error", timeout=8, markup=False
        )

    def _quiet_cursors(self) -> None:
        if not self.wallet.blink:
            for widget in self.query(Input).results():  # type: ignore[attr-defined]
                widget.cursor_blink = False
            for area in self.query(TextArea).results():  # type: ignore[attr-defined]
                area.cursor_blink = False


class PlecakScreen(ScreenHelpers, Screen[R], Generic[R]):
    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def on_mount(self) -> None:
        self._quiet_cursors()


class PlecakModal(ScreenHelpers, ModalScreen[R], Generic[R]):
    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def on_mount(self) -> None:
        self._quiet_cursors()
