"""Soundness regressions: forged, confused and half-available inputs that once came out ``valid``.

Each test is named after the defect it pins.  The attacker in these tests holds a key of its own
(``stranger``) and can publish documents on its own host or DID; it never has the issuer's key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.verify_ob3.signing import (
    DI2,
    VC1,
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
from wallet.model import CheckStatus, Status

SCHOOL = "https://school.example/issuer"
SCHOOL_WEB = "did:web:school.example"
EVIL_WEB = "did:web:evil.example"


def _doc(body: Any) -> tuple[int, str, bytes]:
    return (200, "application/json", json.dumps(body).encode())


def _https_badge(issuer_id: str) -> dict[str, Any]:
    doc = badge(Issuer.ed25519())
    doc["issuer"] = {"id": issuer_id, "type": ["Profile"], "name": "School"}
    return doc


def _jwt_claims(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "iss": doc["issuer"]["id"], "jti": doc["id"], "nbf": 1704067200}


# --------------------------------------------------------------------------- key controllers


def _claiming_doc(doc_id: str, vm: str, claimed: str, key: Issuer) -> dict[str, Any]:
    """A controller document of ``doc_id`` listing ``key`` as "controlled by" ``claimed``."""
    method = {
        "id": vm,
        "type": "Multikey",
        "controller": claimed,
        "publicKeyMultibase": key.multikey,
    }
    return {"id": doc_id, "verificationMethod": [method], "assertionMethod": [vm]}


def test_controller_document_vm_claiming_another_controller_is_not_the_issuers(
    contexts_dir: Path,
) -> None:
    """A controller document on the attacker's host lists a key whose ``controller`` member names
    the victim issuer: the document's own id, not that claim, decides who controls the key."""
    stranger = Issuer.ed25519()
    keys_url = "https://evil.example/keys"
    vm = keys_url + "#k1"
    served = {keys_url: _doc(_claiming_doc(keys_url, vm, SCHOOL, stranger))}
    signed = sign_di(_https_badge(SCHOOL), stranger, contexts_dir, vm=vm)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL
    token = sign_jwt(_jwt_claims(_https_badge(SCHOOL)), stranger, {"kid": vm})
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID


def test_did_web_document_vm_claiming_another_did_is_not_the_issuers(contexts_dir: Path) -> None:
    stranger = Issuer.ed25519()
    vm = EVIL_WEB + "#k1"
    served = {
        "https://evil.example/.well-known/did.json": _doc(
            _claiming_doc(EVIL_WEB, vm, SCHOOL_WEB, stranger)
        )
    }
    signed = sign_di(_https_badge(SCHOOL_WEB), stranger, contexts_dir, vm=vm)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL


def test_jwk_document_claiming_a_controller_on_another_origin_is_not_the_issuers(
    contexts_dir: Path,
) -> None:
    """A bare JWK (Set) names no one it can prove: its ``controller`` member is only believed
    when it is on the key URL's own origin."""
    stranger = Issuer.p256()
    kid = "https://evil.example/jwks.json"
    served = {kid: _doc({**stranger.public_jwk, "controller": SCHOOL})}
    token = sign_jwt(_jwt_claims(_https_badge(SCHOOL)), stranger, {"kid": kid})
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL


def _school_did_doc(key: Issuer, *, relationship: str = "assertionMethod") -> dict[str, Any]:
    vm = SCHOOL_WEB + "#k1"
    return {
        "id": SCHOOL_WEB,
        "verificationMethod": [
            {
                "id": vm,
                "type": "JsonWebKey",
                "controller": SCHOOL_WEB,
                "publicKeyJwk": key.public_jwk,
            }
        ],
        relationship: [vm],
    }


def test_lone_jwk_header_for_a_did_web_issuer_must_be_a_key_of_its_document(
    contexts_dir: Path,
) -> None:
    school, stranger = Issuer.p256(), Issuer.p256()
    claims = _jwt_claims(_https_badge(SCHOOL_WEB))
    forged = sign_jwt(claims, stranger, {"kid": None, "jwk": stranger.public_jwk})
    served = {"https://school.example/.well-known/did.json": _doc(_school_did_doc(school))}
    report = run(jwt_credential(forged), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL
    # without the DID document nothing ties the key to the issuer: not valid either
    report = run(jwt_credential(forged), contexts_fetcher(contexts_dir))
    assert report.status is Status.UNVERIFIED
    # the issuer's own key, embedded, is found in its DID document
    genuine = sign_jwt(claims, school, {"kid": None, "jwk": school.public_jwk})
    report = run(jwt_credential(genuine), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_authentication_only_key_cannot_sign_a_vc_jwt(contexts_dir: Path) -> None:
    school = Issuer.p256()
    served = {
        "https://school.example/.well-known/did.json": _doc(
            _school_did_doc(school, relationship="authentication")
        )
    }
    token = sign_jwt(_jwt_claims(_https_badge(SCHOOL_WEB)), school, {"kid": SCHOOL_WEB + "#k1"})
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.INVALID
    assert check(report, "issuer-key").status is CheckStatus.FAIL


# --------------------------------------------------------------------------- dates


def test_expiration_date_next_to_valid_from_still_expires(contexts_dir: Path) -> None:
    """A VC 1.1 credential that also carries ``validFrom`` (the 1.1 context defines it) must not
    hide its past ``expirationDate``: every stated end date counts."""
    issuer = Issuer.ed25519()
    doc = badge(issuer)
    doc["@context"] = [VC1, doc["@context"][1], DI2]
    doc.pop("validFrom")
    doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    doc["validFrom"] = "2024-01-01T00:00:00Z"
    doc["expirationDate"] = "2025-01-01T00:00:00Z"
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert report.status is Status.EXPIRED, [(c.id, c.message) for c in report.checks]


def test_issuance_date_in_the_future_next_to_valid_from_is_not_yet_valid(
    contexts_dir: Path,
) -> None:
    issuer = Issuer.ed25519()
    doc = badge(issuer)
    doc["@context"] = [VC1, doc["@context"][1], DI2]
    doc["validFrom"] = "2024-01-01T00:00:00Z"
    doc["issuanceDate"] = "2099-01-01T00:00:00Z"
    report = run(credential_of(sign_di(doc, issuer, contexts_dir)), contexts_fetcher(contexts_dir))
    assert report.status is Status.NOT_YET_VALID, [(c.id, c.message) for c in report.checks]
