"""Messages that travel between screens and the app (widgets define their own, posting-style).

Why messages and not direct calls: a screen never reaches into another screen; it says what
happened (the wallet was unlocked, the portfolio changed) and the app decides what to show next.
"""

from __future__ import annotations

from textual.message import Message


class Unlocked(Message):
    """The wallet is open (after unlocking or creating it)."""


class LockRequested(Message):
    """Lock the wallet now (from a key binding or the idle timer)."""

    def __init__(self, automatic: bool = False) -> None:
        super().__init__()
        self.automatic = automatic
