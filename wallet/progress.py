"""Progress of a long step on the terminal: a bar and a count on stderr, only for a person.

Why a module of its own: import, recheck, pulling from connections and export all take long enough
on a real wallet (network, KDF, PDF) that a silent terminal looks hung, and they are started from
several command modules.  What it writes goes to stderr and only when stderr is a terminal, so
``--json``, pipes and redirections stay byte-for-byte what cli.md promises; a finished bar is
wiped, so the results that follow start on a clean line.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

MIN_ITEMS = 5
"""Below this many items the step is quick: no bar (it would only flicker)."""
BAR_WIDTH = 24


class TerminalProgress:
    """``progress(done, total, label)`` as the service calls it, drawn as one updating line."""

    def __init__(
        self, enabled: bool = True, *, stream: TextIO | None = None, minimum: int = MIN_ITEMS
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _is_terminal(self.stream)
        self.minimum = minimum
        self.shown = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled or total < self.minimum:
            return
        filled = BAR_WIDTH * min(done, total) // max(total, 1)
        line = f"{'█' * filled}{'·' * (BAR_WIDTH - filled)} {done}/{total} {label}"
        self._draw(line)

    def note(self, text: str) -> None:
        """One line for a step with no count of its own ("Exporting 12 credentials…"), kept on
        screen: what follows (the result or an error) goes on the next line."""
        if self.enabled:
            self.close()
            self.stream.write(text + "\n")
            self.stream.flush()

    def _draw(self, line: str) -> None:
        width = _width()
        line = line if len(line) <= width else line[: width - 1] + "…"
        self.stream.write("\r" + line.ljust(width))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Wipe the line, so what is printed next starts at the left edge of an empty line."""
        if self.shown:
            width = _width()
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream is not a person
        return False


def _width() -> int:
    """Columns of the terminal (``COLUMNS`` wins), less one so the cursor never wraps."""
    import shutil  # only once a bar is drawn: most runs never draw one

    return max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
