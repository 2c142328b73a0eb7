"""Test issuers: fresh keys, did:key identifiers, Data Integrity and VC-JWT signing.

The signing side reuses our canonicalisation; that is sound for tests because the conformance
corpus proves the canonical form agrees with other implementations (DCC, 1EdTech test vector).
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils
from joserfc import jwk as jose_jwk
from joserfc import jws as jose_jws

from tests.verify_ob3.dictfetcher import contexts_documents
from wallet.model import Credential, Format, Original
from wallet.net.fake import FakeFetcher
from wallet.verify import jsonld
from wallet.verify.context import VerifyContext
from wallet.verify.keys import b64url_encode

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DI2 = "https://w3id.org/security/data-integrity/v2"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = ""
    while num:
        num, rem = divmod(num, 58)
        out = _B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


@dataclass
class Issuer:
    kind: str
    private: Any

    @classmethod
    def ed25519(cls) -> Issuer:
        return cls("Ed25519", ed25519.Ed25519PrivateKey.generate())

    @classmethod
    def p256(cls) -> Issuer:
        return cls("P-256", ec.generate_private_key(ec.SECP256R1()))

    @property
    def multikey(self) -> str:
        public = self.private.public_key()
        if self.kind == "Ed25519":
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return "z" + b58encode(b"\xed\x01" + raw)
        point = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return "z" + b58encode(b"\x80\x24" + point)

    @property
    def did(self) -> str:
        return "did:key:" + self.multikey

    @property
    def vm(self) -> str:
        return f"{self.did}#{self.multikey}"

    @property
    def public_jwk(self) -> dict[str, str]:
        public = self.private.public_key()
        if self.kind == "Ed25519":
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
        numbers = public.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url_encode(numbers.x.to_bytes(32, "big")),
            "y": b64url_encode(numbers.y.to_bytes(32, "big")),
        }

    def sign_bytes(self, data: bytes) -> bytes:
        if self.kind == "Ed25519":
            return bytes(self.private.sign(data))
        der = self.private.sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def contexts_fetcher(contexts_dir: Path, extra: dict[str, Any] | None = None) -> FakeFetcher:
    return FakeFetcher({**contexts_documents(contexts_dir), **(extra or {})})


def sign_di(
    document: dict[str, Any],
    issuer: Issuer,
    contexts_dir: Path,
    *,
    cryptosuite: str | None = None,
    proof_type: str = "DataIntegrityProof",
    purpose: str = "assertionMethod",
    vm: str | None = None,
) -> dict[str, Any]:
    """``document`` with one more Data Integrity proof (existing proofs are kept)."""
    suite = cryptosuite or ("eddsa-rdfc-2022" if issuer.kind == "Ed25519" else "ecdsa-rdfc-2019")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": proof_type,
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": vm or issuer.vm,
        "proofPurpose": purpose,
    }
    if proof_type == "DataIntegrityProof":
        proof["cryptosuite"] = suite
    config = {**proof, "@context": document["@context"]}

    async def canon() -> tuple[str, str]:
        ctx = VerifyContext(fetcher=contexts_fetcher(contexts_dir), offline=True)
        contexts = await jsonld.load_contexts(document, ctx)
        return (
            jsonld.canonicalize(config, contexts).nquads,
            jsonld.canonicalize(unsecured, contexts).nquads,
        )

    c_config, c_doc = asyncio.run(canon())
    data = hashlib.sha256(c_config.encode()).digest() + hashlib.sha256(c_doc.encode()).digest()
    proof["proofValue"] = "z" + b58encode(issuer.sign_bytes(data))
    signed = copy.deepcopy(document)
    existing = document.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        signed["proof"] = [*(existing if isinstance(existing, list) else [existing]), proof]
    return signed


def sign_jwt(payload: dict[str, Any], issuer: Issuer, header: dict[str, Any] | None = None) -> str:
    alg = "EdDSA" if issuer.kind == "Ed25519" else "ES256"
    merged = {"alg": alg, "typ": "JWT", "kid": issuer.vm, **(header or {})}
    protected = {k: v for k, v in merged.items() if v is not None}
    pem = issuer.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jose_jws.serialize_compact(
            protected, json.dumps(payload).encode(), jose_jwk.import_key(pem), algorithms=[alg]
        )


def credential_of(document: dict[str, Any], fmt: Format | None = None) -> Credential:
    data = json.dumps(document).encode()
    fmt = fmt or (Format.OB3_DATA_INTEGRITY if document.get("proof") else Format.OB3_UNSIGNED)
    return Credential(
        format=fmt,
        original=Original(data=data, media_type="application/ld+json", source="test"),
        payload=data,
        document=document,
        credential_id=document.get("id") if isinstance(document.get("id"), str) else None,
    )


def jwt_credential(token: str) -> Credential:
    data = token.encode()
    return Credential(
        format=Format.OB3_VC_JWT,
        original=Original(data=data, media_type="application/jwt", source="test"),
        payload=data,
    )


def badge(issuer: Issuer, **extra: Any) -> dict[str, Any]:
    """A minimal OB 3.0 credential (VC 2.0) by ``issuer``."""
    doc: dict[str, Any] = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:2d5d1c7e-7d0b-4f0e-9d7a-2b6f3c1e9a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Test badge",
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Test Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Test achievement",
                "description": "A test achievement.",
                "criteria": {"narrative": "Did it."},
            },
        },
    }
    doc.update(extra)
    return doc


def bitstring(set_bits: dict[int, int] | None = None, size: int = 16 * 1024) -> str:
    """A multibase base64url GZIP bitstring with the given indexes set."""
    raw = bytearray(size)
    for index in set_bits or {}:
        raw[index // 8] |= 1 << (7 - index % 8)
    return "u" + b64url_encode(gzip.compress(bytes(raw)))


NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


def check(report: Any, check_id: str) -> Any:
    """The named check of a report (fails the test when absent)."""
    found = [c for c in report.checks if c.id == check_id]
    assert found, f"no check {check_id}: {[c.id for c in report.checks]}"
    return found[0]


def run(
    credential: Credential,
    fetcher: Any,
    *,
    recipients: tuple[str, ...] = (),
    offline: bool = True,
) -> Any:
    from wallet.verify.verifier import verify

    ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW, offline=offline, recipients=recipients)
    return asyncio.run(verify(credential, ctx))
