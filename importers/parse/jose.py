"""Compact JWS/JWT decoding without verification (the verifier checks signatures, we only read).

Why hand-rolled with base64 instead of a JOSE library's ``decode``: libraries decode *and* verify;
an importer must read a JWS whose key it does not have.  We still refuse what is never acceptable:
``alg: none`` (an unsigned token dressed as a signed one), unknown algorithms, missing signatures,
and parts that are not base64url JSON.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from wallet.codecs import safejson
from wallet.errors import MalformedInput, UnsafeInput
from wallet.i18n import N_, _
from wallet.model import Json

MAX_JWS_BYTES = 8 * 1024 * 1024
ALLOWED_ALGORITHMS = frozenset(
    {
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
        "ES256",
        "ES256K",
        "ES384",
        "ES512",
        "EdDSA",
        "Ed25519",
        "HS256",
        "HS384",
        "HS512",
    }
)
"""Every algorithm a badge has been seen signed with.  HMAC ones are read so the verifier can
say *why* they are refused (algorithm confusion), rather than the importer calling them junk."""

_B64URL = rb"[A-Za-z0-9_-]"
_COMPACT = re.compile(rb"^" + _B64URL + rb"+\." + _B64URL + rb"+\." + _B64URL + rb"*$")


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A decoded compact JWS: the exact bytes, the header and the payload parsed as JSON."""

    raw: bytes
    header: dict[str, Json]
    claims: Json


def strip_token(data: bytes) -> bytes:
    """The token without surrounding whitespace or a UTF-8 BOM."""
    return data.strip().removeprefix(b"\xef\xbb\xbf").strip()


def looks_like_compact(data: bytes) -> bool:
    """Three base64url parts separated by dots (cheap: no decoding)."""
    token = strip_token(data[: MAX_JWS_BYTES + 16])
    return len(token) <= MAX_JWS_BYTES and bool(_COMPACT.match(token))


def b64url_decode(part: bytes | str) -> bytes:
    """base64url without padding, strictly (raises ``binascii.Error``/``ValueError``)."""
    raw = part.encode("ascii") if isinstance(part, str) else part
    if not re.fullmatch(_B64URL + rb"*", raw):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def check_algorithm(header: dict[str, Json], *, source: str) -> None:
    """Refuse ``alg: none`` (in any case) and algorithms no badge is signed with."""
    alg = header.get("alg")
    if isinstance(alg, str) and alg.strip().lower() == "none":
        raise UnsafeInput(
            source=source,
            reason=_('the JWS is unsigned (algorithm "none"); it proves nothing'),
            hint=N_("A real badge is signed; ask the issuer for the signed file."),
        )
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise UnsafeInput(
            source=source,
            reason=_("the JWS algorithm {alg} is not accepted").format(alg=repr(alg)[:40]),
            hint=N_("A real badge is signed; ask the issuer for the signed file."),
        )


def decode_compact(data: bytes | str, *, source: str) -> CompactJws:
    """Decode a compact JWS; raises MalformedInput (garbage) or UnsafeInput (``alg: none``)."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    token = strip_token(raw)
    if len(token) > MAX_JWS_BYTES:
        raise UnsafeInput(
            source=source,
            reason=_("a JWS of {size} bytes is over the {limit} byte limit").format(
                size=len(token), limit=MAX_JWS_BYTES
            ),
        )
    parts = token.split(b".")
    if len(parts) != 3:
        raise MalformedInput(source=source, reason=_("a JWS must have three dot-separated parts"))
    header_b64, payload_b64, signature_b64 = parts
    try:
        header_bytes = b64url_decode(header_b64)
        payload_bytes = b64url_decode(payload_b64)
        signature = b64url_decode(signature_b64)
    except (binascii.Error, ValueError) as exc:
        raise MalformedInput(
            source=source,
            reason=_("a part of the JWS is not valid base64url"),
            detail=repr(exc),
        ) from exc
    header = safejson.loads(header_bytes, source=source, max_depth=16)
    if not isinstance(header, dict):
        raise MalformedInput(source=source, reason=_("the JWS header is not a JSON object"))
    check_algorithm(header, source=source)
    if header.get("b64") is False:
        raise MalformedInput(
            source=source,
            reason=_("a compact JWS with an unencoded payload (b64: false) is not supported"),
        )
    if not signature:
        raise MalformedInput(source=source, reason=_("the JWS has no signature"))
    claims = safejson.loads(payload_bytes, source=source)
    if not isinstance(claims, dict):
        raise MalformedInput(source=source, reason=_("the JWS payload is not a JSON object"))
    return CompactJws(raw=token, header=header, claims=claims)
