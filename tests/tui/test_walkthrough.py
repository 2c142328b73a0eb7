"""The demo as a person uses it: keys typed into a real terminal (tmux), the screen read back.

Pilot drives the app from inside; this drives the installed command from outside, the way the
README tells a new user to start, at the two sizes people use, in both languages.  Waiting is on
the terminal's own output (tmux pipes every byte the program writes into a FIFO), never a sleep.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

TIMEOUT = 60.0
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WORDS = {
    "en": {
        "overview": "Overview",
        "filter": "Filter",
        "mark": "space Mark",
        "export": "Export badges",
        "review": "Review share bundles",
        "palette": "▏^p Commands",
    },
    "pl": {
        "overview": "Przegląd",
        "filter": "Filtruj",
        "mark": "space Zaznacz",
        "export": "Eksport odznak",
        "review": "Przegląd pakietów do udostępniania",
        "palette": "▏^p Polecenia",
    },
}


KEYS_PANEL = "shift+tab"
"""A key only the F1 panel lists (the same in both languages; its label may wrap)."""


class Terminal:
    """One tmux session running plecak; ``wait`` blocks on the program's output until a text
    shows on the screen (or is gone)."""

    def __init__(self, tmp: Path, size: tuple[int, int], argv: list[str]) -> None:
        self.name = f"plecak-{uuid.uuid4().hex[:8]}"
        self.fifo = tmp / "screen.fifo"
        os.mkfifo(self.fifo)
        width, height = size
        env = [f"{k}={v}" for k, v in os.environ.items() if k.startswith("PLECAK_")]
        env += [f"TMPDIR={tmp}", "TERM=xterm-256color"]
        command = " ".join([sys.executable, "-m", "wallet", *argv])
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  *[a for e in env for a in ("-e", e)], command)  # fmt: skip
        self.reader = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.tmux("pipe-pane", "-t", self.name, f"cat > {self.fifo}")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], check=False,
                              capture_output=True).returncode == 0  # fmt: skip

    def wait(self, text: str, *, gone: bool = False) -> None:
        self.until(lambda screen: (text in screen) != gone, f"{text!r} (gone={gone})")

    def wait_footer(self, holds: str, ending: str) -> None:
        """Until the bottom row (the footer) holds ``holds`` (so it is composed, not a passing
        frame) and ends with ``ending``: nothing drawn after it."""

        def shows(screen: str) -> bool:
            footer = screen.rstrip("\n").rsplit("\n", 1)[-1]
            return holds in footer and footer.endswith(ending)

        self.until(shows, f"the footer with {holds!r} ending {ending!r}")

    def until(self, shows: Callable[[str], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not shows(self.screen()):
            left = deadline - time.monotonic()
            if left <= 0 or not self.alive():
                raise AssertionError(f"waiting for {what}; screen:\n{self.screen()}")
            ready, _w, _x = select.select([self.reader], [], [], left)
            if ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self.reader, 65536)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def close(self) -> None:
        if self.alive():
            self.tmux("kill-session", "-t", self.name)
        os.close(self.reader)


@pytest.mark.parametrize("lang", ["en", "pl"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_demo_walkthrough(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    words = WORDS[lang]
    term = Terminal(tmp_path, size, ["--lang", lang, "demo"])
    try:
        term.wait("Summer School: Open Data")
        term.wait_footer(
            words["mark"], words["palette"]
        )  # the last column is the palette key's, no stray letter
        term.keys("Enter")  # the newest badge in detail
        term.wait(words["overview"])
        term.keys("F1")
        term.wait(KEYS_PANEL)
        term.keys("F1")
        term.wait(KEYS_PANEL, gone=True)
        term.keys("F1")
        term.wait(KEYS_PANEL)
        term.keys("Escape")  # closes the keys panel only
        term.wait(KEYS_PANEL, gone=True)
        term.keys("Escape")  # back to the portfolio
        term.wait(words["filter"])
        term.keys("/")
        term.wait(words["mark"], gone=True)  # the table's keys left the footer: the field has focus
        term.keys("r", "u", "s", "t")
        term.wait("Rust Workshop")
        term.wait("Summer School: Open Data", gone=True)
        # One Escape clears the filter and gives the table the focus back.  (Two in a row, then "e",
        # would race the terminal's escape-sequence parser into reading Alt+E.)
        term.keys("Escape")
        term.wait("Summer School: Open Data")
        term.wait(words["mark"])
        term.keys("e")
        term.wait(words["export"])
        term.keys("Escape")
        term.wait("Summer School: Open Data")
        term.keys("v")
        term.wait(words["review"])
        term.keys("Escape")
        term.wait("Summer School: Open Data")
        term.keys("q")
        deadline = time.monotonic() + TIMEOUT
        while term.alive() and time.monotonic() < deadline:
            select.select([term.reader], [], [], 1.0)
        assert not term.alive(), "q did not end the demo"
        assert not list(tmp_path.glob("plecak-demo-*")), "the demo left its wallet behind"
    finally:
        term.close()


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_footer_at_100_columns_ends_with_the_palette_key(tmp_path: Path, lang: str) -> None:
    """The width where a stray letter showed after the palette key ("Polecenias")."""
    term = Terminal(tmp_path, (100, 30), ["--lang", lang, "demo"])
    try:
        term.wait("Summer School: Open Data")
        term.wait_footer(WORDS[lang]["mark"], WORDS[lang]["palette"])
    finally:
        term.close()
