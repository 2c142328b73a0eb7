"""JSON with duplicate member names is refused as ambiguous wherever plecak reads it: a file to
verify or import, the claims of a VC-JWT, a share bundle's manifest."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.support.cli import cli_env, run_cli

TWICE = b'{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:a", "id": "urn:b"}'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    cli_env(monkeypatch)


def test_verify_and_import_refuse_a_file_with_a_name_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "twice.json"
    source.write_bytes(TWICE)
    code, out, err = run_cli(capsys, "verify", str(source))
    assert code != 0 and "appears twice" in out + err and "ambiguous" in out + err
    home = str(tmp_path / "home")
    assert run_cli(capsys, "--home", home, "init")[0] == 0
    code, out, err = run_cli(capsys, "--home", home, "import", "--json", str(source))
    assert "appears twice" in out + err
    assert "stored" not in out


def test_a_vc_jwt_whose_claims_name_a_member_twice_is_not_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = _b64(json.dumps({"alg": "EdDSA", "kid": "did:key:z6Mkx#z6Mkx"}).encode())
    claims = _b64(b'{"iss": "did:key:z6Mkx", "vc": {"type": ["VerifiableCredential"]}, "iss": "x"}')
    source = tmp_path / "twice.jwt"
    source.write_text(f"{header}.{claims}.{_b64(b'sig')}")
    code, out, err = run_cli(capsys, "verify", "--json", str(source))
    assert code != 0
    assert json.loads(out.splitlines()[0]).get("status") != "valid", out + err
