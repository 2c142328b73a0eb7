"""VC-JWT: algorithms pinned to keys, kid/jwk sources, claims that must agree, dates."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from tests.verify_ob3.signing import (
    Issuer,
    badge,
    check,
    contexts_fetcher,
    jwt_credential,
    run,
    sign_jwt,
)
from wallet.model import CheckStatus, Status


def _claims(issuer: Issuer, **extra: object) -> dict[str, object]:
    doc = badge(issuer)
    return {
        **doc,
        "iss": issuer.did,
        "jti": doc["id"],
        "sub": "did:example:learner",
        "nbf": 1704067200,
        **extra,
    }


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_es256_with_did_key_kid_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    report = run(jwt_credential(sign_jwt(_claims(issuer), issuer)), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID
    assert check(report, "claims").status is CheckStatus.PASS


def test_vc_claim_form_takes_missing_members_from_claims(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    vc = badge(issuer)
    for key in ("id", "issuer", "validFrom"):
        vc.pop(key)
    vc["@context"] = ["https://www.w3.org/2018/credentials/v1", vc["@context"][1]]
    token = sign_jwt({"vc": vc, "iss": issuer.did, "jti": "urn:uuid:1", "nbf": 1704067200}, issuer)
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_claims_that_contradict_the_credential_fail(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    token = sign_jwt(_claims(issuer, sub="did:example:someone-else"), issuer)
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "claims").status is CheckStatus.FAIL


def test_exp_in_the_past_is_expired(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    token = sign_jwt(_claims(issuer, exp=1717200000), issuer)
    assert run(jwt_credential(token), contexts_fetcher(contexts_dir)).status is Status.EXPIRED


def test_alg_none_and_hmac_are_refused(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    body = _b64(_claims(issuer))
    for alg in ("none", "HS256"):
        token = f"{_b64({'alg': alg, 'kid': issuer.vm})}.{body}.c2ln"
        report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
        assert report.status is Status.INVALID
        assert alg in check(report, "proof").message


def test_alg_must_match_the_key_type(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    token = sign_jwt(_claims(issuer), issuer)
    head, body, sig = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=="))
    header["alg"] = "EdDSA"
    report = run(jwt_credential(f"{_b64(header)}.{body}.{sig}"), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert "P-256" in check(report, "proof").message


def test_jwk_header_that_is_not_the_did_key_is_refused(contexts_dir: Path) -> None:
    issuer, stranger = Issuer.ed25519(), Issuer.ed25519()
    token = sign_jwt(_claims(issuer), stranger, {"kid": None, "jwk": stranger.public_jwk})
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


def test_bare_jwk_on_another_origin_is_not_the_issuers(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    claims = _claims(issuer, iss="https://school.example/issuer")
    claims["issuer"] = {
        "id": "https://school.example/issuer",
        "type": ["Profile"],
        "name": "School",
    }
    kid = "https://keys.elsewhere.example/k1"
    token = sign_jwt(claims, issuer, {"kid": kid})
    served = {kid: (200, "application/json", json.dumps(issuer.public_jwk).encode())}
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL
    same_origin = "https://school.example/keys/1"
    token = sign_jwt(claims, issuer, {"kid": same_origin})
    served = {same_origin: (200, "application/json", json.dumps(issuer.public_jwk).encode())}
    assert run(jwt_credential(token), contexts_fetcher(contexts_dir, served)).status is Status.VALID


def test_malformed_token_is_invalid_not_a_crash(contexts_dir: Path) -> None:
    report = run(
        jwt_credential("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln"), contexts_fetcher(contexts_dir)
    )
    assert report.status is Status.INVALID
