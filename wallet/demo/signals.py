"""The demo ends through its normal exit path on SIGINT, SIGTERM and SIGHUP.

Why: the demo's temporary folder holds a wallet and badge files; closing the terminal (SIGHUP),
``kill`` (SIGTERM) or Ctrl+C from outside the TUI (SIGINT) must remove it like ``q`` does.  Python
removes nothing on SIGTERM or SIGHUP by default: the process just dies.  While the TUI runs, the
app is asked to exit (so it restores the terminal); before and after it, the signal unwinds the
demo as ``SystemExit(128 + signal)``, the shell's convention for "ended by a signal".
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def stopped_by_signals(running_app: Callable[[], Any]) -> Iterator[None]:
    """Inside the block, a stop signal exits the running app (``running_app()``) or raises
    SystemExit; a second signal while stopping is ignored, so the clean-up is not cut short."""
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        app = running_app()
        if app is not None and app.is_running:
            with contextlib.suppress(RuntimeError):  # no loop running: unwind instead
                asyncio.get_running_loop().call_soon_threadsafe(app.exit, 128 + signum)
                return
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
