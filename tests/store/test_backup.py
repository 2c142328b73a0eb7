"""Backup: one self-contained encrypted file; restore proves it before replacing (store.md §7).
passwd: re-wraps the data key only (store.md §3)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import StoreError, UsageError, WalletDamaged, WrongPassphrase
from wallet.store import Wallet


def _ids(home: Path, passphrase: str = PASS) -> set[str]:
    with Wallet.open(home, passphrase) as wallet:
        return {e.id for e in wallet.list_entries()}


def test_backup_is_one_file_that_restores_everything(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "wallet.plecak"
    target.parent.mkdir()
    with Wallet.create(home, PASS) as wallet:
        sha, body = factory.evidence_body(1)
        kept, _ = wallet.add_credential(
            factory.credential(1), factory.report(1, sha256=sha), {sha: body}
        )
        wallet.add_identity("me@example.org", "email")
        key = wallet.signing_key()
        wallet.backup(target)
        # later changes are not in the backup
        wallet.add_credential(factory.credential(2), None)
        wallet.remove(kept)
    assert sorted(p.name for p in target.parent.iterdir()) == ["wallet.plecak"]
    assert target.stat().st_mode & 0o077 == 0
    Wallet.restore(home, target, PASS)
    with Wallet.open(home, PASS) as wallet:
        assert [e.id for e in wallet.list_entries()] == [kept]
        assert wallet.get_credential(kept) == factory.credential(1)
        assert wallet.evidence_body(sha) == body
        assert wallet.signing_key() == key
        assert wallet.list_identities() == [("me@example.org", "email")]
    # restore onto a new machine: no wallet there yet
    fresh = tmp_path / "fresh"
    Wallet.restore(fresh, target, PASS)
    assert _ids(fresh) == {kept}
    assert target.exists()


def test_backup_is_a_consistent_snapshot_while_another_connection_writes(
    home: Path, tmp_path: Path
) -> None:
    with Wallet.create(home, PASS) as writer, Wallet.open(home, PASS) as reader:
        for n in range(30):
            writer.add_credential(factory.credential(n), None)
        with writer.batch():
            writer.add_credential(factory.credential(99), None)
            reader.backup(tmp_path / "b.plecak")  # mid-transaction of the other: not included
        assert len(writer.list_entries()) == 31
    Wallet.restore(tmp_path / "r", tmp_path / "b.plecak", PASS)
    with Wallet.open(tmp_path / "r", PASS) as restored:
        assert len(restored.list_entries()) == 30
        assert restored.verify_integrity() == []


def test_restore_with_the_wrong_passphrase_changes_nothing(home: Path, tmp_path: Path) -> None:
    with Wallet.create(home, PASS) as wallet:
        wallet.add_credential(factory.credential(1), None)
        wallet.backup(tmp_path / "b.plecak")
        wallet.add_credential(factory.credential(2), None)
    before = (home / "wallet.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        Wallet.restore(home, tmp_path / "b.plecak", "not it")
    assert (home / "wallet.db").read_bytes() == before
    assert len(_ids(home)) == 2
    assert sorted(p.name for p in home.iterdir()) == ["wallet.db", "wallet.lock"]


@pytest.mark.parametrize("where", ["record", "page", "truncated", "not-sqlite"])
def test_a_damaged_backup_is_refused_before_replacing(
    home: Path, tmp_path: Path, where: str
) -> None:
    backup = tmp_path / "b.plecak"
    with Wallet.create(home, PASS) as wallet:
        for n in range(5):
            wallet.add_credential(factory.credential(n, image_bytes=3000), factory.report(n))
        wallet.backup(backup)
    if where == "record":
        conn = sqlite3.connect(backup)
        with conn:
            row = conn.execute(
                "SELECT rowid, ciphertext FROM records WHERE kind='report'"
            ).fetchone()
            damaged = bytearray(row[1])
            damaged[5] ^= 0x80
            conn.execute("UPDATE records SET ciphertext=? WHERE rowid=?", (bytes(damaged), row[0]))
        conn.close()
    elif where == "page":
        data = bytearray(backup.read_bytes())
        for i in range(len(data) // 2, len(data) // 2 + 64):
            data[i] ^= 0xFF
        backup.write_bytes(bytes(data))
    elif where == "truncated":
        backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 3])
    else:
        backup.write_bytes(b"this is not a backup at all" * 100)
    before = (home / "wallet.db").read_bytes()
    with pytest.raises(WalletDamaged) as caught:
        Wallet.restore(home, backup, PASS)
    assert "backup" in caught.value.user_message()
    assert (home / "wallet.db").read_bytes() == before
    assert len(_ids(home)) == 5
    assert sorted(p.name for p in home.iterdir()) == ["wallet.db", "wallet.lock"]


def test_restore_of_a_missing_file_is_a_clear_error(home: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot read the backup"):
        Wallet.restore(home, tmp_path / "nope.plecak", PASS)


def test_backup_to_an_unwritable_place_is_a_clear_error(wallet: Wallet, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Could not write the backup"):
        wallet.backup(tmp_path / "no" / "such" / "dir" / "b.plecak")


def test_passwd_rewraps_the_key_only(home: Path) -> None:
    with Wallet.create(home, PASS) as wallet:
        cid, _ = wallet.add_credential(factory.credential(1), factory.report(1))
        rows = wallet._conn.execute("SELECT * FROM records ORDER BY kind, id").fetchall()
        salt = wallet.kdf_params().salt
        wallet.change_passphrase("new passphrase")
        assert wallet._conn.execute("SELECT * FROM records ORDER BY kind, id").fetchall() == rows
        assert wallet.kdf_params().salt != salt
        assert wallet.get_credential(cid) == factory.credential(1)
    with pytest.raises(WrongPassphrase):
        Wallet.open(home, PASS)
    with Wallet.open(home, "new passphrase") as wallet:
        assert wallet.get_credential(cid) == factory.credential(1)
        with pytest.raises(UsageError, match="empty"):
            wallet.change_passphrase("")
    Wallet.open(home, "new passphrase").close()
