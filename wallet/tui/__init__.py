"""The terminal wallet (Textual).  Imported lazily by the CLI so ``plecak --help`` stays fast.

``make_app(service)`` in :mod:`wallet.tui.app` is the one factory for the CLI, the demo and tests;
:func:`run` is the CLI's entry: it runs the app and returns the exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wallet.service import WalletService


def run(service: WalletService, **options: Any) -> int:
    """Open the terminal wallet over ``service`` until the learner quits; returns an exit code."""
    from wallet.tui.app import run_tui

    return run_tui(service, **options)
