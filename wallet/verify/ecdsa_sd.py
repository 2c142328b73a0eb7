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

A *base* proof is what the issuer hands the holder (what a learner's wallet receives): the issuer's
signature, the ephemeral key, the HMAC key for blank-node labels, one signature per optional
statement and the mandatory JSON pointers.  It is checked without re-running the JSON-pointer
selection: with the HMAC'd labels the statements are in their signed order; each optional statement
must carry the next ephemeral signature, and every statement that does not is mandatory and so
covered by the issuer's own signature.  Altering, adding or removing any statement therefore breaks
one of the two signatures; which statements the issuer called mandatory does not matter for that.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
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
class Base:
    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


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
    found = parse(value)
    if isinstance(found, Base):
        raise BaseProof("a base proof")
    return found


def parse(value: Any) -> Base | Derived:
    """The components of an ecdsa-sd-2023 ``proofValue`` (base or derived); raises ValueError."""
    header, parts = _components(value)
    return _base(parts) if header == BASE_HEADER else _derived(parts)


def _components(value: Any) -> tuple[bytes, list[Any]]:
    """The header and the five CBOR components of a multibase ``proofValue``; raises ValueError."""
    if not isinstance(value, str) or not value.startswith("u") or len(value) > 4 * 1024 * 1024:
        raise ValueError("the proof value is not multibase base64url")
    try:
        raw = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from exc
    if raw[:3] not in (BASE_HEADER, DERIVED_HEADER):
        raise ValueError("not an ecdsa-sd-2023 proof value")
    try:
        parts = _untagged(cbor2.loads(raw[3:]))
    except (cbor2.CBORDecodeError, ValueError, TypeError, RecursionError) as exc:
        raise ValueError(f"not CBOR: {exc}") from exc
    if not isinstance(parts, list) or len(parts) != 5:
        raise ValueError("an ecdsa-sd-2023 proof value has five components")
    return raw[:3], parts


def _derived(parts: list[Any]) -> Derived:
    base_signature, public_key, signatures, label_map, mandatory = parts
    _check_keys(base_signature, public_key)
    _check_signatures(signatures)
    if not isinstance(label_map, dict) or not all(
        isinstance(k, int) and isinstance(v, bytes) for k, v in label_map.items()
    ):
        raise ValueError("the label map is malformed")
    if not isinstance(mandatory, list) or not all(isinstance(i, int) for i in mandatory):
        raise ValueError("the mandatory indexes are malformed")
    return Derived(base_signature, public_key, tuple(signatures), label_map, tuple(mandatory))


def _untagged(value: Any, depth: int = 0) -> Any:
    """CBOR with tag 64 (a Uint8Array, as JavaScript encoders write bytes) read as plain bytes."""
    if depth > 8:
        raise ValueError("CBOR nested too deeply")
    if isinstance(value, cbor2.CBORTag) and value.tag == 64 and isinstance(value.value, bytes):
        return value.value
    if isinstance(value, list):
        return [_untagged(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _untagged(v, depth + 1) for k, v in value.items()}
    return value


def _check_keys(base_signature: Any, public_key: Any) -> None:
    if not isinstance(base_signature, bytes) or len(base_signature) != 64:
        raise ValueError("the base signature is not 64 bytes")
    if not isinstance(public_key, bytes) or not public_key.startswith(P256_MULTIKEY):
        raise ValueError("the ephemeral key is not a P-256 multikey")


def _check_signatures(signatures: Any) -> None:
    if not isinstance(signatures, list) or len(signatures) > MAX_STATEMENTS:
        raise ValueError("the signatures are not a list")
    if not all(isinstance(s, bytes) and len(s) == 64 for s in signatures):
        raise ValueError("a statement signature is not 64 bytes")


def _base(parts: list[Any]) -> Base:
    base_signature, public_key, hmac_key, signatures, pointers = parts
    _check_keys(base_signature, public_key)
    if not isinstance(hmac_key, bytes) or len(hmac_key) != 32:
        raise ValueError("the HMAC key is not 32 bytes")
    _check_signatures(signatures)
    if not isinstance(pointers, list) or not all(isinstance(x, str) for x in pointers):
        raise ValueError("the mandatory pointers are malformed")
    return Base(base_signature, public_key, hmac_key, tuple(signatures), tuple(pointers))


def proof_problem(
    proof: Base | Derived, canonical_nquads: str, canonical_config: str, issuer: Any
) -> str | None:
    """Why a base or derived proof does not verify with the issuer's key (None when it does)."""
    if isinstance(proof, Base):
        return base_problem(proof, canonical_nquads, canonical_config, issuer)
    return problem(proof, canonical_nquads, canonical_config, issuer)


def base_problem(
    base: Base, canonical_nquads: str, canonical_config: str, issuer: Any
) -> str | None:
    """Why the base proof does not verify with the ``issuer`` P-256 key (None when it does)."""
    labels = {
        int(n): hmac.new(base.hmac_key, f"c14n{n}".encode("ascii"), hashlib.sha256).digest()
        for n in set(_LABEL.findall(canonical_nquads))
    }
    statements = relabelled(canonical_nquads, labels)
    ephemeral = _ephemeral(base.public_key)
    if ephemeral is None:
        return "the ephemeral key is not a P-256 point"
    mandatory: list[str] = []
    signed = 0
    for statement in statements:
        if signed < len(base.signatures) and _valid(
            ephemeral, base.signatures[signed], statement.encode("utf-8")
        ):
            signed += 1
        else:
            mandatory.append(statement)
    if signed != len(base.signatures):
        return "some signed statements are missing or altered"
    if not _valid(
        issuer, base.base_signature, _signed_data(canonical_config, base.public_key, mandatory)
    ):
        return "the issuer's base signature does not match"
    return None


def _signed_data(canonical_config: str, public_key: bytes, mandatory: list[str]) -> bytes:
    """proofHash || ephemeral key || H(mandatory statements), what the issuer signed."""
    proof_hash = hashlib.sha256(canonical_config.encode("utf-8")).digest()
    return proof_hash + public_key + hashlib.sha256("".join(mandatory).encode("utf-8")).digest()


def _ephemeral(public_key: bytes) -> Any:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), public_key[len(P256_MULTIKEY) :]
        )
    except ValueError:
        return None


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
    signed = _signed_data(canonical_config, derived.public_key, mandatory)
    if not _valid(issuer, derived.base_signature, signed):
        return "the issuer's base signature does not match"
    ephemeral = _ephemeral(derived.public_key)
    if ephemeral is None:
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
