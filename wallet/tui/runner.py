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
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from wallet.errors import WalletError
from wallet.i18n import N_

log = logging.getLogger(__name__)

T = TypeVar("T")

UNEXPECTED = N_("Something unexpected went wrong: {reason}")


class ServiceRunner:
    """Runs functions of the service on one worker thread with its own event loop."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plecak-service")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self._thread = threading.current_thread()
        try:
            result = fn(*args, **kwargs)
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

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        if self._closed:
            raise WalletError(UNEXPECTED, reason="closed")
        return self._executor.submit(self._run, fn, args, kwargs)

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` (awaiting it when it is a coroutine) on the service thread."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def call_blocking(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
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
