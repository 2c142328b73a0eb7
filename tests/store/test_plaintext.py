"""Nothing readable at rest: not in the database, its WAL, temp files or backups (store.md §1)."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.store.conftest import PASS
from tests.store.processes import Child
from wallet.store import Wallet

MARKER = "Qzx7PlecakSecret"


def _needles(marker: str) -> list[bytes]:
    """The marker as UTF-8 and UTF-16, and base64 at each of the three alignments."""
    raw = marker.encode()
    found = [raw, marker.encode("utf-16-le"), marker.lower().encode(), marker.upper().encode()]
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + raw)[4:-4]
        found.append(encoded)
    return found


def _leaks(folder: Path, marker: str) -> list[str]:
    leaks: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        leaks.extend(f"{path} contains {n!r}" for n in _needles(marker) if n in data)
    return leaks


def test_no_plaintext_in_wallet_wal_temp_files_or_backup(tmp_path: Path) -> None:
    home = tmp_path / "wallet"
    temp = tmp_path / "tmp"
    temp.mkdir()
    backup = tmp_path / "backups" / "wallet.plecak"
    backup.parent.mkdir()
    child = Child(
        "plaintext",
        str(home),
        MARKER,
        str(backup),
        env={"TMPDIR": str(temp), "SQLITE_TMPDIR": str(temp)},
    )
    child.expect("written")
    # open, with a live WAL: the most likely place for a leak
    assert (home / "wallet.db-wal").stat().st_size > 0
    assert _leaks(home, MARKER) == []
    assert _leaks(temp, MARKER) == []
    child.send()
    child.expect("done")
    child.finish()
    assert backup.is_file()
    for folder in (home, temp, backup.parent):
        assert _leaks(folder, MARKER) == []
    # and the scan would have found it: the data is really there, decrypted on open
    with Wallet.open(home, PASS + "2") as wallet:
        entries = wallet.list_entries()
        assert len(entries) == 3
        assert any(t.startswith("retag-" + MARKER) for e in entries for t in e.tags)
        assert MARKER.encode() in wallet.get_credential(entries[0].id).original.data
        assert wallet.list_identities() == [(f"{MARKER}@example.org", "email")]


def test_the_scan_finds_a_plaintext_marker(tmp_path: Path) -> None:
    """The scanner itself works (a test that cannot fail proves nothing)."""
    (tmp_path / "f").write_bytes(b"xx" + base64.b64encode(b"\x00" + MARKER.encode()) + b"yy")
    assert _leaks(tmp_path, MARKER)
    (tmp_path / "f").write_bytes(MARKER.encode("utf-16-le"))
    assert _leaks(tmp_path, MARKER)
