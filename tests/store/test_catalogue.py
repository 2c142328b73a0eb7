"""The authenticated catalogue: a deleted, added, swapped or replayed row is named, and a damaged
record of any kind never hides the others (issue 12)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import WalletDamaged
from wallet.store import Wallet


def _fill(home: Path, count: int = 5) -> list[str]:
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


def _sql(home: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Change the file behind the wallet's back, as a disk error or an attacker would."""
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        for sql, params in statements:
            conn.execute(sql, params)
    conn.close()


def _found(wallet: Wallet) -> list[tuple[str, str, str]]:
    return [(f.kind, f.id, f.problem) for f in wallet.damage().findings]


def test_an_intact_wallet_reports_nothing_and_every_write_keeps_the_catalogue(home: Path) -> None:
    ids = _fill(home)
    with Wallet.open(home, PASS) as wallet:
        assert wallet.damage().ok and wallet.scan().ok
        wallet.set_tags(ids[0], ["a"])
        wallet.add_report(ids[1], factory.report(9))
        wallet.remove(ids[2])
        wallet.remove_identity("me@example.org")
        wallet.record_share({"kind": "bundle"})
        assert wallet.scan().ok
        assert wallet.counter is not None and wallet.counter > 5


def test_a_deleted_entry_is_named_not_silently_dropped(home: Path) -> None:
    ids = _fill(home)
    _sql(home, ("DELETE FROM entries WHERE id=?", (ids[3],)))
    with Wallet.open(home, PASS) as wallet:
        assert len(wallet.list_entries()) == 4
        report = wallet.damage()
        assert _found(wallet) == [("entry", ids[3], "missing")]
        assert report.credentials() == {ids[3]}
        assert "1 credential is missing from this wallet." in report.sentences()


def test_a_deleted_record_of_any_kind_is_named(home: Path) -> None:
    _fill(home)
    _sql(home, ("DELETE FROM records WHERE kind='identity'", ()))
    with Wallet.open(home, PASS) as wallet:
        assert [f[0] for f in _found(wallet)] == ["identity"]
        assert "One of your identities is missing from this wallet." in wallet.damage().sentences()


def test_a_replayed_older_version_of_a_row_is_named(home: Path) -> None:
    """An older ciphertext of the same record still authenticates (same key, id, kind): only the
    catalogue's version tells it was put back."""
    ids = _fill(home)
    conn = sqlite3.connect(home / "wallet.db")
    old = conn.execute("SELECT nonce, ciphertext FROM entries WHERE id=?", (ids[0],)).fetchone()
    conn.close()
    with Wallet.open(home, PASS) as wallet:
        wallet.set_tags(ids[0], ["newer"])
    _sql(home, ("UPDATE entries SET nonce=?, ciphertext=? WHERE id=?", (*old, ids[0])))
    with Wallet.open(home, PASS) as wallet:
        assert _found(wallet) == [("entry", ids[0], "replaced")]


def test_swapped_rows_are_both_named(home: Path) -> None:
    ids = _fill(home)
    a, b = ids[0], ids[1]
    _sql(
        home,
        ("UPDATE entries SET id='swap' WHERE id=?", (a,)),
        ("UPDATE entries SET id=? WHERE id=?", (a, b)),
        ("UPDATE entries SET id=? WHERE id='swap'", (b,)),
    )
    with Wallet.open(home, PASS) as wallet:
        listed = {e.id for e in wallet.list_entries()}
        assert listed == set(ids) - {a, b}
        assert wallet.damage().credentials() == {a, b}


def test_a_row_added_from_another_wallet_is_named(home: Path, tmp_path: Path) -> None:
    ids = _fill(home)
    other = tmp_path / "other"
    other_ids = _fill(other, 1)
    conn = sqlite3.connect(home / "wallet.db")
    conn.execute("ATTACH DATABASE ? AS o", (str(other / "wallet.db"),))
    with conn:
        conn.execute("INSERT INTO entries SELECT * FROM o.entries")
    conn.close()
    with Wallet.open(home, PASS) as wallet:
        assert {e.id for e in wallet.list_entries()} == set(ids)
        assert ("entry", other_ids[0], "unexpected") in _found(wallet)


def test_a_ciphertext_flipped_to_text_damages_that_record_only(home: Path) -> None:
    """The measured finding: SQLite's serial type BLOB -> TEXT of one ciphertext used to fail
    every listing with the raw ciphertext in the message."""
    ids = _fill(home)
    _sql(
        home,
        ("UPDATE entries SET ciphertext=CAST(ciphertext AS TEXT) WHERE id=?", (ids[2],)),
        ("UPDATE records SET ciphertext=CAST(ciphertext AS TEXT) WHERE id=?", (ids[4],)),
    )
    with Wallet.open(home, PASS) as wallet:
        assert {e.id for e in wallet.list_entries()} == set(ids) - {ids[2]}
        assert wallet.damage().credentials() == {ids[2]}
        assert {f.credential for f in wallet.scan().findings} == {ids[2], ids[4]}
        for sentence in wallet.scan().sentences():
            assert "ciphertext" not in sentence and "decode" not in sentence


def test_a_damaged_newest_report_is_not_taken_for_the_previous_status(home: Path) -> None:
    ids = _fill(home)
    with Wallet.open(home, PASS) as wallet:
        wallet.add_report(ids[0], factory.report(7))
    _sql(
        home,
        (
            "UPDATE records SET ciphertext=x'00' WHERE kind='report' AND id LIKE ?",
            (ids[0] + ".000002",),
        ),
    )
    with Wallet.open(home, PASS) as wallet:
        reports, damaged = wallet.checked_history(ids[0])
        assert len(reports) == 1 and damaged == [f"{ids[0]}.000002"]
        assert wallet.newest_report(ids[0]) == (None, damaged)
        assert wallet.newest_report(ids[1])[0] is not None


def test_a_tampered_catalogue_refuses_the_whole_wallet_but_doctor_still_scans(home: Path) -> None:
    _fill(home)
    _sql(
        home,
        (
            "UPDATE catalogue SET content=content || x'0a' WHERE bucket=(SELECT MIN(bucket) FROM catalogue)",
            (),
        ),
    )
    with Wallet.open(home, PASS) as wallet:
        with pytest.raises(WalletDamaged, match="list of records"):
            wallet.damage()
        report = wallet.scan()
        assert report.catalogue_broken and not report.ok


def test_a_write_never_blesses_a_catalogue_changed_behind_its_back(home: Path) -> None:
    ids = _fill(home)
    _sql(home, ("UPDATE meta SET value=value || x'00' WHERE key='catalogue'", ()))
    with Wallet.open(home, PASS) as wallet:
        with pytest.raises(WalletDamaged, match="list of records"):
            wallet.set_tags(ids[0], ["x"])
        assert wallet.get_entry(ids[0]).tags == ()


def test_an_older_copy_of_the_whole_file_is_seen_as_rolled_back(home: Path, tmp_path: Path) -> None:
    ids = _fill(home)
    older = tmp_path / "older.db"
    shutil.copyfile(home / "wallet.db", older)
    with Wallet.open(home, PASS) as wallet:
        wallet.set_tags(ids[0], ["added later"])
    shutil.copyfile(older, home / "wallet.db")
    with Wallet.open(home, PASS) as wallet:
        assert wallet.rolled_back is not None
        counter, seen = wallet.rolled_back
        assert counter < seen
        assert "rolled back" in " ".join(wallet.damage().sentences())
        wallet.accept_rollback()
    with Wallet.open(home, PASS) as wallet:
        assert wallet.rolled_back is None and wallet.damage().ok


def test_salvage_copies_every_intact_record(home: Path, tmp_path: Path) -> None:
    from wallet.store.salvage import salvage

    ids = _fill(home)
    _sql(
        home,
        ("DELETE FROM records WHERE kind='credential' AND id=?", (ids[1],)),
        ("UPDATE entries SET ciphertext=x'00' WHERE id=?", (ids[2],)),
    )
    new_home = tmp_path / "saved"
    with Wallet.open(home, PASS) as wallet:
        result = salvage(wallet, new_home, PASS)
    assert result.credentials == 4
    assert [(f.kind, f.id) for f in result.lost] == [
        ("credential", ids[1]),
        ("report", f"{ids[1]}.000001"),
    ]
    assert result.rebuilt == [ids[2]]
    with Wallet.open(new_home, PASS) as saved:
        assert saved.scan().ok
        assert {e.id for e in saved.list_entries()} == set(ids) - {ids[1]}
        assert saved.get_credential(ids[2]) == factory.credential(2)
        assert len(saved.history(ids[0])) == 1
        assert saved.list_identities() == [("me@example.org", "email")]
        sha, body = factory.evidence_body(0)
        assert saved.evidence_body(sha) == body


def test_a_failed_step_inside_a_batch_leaves_no_trace_in_the_catalogue(home: Path) -> None:
    from wallet.errors import StoreError

    with Wallet.create(home, PASS) as wallet:
        with wallet.batch():
            kept, _ = wallet.add_credential(factory.credential(1), factory.report(1))
            with pytest.raises(StoreError):  # written, then the bad evidence undoes the step
                wallet.add_credential(
                    factory.credential(2), factory.report(2), {"00" * 32: b"not that"}
                )
        assert [e.id for e in wallet.list_entries()] == [kept]
        assert wallet.scan().ok
