"""Detached JWS proofs (RFC 7515 Appendix F + RFC 7797 ``b64: false``): the signature form of the
2018-era Linked Data suites, ``Ed25519Signature2018`` and ``JsonWebSignature2020``.

Why by hand: the proof's ``jws`` is ``<protected header>..<signature>``; what was signed is the
header's base64url text, a dot, and the *raw* 64-byte hash data (two SHA-256 digests of canonical
N-Quads), which is no JSON payload a JOSE library would accept.  The algorithm is pinned to the key
type here, exactly as for VC-JWT: the header cannot pick the verification routine.
"""

from __future__ import annotations

import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

from wallet.verify.keys import b64url_decode

ALG_FOR_KEY = {
    "Ed25519": ("EdDSA", "Ed25519"),
    "P-256": ("ES256",),
    "P-384": ("ES384",),
    "RSA": ("PS256",),
}
"""What each key type may sign with (RFC 8037, RFC 7518; JsonWebSignature2020 §3.2 uses PS256)."""


@dataclass(frozen=True, slots=True)
class Detached:
    protected: str
    """The protected header as it appears (base64url): part of the signing input."""
    header: dict[str, Any]
    signature: bytes


def parse(value: Any) -> Detached:
    """Split ``<header>..<signature>``; raises ValueError."""
    if not isinstance(value, str) or len(value) > 16 * 1024:
        raise ValueError("no jws")
    parts = value.split(".")
    if len(parts) != 3 or parts[1] != "" or not parts[0] or not parts[2]:
        raise ValueError("not a detached compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
        signature = b64url_decode(parts[2])
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed jws: {exc}") from exc
    if not isinstance(header, dict):
        raise ValueError("the jws header is not an object")
    return Detached(parts[0], header, signature)


def header_problem(detached: Detached, key_kind: str) -> str | None:
    """Why the header cannot be accepted for a key of ``key_kind`` (None when it can)."""
    header = detached.header
    if header.get("b64") is not False or header.get("crit") != ["b64"]:
        return "the jws must be unencoded (b64: false, crit: [b64])"
    unknown = set(header) - {"alg", "b64", "crit", "kid", "typ"}
    if unknown:
        return f"unknown jws header members {sorted(unknown)}"
    if header.get("alg") not in ALG_FOR_KEY.get(key_kind, ()):
        return f"alg {header.get('alg')!r} does not fit a {key_kind} key"
    return None


def verify(key_kind: str, public_key: Any, detached: Detached, hash_data: bytes) -> bool:
    """The signature over ``protected || '.' || hash_data`` (raw bytes, RFC 7797)."""
    data = detached.protected.encode("ascii") + b"." + hash_data
    signature = detached.signature
    try:
        if key_kind == "Ed25519":
            public_key.verify(signature, data)
        elif key_kind in ("P-256", "P-384"):
            size = 32 if key_kind == "P-256" else 48
            if len(signature) != 2 * size:
                return False
            der = utils.encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            algorithm: hashes.HashAlgorithm = (
                hashes.SHA256() if key_kind == "P-256" else hashes.SHA384()
            )
            public_key.verify(der, data, ec.ECDSA(algorithm))
        elif key_kind == "RSA":
            public_key.verify(
                signature,
                data,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                hashes.SHA256(),
            )
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
