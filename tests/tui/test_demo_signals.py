"""`plecak demo` removes its temporary wallet however it ends: q, SIGINT, SIGTERM, SIGHUP.

The demo runs as a real process on a pseudo-terminal (the TUI needs one); the test waits for the
line that names the temporary folder (printed before anything slow), and for the TUI's footer
when the app must be up, then presses q or sends a real signal.  No sleeps: every wait is on output
or on the process.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# slow: the demo process started and signalled
pytestmark = pytest.mark.slow

pty = pytest.importorskip("pty")

ROOT = Path(__file__).resolve().parents[2]
FOLDER = re.compile(rb"(/\S*plecak-demo-[\w-]+)")
APP_UP = b"Filter"  # in the portfolio's footer: the TUI is drawn
WAIT = 90.0


class Demo:
    def __init__(self, tmp_path: Path) -> None:
        self.master, slave = pty.openpty()
        env = dict(os.environ, TMPDIR=str(tmp_path), TERM="xterm-256color", PLECAK_LANG="en")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wallet", "demo"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, pattern: re.Pattern[bytes] | bytes) -> bytes:
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        while (match := regex.search(self.seen)) is None:
            ready, _, _ = select.select([self.master], [], [], WAIT)
            assert ready, f"no {regex.pattern!r} within {WAIT} s: {self.seen[-400:]!r}"
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            assert chunk, f"the demo ended before {regex.pattern!r}: {self.seen[-400:]!r}"
            self.seen += chunk
        return match.group(match.lastindex or 0)

    def finish(self) -> int:
        """Drain the terminal until the demo closes it, then its exit code."""
        while True:
            ready, _, _ = select.select([self.master], [], [], WAIT)
            if not ready:
                break
            try:
                if not os.read(self.master, 65536):
                    break
            except OSError:
                break
        return self.process.wait(timeout=WAIT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = Demo(tmp_path)
    try:
        yield running
    finally:
        running.close()


STOPS = [
    ("SIGINT", True),
    ("SIGTERM", True),
    ("SIGHUP", True),  # the terminal was closed under the TUI
    ("SIGHUP", False),  # ... or while the wallet was still being filled
]


@pytest.mark.parametrize(
    ("name", "app_up"), STOPS, ids=[f"{n}-{'app' if a else 'filling'}" for n, a in STOPS]
)
def test_a_stop_signal_removes_the_temporary_wallet(
    demo: Demo, tmp_path: Path, name: str, app_up: bool
) -> None:
    folder = Path(demo.wait_for(FOLDER).decode())
    assert folder.parent == tmp_path and folder.is_dir()
    if app_up:
        demo.wait_for(APP_UP)
    signum = getattr(signal, name)
    demo.process.send_signal(signum)
    assert demo.finish() == 128 + signum
    assert not folder.exists()
    assert not list(tmp_path.glob("plecak-demo-*"))


def test_q_removes_the_temporary_wallet(demo: Demo, tmp_path: Path) -> None:
    folder = Path(demo.wait_for(FOLDER).decode())
    demo.wait_for(APP_UP)
    os.write(demo.master, b"q")
    assert demo.finish() == 0
    assert not folder.exists()
