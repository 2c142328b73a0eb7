"""Compact JWS verification with the algorithm pinned to the key, never to the token.

Why pinned: a JWS header is attacker-controlled.  Letting it choose the algorithm is how
``alg: none`` tokens and the HS256 "public key as HMAC secret" confusion get accepted.  Here the
*key* decides: an RSA key verifies only RS256, a P-256 EC key only ES256 (P-384: ES384, Ed25519:
EdDSA), and joserfc is always called with that explicit list.  ``none`` and every HMAC algorithm
are refused before any cryptography runs, with a message that says so.

Used by the OB 2.0 signed-badge verifier (``verification.creator`` keys as PEM) and available to
the OB 3.0 VC-JWT verifier (JWK keys).  Errors are :class:`JwsError` subclasses of
``VerificationError``; callers turn them into named checks.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wallet.codecs import safejson
from wallet.errors import VerificationError, WalletError
from wallet.i18n import N_, _

MAX_COMPACT_BYTES = 2 * 1024 * 1024
"""A signed badge is a few KB; a baked image caps its text chunk well below this."""
MIN_RSA_BITS = 2048
REFUSED_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})

if TYPE_CHECKING:  # joserfc is imported where a signature is checked: hosted badges never need it
    from joserfc.jwk import ECKey, OKPKey, RSAKey

    PublicKey = RSAKey | ECKey | OKPKey


class JwsError(VerificationError):
    code = "jws"
    default_message = N_("The signature could not be checked: {reason}")


class JwsMalformed(JwsError):
    code = "jws-malformed"
    default_message = N_("The signed badge is not a well-formed JWS: {reason}")


class JwsAlgorithmRefused(JwsError):
    code = "jws-alg"
    default_message = N_("The signature algorithm {alg} is refused: {reason}")


class JwsKeyUnsupported(JwsError):
    code = "jws-key"
    default_message = N_("The issuer's key cannot be used: {reason}")


class JwsSignatureInvalid(JwsError):
    code = "jws-signature"
    default_message = N_("The signature does not match the signed content or the key.")


@dataclass(frozen=True, slots=True)
class CompactJws:
    """The three parts of a compact JWS, decoded but not trusted."""

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        value = self.header.get("alg")
        return value if isinstance(value, str) else ""


def _b64url(part: str, what: str) -> bytes:
    if not part or not _B64URL_RE.fullmatch(part):
        if part == "" and what == "signature":
            return b""
        raise JwsMalformed(
            reason=_("the {part} is not base64url").format(part=what), detail=part[:80]
        )
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwsMalformed(
            reason=_("the {part} is not base64url").format(part=what), detail=repr(exc)
        ) from exc


_B64URL_RE = re.compile(r"[A-Za-z0-9_-]+")


def split_compact(token: str | bytes) -> CompactJws:
    """Decode ``header.payload.signature`` without verifying anything (caps applied)."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as exc:
            raise JwsMalformed(reason=_("it is not ASCII text"), detail=repr(exc)) from exc
    token = token.strip()
    if len(token) > MAX_COMPACT_BYTES:
        raise JwsMalformed(reason=_("it is over {limit} bytes").format(limit=MAX_COMPACT_BYTES))
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsMalformed(reason=_("it has {count} parts instead of 3").format(count=len(parts)))
    raw_header = _b64url(parts[0], "header")
    try:
        header = safejson.loads(raw_header, source="JWS header", max_depth=16)
    except WalletError as exc:
        raise JwsMalformed(reason=_("its header is not JSON"), detail=exc.diagnostics()) from exc
    if not isinstance(header, dict):
        raise JwsMalformed(reason=_("its header is not a JSON object"))
    payload = _b64url(parts[1], "payload")
    signature = _b64url(parts[2], "signature")
    return CompactJws(
        header=header,
        payload=payload,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=signature,
    )


def check_header(jws: CompactJws) -> None:
    """Refuse what no key may verify: alg none/HMAC, unknown ``crit``, unencoded payloads."""
    alg = jws.alg
    if not alg:
        raise JwsAlgorithmRefused(alg="-", reason=_("the header names no algorithm"))
    if alg in REFUSED_ALGORITHMS or alg.upper().startswith("HS") or alg.lower() == "none":
        reason = (
            _("an unsigned token proves nothing")
            if alg.lower() == "none"
            else _("a shared-secret (HMAC) algorithm cannot prove who signed")
        )
        raise JwsAlgorithmRefused(alg=alg, reason=reason)
    if "crit" in jws.header:
        raise JwsMalformed(reason=_("critical header extensions are not supported"))
    if jws.header.get("b64") is False:
        raise JwsMalformed(reason=_("unencoded payloads (b64: false) are not supported"))


def public_key_from_pem(pem: str) -> PublicKey:
    """An issuer's ``publicKeyPem`` as a verification key (RSA >= 2048 bits, or EC)."""
    if not isinstance(pem, str) or "PUBLIC KEY" not in pem:
        raise JwsKeyUnsupported(reason=_("publicKeyPem is not a PEM public key"))
    if "PRIVATE" in pem:
        raise JwsKeyUnsupported(reason=_("the document publishes a private key"))
    from wallet.verify.joserfc_quiet import ECKey, JoseError, OKPKey, RSAKey

    errors: list[str] = []
    for cls in (RSAKey, ECKey, OKPKey):
        try:
            key: PublicKey = cls.import_key(pem)
        except (JoseError, ValueError, TypeError) as exc:
            errors.append(repr(exc))
            continue
        _check_strength(key)
        return key
    raise JwsKeyUnsupported(reason=_("the PEM public key cannot be read"), detail="; ".join(errors))


def public_key_from_jwk(jwk: dict[str, Any]) -> PublicKey:
    """A public JWK (RSA, EC or OKP) as a verification key; private members are refused."""
    if not isinstance(jwk, dict):
        raise JwsKeyUnsupported(reason=_("the JWK is not a JSON object"))
    if "d" in jwk:
        raise JwsKeyUnsupported(reason=_("the document publishes a private key"))
    from wallet.verify.joserfc_quiet import ECKey, JoseError, OKPKey, RSAKey

    kty = jwk.get("kty")
    classes: dict[Any, type[RSAKey] | type[ECKey] | type[OKPKey]] = {
        "RSA": RSAKey,
        "EC": ECKey,
        "OKP": OKPKey,
    }
    cls = classes.get(kty)
    if cls is None:
        raise JwsKeyUnsupported(reason=_("unsupported key type {kty}").format(kty=repr(kty)))
    try:
        key: PublicKey = cls.import_key(jwk)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise JwsKeyUnsupported(reason=_("the JWK cannot be read"), detail=repr(exc)) from exc
    _check_strength(key)
    return key


def _check_strength(key: PublicKey) -> None:
    from wallet.verify.joserfc_quiet import RSAKey

    if isinstance(key, RSAKey):
        bits = int(getattr(key.raw_value, "key_size", 0))
        if bits < MIN_RSA_BITS:
            raise JwsKeyUnsupported(
                reason=_(
                    "an RSA key of {bits} bits is too weak (at least {minimum} needed)"
                ).format(bits=bits, minimum=MIN_RSA_BITS)
            )


def algorithms_for(key: PublicKey) -> tuple[str, ...]:
    """The one algorithm a key of this type may verify (the pin)."""
    from wallet.verify.joserfc_quiet import ECKey, OKPKey, RSAKey

    if isinstance(key, RSAKey):
        return ("RS256",)
    if isinstance(key, ECKey):
        curve = key.curve_name
        pinned = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}.get(curve)
        if pinned is None:
            raise JwsKeyUnsupported(reason=_("unsupported EC curve {curve}").format(curve=curve))
        return (pinned,)
    if isinstance(key, OKPKey):
        if key.curve_name != "Ed25519":
            raise JwsKeyUnsupported(
                reason=_("unsupported OKP curve {curve}").format(curve=key.curve_name)
            )
        return ("EdDSA",)
    raise JwsKeyUnsupported(reason=_("unsupported key type {kty}").format(kty="?"))


def verify_compact(
    token: str | bytes, key: PublicKey, *, algorithms: Collection[str] | None = None
) -> CompactJws:
    """Verify ``token`` with ``key``; returns the decoded parts.  Raises :class:`JwsError`.

    ``algorithms`` may only narrow the key's pin (e.g. a profile allowing RS256 alone).
    """
    parts = split_compact(token)
    check_header(parts)
    allowed = set(algorithms_for(key))
    if algorithms is not None:
        allowed &= set(algorithms)
    if parts.alg not in allowed:
        raise JwsAlgorithmRefused(
            alg=parts.alg,
            reason=_("the issuer's key allows only {allowed}").format(
                allowed=", ".join(sorted(allowed)) or "-"
            ),
        )
    from wallet.verify.joserfc_quiet import JoseError
    from wallet.verify.joserfc_quiet import jws as jose_jws

    try:
        jose_jws.deserialize_compact(
            parts.signing_input + b"." + _encode(parts.signature), key, algorithms=sorted(allowed)
        )
    except JoseError as exc:
        raise JwsSignatureInvalid(detail=repr(exc)) from exc
    except (ValueError, TypeError) as exc:
        raise JwsSignatureInvalid(detail=repr(exc)) from exc
    return parts


def _encode(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")
