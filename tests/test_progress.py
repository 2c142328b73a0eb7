"""Progress on the terminal: drawn on stderr only when it is a terminal and no --json was asked.

The unit half writes to a real pseudo-terminal and to a plain pipe-like buffer; the end-to-end half
runs ``plecak import`` of several files with stderr on a pseudo-terminal and stdout on a pipe, the
way a person pipes results into a file, and checks each stream (no sleeps: read until the end).
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from wallet.progress import TerminalProgress


def _read_all(fd: int) -> str:
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed (EIO on Linux)
            break
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8", "replace")


def _terminal() -> tuple[io.TextIOWrapper, int]:
    master, slave = pty.openpty()
    return open(slave, "w", encoding="utf-8", closefd=True), master


def test_a_bar_with_the_count_on_a_terminal_wiped_at_the_end() -> None:
    stream, master = _terminal()
    with TerminalProgress(stream=stream) as progress:
        for done in range(1, 7):
            progress(done, 6, f"badge {done}")
    stream.close()
    drawn = _read_all(master)
    os.close(master)
    assert "3/6 badge 3" in drawn and "6/6 badge 6" in drawn and "█" in drawn
    assert drawn.endswith("\r")  # wiped: the results start at the left edge of an empty line


def test_nothing_for_few_items_for_json_or_when_stderr_is_not_a_terminal() -> None:
    stream, master = _terminal()
    TerminalProgress(stream=stream)(1, 2, "quick")  # two items: no flicker
    TerminalProgress(False, stream=stream)(3, 9, "--json")  # the caller asked for JSON
    TerminalProgress(False, stream=stream).note("Exporting 9 credentials…")
    stream.write("end")
    stream.close()
    assert _read_all(master) == "end"
    os.close(master)
    piped = io.StringIO()
    progress = TerminalProgress(stream=piped)
    progress(3, 9, "piped")
    progress.note("Exporting 9 credentials…")
    progress.close()
    assert piped.getvalue() == ""


def test_a_note_stays_on_its_own_line() -> None:
    stream, master = _terminal()
    TerminalProgress(stream=stream).note("Exporting 12 credentials…")
    stream.close()
    assert _read_all(master).replace("\r\n", "\n") == "Exporting 12 credentials…\n"
    os.close(master)


FILES = ["1_0_basic_assertion.json", "1_1_basic_assertion.json", "2_0_basic_assertion.json",
         "0_5_assertion.json", "0_5_1_assertion.json",
         "1_0_basic_assertion_with_extra_properties.json"]  # fmt: skip


def _import(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """stdout on a pipe, stderr on a pseudo-terminal; both read to the end."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "wallet", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    screen = _read_all(master)
    out, _err = process.communicate(timeout=120)
    os.close(master)
    return out.decode(), screen


def _wallet(tmp_path: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLECAK_PASS")}
    env.update(
        PLECAK_HOME=str(tmp_path / name),
        PLECAK_KDF_PROFILE="test",
        PLECAK_LANG="en",
        PLECAK_PASSPHRASE="correct horse battery staple",
    )
    subprocess.run([sys.executable, "-m", "wallet", "init"], env=env, check=True)
    return env


@pytest.mark.slow
def test_import_of_many_files_shows_progress_on_the_terminal_only(
    tmp_path: Path, conformance_dir: Path
) -> None:
    files = [str(conformance_dir / "ob2/components" / name) for name in FILES]
    out, screen = _import(["--offline", "import", *files], _wallet(tmp_path, "a"))
    assert "5/5" in screen and "█" in screen  # the person at the terminal sees it move
    assert "█" not in out and "/5" not in out  # what is piped on holds only the results
    assert "Imported 5" in screen  # (one of the six repeats another: it is not verified twice)
    out, screen = _import(["--offline", "--json", "import", *files], _wallet(tmp_path, "b"))
    assert "█" not in screen and "█" not in out  # --json: no bar, even on a terminal
    assert out.count("\n") == 6  # and the six results as JSON Lines, as without a terminal
