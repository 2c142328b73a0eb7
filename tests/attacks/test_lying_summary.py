"""Attack: the holder's bundle says more than the credentials do (issue 11).

The attacker is the holder: their own wallet, their own signing key, the public CLI, and a doctored
copy of the exporter (here: a monkeypatched function, as anyone can edit their own copy of plecak).
The credential itself is genuine and did:key-signed, so offline it verifies fully; only the lie
can fail the bundle — and it must, with exit 1.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exporters import bundle as bundle_exporter
from tests.attacks.support import manifest_of
from tests.exporters.support import own_credential_document
from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run
from wallet.bundle.summary import render_summary

LIE_TITLE = "PhD in Theoretical Physics"
LIE_ISSUER = "University of Oxford"
CASE = "generated/v2-eddsa-valid.json"  # did:key issuer; issued to someone else, so replaced below


@pytest.fixture
def home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conformance_dir: Path, capsys: Any
) -> Path:
    cli_env(monkeypatch, lang="en")
    home = tmp_path / "attacker"
    assert _run(capsys, "--home", str(home), "init")[0] == 0
    code, out, err = _run(
        capsys, "--home", str(home), "import", str(conformance_dir / "ob3" / CASE)
    )
    assert code == 0, out + err
    # A bundle presents credentials issued to its holder (issue 11): learn the wallet's DID from a
    # first export, then hold a did:key credential issued to it instead of the corpus one.
    holder_did = manifest_of(_export(home, capsys))["holder"]
    _code, listed, _err = _run(capsys, "--home", str(home), "list", "--json")
    ids = [json.loads(line)["id"] for line in listed.splitlines() if line.strip()]
    assert _run(capsys, "--home", str(home), "remove", "--yes", *ids)[0] == 0
    own = tmp_path / "own.json"
    own.write_text(json.dumps(own_credential_document(holder_did, slug="honest")))
    code, out, err = _run(capsys, "--home", str(home), "import", str(own))
    assert code == 0, out + err
    return home


def _export(home: Path, capsys: Any) -> Path:
    path = home.parent / "bundle.zip"
    code, _out, err = _run(
        capsys, "--home", str(home), "export", "bundle", "--all", "-o", str(path)
    )
    assert code == 0, err
    return path


def _verify(path: Path, capsys: Any) -> tuple[int, dict[str, Any], str]:
    employer = path.parent / "employer"
    code, out, _err = _run(
        capsys, "--home", str(employer), "--offline", "verify", "--json", str(path)
    )
    text_code, text, _err = _run(capsys, "--home", str(employer), "--offline", "verify", str(path))
    assert text_code == code
    return code, json.loads(out.splitlines()[0]), text


def _check(report: dict[str, Any], check_id: str) -> str:
    return str(next(c["status"] for c in report["checks"] if c["id"] == check_id))


def test_the_honest_bundle_is_valid_offline(home: Path, capsys: Any) -> None:
    """The control: without the lie, the same bundle passes (so the tests below can fail)."""
    code, report, _text = _verify(_export(home, capsys), capsys)
    assert code == 0, report
    assert _check(report, "summary") == "pass"


def test_a_summary_claiming_a_phd_from_oxford_fails_the_bundle(
    home: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real: Callable[[Any], bytes] = render_summary

    def lying(summary: Any) -> bytes:
        page = real(summary).decode("utf-8")
        title = summary.items[0].credential.title
        return page.replace(title, f"{LIE_TITLE} — {LIE_ISSUER}").encode("utf-8")

    monkeypatch.setattr(bundle_exporter, "render_summary", lying)
    path = _export(home, capsys)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert LIE_ISSUER.encode() in archive.read("summary.html")  # the lie is really there
    code, report, text = _verify(path, capsys)
    assert code == 1
    assert report["status"] != "valid"
    assert _check(report, "summary") == "fail"
    assert _check(report, "presentation") == "pass"  # signed by the holder: still a lie
    assert "summary.html" in report["problems"]
    assert LIE_ISSUER not in json.dumps(report["credentials"]) and LIE_ISSUER not in text


def test_a_manifest_title_that_lies_fails_and_is_never_shown(
    home: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bundle_exporter.credential_entry

    def lying(*args: Any, **kw: Any) -> dict[str, Any]:
        entry = real(*args, **kw)
        entry["title"] = LIE_TITLE
        entry["issuer"] = {"id": "https://www.ox.ac.uk/", "name": LIE_ISSUER}
        return entry

    monkeypatch.setattr(bundle_exporter, "credential_entry", lying)
    path = _export(home, capsys)
    code, report, text = _verify(path, capsys)
    assert code == 1
    assert report["status"] != "valid"
    assert _check(report, "manifest-claims") == "fail"
    shown = report["credentials"][0]
    assert shown["title"] and LIE_TITLE not in shown["title"]
    assert shown["issuer"]["name"] != LIE_ISSUER
    assert LIE_TITLE not in text and LIE_ISSUER not in text


def test_a_summary_claiming_another_renderer_version_is_not_valid(
    home: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naming an older renderer dodges the byte comparison, not the verdict: unconfirmed, exit 1."""
    real: Callable[[Any], bytes] = render_summary

    def old_and_lying(summary: Any) -> bytes:
        page = real(summary).replace(b"plecak-summary/1", b"plecak-summary/0")
        return page.replace(summary.items[0].credential.title.encode(), LIE_TITLE.encode())

    monkeypatch.setattr(bundle_exporter, "render_summary", old_and_lying)
    code, report, _text = _verify(_export(home, capsys), capsys)
    assert code == 1
    assert report["status"] == "unverified"
    assert _check(report, "summary") == "unknown"
