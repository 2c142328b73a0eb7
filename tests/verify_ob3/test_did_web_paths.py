"""Path-based did:web and percent-encoded ports, end to end (issue 13): real issuers publish
``did:web:dc.1edtech.org:wellspring2022:…`` and ``did:web:registrar%3A3000:d:…``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
from wallet.verify.did import did_web_url


@pytest.mark.parametrize(
    ("did", "url"),
    [
        (
            "did:web:dc.example.org:wellspring2022:issuers:7",
            "https://dc.example.org/wellspring2022/issuers/7/did.json",
        ),
        (
            "did:web:registrar%3A3000:d:www.acme.example",
            "https://registrar:3000/d/www.acme.example/did.json",
        ),
        ("did:web:example.com:a%20b", "https://example.com/a%20b/did.json"),
    ],
)
def test_path_and_port_forms(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    ("did", "url"),
    [
        (
            "did:web:issuers.example%3A8443:schools:north",
            "https://issuers.example:8443/schools/north/did.json",
        ),
        ("did:web:issuers.example:a:b", "https://issuers.example/a/b/did.json"),
    ],
)
def test_vc_jwt_by_path_based_did_web_is_valid(contexts_dir: Path, did: str, url: str) -> None:
    issuer = Issuer.p256()
    did_doc = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": issuer.public_jwk,
            }
        ],
        "assertionMethod": [f"{did}#key-1"],
    }
    doc = badge(issuer)
    doc["issuer"] = {"id": did, "type": ["Profile"], "name": "Path issuer"}
    token = sign_jwt({**doc, "iss": did}, issuer, {"kid": f"{did}#key-1"})
    served = {url: (200, "application/did+json", json.dumps(did_doc).encode())}
    report = run(jwt_credential(token), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert check(report, "issuer-key").status is CheckStatus.PASS
