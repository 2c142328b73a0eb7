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


def test_sd_jwt_vc_import_list_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
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
