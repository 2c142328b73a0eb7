"""The EDC seal verifier in the synthetic trust world: one test per case of the acceptance list."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from importers.registry import default_registry
from tests.verify_edc import trusted_lists as tl
from tests.verify_edc import world as w
from wallet.model import CheckResult, Credential, Status, VerificationReport
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.edc import trust
from wallet.verify.edc.seal import SNAPSHOT_CACHE_KEY
from wallet.verify.verifier import verify


def _verify(
    sealed: dict[str, Any], snapshot: trust.TrustSnapshot, tmp_path: Path
) -> VerificationReport:
    path = tmp_path / "sealed.jades.json"
    path.write_text(json.dumps(sealed), encoding="utf-8")
    batch = default_registry().read_path(path)
    (credential,) = [c for c in batch.found if isinstance(c, Credential)]

    async def run() -> VerificationReport:
        ctx = VerifyContext(fetcher=FakeFetcher(), clock=lambda: w.NOW, offline=True)
        ctx.cache[SNAPSHOT_CACHE_KEY] = snapshot
        return await verify(credential, ctx)

    return asyncio.run(run())


def _check(report: VerificationReport, check_id: str) -> CheckResult:
    found = [c for c in report.checks if c.id == check_id]
    assert found, _summary(report)
    return found[0]


def _summary(report: VerificationReport) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.status.value, c.message, c.detail[:300]) for c in report.checks]


def _good_crl(world: w.World) -> bytes:
    return w.crl(world.ca, [], datetime(2026, 3, 2, tzinfo=UTC))


def test_valid_qualified_seal(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    seal = world.seal_cert()
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)])
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.VALID, _summary(report)
    assert "proven by a time-stamp" in _check(report, "seal-time").message
    message = _check(report, "seal-trust").message
    assert message == (
        "Sealed by Uniwersytet Syntetyczny (qualified electronic seal, Synthetic QTSP S.A., PL),"
        " as of the trusted list of 2026-02-01T00:00:00Z."
    )


def test_rsa_seal_with_embedded_ocsp_is_valid(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    seal = world.seal_cert(
        key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ocsp_url="http://ocsp.qtsp.example/",
    )
    sealed = w.seal_edc(
        seal,
        sig_tst=(world.tsa, w.SIGNED_AT),
        ocsps=[w.ocsp_good(seal, world.ca, datetime(2026, 3, 1, 11, tzinfo=UTC))],
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.VALID, _summary(report)
    assert "(RS256)" in _check(report, "seal").message


def test_advanced_seal_without_qc_statement(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    seal = world.seal_cert(qc=None)
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)])
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.VALID, _summary(report)
    assert "(advanced electronic seal," in _check(report, "seal-trust").message


def test_service_withdrawn_before_signing_is_unverified(world: w.World, tmp_path: Path) -> None:
    withdrawn = w.World(
        world.lotl_signer,
        world.tl_signer,
        world.ca,
        world.tsa,
        [
            tl.Service(
                world.ca,
                history=[
                    (
                        trust.ETSI + "TrustedList/Svcstatus/withdrawn",
                        datetime(2026, 1, 1, tzinfo=UTC),
                    ),
                    (trust.GRANTED, datetime(2019, 1, 1, tzinfo=UTC)),
                ],
            ),
            world.services[1],
        ],
    )
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    report = _verify(sealed, withdrawn.snapshot(), tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "was not granted" in _check(report, "seal-trust").message


def test_revoked_certificate(world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path) -> None:
    seal = world.seal_cert()
    revoked = w.crl(
        world.ca, [(seal.cert, datetime(2026, 2, 20, tzinfo=UTC))], datetime(2026, 3, 2, tzinfo=UTC)
    )
    sealed = w.seal_edc(seal, sig_tst=(world.tsa, w.SIGNED_AT), crls=[revoked])
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.REVOKED, _summary(report)


def test_no_revocation_data_is_unverified(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT))
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "revoked is not known" in _check(report, "seal-trust").message


def _expired_seal(world: w.World) -> w.Cert:
    return world.seal_cert(not_after=datetime(2026, 6, 1, tzinfo=UTC))


def test_expired_certificate_without_archive_timestamp(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(_expired_seal(world), crls=[_good_crl(world)])
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "expired on 2026-06-01" in _check(report, "seal-trust").message
    assert "sealer's own claim" in _check(report, "seal-time").message


def test_expired_certificate_with_archive_timestamp(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(
        _expired_seal(world),
        crls=[_good_crl(world)],
        arc_tst=(world.tsa, datetime(2026, 4, 1, tzinfo=UTC)),
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.VALID, _summary(report)


def test_expired_certificate_with_archive_timestamp_after_expiry(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(
        _expired_seal(world),
        crls=[_good_crl(world)],
        arc_tst=(world.tsa, datetime(2026, 7, 1, tzinfo=UTC)),
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)


def test_expired_certificate_with_trusted_signature_timestamp(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(
        _expired_seal(world), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    assert _verify(sealed, snapshot, tmp_path).status is Status.VALID


def test_timestamp_from_an_unlisted_authority_falls_back_to_the_claim(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    rogue = w.make_cert(w._name("Test TSA", "Nobody"), w.ec_key(), None, tsa=True)
    sealed = w.seal_edc(_expired_seal(world), sig_tst=(rogue, w.SIGNED_AT), crls=[_good_crl(world)])
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "is on no trusted list" in _check(report, "seal-time").message


def _tamper(sealed: dict[str, Any], **header: Any) -> dict[str, Any]:
    entry = sealed["signatures"][0]
    decoded = json.loads(base64.urlsafe_b64decode(entry["protected"] + "=="))
    decoded.update(header)
    entry["protected"] = w._b64(json.dumps(decoded).encode())
    return sealed


def test_tampered_payload(world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path) -> None:
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    sealed["payload"] = sealed["payload"].replace("2026-03-01T09", "2026-03-02T09")
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.INVALID, _summary(report)
    assert _check(report, "seal").message == (
        "The seal does not match the sealed content or its certificate."
    )


def test_tampered_protected_header(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    sealed = w.seal_edc(world.seal_cert(), crls=[_good_crl(world)])
    report = _verify(_tamper(sealed, sigT="2026-02-01T00:00:00Z"), snapshot, tmp_path)
    assert report.status is Status.INVALID, _summary(report)


def test_wrong_x5t(world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path) -> None:
    sealed = w.seal_edc(
        world.seal_cert(), crls=[_good_crl(world)], header_extra={"x5t#S256": w._b64(b"x" * 32)}
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.INVALID, _summary(report)
    assert "x5t#S256" in _check(report, "seal").message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"alg": "RS256"}, "RS256 is refused"),
        ({"alg": "HS256"}, "HS256 is refused"),
        ({"crit": ["b64", "sigT", "exp"], "exp": 1}, "exp is not understood"),
        ({"crit": ["sigT"]}, "b64 is used but not listed in crit"),
    ],
)
def test_header_rules(
    world: w.World,
    snapshot: trust.TrustSnapshot,
    tmp_path: Path,
    header: dict[str, Any],
    expected: str,
) -> None:
    sealed = w.seal_edc(world.seal_cert(), crls=[_good_crl(world)], header_extra=header)
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.INVALID, _summary(report)
    assert expected in _check(report, "seal").message


def test_chain_to_a_ca_on_no_list(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    other_ca = w.make_cert(w._name("Test CA", "Test Org"), w.ec_key(), None, ca=True)
    seal = world.seal_cert(issuer=other_ca)
    sealed = w.seal_edc(
        seal,
        [other_ca],
        sig_tst=(world.tsa, w.SIGNED_AT),
        crls=[w.crl(other_ca, [], datetime(2026, 3, 2, tzinfo=UTC))],
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "a test or unknown CA" in _check(report, "seal-trust").message


def test_stale_trusted_list(world: w.World, tmp_path: Path) -> None:
    stale = world.snapshot(next_update=datetime(2026, 2, 15, tzinfo=UTC))
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    report = _verify(sealed, stale, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "is stale" in _check(report, "seal-trust").message


def test_no_snapshot_is_unverified(world: w.World, tmp_path: Path) -> None:
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    report = _verify(sealed, trust.TrustSnapshot(lists=(), services=()), tmp_path)
    assert report.status is Status.UNVERIFIED
    assert "no EU trusted-list snapshot" in _check(report, "seal-trust").message


def test_expired_credential_dates_decide(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    document = dict(w.EDC_DOCUMENT, expirationDate="2026-06-01T00:00:00Z")
    sealed = w.seal_edc(
        world.seal_cert(),
        document=document,
        sig_tst=(world.tsa, w.SIGNED_AT),
        crls=[_good_crl(world)],
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.EXPIRED, _summary(report)


def _issuing_ca_world(world: w.World) -> tuple[w.World, w.Cert]:
    """The usual shape: the list names an issuing CA whose own root is on no list."""
    root = w.make_cert(w._name("Synthetic Root"), w.ec_key(), None, ca=True)
    issuing = w.make_cert(w._name("Synthetic Issuing CA"), w.ec_key(), root, ca=True)
    listed = w.World(
        world.lotl_signer,
        world.tl_signer,
        issuing,
        world.tsa,
        [tl.Service(issuing), world.services[1]],
    )
    return listed, root


@pytest.mark.parametrize("revoked", [False, True])
def test_crl_of_a_listed_issuing_ca_that_is_not_self_signed(
    world: w.World, tmp_path: Path, revoked: bool
) -> None:
    listed, root = _issuing_ca_world(world)
    seal = listed.seal_cert()
    entries = [(seal.cert, datetime(2026, 2, 20, tzinfo=UTC))] if revoked else []
    sealed = w.seal_edc(
        seal,
        [listed.ca, root],
        sig_tst=(world.tsa, w.SIGNED_AT),
        crls=[w.crl(listed.ca, entries, datetime(2026, 3, 2, tzinfo=UTC))],
    )
    report = _verify(sealed, listed.snapshot(), tmp_path)
    assert report.status is (Status.REVOKED if revoked else Status.VALID), _summary(report)


def test_a_timestamp_unit_certified_by_a_seal_ca_is_not_a_listed_tsa(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    """Only a TSA service of the list makes time trusted, not any certificate from a listed CA."""
    unit = w.make_cert(w._name("Unit under the seal CA"), w.ec_key(), world.ca, tsa=True)
    sealed = w.seal_edc(
        _expired_seal(world),
        sig_tst=(unit, w.SIGNED_AT),
        crls=[_good_crl(world)],
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert "is on no trusted list" in _check(report, "seal-time").message


def test_a_claimed_time_in_the_future_is_not_used(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    """An expired certificate cannot hide behind a sigT after now: it is checked as of now."""
    sealed = w.seal_edc(
        _expired_seal(world), crls=[_good_crl(world)], signed_at=datetime(2027, 1, 1, tzinfo=UTC)
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert "checked as of now" in _check(report, "seal-time").message
    assert report.status is Status.UNVERIFIED, _summary(report)


def test_a_crl_carried_as_pem_text_is_read_and_a_broken_one_skipped(
    world: w.World, snapshot: trust.TrustSnapshot, tmp_path: Path
) -> None:
    """Genuine Europass seals carry a CRL base64-encoded as PEM text; it still counts."""
    crl = _good_crl(world)
    pem = b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(crl) + b"-----END X509 CRL-----\n"
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[b"\x30\x03junk", pem]
    )
    report = _verify(sealed, snapshot, tmp_path)
    assert report.status is Status.VALID, _summary(report)


def test_the_date_shown_is_that_of_the_list_that_grants_the_service(
    world: w.World, tmp_path: Path
) -> None:
    snapshot = world.snapshot(issued=datetime(2026, 1, 15, tzinfo=UTC))  # LOTL: 2026-02-01
    sealed = w.seal_edc(
        world.seal_cert(), sig_tst=(world.tsa, w.SIGNED_AT), crls=[_good_crl(world)]
    )
    message = _check(_verify(sealed, snapshot, tmp_path), "seal-trust").message
    assert message.endswith("as of the trusted list of 2026-01-15T00:00:00Z."), message
