"""The format carries a version number and migrations from the first release on; ids resolve."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import UsageError, WalletDamaged
from wallet.store import Wallet, db
from wallet.store.wallet import ID_ALPHABET, ID_LENGTH, new_id


def test_new_wallet_records_its_schema_version_and_migrations(wallet: Wallet, home: Path) -> None:
    assert wallet.schema_version() == db.latest_version() == 2
    rows = wallet._conn.execute("SELECT version, name FROM migrations").fetchall()
    assert rows == [(1, "initial schema"), (2, "authenticated catalogue")]
    assert wallet._conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    assert wallet._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert wallet._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert wallet._conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY


def test_pending_migrations_run_on_open_in_order(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Wallet.create(home, PASS) as wallet:
        cid, _ = wallet.add_credential(factory.credential(1), None)

    def add_notes(conn: sqlite3.Connection, data_key: bytes) -> None:
        conn.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, nonce BLOB, ciphertext BLOB)")

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, db.Migration(3, "notes", add_notes)])
    with Wallet.open(home, PASS) as wallet:
        assert wallet.schema_version() == 3
        names = wallet._conn.execute(
            "SELECT version, name FROM migrations ORDER BY version"
        ).fetchall()
        assert names == [(1, "initial schema"), (2, "authenticated catalogue"), (3, "notes")]
        assert wallet._conn.execute("SELECT COUNT(*) FROM notes").fetchone() == (0,)
        assert wallet.get_credential(cid) == factory.credential(1)

    # a failing migration leaves the wallet at the version it had, and says it is damaged
    def broken(conn: sqlite3.Connection, data_key: bytes) -> None:
        conn.execute("CREATE TABLE tags (x)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, db.Migration(4, "broken", broken)])
    with pytest.raises(WalletDamaged):
        Wallet.open(home, PASS)
    conn = sqlite3.connect(home / "wallet.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='tags'").fetchone() is None
    conn.close()


def test_a_wallet_from_a_newer_plecak_is_refused(wallet: Wallet, home: Path) -> None:
    wallet.close()
    conn = sqlite3.connect(home / "wallet.db")
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(WalletDamaged, match="newer plecak"):
        Wallet.open(home, PASS)


def test_ids_are_short_random_base32() -> None:
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == ID_LENGTH and set(i) <= set(ID_ALPHABET) for i in ids)


def test_unique_prefixes_resolve(wallet: Wallet, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = iter(["abcdefgh", "abcdxxxx", "zzzzzzzz"])
    monkeypatch.setattr("wallet.store.wallet.new_id", lambda: next(chosen))
    for n in range(3):
        wallet.add_credential(factory.credential(n), None)
    assert wallet.resolve_id("abcde") == "abcdefgh"
    assert wallet.resolve_id(" ABCDX ") == "abcdxxxx"
    assert wallet.resolve_id("z") == "zzzzzzzz"
    assert wallet.resolve_id("abcdefgh") == "abcdefgh"
    with pytest.raises(UsageError, match="matches several") as caught:
        wallet.resolve_id("abc")
    assert "abcdefgh" in caught.value.user_message()
    assert "abcdxxxx" in caught.value.user_message()
    for unknown in ["q", "abcdefghi", "", "ab%", "a_c", "0"]:
        with pytest.raises(UsageError, match="No credential has the id"):
            wallet.resolve_id(unknown)


def test_id_collisions_are_retried(wallet: Wallet, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr("wallet.store.wallet.new_id", lambda: next(chosen))
    assert wallet.add_credential(factory.credential(1), None)[0] == "aaaaaaaa"
    assert wallet.add_credential(factory.credential(2), None)[0] == "bbbbbbbb"


def test_a_wallet_of_schema_1_gets_its_catalogue_on_open(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upgrade to the catalogue: built from the rows as they are, then every write keeps it."""
    with monkeypatch.context() as patched:
        patched.setattr(db, "MIGRATIONS", db.MIGRATIONS[:1])
        with Wallet.create(home, PASS) as wallet:
            ids = [
                wallet.add_credential(factory.credential(n), factory.report(n))[0] for n in (1, 2)
            ]
            assert wallet.schema_version() == 1
    with Wallet.open(home, PASS) as wallet:
        assert wallet.schema_version() == 2
        assert wallet.damage().findings == ()
        wallet.remove(ids[0])
        assert wallet.damage().findings == ()
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("DELETE FROM records WHERE kind='credential' AND id=?", (ids[1],))
    conn.close()
    with Wallet.open(home, PASS) as wallet:
        assert [(d.kind, d.id, d.problem) for d in wallet.damage().findings] == [
            ("credential", ids[1], "missing")
        ]
