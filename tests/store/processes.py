"""Start a store child process (tests/store/child.py) and talk to it line by line."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Child:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.child", *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            text=True,
        )
        assert self.proc.stdout is not None
        self.stderr = ""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)

    def line(self, timeout: float = 30.0) -> str | None:
        """The next line, or None if none came within ``timeout`` seconds (or the child ended)."""
        assert self.proc.stdout is not None
        if not self._selector.select(timeout):
            return None
        text = self.proc.stdout.readline()
        if not text:
            return None
        return text.rstrip("\n")

    def expect(self, prefix: str, timeout: float = 30.0) -> str:
        got = self.line(timeout)
        if got is None or not got.startswith(prefix):
            self.kill()
            raise AssertionError(f"child said {got!r}, expected {prefix!r}; stderr:\n{self.stderr}")
        return got

    def send(self, text: str = "go") -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def kill(self) -> list[str]:
        """SIGKILL: no cleanup, no atexit, no flush — a crash.  Returns the lines the child had
        written but we had not read yet: they too were said after a commit."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        rest = []
        if self.proc.stdout is not None and not self.proc.stdout.closed:
            rest = [line.rstrip("\n") for line in self.proc.stdout.read().splitlines() if line]
        if self.proc.stderr is not None and not self.proc.stderr.closed:
            self.stderr += self.proc.stderr.read()
        self._selector.close()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return rest

    def finish(self, timeout: float = 60.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self.kill()
        assert code == 0, self.stderr
        return code
