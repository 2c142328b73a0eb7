"""A flipped byte in any record is detected and reported by record; the rest opens (store.md §5)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import RecordTampered
from wallet.store import Wallet


def _fill(home: Path, count: int = 4) -> list[str]:
    with Wallet.create(home, PASS) as wallet:
        ids = []
        for n in range(count):
            sha, body = factory.evidence_body(n)
            cid, _ = wallet.add_credential(
                factory.credential(n), factory.report(n, sha256=sha), {sha: body}
            )
            ids.append(cid)
        wallet.add_identity("me@example.org", "email")
        wallet.signing_key()
    return ids


def _flip(
    home: Path, sql: str, params: tuple[object, ...], column: str = "ciphertext", at: int = 40
) -> None:
    """Flip one bit of one stored value, as a disk error or an attacker would."""
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        table, where = sql.split(" WHERE ", 1)
        value = bytearray(
            conn.execute(f"SELECT {column} FROM {table} WHERE {where}", params).fetchone()[0]
        )
        value[at % len(value)] ^= 0x01
        conn.execute(f"UPDATE {table} SET {column}=? WHERE {where}", (bytes(value), *params))
    conn.close()


@pytest.mark.parametrize("column", ["ciphertext", "nonce"])
def test_flipped_byte_in_a_credential_is_reported_for_that_record_only(
    home: Path, column: str
) -> None:
    ids = _fill(home)
    victim = ids[1]
    _flip(home, "records WHERE kind='credential' AND id=?", (victim,), column)
    with Wallet.open(home, PASS) as wallet:
        with pytest.raises(RecordTampered) as caught:
            wallet.get_credential(victim)
        assert caught.value.params["record"] == victim
        assert caught.value.exit_code == 1
        for other in ids:
            if other != victim:
                assert wallet.get_credential(other) == factory.credential(ids.index(other))
        # the index entry is separate and fine: the list still shows it, integrity says which
        assert len(wallet.list_entries()) == 4
        assert wallet.verify_integrity() == [victim]


def test_flipped_byte_in_the_index_hides_only_that_entry_and_says_so(home: Path) -> None:
    ids = _fill(home)
    _flip(home, "entries WHERE id=?", (ids[2],), at=3)
    with Wallet.open(home, PASS) as wallet:
        listed = wallet.list_entries()
        assert sorted(e.id for e in listed) == sorted(set(ids) - {ids[2]})
        assert listed.tampered == (ids[2],)
        with pytest.raises(RecordTampered):
            wallet.get_entry(ids[2])
        with pytest.raises(RecordTampered):
            wallet.add_report(ids[2], factory.report(9))
        assert wallet.verify_integrity() == [ids[2]]


def test_flipped_byte_in_a_report_is_caught_by_history(home: Path) -> None:
    ids = _fill(home)
    _flip(home, "records WHERE kind='report' AND owner=?", (ids[0],))
    with Wallet.open(home, PASS) as wallet:
        with pytest.raises(RecordTampered) as caught:
            wallet.history(ids[0])
        assert caught.value.params["record"] == ids[0]
        assert len(wallet.history(ids[1])) == 1
        assert wallet.verify_integrity() == [ids[0]]


def test_evidence_identity_and_key_records_are_checked(home: Path) -> None:
    ids = _fill(home)
    sha, _ = factory.evidence_body(3)
    with Wallet.open(home, PASS) as wallet:
        digest = wallet._cipher.lookup("evidence", sha)
    _flip(home, "records WHERE kind='evidence' AND id=?", (digest,))
    _flip(home, "records WHERE kind='identity' AND 1=?", (1,))
    _flip(home, "records WHERE kind='secret' AND id=?", ("ed25519",))
    with Wallet.open(home, PASS) as wallet:
        with pytest.raises(RecordTampered):
            wallet.evidence_body(sha)
        with pytest.raises(RecordTampered):
            wallet.list_identities()
        with pytest.raises(RecordTampered):
            wallet.signing_key()
        assert wallet.evidence_body(factory.evidence_body(0)[0]) is not None
        bad = wallet.verify_integrity()
        assert f"evidence:{digest}" in bad
        assert "secret:ed25519" in bad
        assert len(bad) == 3
        assert len(wallet.list_entries()) == len(ids)


def test_swapped_rows_do_not_authenticate(home: Path) -> None:
    ids = _fill(home, 2)
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        rows = {
            cid: conn.execute(
                "SELECT nonce, ciphertext FROM records WHERE kind='credential' AND id=?", (cid,)
            ).fetchone()
            for cid in ids
        }
        for cid, other in ((ids[0], ids[1]), (ids[1], ids[0])):
            conn.execute(
                "UPDATE records SET nonce=?, ciphertext=? WHERE kind='credential' AND id=?",
                (*rows[other], cid),
            )
        # an index entry copied over a credential record (same id, other kind)
        entry = conn.execute(
            "SELECT nonce, ciphertext FROM entries WHERE id=?", (ids[0],)
        ).fetchone()
        conn.execute(
            "INSERT INTO records (kind, id, owner, nonce, ciphertext) VALUES ('report', ?, ?, ?, ?)",
            (f"{ids[0]}.000009", ids[0], *entry),
        )
    conn.close()
    with Wallet.open(home, PASS) as wallet:
        for cid in ids:
            with pytest.raises(RecordTampered):
                wallet.get_credential(cid)
        with pytest.raises(RecordTampered):
            wallet.history(ids[0])
        assert wallet.verify_integrity() == sorted(ids)


def test_a_deleted_record_is_noticed(home: Path) -> None:
    ids = _fill(home, 2)
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("DELETE FROM records WHERE kind='credential' AND id=?", (ids[0],))
    conn.close()
    with Wallet.open(home, PASS) as wallet:
        assert wallet.verify_integrity() == [ids[0]]
        with pytest.raises(RecordTampered):
            wallet.get_credential(ids[0])
