"""Issue 12 through the command line: damage is named per record, nothing disappears silently,
backup and restore never destroy without asking, ``doctor`` scans and salvages."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from tests.support.cli import PASS
from tests.support.cli import run_cli as run
from wallet.store import Wallet


def fill(home: Path, count: int = 6) -> list[str]:
    with Wallet.create(home, PASS) as wallet:
        ids = []
        for n in range(count):
            sha, body = factory.evidence_body(n)
            cid, _ = wallet.add_credential(
                factory.credential(n), factory.report(n, sha256=sha), {sha: body}, tags=["t"]
            )
            ids.append(cid)
        wallet.add_identity("me@example.org", "email")
        wallet.signing_key()
    return ids


def sql(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for statement in statements:
            conn.execute(statement, params)
    conn.close()


def listed(out: str) -> tuple[set[str], list[dict[str, object]]]:
    """(ids listed, the damage findings) from ``list --json``."""
    ids: set[str] = set()
    damage: list[dict[str, object]] = []
    for line in out.splitlines():
        data = json.loads(line)
        if "damage" in data:
            damage.extend(data["damage"]["damaged"])
        else:
            ids.add(data["id"])
    return ids, damage


def assert_plain(err: str) -> None:
    """No raw bytes, ciphertext, SQL or traceback in what the learner reads."""
    for word in ("Traceback", "ciphertext", "SELECT", "UTF-8", "b'", "\\x"):
        assert word not in err


def test_a_ciphertext_flipped_to_text_is_named_and_the_rest_lists(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home)
    db = home / "wallet.db"
    sql(db, "UPDATE entries SET ciphertext=CAST(ciphertext AS TEXT) WHERE id=?", params=(ids[1],))
    code, out, err = run(capsys, "list", "--json")
    shown, damage = listed(out)
    assert code == 1
    assert shown == set(ids) - {ids[1]}
    assert [d["credential"] for d in damage] == [ids[1]]
    assert f"Credential {ids[1]} is damaged and cannot be read." in err
    assert_plain(err)


def test_a_credential_record_flipped_to_text_fails_alone_in_show_recheck_and_export(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home, 3)
    sql(
        home / "wallet.db",
        "UPDATE records SET ciphertext=CAST(ciphertext AS TEXT) WHERE kind='credential' AND id=?",
        params=(ids[0],),
    )
    code, _out, err = run(capsys, "show", ids[0])
    assert code == 1 and ids[0] in err
    assert_plain(err)
    assert run(capsys, "show", ids[1])[0] == 0
    code, out, err = run(capsys, "recheck", "--json")
    results = [json.loads(line) for line in out.splitlines()]
    assert {r["id"] for r in results} == set(ids)
    assert code == 1
    failed = [r for r in results if "error" in r]
    assert [r["id"] for r in failed] == [ids[0]]
    assert_plain(err)


def test_a_deleted_row_is_reported_never_a_silently_shorter_list(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home)
    sql(home / "wallet.db", "DELETE FROM entries WHERE id=?", params=(ids[4],))
    code, out, err = run(capsys, "list")
    assert code == 1
    assert "1 credential is missing from this wallet." in err
    assert f"Credential {ids[4]} is missing from this wallet." in err
    assert ids[4] not in out


def test_swapped_rows_are_both_named(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = fill(home)
    a, b = ids[0], ids[1]
    sql(
        home / "wallet.db",
        f"UPDATE entries SET id='swap' WHERE id='{a}'",
        f"UPDATE entries SET id='{a}' WHERE id='{b}'",
        f"UPDATE entries SET id='{b}' WHERE id='swap'",
    )
    code, out, _err = run(capsys, "list", "--json")
    shown, damage = listed(out)
    assert code == 1 and shown == set(ids) - {a, b}
    assert {d["credential"] for d in damage} == {a, b}


def test_a_damaged_history_record_never_blocks_recheck_nor_is_compared(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home, 3)
    sql(
        home / "wallet.db",
        "UPDATE records SET ciphertext=x'00' WHERE kind='report' AND owner=?",
        params=(ids[2],),
    )
    code, out, _err = run(capsys, "recheck", "--json")
    results = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert set(results) == set(ids)  # all rechecked, none blocked
    assert results[ids[2]]["changed"] == []  # no previous status invented from a damaged record
    assert code == 1  # the factory's badges do not verify offline; what matters is that all ran
    code, out, _err = run(capsys, "list", "--json")
    shown, damage = listed(out)
    assert shown == set(ids)
    assert damage == []  # the damaged report was superseded: the catalogue lists the new one


def test_backup_never_overwrites_without_force(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(home, 2)
    target = tmp_path / "b.plecak"
    target.write_bytes(b"precious")
    code, _out, err = run(capsys, "backup", str(target))
    assert code == 2 and "--force" in err
    assert target.read_bytes() == b"precious"
    assert run(capsys, "backup", "--force", str(target))[0] == 0
    assert target.read_bytes() != b"precious"


def test_a_backup_with_rows_deleted_is_refused_and_nothing_changes(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home)
    backup = tmp_path / "b.plecak"
    assert run(capsys, "backup", str(backup))[0] == 0
    sql(backup, "DELETE FROM entries WHERE id IN (?, ?)", params=(ids[0], ids[1]))
    sql(
        backup,
        "DELETE FROM records WHERE kind='credential' AND id IN (?, ?)",
        params=(ids[0], ids[1]),
    )
    before = (home / "wallet.db").read_bytes()
    code, _out, err = run(capsys, "restore", "--yes", str(backup))
    assert code == 2 and "missing" in err and "Nothing was changed" in err
    assert (home / "wallet.db").read_bytes() == before


def test_restore_over_a_wallet_asks_and_shows_what_it_replaces(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = fill(home, 3)
    backup = tmp_path / "b.plecak"
    assert run(capsys, "backup", str(backup))[0] == 0
    assert run(capsys, "tag", ids[0], "added a minute later")[0] == 0
    # no terminal, no --yes: refused, exit 2, nothing changed
    code, _out, err = run(capsys, "restore", str(backup))
    assert code == 2 and "--yes" in err
    assert "added a minute later" in run(capsys, "list")[1]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, _out, err = run(capsys, "restore", str(backup))
    assert code == 0 and "Nothing was changed." in err
    assert "holds 3 credentials" in err and "last changed" in err
    assert "added a minute later" in run(capsys, "list")[1]
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert run(capsys, "restore", str(backup))[0] == 0
    code, out, err = run(capsys, "list")
    assert code == 0 and "added a minute later" not in out and "rolled back" not in err


def test_an_older_copy_of_the_wallet_file_warns_that_it_was_rolled_back(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home, 2)
    assert run(capsys, "list")[0] == 0
    older = tmp_path / "older.db"
    shutil.copyfile(home / "wallet.db", older)
    assert run(capsys, "tag", ids[0], "newer")[0] == 0
    shutil.copyfile(older, home / "wallet.db")
    code, _out, err = run(capsys, "list")
    assert code == 1 and "rolled back" in err and "--accept-rollback" in err
    assert err.count("rolled back") == 1
    assert run(capsys, "doctor", "--accept-rollback")[0] == 0
    code, _out, err = run(capsys, "list")
    assert code == 0 and "rolled back" not in err


def test_doctor_scans_read_only_and_salvages_the_intact_records(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home)
    assert run(capsys, "doctor")[0] == 0
    sql(
        home / "wallet.db",
        "UPDATE records SET ciphertext=x'00' WHERE kind='credential' AND id=?",
        params=(ids[3],),
    )
    before = (home / "wallet.db").read_bytes()
    code, out, err = run(capsys, "doctor", "--json")
    assert code == 1
    report = json.loads(out.splitlines()[0])
    assert [d["credential"] for d in report["damaged"]] == [ids[3]]
    assert (home / "wallet.db").read_bytes() == before
    saved = tmp_path / "saved"
    code, _out, err = run(capsys, "doctor", "--salvage", str(saved))
    assert code == 1 and "Copied 5 credentials" in err and f"Credential {ids[3]}" in err
    code, out, _err = run(capsys, "--home", str(saved), "list", "--json")
    assert code == 0 and listed(out)[0] == set(ids) - {ids[3]}
    assert run(capsys, "--home", str(saved), "doctor")[0] == 0


def test_export_all_leaves_out_damaged_credentials_and_the_rest_goes(home: Path) -> None:
    from wallet.factory import make_service

    ids = fill(home, 4)
    sql(
        home / "wallet.db", "DELETE FROM records WHERE kind='credential' AND id=?", params=(ids[0],)
    )
    sql(
        home / "wallet.db",
        "UPDATE records SET ciphertext=x'00' WHERE kind='report' AND owner=?",
        params=(ids[1],),
    )
    service = make_service(home, offline=True)
    service.unlock(PASS)
    try:
        chosen = service.export_ids(all_=True)
        assert sorted(chosen) == sorted(ids[1:])
        assert sorted(service.export_ids(tag="t")) == sorted(ids[1:])
        view = service.show(ids[1])  # its only report is damaged: shown without one
        assert view.report is None and view.history == []
    finally:
        service.close()


def test_restore_into_an_empty_folder_needs_no_confirmation(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill(home, 2)
    backup = tmp_path / "b.plecak"
    assert run(capsys, "backup", str(backup))[0] == 0
    fresh = tmp_path / "fresh"
    code, _out, err = run(capsys, "--home", str(fresh), "restore", str(backup))
    assert code == 0, err
    code, out, _err = run(capsys, "--home", str(fresh), "list", "--json")
    assert code == 0 and listed(out)[0] == set(ids)
