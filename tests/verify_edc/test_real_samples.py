"""The real sealed EDCs of conformance/europass (see its MANIFEST), verified offline against the
shipped trusted-list snapshot (LOTL #390, SI #86, ES #184; wallet/verify/edc/data/SOURCE.md).

What VeloCert proves on real bytes: the RS256 JAdES seal, the path to "Halcom CA PO e-seal 2" as
the real SI list grants it (CA/QC, ForeSeals, since 2023-06-10) at the sealer's claimed time, the
embedded Halcom CRL covering that time, the qcStatements reading.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from importers.registry import default_registry
from tests.conftest import FIXED_NOW
from wallet.model import CheckStatus, Credential, Status, VerificationReport
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.edc import jades, trust
from wallet.verify.edc.seal import SNAPSHOT_CACHE_KEY
from wallet.verify.verifier import verify

VELOCERT = "third-party/velocert-edc-mc-signed.jades.json"
COMMISSION = (
    "elm-v3/mc-annex1-signed.jades.json",
    "elm-v3/cert-of-participation-signed.jades.json",
)


def _credential(source: Path) -> Credential:
    (credential,) = [
        c for c in default_registry().read_path(source).found if isinstance(c, Credential)
    ]
    return credential


def _verify(credential: Credential, snapshot: trust.TrustSnapshot | None) -> VerificationReport:
    async def run() -> VerificationReport:
        ctx = VerifyContext(fetcher=FakeFetcher(), clock=lambda: FIXED_NOW, offline=True)
        if snapshot is not None:
            ctx.cache[SNAPSHOT_CACHE_KEY] = snapshot
        return await verify(credential, ctx)

    return asyncio.run(run())


def _by_id(report: VerificationReport) -> dict[str, tuple[CheckStatus, str]]:
    return {c.id: (c.status, c.message) for c in report.checks}


def test_velocert_seal_chains_to_the_halcom_ca_the_shipped_si_list_grants(
    conformance_dir: Path,
) -> None:
    report = _verify(_credential(conformance_dir / "europass" / VELOCERT), None)
    checks = _by_id(report)
    assert checks["seal"][0] is CheckStatus.PASS
    assert checks["seal-time"][0] is CheckStatus.WARN  # its time-stamp is from a test TSA
    assert "sealer's own claim" in checks["seal-time"][1]
    assert checks["seal-trust"] == (
        CheckStatus.PASS,
        "Sealed by VELOCERT OU (qualified electronic seal, HALCOM D.D., SI), as of the trusted "
        "list of 2026-07-07T10:21:12Z.",
    )
    # its two StatusList2021Entry ("status" in ELM v3) need the network: offline, unverified
    assert checks["status:1"][0] is CheckStatus.UNKNOWN
    assert report.status is Status.UNVERIFIED


def test_velocert_without_a_snapshot_is_unverified_for_that_reason(conformance_dir: Path) -> None:
    empty = trust.TrustSnapshot(lists=(), services=())
    report = _verify(_credential(conformance_dir / "europass" / VELOCERT), empty)
    assert _by_id(report)["seal"][0] is CheckStatus.PASS
    assert "no EU trusted-list snapshot" in _by_id(report)["seal-trust"][1]
    assert report.status is Status.UNVERIFIED


def test_velocert_against_a_stale_si_list_is_unverified_for_that_reason(
    conformance_dir: Path,
) -> None:
    """An SI list due for update before the seal (2026-01-12) cannot speak for it: the report
    says so instead of trusting it (the 2023 list shipped before had next update 2023-12-28)."""
    shipped = trust.load_pinned()
    stale = tuple(
        dataclasses.replace(i, next_update=datetime(2023, 12, 28, 14, 53, 6, tzinfo=UTC))
        if i.country == "SI"
        else i
        for i in shipped.lists
    )
    snapshot = trust.TrustSnapshot(lists=stale, services=shipped.services)
    report = _verify(_credential(conformance_dir / "europass" / VELOCERT), snapshot)
    assert _by_id(report)["seal-trust"] == (
        CheckStatus.UNKNOWN,
        "The trusted list of SI held is stale (its next update was due on 2023-12-28T14:53:06Z, "
        "before the seal): a newer trusted-list snapshot is needed.",
    )


def test_velocert_tampered_payload_is_invalid(conformance_dir: Path, tmp_path: Path) -> None:
    source = conformance_dir / "europass" / VELOCERT
    doc = json.loads(source.read_bytes())
    tampered = doc["payload"].replace('"statusListIndex"', '"statusListIndeks"', 1)
    assert tampered != doc["payload"]
    doc["payload"] = tampered
    forged = tmp_path / "velocert-payload-tampered.jades.json"
    forged.write_text(json.dumps(doc), encoding="utf-8")
    report = _verify(_credential(forged), None)
    assert report.status is Status.INVALID
    assert _by_id(report)["seal"][0] is CheckStatus.FAIL


@pytest.mark.parametrize("name", COMMISSION)
def test_commission_samples_verify_but_their_time_is_unproven(
    conformance_dir: Path, name: str
) -> None:
    report = _verify(_credential(conformance_dir / "europass" / name), None)
    checks = _by_id(report)
    assert checks["seal"] == (
        CheckStatus.PASS,
        "The seal (RS256) covers the credential exactly as issued.",
    )
    assert "good-tsa is on no trusted list" in checks["seal-time"][1]
    assert checks["seal-trust"] == (
        CheckStatus.UNKNOWN,
        "The seal certificate expired on 2025-05-10T14:31:15Z, and nothing trusted proves the "
        "credential was sealed before then (no time-stamp from a listed authority).",
    )
    assert report.status is Status.UNVERIFIED


LEGACY = "elm-v2-xml/certificate-of-excellence-xades-signed.xml"


def test_legacy_xades_seal_verifies_and_says_why_it_is_not_trusted(conformance_dir: Path) -> None:
    report = _verify(_credential(conformance_dir / "europass" / LEGACY), None)
    checks = _by_id(report)
    assert checks["seal"] == (
        CheckStatus.PASS,
        "The seal (XAdES) covers the credential exactly as issued.",
    )
    # its SignatureTimeStamp verifies over the SignatureValue, but comes from a test TSA
    assert "good-tsa is on no trusted list" in checks["seal-time"][1]
    assert checks["seal-trust"][1].startswith("The seal certificate expired on 2022-12-23")
    assert checks["dates"][0] is CheckStatus.FAIL
    assert report.status is Status.EXPIRED


def test_legacy_xades_tampered_body_is_invalid(conformance_dir: Path, tmp_path: Path) -> None:
    raw = (conformance_dir / "europass" / LEGACY).read_bytes()
    body_end = raw.index(b"<ds:Signature")
    head = raw[:body_end]
    assert b"Excellence" in head
    forged = tmp_path / "xades-body-tampered.xml"
    forged.write_bytes(head.replace(b"Excellence", b"Excellance", 1) + raw[body_end:])
    report = _verify(_credential(forged), None)
    assert _by_id(report)["seal"] == (
        CheckStatus.FAIL,
        "The seal does not match the sealed content or its certificate.",
    )
    assert report.status is Status.INVALID


def test_legacy_xml_without_a_seal_is_invalid(conformance_dir: Path) -> None:
    report = _verify(
        _credential(conformance_dir / "europass" / "elm-v2-xml/simple-unsigned.xml"), None
    )
    assert _by_id(report)["seal"] == (
        CheckStatus.FAIL,
        "The credential is not sealed: nothing proves who issued it.",
    )
    assert report.status is Status.INVALID


@pytest.mark.parametrize("name", [VELOCERT, *COMMISSION])
def test_archive_timestamps_of_the_real_seals_cover_what_we_compute(
    conformance_dir: Path, name: str
) -> None:
    """Their arcTst imprints match our archive input (the TSA itself is a test one)."""
    from wallet.verify.edc import seal as seal_module
    from wallet.verify.edc import tst

    seal = jades.parse((conformance_dir / "europass" / name).read_bytes())
    evidence = seal_module.jades_evidence(seal)
    (token,) = evidence.archive_tokens
    stamp = tst.verify_token(token, evidence.archive_covered)
    assert stamp.tsa_name in ("self-signed-tsa", "good-tsa")
