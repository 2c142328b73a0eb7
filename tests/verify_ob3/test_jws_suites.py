"""Ed25519Signature2018 (the JFF Plugfest badges), JsonWebSignature2020 and the legacy
``eddsa-2022`` suite name, signed here with keys made in the test (issue 13)."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from tests.verify_ob3.signing import (
    OB3,
    VC1,
    Issuer,
    b58encode,
    badge,
    check,
    contexts_fetcher,
    credential_of,
    run,
    sign_di,
)
from wallet.model import CheckStatus, Status
from wallet.verify import jsonld
from wallet.verify.context import VerifyContext

JWS2020 = "https://w3id.org/security/suites/jws-2020/v1"
_JWS2020_CONTEXT = {
    "@context": {
        "@version": 1.1,
        "@protected": True,
        "JsonWebSignature2020": {
            "@id": "https://w3id.org/security#JsonWebSignature2020",
            "@context": {
                "@protected": True,
                "id": "@id",
                "type": "@type",
                "created": {
                    "@id": "http://purl.org/dc/terms/created",
                    "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
                },
                "jws": "https://w3id.org/security#jws",
                "proofPurpose": {
                    "@id": "https://w3id.org/security#proofPurpose",
                    "@type": "@vocab",
                    "@context": {
                        "assertionMethod": {
                            "@id": "https://w3id.org/security#assertionMethod",
                            "@type": "@id",
                        }
                    },
                },
                "verificationMethod": {
                    "@id": "https://w3id.org/security#verificationMethod",
                    "@type": "@id",
                },
            },
        },
    }
}
"""A minimal stand-in for the jws-2020 context (test data, served through the test fetcher)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _vc11(issuer_id: str) -> dict[str, Any]:
    doc = badge(Issuer.ed25519())
    doc["@context"] = [VC1, OB3]
    doc["issuer"] = {"id": issuer_id, "type": "Profile", "name": "Plugfest issuer"}
    doc.pop("validFrom")
    doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    return doc


def _hash_data(document: dict[str, Any], proof: dict[str, Any], fetcher: Any) -> bytes:
    config = {**proof, "@context": document["@context"]}

    async def canon() -> tuple[str, str]:
        ctx = VerifyContext(fetcher=fetcher, offline=True)
        contexts = await jsonld.load_contexts(document, ctx)
        return (
            jsonld.canonicalize(config, contexts).nquads,
            jsonld.canonicalize(document, contexts).nquads,
        )

    c_config, c_doc = asyncio.run(canon())
    return hashlib.sha256(c_config.encode()).digest() + hashlib.sha256(c_doc.encode()).digest()


def sign_detached(
    document: dict[str, Any],
    *,
    proof_type: str,
    vm: str,
    alg: str,
    sign: Any,
    fetcher: Any,
) -> dict[str, Any]:
    """``document`` with a detached-JWS proof (RFC 7797 b64:false) made by ``sign``."""
    proof = {
        "type": proof_type,
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": vm,
        "proofPurpose": "assertionMethod",
    }
    header = _b64(json.dumps({"alg": alg, "b64": False, "crit": ["b64"]}).encode())
    signature = sign(header.encode() + b"." + _hash_data(document, proof, fetcher))
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "jws": f"{header}..{_b64(signature)}"}
    return signed


def _ed2018(contexts_dir: Path, issuer: Issuer, issuer_id: str, vm: str, extra: Any = None) -> Any:
    fetcher = contexts_fetcher(contexts_dir, extra)
    return sign_detached(
        _vc11(issuer_id),
        proof_type="Ed25519Signature2018",
        vm=vm,
        alg="EdDSA",
        sign=issuer.private.sign,
        fetcher=fetcher,
    )


def test_ed25519_signature_2018_by_did_key_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = _ed2018(contexts_dir, issuer, issuer.did, issuer.vm)
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert "Ed25519Signature2018" in check(report, "proof").message


def test_ed25519_signature_2018_by_did_web_2018_key_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    did = "did:web:plugfest.example:issuers:jff"
    raw = issuer.private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    did_doc = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "Ed25519VerificationKey2018",
                "controller": did,
                "publicKeyBase58": b58encode(raw),
            }
        ],
        "assertionMethod": [f"{did}#key-1"],
    }
    served = {
        "https://plugfest.example/issuers/jff/did.json": (
            200,
            "application/did+json",
            json.dumps(did_doc).encode(),
        )
    }
    signed = _ed2018(contexts_dir, issuer, did, f"{did}#key-1")
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_ed25519_signature_2018_tampered_is_invalid(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = _ed2018(contexts_dir, issuer, issuer.did, issuer.vm)
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID
    assert check(report, "proof").status is CheckStatus.FAIL


def test_encoded_payload_jws_is_refused(contexts_dir: Path) -> None:
    """A JWS whose header does not say b64:false did not sign the raw hash data."""
    issuer = Issuer.ed25519()
    signed = _ed2018(contexts_dir, issuer, issuer.did, issuer.vm)
    header = _b64(json.dumps({"alg": "EdDSA"}).encode())
    signed["proof"]["jws"] = header + ".." + signed["proof"]["jws"].split("..")[1]
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


def test_jws_alg_must_fit_the_key(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = _ed2018(contexts_dir, issuer, issuer.did, issuer.vm)
    header = _b64(json.dumps({"alg": "ES256", "b64": False, "crit": ["b64"]}).encode())
    signed["proof"]["jws"] = header + ".." + signed["proof"]["jws"].split("..")[1]
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.INVALID


def _jws2020_doc(issuer_id: str) -> dict[str, Any]:
    doc = _vc11(issuer_id)
    doc["@context"] = [VC1, OB3, JWS2020]
    return doc


def _jws2020_served(contexts_dir: Path) -> dict[str, Any]:
    return {JWS2020: (200, "application/ld+json", json.dumps(_JWS2020_CONTEXT).encode())}


def test_json_web_signature_2020_with_p256_did_key_is_valid(contexts_dir: Path) -> None:
    issuer = Issuer.p256()
    served = _jws2020_served(contexts_dir)

    def sign(data: bytes) -> bytes:
        der = issuer.private.sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    signed = sign_detached(
        _jws2020_doc(issuer.did),
        proof_type="JsonWebSignature2020",
        vm=issuer.vm,
        alg="ES256",
        sign=sign,
        fetcher=contexts_fetcher(contexts_dir, served),
    )
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_json_web_signature_2020_with_rsa_ps256_did_jwk_is_valid(contexts_dir: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = private.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "n": _b64(numbers.n.to_bytes(256, "big")),
        "e": _b64(numbers.e.to_bytes(3, "big")),
    }
    did = "did:jwk:" + _b64(json.dumps(jwk).encode())
    served = _jws2020_served(contexts_dir)
    signed = sign_detached(
        _jws2020_doc(did),
        proof_type="JsonWebSignature2020",
        vm=f"{did}#0",
        alg="PS256",
        sign=lambda data: private.sign(
            data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
        ),
        fetcher=contexts_fetcher(contexts_dir, served),
    )
    report = run(credential_of(signed), contexts_fetcher(contexts_dir, served))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]


def test_legacy_eddsa_2022_name_verifies_as_eddsa_rdfc_2022(contexts_dir: Path) -> None:
    issuer = Issuer.ed25519()
    signed = sign_di(badge(issuer), issuer, contexts_dir, cryptosuite="eddsa-2022")
    report = run(credential_of(signed), contexts_fetcher(contexts_dir))
    assert report.status is Status.VALID, [(c.id, c.message) for c in report.checks]
    assert "eddsa-2022" in check(report, "proof").message
