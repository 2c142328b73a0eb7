"""Key resolution: did:web URLs and documents, https controller documents, purposes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.verify_ob3.signing import (
    Issuer,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
)
from wallet.model import CheckStatus, Status
from wallet.verify.did import did_web_url


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:issuers:42", "https://example.com/issuers/42/did.json"),
        ("did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json"),
        ("did:web:example.com%3A8443:a", "https://example.com:8443/a/did.json"),
    ],
)
def test_did_web_urls(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize("did", ["did:web:exa mple.com", "did:web:example.com:..", "did:web:a::b"])
def test_bad_did_web_is_refused(did: str) -> None:
    with pytest.raises(ValueError):
        did_web_url(did)


def _did_web(issuer: Issuer, did: str, *, grant: bool = True) -> dict[str, object]:
    vm = {
        "id": f"{did}#key-1",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": issuer.multikey,
    }
    doc: dict[str, object] = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [vm],
    }
    if grant:
        doc["assertionMethod"] = ["#key-1"]
    return doc


def _web_case(contexts_dir: Path, *, grant: bool = True, serve: bool = True) -> object:
    issuer = Issuer.ed25519()
    did = "did:web:issuer.example:badges"
    doc = badge(issuer)
    doc["issuer"] = {"id": did, "type": ["Profile"], "name": "Web issuer"}
    signed = sign_di(doc, issuer, contexts_dir, vm=f"{did}#key-1")
    served = {}
    if serve:
        body = json.dumps(_did_web(issuer, did, grant=grant)).encode()
        served["https://issuer.example/badges/did.json"] = (200, "application/did+json", body)
    return run(credential_of(signed), contexts_fetcher(contexts_dir, served))


def test_did_web_with_relative_reference_is_valid(contexts_dir: Path) -> None:
    report = _web_case(contexts_dir)
    assert report.status is Status.VALID  # type: ignore[attr-defined]


def test_did_web_key_not_granted_assertion_is_invalid(contexts_dir: Path) -> None:
    report = _web_case(contexts_dir, grant=False)
    assert report.status is Status.INVALID  # type: ignore[attr-defined]
    assert "assertionMethod" in check(report, "proof").message


def test_did_web_unavailable_is_unverified(contexts_dir: Path) -> None:
    report = _web_case(contexts_dir, serve=False)
    assert report.status is Status.UNVERIFIED  # type: ignore[attr-defined]
    assert check(report, "issuer-key").status is CheckStatus.UNKNOWN


def test_https_controller_document_with_jwk(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    controller = "https://school.example/issuer"
    vm_id = f"{controller}#k1"
    doc = badge(issuer)
    doc["issuer"] = {"id": controller, "type": ["Profile"], "name": "School"}
    signed = sign_di(doc, issuer, contexts_dir, vm=vm_id)
    controller_doc = {
        "id": controller,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "JsonWebKey",
                "controller": controller,
                "publicKeyJwk": issuer.public_jwk,
            }
        ],
        "assertionMethod": [vm_id],
    }
    served = {controller: (200, "application/json", json.dumps(controller_doc).encode())}
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID
