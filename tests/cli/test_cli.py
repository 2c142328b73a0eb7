"""The command-line contract of cli.md, exercised through ``main(argv)`` on a real wallet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.lines import import_one, json_lines
from tests.support.cli import PASS
from tests.support.cli import run_cli as run

ANNEX1 = "europass/elm-v3/mc-annex1-unsigned.jsonld"


lines = json_lines


@pytest.fixture
def annex1(wallet: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path) -> str:
    """An EU micro-credential with every Annex I element (and a date of birth), imported."""
    return import_one(capsys, conformance_dir / ANNEX1)


@pytest.fixture
def ob3_unsigned(conformance_dir: Path) -> Path:
    return conformance_dir / "ob3/generated/v2-unsigned.json"


@pytest.fixture
def ob2_assertion(conformance_dir: Path) -> Path:
    return conformance_dir / "ob2/components/2_0_basic_assertion.json"


def test_help_lists_every_command_of_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    for command in (
        "demo",
        "init",
        "import",
        "list",
        "show",
        "recheck",
        "verify",
        "tag",
        "untag",
        "remove",
        "identity",
        "export",
        "review",
        "passwd",
        "backup",
        "restore",
    ):
        assert f"  {command} " in out


def test_help_in_polish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", "pl", "--help")
    assert code == 0
    assert "portfel" in out.lower()


def test_commands_without_a_wallet_say_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    assert code == 2
    assert out == ""
    assert "no wallet" in err.lower() and "plecak init" in err


def test_init_twice_is_refused(wallet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "init")
    assert code == 2 and "already exists" in err


def test_wrong_passphrase_exit_2_without_traceback(
    wallet: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLECAK_PASSPHRASE", "not the passphrase")
    code, _out, err = run(capsys, "list")
    assert code == 2
    assert "Wrong passphrase" in err and "Traceback" not in err
    assert PASS not in err and "not the passphrase" not in err


def test_import_list_show_tag_remove_round_trip(
    wallet: Path, capsys: pytest.CaptureFixture[str], ob3_unsigned: Path, ob2_assertion: Path
) -> None:
    code, out, err = run(capsys, "import", "--json", str(ob3_unsigned), str(ob2_assertion))
    assert code == 0, err
    records = lines(out)
    assert {r["state"] for r in records} == {"stored"}
    assert all(r["status"] != "valid" for r in records)  # offline: nothing can be fully checked
    ids = [str(r["id"]) for r in records]

    code, out, _ = run(capsys, "import", "--json", str(ob3_unsigned))
    assert code == 0
    assert lines(out)[0]["state"] == "duplicate"

    code, out, _ = run(capsys, "--json", "list")
    listed = lines(out)
    assert sorted(str(r["id"]) for r in listed) == sorted(ids)
    assert {"id", "status", "format", "title", "issuer", "issued", "tags"} <= set(listed[0])

    prefix = ids[0][:4]
    assert run(capsys, "tag", prefix, "cv", "2026")[0] == 0
    code, out, _ = run(capsys, "list", "--tag", "cv", "--json")
    assert [r["id"] for r in lines(out)] == [ids[0]]
    assert run(capsys, "untag", ids[0], "cv")[0] == 0
    code, out, _ = run(capsys, "list", "--tag", "cv", "--json")
    assert lines(out) == []

    code, out, _ = run(capsys, "show", ids[0], "--json")
    shown = lines(out)[0]
    assert shown["id"] == ids[0] and shown["credential"]["title"]
    code, out, _ = run(capsys, "show", ids[0])
    assert code == 0 and ids[0] in out

    code, out, err = run(capsys, "remove", ids[0])
    assert code == 2 and "--yes" in err
    assert run(capsys, "remove", "--yes", ids[0])[0] == 0
    code, out, _ = run(capsys, "list", "--json")
    assert [r["id"] for r in lines(out)] == [ids[1]]


def test_unknown_id_is_a_usage_error(wallet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "show", "zzzzzz")
    assert code == 2 and "zzzzzz" in err


def test_import_of_missing_file_and_of_non_badges(
    wallet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "import", str(tmp_path / "nope.png"))
    assert code == 2 and "nope.png" in err
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes, no badge here")
    code, out, err = run(capsys, "import", "--json", str(junk))
    assert code == 1
    record = lines(out)[0]
    assert record["source"].endswith("notes.txt") and record["error"]["code"]


def test_verify_needs_no_wallet_and_reports_per_cli_md(
    home: Path, capsys: pytest.CaptureFixture[str], ob3_unsigned: Path
) -> None:
    code, out, _err = run(capsys, "verify", "--json", str(ob3_unsigned))
    assert code == 1
    record = lines(out)[0]
    for key in (
        "source",
        "status",
        "format",
        "credential_id",
        "title",
        "issuer",
        "issued",
        "expires",
        "recipient",
        "checks",
        "checked_at",
    ):
        assert key in record
    assert record["status"] in ("invalid", "unverified")
    assert not home.exists()


def test_identities(wallet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "identity", "add", "ada@example.org")[0] == 0
    assert (
        run(capsys, "identity", "add", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")[
            0
        ]
        == 0
    )
    code, _out, err = run(capsys, "identity", "add", "not an identity")
    assert code == 2 and "not an email" in err
    code, out, _ = run(capsys, "identity", "list", "--json")
    assert {(r["value"], r["kind"]) for r in lines(out)} == {
        ("ada@example.org", "email"),
        ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did"),
    }
    assert run(capsys, "identity", "remove", "ada@example.org")[0] == 0
    assert run(capsys, "identity", "remove", "ada@example.org")[0] == 2


def test_passwd_backup_restore(
    wallet: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    ob3_unsigned: Path,
) -> None:
    assert run(capsys, "import", str(ob3_unsigned))[0] == 0
    backup = tmp_path / "wallet.backup"
    assert run(capsys, "backup", str(backup))[0] == 0
    assert backup.is_file()

    monkeypatch.setenv("PLECAK_NEW_PASSPHRASE", "a new and longer passphrase")
    assert run(capsys, "passwd")[0] == 0
    assert run(capsys, "list")[0] == 2  # old passphrase no longer opens it
    monkeypatch.setenv("PLECAK_PASSPHRASE", "a new and longer passphrase")
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(lines(out)) == 1

    assert run(capsys, "remove", "--yes", str(lines(out)[0]["id"]))[0] == 0
    monkeypatch.setenv("PLECAK_PASSPHRASE", "wrong")
    assert run(capsys, "restore", str(backup))[0] == 2  # checked before anything is replaced
    monkeypatch.setenv("PLECAK_PASSPHRASE", PASS)
    assert run(capsys, "restore", str(backup))[0] == 2  # a wallet is there: no terminal, no --yes
    assert run(capsys, "restore", "--yes", str(backup))[0] == 0
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(lines(out)) == 1


def test_messages_in_polish(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--lang", "pl", "list")
    assert code == 2 and "portfela" in err.lower()


def test_review_of_a_file_that_is_no_bundle_exits_1(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "not-a-bundle.zip"
    junk.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: no mimetype, no manifest
    code, out, _err = run(capsys, "review", "--json", str(junk))
    assert code == 1
    assert lines(out)[0]["bundles"][0]["ok"] is False


def test_usage_errors_in_polish_come_from_our_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--lang", "pl", "nosuch")
    assert code == 2
    assert "Użycie:" in err and "Nie ma polecenia" in err
    code, _out, err = run(capsys, "nosuch")
    assert "Usage:" in err and "No such command" in err


def test_export_warns_about_sensitive_fields(
    annex1: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    code, _out, err = run(capsys, "export", "json", annex1, "-o", str(tmp_path / "x.json"))
    assert code == 0
    assert "date of birth" in err and annex1 in err
    assert (tmp_path / "x.json").read_bytes() == (conformance_dir / ANNEX1).read_bytes()


def test_global_options_after_the_command(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # cli.md names --offline, --home, --lang, --mirror, --debug as global; people type them last.
    assert run(capsys, "init")[0] == 0
    code, _out, err = run(capsys, "recheck", "--offline", "--lang", "pl")
    assert code == 0, err
    assert "No such option" not in err
    code, _out, err = run(capsys, "list", "--lang=pl", "--bogus")
    assert code == 2
    assert "--bogus" in err


def test_hoisting_keeps_a_commands_own_options_and_what_follows_the_separator() -> None:
    from wallet.cli.argv import hoist_globals

    assert hoist_globals(["recheck", "--offline"]) == ["--offline", "recheck"]
    assert hoist_globals(["--home", "h", "verify", "x.png", "--mirror", "m.json", "--debug"]) == [
        "--home",
        "h",
        "--mirror",
        "m.json",
        "--debug",
        "verify",
        "x.png",
    ]
    assert hoist_globals(["export", "pdf", "--lang", "pl"], own={"--lang"}) == [
        "export",
        "pdf",
        "--lang",
        "pl",
    ]
    assert hoist_globals(["import", "--", "--offline"]) == ["import", "--", "--offline"]
    assert hoist_globals(["list", "--home"]) == ["list", "--home"]


def test_export_json_without_output_goes_to_stdout_and_binary_needs_a_file(
    annex1: str, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    code, out, err = run(capsys, "export", "json", annex1)
    assert code == 0, err
    assert out.encode() == (conformance_dir / ANNEX1).read_bytes()
    code, out, err = run(capsys, "export", "bundle", "--all")
    assert code == 2
    assert "-o FILE" in err and out == ""


def test_export_warns_only_when_the_export_is_made(
    annex1: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two credentials for a one-credential format: refused, and nothing is said about sharing
    code, _out, err = run(capsys, "export", "json", annex1, annex1, "-o", str(tmp_path / "x.json"))
    assert code == 2
    assert "date of birth" not in err and not (tmp_path / "x.json").exists()


def test_export_of_a_credential_that_is_not_valid_warns_before_sharing(
    wallet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], ob3_unsigned: Path
) -> None:
    code, out, _err = run(capsys, "import", "--json", str(ob3_unsigned))
    entry = lines(out)[0]
    assert entry["status"] != "valid"
    code, _out, err = run(
        capsys, "export", "bundle", str(entry["id"]), "-o", str(tmp_path / "b.zip")
    )
    assert code == 0, err
    assert "1 credential is not valid in your wallet" in err
    assert "Wrote" in err and "(1 credential)" in err


def test_a_folder_with_readme_and_licence_imports_and_names_what_it_skipped(
    wallet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], ob2_assertion: Path
) -> None:
    folder = tmp_path / "badges"
    folder.mkdir()
    (folder / "README.md").write_text("# My badges\n")
    (folder / "LICENSE").write_text("Apache License, Version 2.0\n")
    (folder / "a.json").write_bytes(ob2_assertion.read_bytes())
    (folder / "b.json").write_bytes(ob2_assertion.read_bytes())  # the same badge twice
    code, out, err = run(capsys, "import", "--json", str(folder))
    records = lines(out)
    states = sorted(str(r["state"]) for r in records)
    assert states.count("skipped") == 2, records
    assert "failed" not in states
    duplicate = next(r for r in records if r["state"] == "duplicate")
    stored = next(r for r in records if r["state"] == "stored")
    assert duplicate["id"] == stored["id"]  # names the badge it repeats, not "—"
    code, _out, err = run(capsys, "import", str(folder))
    assert code == 0, err  # all present again; skipped files are no failure
    assert "Skipped 2 files that are not credentials." in err
    assert "already in the wallet as —" not in err


def test_a_status_list_is_skipped_with_a_note_not_stored_as_a_badge(
    wallet: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    status_list = (
        conformance_dir
        / "ob3/fixtures/dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020"
        / "e5WK8CbZ1GjycuPombrj.json"
    )
    code, out, err = run(capsys, "import", "--json", str(status_list))
    assert code == 0, err
    (record,) = lines(out)
    assert record["state"] == "skipped"
    assert "status list" in str(record["error"])
    _code, out, _err = run(capsys, "list", "--json")
    assert out.strip() == ""


def test_show_names_eu_elements_in_words_in_both_languages(
    annex1: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run(capsys, "show", annex1)
    assert "Learning outcomes:" in out and "learning_outcomes" not in out
    _code, out, _err = run(capsys, "--lang", "pl", "show", annex1)
    assert "Efekty uczenia się:" in out and "issuer_country" not in out


@pytest.mark.parametrize("command", [(), ("import",), ("export",), ("tag",), ("verify",)])
def test_polish_help_has_no_english_usage_words_and_no_cut_summaries(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, _err = run(capsys, "--lang", "pl", *command, "--help")
    assert code == 0
    for english in ("[OPTIONS]", "SOURCES", " TEXT", "COMMAND", "IDENTITY", "Usage:", "…"):
        assert english not in out, (english, out)


def test_help_shows_examples_environment_and_import_formats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, out, _err = run(capsys, "--help")
    assert "plecak verify for-employer.zip" in out and "PLECAK_PASSPHRASE" in out
    _code, out, _err = run(capsys, "import", "--help")
    assert "ZIP archives" in out and "Open Badges 0.5–2.1 and 3.0" in out
