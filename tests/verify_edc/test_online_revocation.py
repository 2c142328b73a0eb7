"""Revocation asked online, through the Fetcher, when the seal carries none (synthetic world).

OCSP first (RFC 6960 GET form, from the seal certificate's own AIA), then the CRL distribution
points; offline nothing is asked and the seal stays unverified for want of revocation data.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from cryptography.x509 import ocsp

from importers.registry import default_registry
from tests.verify_edc import world as w
from wallet.model import Credential, Status, VerificationReport
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.edc import online, trust
from wallet.verify.edc.seal import SNAPSHOT_CACHE_KEY
from wallet.verify.verifier import verify

CRL_URL = "https://crl.qtsp.example/eseal.crl"
OCSP_URL = "http://ocsp.qtsp.example/"
ANSWERED = datetime(2026, 11, 23, 11, tzinfo=UTC)


def _verify(
    sealed: dict[str, object],
    snapshot: trust.TrustSnapshot,
    fetcher: FakeFetcher,
    tmp_path: Path,
    *,
    offline: bool = False,
) -> VerificationReport:
    path = tmp_path / "sealed.jades.json"
    path.write_text(json.dumps(sealed), encoding="utf-8")
    (credential,) = [
        c for c in default_registry().read_path(path).found if isinstance(c, Credential)
    ]

    async def run() -> VerificationReport:
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: w.NOW, offline=offline)
        ctx.cache[SNAPSHOT_CACHE_KEY] = snapshot
        return await verify(credential, ctx)

    return asyncio.run(run())


def _summary(report: VerificationReport) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.status.value, c.message, c.detail[:400]) for c in report.checks]


def _good_crl(world: w.World) -> bytes:
    return w.crl(world.ca, [], datetime(2026, 3, 2, tzinfo=UTC))


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online"])
@pytest.mark.parametrize("kind", ["ocsp", "crl"])
def test_revocation_through_the_fetcher_when_the_seal_carries_none(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path, kind: str, offline: bool
) -> None:
    if kind == "ocsp":  # it also names a CRL, which is not needed then
        seal = world.seal_cert(ocsp_url=OCSP_URL, crl_url=CRL_URL)
        asked = online.ocsp_get_url(OCSP_URL, seal.der, world.ca.der)
        answer = (200, online.OCSP_RESPONSE, w.ocsp_good(seal, world.ca, ANSWERED))
    else:
        seal = world.seal_cert(crl_url=CRL_URL)
        asked, answer = CRL_URL, (200, "application/pkix-crl", _good_crl(world))
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT))
    fetcher = FakeFetcher({asked: answer})
    report = _verify(sealed, snapshot, fetcher, tmp_path, offline=offline)
    if offline:
        assert report.status is Status.UNVERIFIED, _summary(report)
        assert fetcher.asked == []
        trust_check = next(c for c in report.checks if c.id == "seal-trust")
        assert trust_check.message.endswith("Verify online to ask the CA that issued it.")
    else:
        assert report.status is Status.VALID, _summary(report)
        assert fetcher.asked == [asked]
        assert [r.url for r in report.evidence] == [asked]


def test_the_ocsp_request_is_the_rfc_6960_get_form_for_the_seal_certificate(
    world: w.World,
) -> None:
    seal = world.seal_cert(ocsp_url=OCSP_URL)
    url = online.ocsp_get_url(OCSP_URL, seal.der, world.ca.der)
    assert url.startswith(OCSP_URL) and "/" not in url[len(OCSP_URL) :]
    request = ocsp.load_der_ocsp_request(base64.b64decode(unquote(url[len(OCSP_URL) :])))
    assert request.serial_number == seal.cert.serial_number


@pytest.mark.parametrize(
    ("revoked_at", "expected"),
    [
        (datetime(2026, 2, 1, tzinfo=UTC), Status.REVOKED),
        # ETSI EN 319 102-1 would keep a seal time-stamped before a later revocation; the path
        # validator (pyhanko-certvalidator) does not read such an OCSP answer as "good at the
        # time", so it stays unverified: never revoked for the seal's time, never valid unproven.
        (datetime(2026, 6, 1, tzinfo=UTC), Status.UNVERIFIED),
    ],
    ids=["revoked-before-the-seal", "revoked-after-the-seal"],
)
def test_a_responder_that_says_revoked(
    world: w.World,
    snapshot: trust.TrustSnapshot,
    tmp_path: Path,
    revoked_at: datetime,
    expected: Status,
) -> None:
    seal = world.seal_cert(ocsp_url=OCSP_URL)
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT))
    answer = w.ocsp_good(seal, world.ca, ANSWERED, revoked_at=revoked_at)
    asked = online.ocsp_get_url(OCSP_URL, seal.der, world.ca.der)
    report = _verify(
        sealed, snapshot, FakeFetcher({asked: (200, online.OCSP_RESPONSE, answer)}), tmp_path
    )
    assert report.status is expected, _summary(report)


def test_an_unanswering_responder_falls_back_to_the_crl(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    seal = world.seal_cert(ocsp_url=OCSP_URL, crl_url=CRL_URL)
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT))
    asked = online.ocsp_get_url(OCSP_URL, seal.der, world.ca.der)
    fetcher = FakeFetcher(
        {
            asked: (503, "text/plain", b"try later"),
            CRL_URL: (200, "application/pkix-crl", _good_crl(world)),
        }
    )
    report = _verify(sealed, snapshot, fetcher, tmp_path)
    assert report.status is Status.VALID, _summary(report)
    assert fetcher.asked == [asked, CRL_URL]


def test_an_ocsp_answer_signed_by_another_key_is_not_used(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    seal = world.seal_cert(ocsp_url=OCSP_URL)
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT))
    rogue = w.make_cert(world.ca.cert.subject, w.ec_key(), None, ca=True)  # same name, other key
    forged = w.ocsp_good(seal, rogue, ANSWERED)
    asked = online.ocsp_get_url(OCSP_URL, seal.der, world.ca.der)
    report = _verify(
        sealed, snapshot, FakeFetcher({asked: (200, online.OCSP_RESPONSE, forged)}), tmp_path
    )
    assert report.status is Status.UNVERIFIED, _summary(report)
