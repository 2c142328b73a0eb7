"""CLR 2.0 and Verifiable Presentations (every nested credential), endorsements, recipients."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.verify_ob3.signing import (
    VC2,
    Issuer,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    jwt_credential,
    run,
    sign_di,
    sign_jwt,
)
from wallet.model import CheckStatus, Format, Status

VC_TERM = {
    "@id": "https://www.w3.org/2018/credentials#verifiableCredential",
    "@type": "@id",
    "@container": "@graph",
}


def _clr(issuer: Issuer, contexts_dir: Path, nested: list[Any]) -> dict[str, Any]:
    doc = badge(issuer)
    # The CLR 2.0 context is not among the pinned ones; an inline term stands in for it.
    doc["@context"] = [*doc["@context"], {"verifiableCredential": VC_TERM}]
    doc["credentialSubject"] = {
        "id": "did:example:learner",
        "type": ["AchievementSubject"],
        "achievement": doc["credentialSubject"]["achievement"],
        "verifiableCredential": nested,
    }
    return sign_di(doc, issuer, contexts_dir)


def test_clr_status_includes_every_nested_credential(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    good = sign_di(badge(issuer), issuer, contexts_dir)
    bad = copy.deepcopy(good)
    bad["name"] = "Forged"
    clr = _clr(issuer, contexts_dir, [good, bad])
    report = run(credential_of(clr, Format.CLR), contexts_fetcher(contexts_dir))
    assert check(report, "proof").status is CheckStatus.PASS
    assert [c.status for c in report.children] == [Status.VALID, Status.INVALID]
    assert report.status is Status.INVALID
    other = sign_di(
        badge(issuer, id="urn:uuid:6c0e3b0a-0f7e-4a55-9b8d-1f0f4f3f7a11"), issuer, contexts_dir
    )
    clr_ok = _clr(issuer, contexts_dir, [good, other])
    report = run(credential_of(clr_ok, Format.CLR), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID
    assert len(report.children) == 2


def test_presentation_verifies_each_credential(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    good = sign_di(badge(issuer), issuer, contexts_dir)
    expired = sign_di(badge(issuer, validUntil="2025-01-01T00:00:00Z"), issuer, contexts_dir)
    token = sign_jwt({**badge(issuer), "iss": issuer.did}, issuer)
    vp = {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [good, expired, token],
    }
    report = run(credential_of(vp, Format.VP), contexts_fetcher(contexts_dir))
    assert [c.status for c in report.children] == [Status.VALID, Status.EXPIRED, Status.VALID]
    assert report.status is Status.EXPIRED
    assert check(report, "proof").status is CheckStatus.SKIP


def test_holder_signed_presentation(contexts_dir: Path) -> None:
    issuer, holder = Issuer.ed25519(), Issuer.ed25519()
    vp = {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "holder": holder.did,
        "verifiableCredential": [sign_di(badge(issuer), issuer, contexts_dir)],
    }
    signed = sign_di(vp, holder, contexts_dir, purpose="authentication")
    assert (
        run(credential_of(signed, Format.VP), contexts_fetcher(contexts_dir)).status is Status.VALID
    )
    forged = sign_di(vp, issuer, contexts_dir, purpose="authentication")
    assert (
        run(credential_of(forged, Format.VP), contexts_fetcher(contexts_dir)).status
        is Status.INVALID
    )


def test_invalid_endorsement_is_reported_not_fatal(contexts_dir: Path) -> None:
    issuer, endorser = Issuer.ed25519(), Issuer.ed25519()
    endorsement = sign_di(
        badge(endorser, type=["VerifiableCredential", "EndorsementCredential"]),
        endorser,
        contexts_dir,
    )
    endorsement["name"] = "changed after signing"
    doc = badge(issuer)
    doc["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert check(report, "endorsement:1").status is CheckStatus.WARN
    assert report.status is Status.VALID


def test_hashed_email_recipient(conformance_dir: Path, contexts_dir: Path) -> None:
    import json

    doc = json.loads(
        (conformance_dir / "ob3/generated/v2-eddsa-hashed-email-recipient.json").read_text()
    )
    fetcher = contexts_fetcher(contexts_dir)
    report = run(credential_of(doc), fetcher, recipients=("learner@example.edu",))
    assert report.status is Status.VALID
    assert report.recipient.matched is True
    report = run(
        credential_of(doc), contexts_fetcher(contexts_dir), recipients=("other@example.edu",)
    )
    assert report.status is Status.INVALID
    assert report.recipient.matched is False


def test_refresh_service_is_reported_not_followed(
    conformance_dir: Path, contexts_dir: Path
) -> None:
    import json

    doc = json.loads((conformance_dir / "ob3/generated/v2-eddsa-refreshservice.json").read_text())
    fetcher = contexts_fetcher(contexts_dir)
    report = run(credential_of(doc), fetcher)
    assert check(report, "refresh").status is CheckStatus.SKIP
    refresh_url = (
        doc["refreshService"]["id"]
        if isinstance(doc["refreshService"], dict)
        else doc["refreshService"][0]["id"]
    )
    assert refresh_url not in fetcher.asked
    assert report.status is Status.VALID


def test_vc_jwt_presentation_of_nested_jwt(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    token = sign_jwt({**badge(issuer), "iss": issuer.did}, issuer)
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID


def test_presentation_signed_by_our_own_exporter_is_valid(contexts_dir: Path) -> None:
    """plecak's exporters sign presentations with eddsa-jcs-2022 (wallet.codecs.holder)."""
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from wallet.codecs import holder

    issuer = Issuer.ed25519()
    private = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    vp = {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "holder": holder.did_key_from_private(private),
        "verifiableCredential": [sign_di(badge(issuer), issuer, contexts_dir)],
    }
    signed = holder.sign_jcs(
        vp, private, created=datetime(2026, 1, 1, tzinfo=UTC), proof_purpose="authentication"
    )
    report = run(credential_of(signed, Format.VP), contexts_fetcher(contexts_dir))
    assert check(report, "proof").status is CheckStatus.PASS
    assert report.status is Status.VALID
    signed["holder"] = issuer.did
    assert (
        run(credential_of(signed, Format.VP), contexts_fetcher(contexts_dir)).status
        is Status.INVALID
    )


def test_self_issued_clr_from_our_exporter(conformance_dir: Path, contexts_dir: Path) -> None:
    """The CLR 2.0 context is not pinned; an eddsa-jcs-2022 CLR needs no JSON-LD, so it verifies."""
    import json
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from wallet.codecs import holder

    private = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    me = holder.did_key_from_private(private)
    nested = json.loads((conformance_dir / "ob3/generated/v2-eddsa-valid.json").read_text())
    clr = {
        "@context": [VC2, "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
        "id": "urn:uuid:0b7f0a3e-3c55-4a53-9e0e-8f3b8f8f8f8f",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": me, "type": ["Profile"], "name": "Me"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": me, "type": ["ClrSubject"], "verifiableCredential": [nested]},
    }
    signed = holder.sign_jcs(clr, private, created=datetime(2026, 1, 1, tzinfo=UTC))
    report = run(credential_of(signed, Format.CLR), contexts_fetcher(contexts_dir))
    assert check(report, "proof").status is CheckStatus.PASS
    assert check(report, "context").status is CheckStatus.WARN
    assert [c.status for c in report.children] == [Status.VALID]
    assert report.status is Status.VALID
