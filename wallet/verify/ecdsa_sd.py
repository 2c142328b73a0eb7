"""``ecdsa-sd-2023`` (W3C VC-DI-ECDSA §3.3): selective disclosure with ECDSA, derived proofs.

The issuer signs, with its own key, the hash of the proof options, a per-credential ephemeral P-256
key and the hash of the *mandatory* statements; the ephemeral key signs every other statement on
its own.  The holder then reveals some statements and sends a *derived* proof: the issuer's
signature, the ephemeral key, the signatures of the revealed optional statements, the map from
canonical blank-node labels to the issuer's HMAC'd labels, and which statements are mandatory.

Verifying a derived proof (§3.3.x "verify derived proof"): canonicalise the revealed document
(RDFC-1.0), rename its blank nodes through the label map, sort; split into mandatory and optional
statements by the given indexes; check the issuer's signature over ``proofHash || ephemeral key ||
H(mandatory)`` and each optional statement's signature by the ephemeral key.

A *base* proof is what the issuer hands the holder; checking it needs the HMAC key and JSON-pointer
selection of the whole document, which plecak does not implement yet: it is reported as not
checked, never as valid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

SUITE = "ecdsa-sd-2023"
BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
P256_MULTIKEY = b"\x80\x24"
MAX_STATEMENTS = 10_000
_LABEL = re.compile(r"_:c14n(\d+)")


class BaseProof(ValueError):
    """The proof value is a base proof (the holder's copy), not a derived one."""


@dataclass(frozen=True, slots=True)
class Derived:
    base_signature: bytes
    public_key: bytes
    """The ephemeral P-256 key as a compressed multikey (0x8024 prefix, 35 bytes)."""
    signatures: tuple[bytes, ...]
    label_map: dict[int, bytes]
    mandatory_indexes: tuple[int, ...]


def parse_derived(value: Any) -> Derived:
    """The components of a derived ``proofValue``; raises BaseProof or ValueError."""
    if not isinstance(value, str) or not value.startswith("u") or len(value) > 4 * 1024 * 1024:
        raise ValueError("the proof value is not multibase base64url")
    try:
        raw = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from exc
    if raw.startswith(BASE_HEADER):
        raise BaseProof("a base proof")
    if not raw.startswith(DERIVED_HEADER):
        raise ValueError("not an ecdsa-sd-2023 proof value")
    try:
        parts = cbor2.loads(raw[3:])
    except (cbor2.CBORDecodeError, ValueError, TypeError) as exc:
        raise ValueError(f"not CBOR: {exc}") from exc
    if not isinstance(parts, list) or len(parts) != 5:
        raise ValueError("a derived proof has five components")
    base_signature, public_key, signatures, label_map, mandatory = parts
    if not isinstance(base_signature, bytes) or len(base_signature) != 64:
        raise ValueError("the base signature is not 64 bytes")
    if not isinstance(public_key, bytes) or not public_key.startswith(P256_MULTIKEY):
        raise ValueError("the ephemeral key is not a P-256 multikey")
    if not isinstance(signatures, list) or len(signatures) > MAX_STATEMENTS:
        raise ValueError("the signatures are not a list")
    if not all(isinstance(s, bytes) and len(s) == 64 for s in signatures):
        raise ValueError("a statement signature is not 64 bytes")
    if not isinstance(label_map, dict) or not all(
        isinstance(k, int) and isinstance(v, bytes) for k, v in label_map.items()
    ):
        raise ValueError("the label map is malformed")
    if not isinstance(mandatory, list) or not all(isinstance(i, int) for i in mandatory):
        raise ValueError("the mandatory indexes are malformed")
    return Derived(base_signature, public_key, tuple(signatures), label_map, tuple(mandatory))


def relabelled(canonical_nquads: str, label_map: dict[int, bytes]) -> list[str]:
    """The canonical statements with blank nodes renamed by the issuer's HMAC labels, sorted."""

    def rename(match: re.Match[str]) -> str:
        label = label_map.get(int(match.group(1)))
        if label is None:
            raise ValueError(f"no label for _:c14n{match.group(1)}")
        return "_:u" + base64.urlsafe_b64encode(label).rstrip(b"=").decode("ascii")

    lines = [line + "\n" for line in canonical_nquads.split("\n") if line]
    return sorted(_LABEL.sub(rename, line) for line in lines)


def problem(
    derived: Derived, canonical_nquads: str, canonical_config: str, issuer: Any
) -> str | None:
    """Why the derived proof does not verify with the ``issuer`` P-256 key (None when it does)."""
    statements = relabelled(canonical_nquads, derived.label_map)
    mandatory_set = set(derived.mandatory_indexes)
    if any(i < 0 or i >= len(statements) for i in mandatory_set):
        return "a mandatory index is out of range"
    mandatory = [s for i, s in enumerate(statements) if i in mandatory_set]
    optional = [s for i, s in enumerate(statements) if i not in mandatory_set]
    if len(optional) != len(derived.signatures):
        return "the number of signatures does not match the revealed statements"
    proof_hash = hashlib.sha256(canonical_config.encode("utf-8")).digest()
    mandatory_hash = hashlib.sha256("".join(mandatory).encode("utf-8")).digest()
    signed = proof_hash + derived.public_key + mandatory_hash
    if not _valid(issuer, derived.base_signature, signed):
        return "the issuer's base signature does not match"
    try:
        ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), derived.public_key[len(P256_MULTIKEY) :]
        )
    except ValueError:
        return "the ephemeral key is not a P-256 point"
    for statement, signature in zip(optional, derived.signatures, strict=True):
        if not _valid(ephemeral, signature, statement.encode("utf-8")):
            return "a revealed statement's signature does not match"
    return None


def _valid(public_key: Any, signature: bytes, data: bytes) -> bool:
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
