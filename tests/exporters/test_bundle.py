"""The share bundle: layout, determinism, the round trip through `plecak verify`, tampering."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from exporters.bundle import BUNDLE_MEDIA_TYPE, BundleExporter
from tests.exporters.support import EVERY_FORMAT, Portfolio, verify_offline
from wallet.bundle.verify.verifier import BundleReport
from wallet.codecs import holder
from wallet.errors import EXIT_NOT_VALID, ExportError
from wallet.model import CheckStatus, Status


def _verify(path: Path, **kw: object) -> BundleReport:
    report: BundleReport = verify_offline(path, **kw)
    return report


@pytest.fixture(scope="module")
def bundle_bytes(portfolio: Portfolio) -> bytes:
    return BundleExporter().export(portfolio.request())


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _rezip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(
                info, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def test_layout_is_deterministic_and_as_bundle_md_says(
    bundle_bytes: bytes, portfolio: Portfolio
) -> None:
    assert BundleExporter().export(portfolio.request()) == bundle_bytes
    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    names = [i.filename for i in infos]
    assert names[1:] == sorted(names[1:])
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) and i.extra == b"" for i in infos)
    assert bundle_bytes[30:38] == b"mimetype"
    entries = _entries(bundle_bytes)
    assert entries["mimetype"] == BUNDLE_MEDIA_TYPE.encode()
    assert {
        "manifest.json",
        "presentation.json",
        "report.json",
        "summary.html",
        "evidence/index.json",
    } <= set(entries)


def test_credentials_travel_byte_for_byte(bundle_bytes: bytes, portfolio: Portfolio) -> None:
    entries = _entries(bundle_bytes)
    manifest = json.loads(entries["manifest.json"])
    assert len(manifest["credentials"]) == len(EVERY_FORMAT)
    for entry, wallet_id in zip(manifest["credentials"], portfolio.credentials, strict=True):
        assert entries[entry["file"]] == portfolio.credentials[wallet_id].original.data
        assert entry["status"] == "valid"
    suffixes = {Path(e["file"]).suffix for e in manifest["credentials"]}
    assert suffixes == {".json", ".jws", ".jwt", ".png", ".svg"}
    listed = {f["path"] for f in manifest["files"]}
    assert listed == set(entries) - {"manifest.json", "presentation.json"}


def test_evidence_index_is_a_mirror_with_capture_times(bundle_bytes: bytes) -> None:
    entries = _entries(bundle_bytes)
    index = json.loads(entries["evidence/index.json"])
    assert "https://example.org/robotics-badge.json" in index
    for url, entry in index.items():
        assert entry["fetched_at"] == "2026-11-23T12:00:00Z", url
        if "file" in entry:
            assert len(entries[f"evidence/{entry['file']}"]) > 0


def test_presentation_is_signed_by_the_holder_and_pins_the_manifest(bundle_bytes: bytes) -> None:
    entries = _entries(bundle_bytes)
    vp = json.loads(entries["presentation.json"])
    check = holder.verify_jcs(vp)
    assert check.ok, check.reason
    assert check.signer == vp["holder"] == json.loads(entries["manifest.json"])["holder"]
    assert vp["proof"]["cryptosuite"] == "eddsa-jcs-2022"


SELF_CERTIFYING = {
    "credentials/005-teamwork-badge.json",
    "credentials/006-teamwork-badge.json",
    "credentials/008-teamwork-badge.png",
}
"""The corpus's did:key credentials of EVERY_FORMAT: offline, nothing carried decides them, but
they are issued to did:example:…, so the bundle's holder may not present them."""
MINE = "credentials/010-own-mine.json"
"""A did:key credential issued to the holder: the one that is valid offline."""


def test_round_trip_offline_is_valid_only_where_nothing_carried_decides(
    tmp_path: Path, own_portfolio: Portfolio
) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(BundleExporter().export(own_portfolio.request()))
    report = _verify(path)
    assert report.exit_code == EXIT_NOT_VALID
    assert [c.id for c in report.checks] == [
        "archive",
        "files",
        "presentation",
        "credentials",
        "manifest-claims",
        "holder",
        "recipient",
        "summary",
    ]
    assert all(c.report is not None and c.report.mode == "evidence" for c in report.credentials)
    assert all(c.report.as_of is not None for c in report.credentials if c.report)
    statuses = {c.file: c.status for c in report.credentials}
    assert {f for f, s in statuses.items() if s is Status.VALID} == {MINE}
    for item in report.credentials:
        assert item.report is not None
        checks = {c.id: c.status for c in item.report.checks}
        if item.file in SELF_CERTIFYING | {MINE}:
            assert checks["evidence"] is CheckStatus.PASS, item.file
        else:
            assert checks["evidence"] is CheckStatus.UNKNOWN, item.file
        if item.file in SELF_CERTIFYING:
            assert checks["holder"] is CheckStatus.FAIL  # issued to did:example:…
    text = report.to_text()
    assert text.count("confirm online") == len(statuses) - len(SELF_CERTIFYING) - 1
    assert "2026-11-23 12:00 UTC" in text


def test_round_trip_without_contexts_dir_uses_captured_contexts(
    tmp_path: Path, own_portfolio: Portfolio
) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(BundleExporter().export(own_portfolio.request(["mine"])))
    assert _verify(path).ok


@pytest.mark.slow
@pytest.mark.parametrize("position", ["start", "middle", "end"])
def test_flipping_any_byte_of_any_file_is_caught_and_named(
    tmp_path: Path, bundle_bytes: bytes, position: str
) -> None:
    entries = _entries(bundle_bytes)
    for name, data in entries.items():
        index = {"start": 0, "middle": len(data) // 2, "end": len(data) - 1}[position]
        changed = dict(entries)
        flipped = bytearray(data)
        flipped[index] ^= 0x01
        changed[name] = bytes(flipped)
        path = tmp_path / "tampered.zip"
        path.write_bytes(_rezip(changed))
        try:
            report = _verify(path)
        except ExportError as exc:  # BundleError: e.g. the mimetype no longer names a bundle
            assert name == "mimetype", (name, exc)
            continue
        assert report.exit_code == EXIT_NOT_VALID, name
        assert name in report.problems, (name, report.problems)
        assert name in report.to_text()


def test_flipping_a_byte_of_the_raw_archive_names_the_damaged_entry(
    tmp_path: Path, bundle_bytes: bytes
) -> None:
    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as archive:
        info = archive.getinfo("summary.html")
    offset = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    damaged = bytearray(bundle_bytes)
    damaged[offset] ^= 0xFF
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(damaged))
    report = _verify(path)
    assert report.exit_code == EXIT_NOT_VALID
    assert "summary.html" in report.problems


def test_disclosed_identity_is_matched_against_hashed_recipients(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    ids = ["ob2hosted", "ob2signed"]  # both hashed for nobody@example.org (salt "deadsea")
    good = tmp_path / "good.zip"
    good.write_bytes(
        BundleExporter().export(portfolio.request(ids, disclosed_identity="nobody@example.org"))
    )
    report = _verify(good)
    recipient = next(c for c in report.checks if c.id == "recipient")
    assert recipient.status is CheckStatus.PASS, report.to_text()
    assert "issued to nobody@example.org (hash matches)" in recipient.message.lower()
    assert "does not show that the holder controls" in recipient.message
    assert all(c.status is Status.UNVERIFIED for c in report.credentials)  # hosted/key: carried
    for credential in report.credentials:
        assert credential.report is not None
        (own,) = [c for c in credential.report.checks if c.id == "recipient"]
        assert own.message == "Issued to nobody@example.org (hash matches)."
    bad = tmp_path / "bad.zip"
    bad.write_bytes(
        BundleExporter().export(portfolio.request(ids, disclosed_identity="someone@example.org"))
    )
    report = _verify(bad)
    recipient = next(c for c in report.checks if c.id == "recipient")
    assert recipient.status is CheckStatus.FAIL
    assert report.exit_code == EXIT_NOT_VALID


def test_a_learner_cannot_overstate_the_manifest(tmp_path: Path, portfolio: Portfolio) -> None:
    """Re-signing a doctored manifest with the learner's own key still fails manifest-claims."""
    from exporters import bundle as bundle_module

    request = portfolio.request(["ob3di"])
    original = bundle_module.credential_entry

    def lying_entry(*args: Any, **kw: Any) -> dict[str, Any]:
        entry = original(*args, **kw)
        for element in entry["eu_elements"]:
            if element["key"] == "eqf_level":
                element.update(state="present", value="EQF 8")
        return entry

    bundle_module.credential_entry = lying_entry
    try:
        data = BundleExporter().export(request)
    finally:
        bundle_module.credential_entry = original
    path = tmp_path / "lie.zip"
    path.write_bytes(data)
    report = _verify(path)
    claims = next(c for c in report.checks if c.id == "manifest-claims")
    assert claims.status is CheckStatus.FAIL
    assert report.exit_code == EXIT_NOT_VALID


def test_revoked_at_verification_time_fails(
    tmp_path: Path, conformance_dir: Path, contexts_dir: Path
) -> None:
    from tests.exporters.support import build_portfolio

    revoked = build_portfolio(
        tmp_path, conformance_dir, contexts_dir, [("r", "ob3", "gen-v2-eddsa-bsl-revoked")]
    )
    assert revoked.reports["r"].status is Status.REVOKED
    path = tmp_path / "revoked.zip"
    path.write_bytes(BundleExporter().export(revoked.request()))
    report = _verify(path)
    (credential,) = report.credentials
    assert credential.report is not None
    assert Status.REVOKED in {c.outcome for c in credential.report.checks}
    assert credential.status is not Status.VALID  # revoked, and not issued to this holder
    assert report.exit_code == EXIT_NOT_VALID


def test_export_needs_the_holder_key(portfolio: Portfolio) -> None:
    with pytest.raises(ExportError):
        BundleExporter().export(portfolio.request(["ob3di"], holder_key=None))
