"""An SD-JWT VC through the CLI on a real wallet: imported, verified against the issuer metadata
served from a mirror, listed with its title, its disclosed claims shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import cli_env
from tests.support.cli import run_cli as run
from tests.support.mirror import mirror_from_serve
from tests.verify_ob3.signing import NOW
from tests.verify_sdjwt.issuing import claims, issue, metadata, new_key


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A wallet home, the issuer's metadata in a mirror, and an issued SD-JWT VC file."""
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "wallet"))
    cli_env(monkeypatch)
    monkeypatch.setattr("wallet.factory.system_clock", lambda: NOW)
    key = new_key()
    site = tmp_path / "site"
    site.mkdir()
    serve = {}
    for number, (url, (_status, _ctype, body)) in enumerate(metadata(key).items()):
        (site / f"{number}.json").write_bytes(body)
        serve[url] = f"{number}.json"
    mirror = mirror_from_serve(tmp_path, site, serve)
    source = tmp_path / "badge.sd-jwt"
    source.write_text(issue(key, claims()))
    return mirror, source


def test_sd_jwt_vc_import_list_show(
    world: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    mirror, source = world

    assert run(capsys, "init")[0] == 0
    _code, out, err = run(capsys, "--mirror", str(mirror), "import", "--json", str(source))
    (record,) = _lines(out)
    assert record["state"] == "stored", (record, err)
    assert record["status"] == "valid", record
    _code, out, _ = run(capsys, "list", "--json")
    (listed,) = _lines(out)
    assert listed["title"] == "Community Gardening"
    assert listed["format"] == "sd-jwt-vc"
    _code, out, _ = run(capsys, "show", str(listed["id"]), "--json")
    shown = _lines(out)[0]
    assert shown["credential"]["document"]["credentialSubject"]["given_name"] == "Ada"
    _code, out, _ = run(capsys, "show", str(listed["id"]))
    assert "disclosures" in out


def test_export_reveals_only_the_chosen_claims(
    world: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror, source = world
    assert run(capsys, "init")[0] == 0
    _code, out, _err = run(capsys, "--mirror", str(mirror), "import", "--json", str(source))
    cid = str(_lines(out)[0]["id"])

    shared = tmp_path / "shared.sd-jwt"
    code, _out, err = run(
        capsys,
        "export",
        "sd-jwt",
        cid,
        "-o",
        str(shared),
        "--reveal",
        "credentialSubject/achievement",
    )
    assert code == 0, err
    text = shared.read_text()
    assert text.count("~") == 2  # the issuer JWT, one disclosure, no key binding
    code, out, _ = run(capsys, "--mirror", str(mirror), "verify", "--json", str(shared))
    (record,) = _lines(out)
    assert record["status"] == "valid", record
    from tests.verify_sdjwt.issuing import imported

    document = imported(text).document
    assert document["credentialSubject"]["achievement"]["name"] == "Community Gardening"
    assert "given_name" not in document["credentialSubject"]
    assert "name" not in document and "nationalities" not in document


def test_export_of_a_nested_claim_keeps_the_disclosures_above_it() -> None:
    from wallet.codecs import sd_jwt

    key = new_key()
    text = issue(key, claims())
    shared = sd_jwt.select(text, ["nationalities/1"])
    rebuilt = sd_jwt.rebuild(sd_jwt.parse(shared))
    assert rebuilt.claims["nationalities"] == ["PL", "DE"]
    assert "name" not in rebuilt.claims
