"""Acceptance through the CLI: import every format, export a bundle, verify it in an empty home."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.exporters.support import EVERY_FORMAT
from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run
from tests.support.mirror import mirror_from_serve


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(monkeypatch)
    return tmp_path


@pytest.fixture
def bundle(env: Path, conformance_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    home = env / "learner"
    assert _run(capsys, "--home", str(home), "init")[0] == 0
    for _wallet_id, corpus, case_id in EVERY_FORMAT:
        case = next(
            c
            for c in json.loads((conformance_dir / corpus / "cases.json").read_text())
            if c["id"] == case_id
        )
        index = mirror_from_serve(
            env / case_id,
            conformance_dir / corpus,
            case.get("serve") or case.get("needs") or {},
            case.get("serve_meta"),
        )
        source = case.get("input") or case.get("file")
        if case.get("input_kind") != "url":
            source = str(conformance_dir / corpus / source)
        code, out, err = _run(
            capsys, "--home", str(home), "--offline", "--mirror", str(index), "import", source
        )
        assert code == 0, (case_id, out, err)
    path = env / "bundle.zip"
    code, out, err = _run(capsys, "--home", str(home), "export", "bundle", "--all", "-o", str(path))
    assert code == 0, err
    return path


def test_offline_verify_in_an_empty_home_proves_only_what_it_can(
    bundle: Path, env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline, the carried hosted badge and https key are ``unverified`` ("confirm online"),
    and the corpus's did:key credentials are issued to did:example:…, not to this holder."""
    monkeypatch.delenv("PLECAK_CONTEXTS", raising=False)  # only what the bundle carries
    code, out, err = _run(
        capsys, "--home", str(env / "employer"), "--offline", "verify", str(bundle)
    )
    assert code == 1, out + err
    assert "confirm online" in out and "only the subject may present it" in out
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    # baked copies of an already-imported badge are duplicates to the wallet (same credential id);
    # every file format travelling byte-for-byte is covered module-level in test_bundle.py
    formats = {c["format"] for c in manifest["credentials"]}
    assert {"ob2-hosted", "ob3-data-integrity", "ob3-vc-jwt"} <= formats
    code, out, _err = _run(
        capsys, "--home", str(env / "employer"), "--offline", "verify", "--json", str(bundle)
    )
    result = json.loads(out.splitlines()[0])
    assert result["status"] != "valid"
    by_status = {c["file"]: c["status"] for c in result["credentials"]}
    assert "valid" not in by_status.values(), by_status


@pytest.mark.slow
def test_one_flipped_byte_exits_1_naming_the_file(
    bundle: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    victim = sorted(n for n in entries if n.startswith("credentials/"))[0]
    data = bytearray(entries[victim])
    data[len(data) // 2] ^= 0x20
    entries[victim] = bytes(data)
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w") as archive:
        for name, body in entries.items():
            archive.writestr(
                name, body, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            )
    tampered = env / "tampered.zip"
    tampered.write_bytes(out_zip.getvalue())
    code, out, err = _run(
        capsys, "--home", str(env / "employer"), "--offline", "verify", str(tampered)
    )
    assert code == 1
    assert victim in out + err


def test_traversal_zip_is_refused_with_exit_1(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.plecak.bundle+zip")
        archive.writestr("../../outside.txt", b"x")
    hostile = env / "hostile.zip"
    hostile.write_bytes(out_zip.getvalue())
    code, _out, err = _run(
        capsys, "--home", str(env / "employer"), "--offline", "verify", str(hostile)
    )
    assert code == 1
    assert "traversal" in err
    assert not (env.parent / "outside.txt").exists()
