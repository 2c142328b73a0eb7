"""Prompts as a person meets them: a real pseudo-terminal, keys typed, the screen read back."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 30.0


class Terminal:
    """plecak running on a pseudo-terminal; ``expect`` reads until a text shows (no sleeps)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wallet", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.screen = ""
        self.seen = 0
        """Where the last expected text ended: each expect waits for a new appearance."""

    def expect(self, text: str) -> None:
        while text not in self.screen[self.seen :]:
            ready, _w, _x = select.select([self.master], [], [], TIMEOUT)
            if not ready:
                raise AssertionError(f"{text!r} never appeared; the screen: {self.screen!r}")
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError(f"{text!r} never appeared; the screen: {self.screen!r}")
            self.screen += chunk.decode("utf-8", "replace")
        self.seen = self.screen.index(text, self.seen) + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def close(self) -> int:
        code = self.process.wait(timeout=TIMEOUT)
        os.close(self.master)
        return code


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLECAK_PASS")}
    clean.update(PLECAK_HOME=str(tmp_path / "wallet"), PLECAK_KDF_PROFILE="test", PLECAK_LANG="en")
    return clean


def test_init_explains_empty_and_short_answers_and_asks_before_a_weak_passphrase(
    env: dict[str, str], tmp_path: Path
) -> None:
    term = Terminal(["init"], env)
    term.expect("New passphrase")
    term.type("")
    term.expect("cannot be empty")
    term.expect("New passphrase")
    term.type("abc")
    term.expect("at least 8 characters")
    term.expect("New passphrase")
    term.type("password")
    term.expect("Strength: very weak.")
    term.expect("Use it anyway?")
    term.type("n")
    term.expect("New passphrase")
    term.type("correct horse battery staple")
    term.expect("Repeat the passphrase")
    term.type("correct horse battery staple")
    term.expect("Created a wallet")
    assert term.close() == 0
    assert (tmp_path / "wallet").is_dir()


@pytest.mark.slow
def test_import_from_a_terminal_says_how_to_finish_the_paste(
    env: dict[str, str], conformance_dir: Path
) -> None:
    env = dict(env, PLECAK_PASSPHRASE="correct horse battery staple")
    subprocess.run([sys.executable, "-m", "wallet", "init"], env=env, check=True)
    term = Terminal(["import", "-"], env)
    term.expect("then press Ctrl-D")
    sample = conformance_dir / "ob2/components/2_0_basic_assertion.json"  # lines < 4096 bytes
    for line in sample.read_text().splitlines():
        term.type(line)
    os.write(term.master, b"\x04")
    term.expect("Imported 1")
    term.close()
