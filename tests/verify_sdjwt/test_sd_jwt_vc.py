"""SD-JWT VC (issue 13): import, disclosures, issuer keys (metadata, jwks_uri, DID, x5c), key
binding, Token Status List, dates — against credentials issued by the SD-JWT reference library."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from jwcrypto.jwk import JWK

from tests.verify_ob3.signing import check
from tests.verify_sdjwt.issuing import (
    IAT,
    STATUS_URI,
    claims,
    imported,
    issue,
    metadata,
    new_key,
    present,
    run,
    status_list_token,
)
from wallet.model import CheckStatus, Format, Status


def _summary(report: Any) -> list[tuple[str, str, str]]:
    return [(c.id, c.status.value, c.message) for c in report.checks]


def test_issued_credential_imports_with_its_disclosed_claims() -> None:
    key = new_key()
    credential = imported(issue(key, claims()))
    assert credential.format is Format.SD_JWT_VC
    assert credential.title == "Community Gardening"
    assert (
        credential.issuer is not None and credential.issuer.id == "https://issuer.example/tenants/7"
    )
    assert credential.document["credentialSubject"]["given_name"] == "Ada"
    assert credential.document["nationalities"] == ["PL", "DE"]
    assert "_sd" not in json.dumps(credential.document)


@pytest.mark.parametrize("inline", [True, False], ids=["jwks", "jwks_uri"])
def test_key_from_issuer_metadata_is_valid(inline: bool) -> None:
    key = new_key()
    report = run(issue(key, claims()), metadata(key, inline=inline))
    assert report.status is Status.VALID, _summary(report)
    assert check(report, "issuer-key").status is CheckStatus.PASS
    assert "credentialSubject/given_name" in check(report, "disclosures").message


def test_legacy_vc_sd_jwt_type_is_accepted() -> None:
    key = new_key()
    report = run(issue(key, claims(), typ="vc+sd-jwt"), metadata(key))
    assert report.status is Status.VALID, _summary(report)


def test_partial_presentation_shows_only_what_was_disclosed() -> None:
    key = new_key()
    issuance = issue(key, claims())
    presentation = present(issuance, {"name": True})
    credential = imported(presentation)
    assert credential.title == "Community Gardening"
    assert "achievement" not in credential.document["credentialSubject"]
    report = run(presentation, metadata(key))
    assert report.status is Status.VALID, _summary(report)


def test_key_binding_is_checked_when_present() -> None:
    key, holder = new_key(), new_key("holder")
    issuance = issue(key, claims(), holder=holder)
    presentation = present(
        issuance, {"name": True, "credentialSubject": {"achievement": True}}, holder
    )
    report = run(presentation, metadata(key))
    assert report.status is Status.VALID, _summary(report)
    assert check(report, "key-binding").status is CheckStatus.PASS


def test_key_binding_by_another_key_is_invalid() -> None:
    key, holder, thief = new_key(), new_key("holder"), new_key("thief")
    issuance = issue(key, claims(), holder=holder)
    presentation = present(issuance, {"name": True}, thief)
    report = run(presentation, metadata(key))
    assert report.status is Status.INVALID
    assert check(report, "key-binding").status is CheckStatus.FAIL


def test_key_binding_over_other_disclosures_is_invalid() -> None:
    key, holder = new_key(), new_key("holder")
    issuance = issue(key, claims(), holder=holder)
    presentation = present(issuance, {"name": True}, holder)
    issuer_jwt, *rest = presentation.split("~")
    extra = issuance.split("~")[1:-1]
    added = next(d for d in extra if d not in rest)
    tampered = "~".join([issuer_jwt, *rest[:-1], added, rest[-1]])
    report = run(tampered, metadata(key))
    assert report.status is Status.INVALID
    assert "sd_hash" in check(report, "key-binding").message


def test_without_key_binding_a_bound_credential_is_reported() -> None:
    key, holder = new_key(), new_key("holder")
    report = run(issue(key, claims(), holder=holder), metadata(key))
    assert report.status is Status.VALID
    assert check(report, "key-binding").status is CheckStatus.SKIP


def test_forged_disclosure_is_refused_by_the_importer_and_the_verifier() -> None:
    key = new_key()
    issuance = issue(key, claims())
    forged = base64.urlsafe_b64encode(json.dumps(["salt", "given_name", "Eve"]).encode())
    text = issuance.rstrip("~") + "~" + forged.rstrip(b"=").decode() + "~"
    from importers.registry import default_registry
    from wallet.ports import Blob

    batch = default_registry().parse_blob(Blob(data=text.encode(), source="x"))
    assert batch.failures and not batch.found


def test_altered_issuer_jwt_is_invalid() -> None:
    key = new_key()
    issuance = issue(key, claims())
    head, body, signature = issuance.split("~")[0].split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["exp"] = payload["exp"] + 86400 * 3650
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    tampered = ".".join([head, body, signature]) + "~" + "~".join(issuance.split("~")[1:])
    report = run(tampered, metadata(key))
    assert report.status is Status.INVALID
    assert check(report, "proof").status is CheckStatus.FAIL


def test_metadata_for_another_issuer_is_refused() -> None:
    key = new_key()
    served = metadata(key)
    url, (status, ctype, body) = next(iter(served.items()))
    doc = json.loads(body)
    doc["issuer"] = "https://evil.example"
    report = run(issue(key, claims()), {url: (status, ctype, json.dumps(doc).encode())})
    assert report.status is Status.INVALID


def test_unavailable_metadata_is_unverified() -> None:
    report = run(issue(new_key(), claims()), {})
    assert report.status is Status.UNVERIFIED
    assert check(report, "issuer-key").status is CheckStatus.UNKNOWN


def test_signed_by_a_key_the_issuer_does_not_publish_is_invalid() -> None:
    key, other = new_key(), new_key()
    report = run(issue(other, claims()), metadata(key))
    assert report.status is Status.INVALID


def test_did_issuer_with_kid() -> None:
    key = new_key()
    public = key.export_public(as_dict=True)
    public.pop("kid", None)
    did = "did:jwk:" + base64.urlsafe_b64encode(json.dumps(public).encode()).rstrip(b"=").decode()
    token = issue(key, claims(iss=did), header={"kid": f"{did}#0"})
    report = run(token, {})
    assert report.status is Status.VALID, _summary(report)


def test_x5c_key_is_never_established() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.support.certs import self_signed

    private = ec.generate_private_key(ec.SECP256R1())
    cert = self_signed(private)
    der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = JWK.from_pem(pem)
    report = run(issue(key, claims(), header={"x5c": [der]}), {})
    assert report.status is Status.UNVERIFIED, _summary(report)
    assert check(report, "proof").status is CheckStatus.PASS
    assert check(report, "issuer-key").status is CheckStatus.UNKNOWN


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, Status.VALID), (1, Status.REVOKED), (2, Status.SUSPENDED)],
)
def test_token_status_list(value: int, expected: Status) -> None:
    key = new_key()
    token = issue(key, claims(status={"status_list": {"idx": 5, "uri": STATUS_URI}}))
    served = {
        **metadata(key),
        STATUS_URI: (200, "application/statuslist+jwt", status_list_token(key, {5: value, 4: 1})),
    }
    report = run(token, served)
    assert report.status is expected, _summary(report)


def test_status_list_by_another_key_is_unverified_not_revoked() -> None:
    key, other = new_key(), new_key()
    token = issue(key, claims(status={"status_list": {"idx": 5, "uri": STATUS_URI}}))
    served = {
        **metadata(key),
        STATUS_URI: (200, "application/statuslist+jwt", status_list_token(other, {5: 1})),
    }
    report = run(token, served)
    assert report.status is Status.UNVERIFIED
    assert check(report, "status").status is CheckStatus.UNKNOWN


@pytest.mark.parametrize(
    "body",
    [b"garbage", None],
    ids=["not-a-token", "missing"],
)
def test_status_list_problems_are_unverified(body: bytes | None) -> None:
    key = new_key()
    token = issue(key, claims(status={"status_list": {"idx": 5, "uri": STATUS_URI}}))
    served = dict(metadata(key))
    if body is not None:
        served[STATUS_URI] = (200, "application/statuslist+jwt", body)
    assert run(token, served).status is Status.UNVERIFIED


def test_expired_status_list_is_unverified() -> None:
    key = new_key()
    token = issue(key, claims(status={"status_list": {"idx": 5, "uri": STATUS_URI}}))
    served = {
        **metadata(key),
        STATUS_URI: (200, "application/statuslist+jwt", status_list_token(key, {5: 1}, exp=IAT)),
    }
    assert run(token, served).status is Status.UNVERIFIED


def test_expired_credential() -> None:
    key = new_key()
    report = run(issue(key, claims(exp=IAT - 10)), metadata(key))
    assert report.status is Status.EXPIRED


def test_recipient_by_subject() -> None:
    key = new_key()
    token = issue(key, claims(sub="did:example:ada"))
    assert run(token, metadata(key), ("did:example:ada",)).status is Status.VALID
    assert run(token, metadata(key), ("did:example:eve",)).status is Status.INVALID


def test_a_batch_fetches_the_issuer_metadata_and_status_list_once() -> None:
    import asyncio

    from tests.verify_ob3.signing import NOW
    from tests.verify_sdjwt.issuing import METADATA
    from wallet.net.fake import FakeFetcher
    from wallet.verify.context import VerifyContext
    from wallet.verify.verifier import verify

    key = new_key()
    served = {
        **metadata(key),
        STATUS_URI: (200, "application/statuslist+jwt", status_list_token(key, {})),
    }
    status = {"status_list": {"idx": 1, "uri": STATUS_URI}}
    batch = [imported(issue(key, claims(status=status))) for _ in range(3)]
    fetcher = FakeFetcher(served)

    async def go() -> list[Any]:
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW, offline=True)
        return [await verify(c, ctx) for c in batch]

    assert {r.status for r in asyncio.run(go())} == {Status.VALID}
    assert fetcher.asked.count(METADATA) == 1
    assert fetcher.asked.count(STATUS_URI) == 1
