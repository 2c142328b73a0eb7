"""Every call into the wallet service runs on ONE dedicated thread, never on the UI loop.

Why one thread and not "a thread per call": the service holds an SQLite connection (bound to the
thread that opened it) and an HTTP client (bound to the event loop that first used it).  Running
every call, sync or async, on the same thread with the same private event loop keeps both happy,
serialises writes without locks, and leaves Textual's loop free to repaint: unlocking (a KDF),
importing (network + crypto) and rechecking never freeze the screen.

Screens use :meth:`ServiceRunner.call` from Textual workers; the demo and the benchmark use
:meth:`ServiceRunner.call_blocking` before the app runs.  Any exception that is not a
:class:`~wallet.errors.WalletError` is a defect: it is logged with its traceback and turned into a
plain ``WalletError`` so the user sees a sentence, never a traceback.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar, overload

from wallet.errors import WalletError
from wallet.i18n import N_

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

UNEXPECTED = N_("Something unexpected went wrong: {reason}")


class ServiceRunner:
    """Runs functions of the service on one worker thread with its own event loop."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plecak-service")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def _run(self, fn: Callable[[], object]) -> object:
        self._thread = threading.current_thread()
        try:
            result = fn()
            if inspect.isawaitable(result):
                if self._loop is None:
                    self._loop = asyncio.new_event_loop()
                return self._loop.run_until_complete(result)
            return result
        except WalletError:
            raise
        except Exception as exc:
            log.exception("service call %s failed", getattr(fn, "__name__", fn))
            raise WalletError(UNEXPECTED, detail=repr(exc), reason=type(exc).__name__) from exc

    def submit(
        self, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs
    ) -> Future[object]:
        """Run ``fn(*args, **kwargs)`` on the service thread (awaited there when a coroutine)."""
        if self._closed:
            raise WalletError(UNEXPECTED, reason="closed")
        named = _Named(fn, args, kwargs)
        return self._executor.submit(self._run, named)

    @overload
    async def call(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @overload
    async def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    async def call(self, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> object:
        """Run ``fn(*args, **kwargs)`` (awaiting it when it is a coroutine) on the service thread."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    @overload
    def call_blocking(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @overload
    def call_blocking(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    def call_blocking(
        self, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs
    ) -> object:
        """The same, waiting in the calling thread (for use before/after the app runs)."""
        return self.submit(fn, *args, **kwargs).result()

    @property
    def on_service_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def close(self) -> None:
        """Stop the thread after pending calls; closes the private event loop."""
        if self._closed:
            return
        self._closed = True

        def _close_loop() -> None:
            if self._loop is not None:
                try:
                    self._loop.run_until_complete(self._loop.shutdown_asyncgens())
                finally:
                    self._loop.close()

        self._executor.submit(_close_loop)
        self._executor.shutdown(wait=True)


class _Named:
    """``fn`` bound to its arguments, keeping its name for the log of an unexpected failure."""

    def __init__(
        self, fn: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object]
    ) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.__name__ = getattr(fn, "__name__", repr(fn))

    def __call__(self) -> object:
        return self.fn(*self.args, **self.kwargs)
