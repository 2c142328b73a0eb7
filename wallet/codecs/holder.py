"""The learner's own signature: did:key from an Ed25519 key, JCS, and eddsa-jcs-2022 proofs.

Signatures (exact)::

    did_key_from_private(private_key: bytes) -> str
    did_key_from_public(public_key: bytes) -> str
    public_key_from_did_key(did: str) -> bytes                 # raises ValueError
    verification_method(did: str) -> str                        # "did:key:z6Mk…#z6Mk…"
    generate_private_key() -> bytes                             # raw 32 bytes
    jcs(value: Json) -> bytes                                   # RFC 8785, raises ValueError
    sign_jcs(document: dict, private_key: bytes, *, created: datetime,
             proof_purpose: str = "assertionMethod", challenge: str | None = None,
             domain: str | None = None) -> dict                 # document + "proof"
    verify_jcs(document: dict) -> JcsCheck                     # never raises for bad input

Why eddsa-jcs-2022 (W3C VC Data Integrity EdDSA Cryptosuites v1.0, §3.3) for the presentations the
learner signs, and not eddsa-rdfc-2022 or a VP-JWT:

* it needs no JSON-LD processing: canonicalisation is RFC 8785 JCS over the JSON itself, so an
  employer checks it with no network, no pinned contexts and in microseconds (RDF canonicalisation
  would need every context of every embedded credential, and is slow);
* the presentation stays a readable JSON document (``presentation.json``), unlike a VP-JWT whose
  content is base64url inside a token, and embedded credentials stay visibly unchanged;
* it is a W3C Recommendation-track cryptosuite with a did:key verification method, so generic VC
  tools can check it too.

The key is ``did:key`` (multicodec ``ed25519-pub`` 0xed01, base58btc multibase): self-certifying,
resolvable offline by decoding the identifier itself.

Pure: no I/O.  Crypto from ``cryptography``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wallet.codecs.dates import format_date
from wallet.model import Json

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
_ED25519_PUB = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


# --------------------------------------------------------------------------- base58btc / did:key


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58decode(text: str) -> bytes:
    if len(text) > 256:
        raise ValueError("base58 text too long")
    number = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise ValueError(f"not base58: {ch!r}")
        number = number * 58 + _B58_INDEX[ch]
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def generate_private_key() -> bytes:
    """A fresh Ed25519 private key, raw 32 bytes (the store keeps it encrypted)."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def _public_bytes(private_key: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    return key.public_key().public_bytes_raw()


def did_key_from_public(public_key: bytes) -> str:
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return "did:key:z" + b58encode(_ED25519_PUB + public_key)


def did_key_from_private(private_key: bytes) -> str:
    return did_key_from_public(_public_bytes(private_key))


def public_key_from_did_key(did: str) -> bytes:
    """The Ed25519 public key inside a did:key (or its verification method URL)."""
    ident = did.split("#", 1)[0]
    if not ident.startswith("did:key:z"):
        raise ValueError("not a base58btc did:key")
    raw = b58decode(ident[len("did:key:z") :])
    if raw[:2] != _ED25519_PUB or len(raw) != 34:
        raise ValueError("not an Ed25519 did:key")
    return raw[2:]


def verification_method(did: str) -> str:
    return f"{did}#{did[len('did:key:') :]}"


# --------------------------------------------------------------------------- JCS (RFC 8785)


def _es_number(value: float) -> str:
    """ECMAScript Number::toString, which JCS prescribes for numbers."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("NaN and Infinity are not JSON")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    sign = "-" if value < 0 else ""
    # repr() gives the shortest round-tripping digits, as ECMAScript does; only the layout differs.
    mantissa, _, exp_text = repr(abs(value)).partition("e")
    int_part, _, frac = mantissa.partition(".")
    all_digits = int_part + frac
    leading = len(all_digits) - len(all_digits.lstrip("0"))
    point = len(int_part) + (int(exp_text) if exp_text else 0) - leading
    digits = all_digits.lstrip("0").rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exp = n - 1
    exp_str = f"e{'+' if exp >= 0 else '-'}{abs(exp)}"
    if k == 1:
        return sign + digits + exp_str
    return sign + digits[0] + "." + digits[1:] + exp_str


def _jcs_scalar(value: Json) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise ValueError("integer outside the I-JSON range")
        return str(value)
    if isinstance(value, float):
        return _es_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise ValueError(f"not JSON: {type(value).__name__}")


def _jcs_parts(value: Json, out: list[str], depth: int = 0) -> None:
    if depth > 200:
        raise ValueError("JSON nested too deeply to canonicalise")
    if isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _jcs_parts(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        keys = sorted(value, key=lambda k: str(k).encode("utf-16-be"))
        for i, key in enumerate(keys):
            if not isinstance(key, str):
                raise ValueError("JSON object keys must be strings")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _jcs_parts(value[key], out, depth + 1)
        out.append("}")
    else:
        out.append(_jcs_scalar(value))


def jcs(value: Json) -> bytes:
    """RFC 8785 canonical JSON bytes of ``value`` (raises ValueError for non-JSON data)."""
    parts: list[str] = []
    _jcs_parts(value, parts)
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates
        raise ValueError("string is not valid Unicode") from exc


# --------------------------------------------------------------------------- eddsa-jcs-2022


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    return hashlib.sha256(jcs(proof_config)).digest() + hashlib.sha256(jcs(document)).digest()


def sign_jcs(
    document: dict[str, Any],
    private_key: bytes,
    *,
    created: datetime,
    proof_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with an eddsa-jcs-2022 ``proof`` by the did:key of ``private_key``."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    did = did_key_from_private(private_key)
    config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_date(created),
        "verificationMethod": verification_method(did),
        "proofPurpose": proof_purpose,
    }
    if challenge is not None:
        config["challenge"] = challenge
    if domain is not None:
        config["domain"] = domain
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(
        _hash_data(unsecured, config)
    )
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + b58encode(signature)
    return {**unsecured, "proof": proof}


@dataclass(frozen=True, slots=True)
class JcsCheck:
    """The outcome of checking an eddsa-jcs-2022 proof: ``ok`` and why not (English detail)."""

    ok: bool
    signer: str | None = None
    """The did:key that signed (the verification method's DID) when it could be read."""
    proof_purpose: str | None = None
    challenge: str | None = None
    domain: str | None = None
    reason: str = ""


def verify_jcs(document: Json) -> JcsCheck:
    """Check the single eddsa-jcs-2022 proof of ``document`` against its did:key.  Never raises."""
    if not isinstance(document, dict):
        return JcsCheck(False, reason="not a JSON object")
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return JcsCheck(False, reason="no single proof object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return JcsCheck(False, reason="proof is not a DataIntegrityProof/eddsa-jcs-2022")
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str) or not value.startswith("z"):
        return JcsCheck(False, reason="proof lacks verificationMethod or a base58btc proofValue")
    did = method.split("#", 1)[0]
    try:
        public = public_key_from_did_key(method)
        if method != verification_method(did):
            return JcsCheck(False, reason="verification method is not the did:key's own key")
        signature = b58decode(value[1:])
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        if "@context" in unsecured:
            config["@context"] = unsecured["@context"]
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _hash_data(unsecured, config))
    except InvalidSignature:
        return JcsCheck(False, signer=did, reason="signature does not match the document")
    except (ValueError, TypeError, OverflowError) as exc:
        return JcsCheck(False, signer=did, reason=f"proof cannot be read: {exc}")
    return JcsCheck(
        True,
        signer=did,
        proof_purpose=_opt_str(proof.get("proofPurpose")),
        challenge=_opt_str(proof.get("challenge")),
        domain=_opt_str(proof.get("domain")),
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
