"""Public keys as issuers write them: base58, base64url, multibase / Multikey and JWK, turned into
:mod:`cryptography` key objects (Ed25519, P-256, P-384) and back into a clean JWK.

Apart from :mod:`.did` because the proofs (Data Integrity, VC-JWT, SD-JWT) read these encodings
too, without resolving anything."""

from __future__ import annotations

import base64
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from wallet.model import Json

# --------------------------------------------------------------------------- encodings

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58decode(text: str) -> bytes:
    """Bitcoin-alphabet base58 (multibase ``z``); raises ValueError on a bad character."""
    if len(text) > 4096:
        raise ValueError("base58 text too long")
    num = 0
    for ch in text:
        digit = _B58_INDEX.get(ch)
        if digit is None:
            raise ValueError(f"invalid base58 character {ch!r}")
        num = num * 58 + digit
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def multibase_decode(value: str) -> bytes:
    """Multibase ``z`` (base58btc) or ``u`` (base64url, no padding)."""
    if not isinstance(value, str) or len(value) < 2:
        raise ValueError("not a multibase value")
    if value[0] == "z":
        return b58decode(value[1:])
    if value[0] == "u":
        return b64url_decode(value[1:])
    raise ValueError(f"unsupported multibase prefix {value[0]!r}")


_MULTICODEC = {
    b"\xed\x01": ("Ed25519", 32),
    b"\x80\x24": ("P-256", 33),
    b"\x81\x24": ("P-384", 49),
}


def from_multikey(value: str) -> tuple[str, Any]:
    raw = multibase_decode(value)
    for prefix, (kind, size) in _MULTICODEC.items():
        if raw.startswith(prefix) and len(raw) == len(prefix) + size:
            return kind, from_raw(kind, raw[len(prefix) :])
    raise ValueError("unsupported or malformed multikey")


def from_raw(kind: str, data: bytes) -> Any:
    if kind == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(data)
    curve: ec.EllipticCurve = ec.SECP256R1() if kind == "P-256" else ec.SECP384R1()
    return ec.EllipticCurvePublicKey.from_encoded_point(curve, data)


_EC_CURVES: dict[str, tuple[str, ec.EllipticCurve, int]] = {
    "P-256": ("P-256", ec.SECP256R1(), 32),
    "P-384": ("P-384", ec.SECP384R1(), 48),
}


def key_from_jwk(jwk: Json) -> tuple[str, Any, dict[str, str]]:
    """(kind, cryptography key, clean public JWK) from a JWK; refuses private and odd keys."""
    if not isinstance(jwk, dict):
        raise ValueError("JWK is not an object")
    if "d" in jwk or "p" in jwk or "k" in jwk:
        raise ValueError("a private or symmetric key was given where a public key belongs")
    kty = jwk.get("kty")
    if kty == "OKP" and jwk.get("crv") == "Ed25519":
        raw = b64url_decode(str(jwk.get("x", "")))
        key = ed25519.Ed25519PublicKey.from_public_bytes(raw)
        return "Ed25519", key, {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    if kty == "EC" and jwk.get("crv") in _EC_CURVES:
        name, curve, size = _EC_CURVES[str(jwk["crv"])]
        x = b64url_decode(str(jwk.get("x", "")))
        y = b64url_decode(str(jwk.get("y", "")))
        if len(x) != size or len(y) != size:
            raise ValueError("EC coordinates of the wrong length")
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve
        )
        clean = {"kty": "EC", "crv": name, "x": b64url_encode(x), "y": b64url_encode(y)}
        return name, numbers.public_key(), clean
    if kty == "RSA":
        n_raw = b64url_decode(str(jwk.get("n", "")))
        e_raw = b64url_decode(str(jwk.get("e", "")))
        n = int.from_bytes(n_raw, "big")
        if n.bit_length() < 2048:
            raise ValueError("RSA keys shorter than 2048 bits are refused")
        public = rsa.RSAPublicNumbers(int.from_bytes(e_raw, "big"), n).public_key()
        return "RSA", public, {"kty": "RSA", "n": b64url_encode(n_raw), "e": b64url_encode(e_raw)}
    raise ValueError(f"unsupported key type {kty!r}/{jwk.get('crv')!r}")


def jwk_of(kind: str, key: Any) -> dict[str, str]:
    if kind == "Ed25519":
        raw = key.public_bytes_raw()
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    numbers = key.public_numbers()
    size = 32 if kind == "P-256" else 48
    return {
        "kty": "EC",
        "crv": kind,
        "x": b64url_encode(numbers.x.to_bytes(size, "big")),
        "y": b64url_encode(numbers.y.to_bytes(size, "big")),
    }
