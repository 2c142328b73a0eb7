"""The issuer key of an SD-JWT VC (and of its Token Status List), and JWS checks with it.

SD-JWT VC §3.5 lets an issuer publish its key three ways; each is resolved here through the Fetcher:

* ``iss`` is an https URL: JWT VC Issuer Metadata at ``https://<host>/.well-known/jwt-vc-issuer<path>``
  names the issuer (it must be ``iss`` itself) and its keys, inline (``jwks``) or by ``jwks_uri``;
  the header's ``kid`` picks one;
* ``iss`` is a DID: the header's ``kid`` is a DID URL of that DID, granted ``assertionMethod``;
* an ``x5c`` header: an X.509 chain.  Its signature can be checked, but plecak has no trusted list
  of certification authorities, so the key is never established: the credential stays
  ``unverified`` with that reason.

The algorithm is pinned to the key type (the header cannot choose the routine).
"""

from __future__ import annotations

import base64
import urllib.parse
from dataclasses import dataclass
from typing import Any

from wallet.i18n import _
from wallet.model import CheckStatus
from wallet.verify import did, jose
from wallet.verify.context import VerifyContext
from wallet.verify.keys import b64url_encode, key_from_jwk

ALG_KEY = {
    "ES256": "P-256",
    "ES384": "P-384",
    "EdDSA": "Ed25519",
    "Ed25519": "Ed25519",
    "RS256": "RSA",
    "PS256": "RSA",
}


@dataclass(frozen=True, slots=True)
class KeyOutcome:
    """A key and how far it is established: PASS (the issuer's), UNKNOWN, FAIL."""

    status: CheckStatus
    message: str
    key: did.VerificationKey | None = None
    detail: str = ""


def signature_valid(token: str, key: did.VerificationKey, alg: str) -> bool:
    """The compact JWS ``token`` verifies with ``key`` under ``alg`` (pinned to the key type)."""
    if ALG_KEY.get(alg) != key.kind:
        return False
    return jose.compact_failure(token, key.jwk, alg, max_header=64 * 1024) is None  # x5c chains


async def issuer_key(header: dict[str, Any], iss: Any, ctx: VerifyContext) -> KeyOutcome:
    """The key that must have signed a JWT with ``header`` for the issuer ``iss``."""
    if not isinstance(iss, str) or not iss:
        return KeyOutcome(CheckStatus.FAIL, _("The SD-JWT names no issuer (iss)."))
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    if "x5c" in header:
        return _x5c(header.get("x5c"), iss)
    try:
        if iss.startswith("did:"):
            return await _did_key(kid, iss, ctx)
        if iss.startswith("https://"):
            return await _metadata_key(kid, iss, ctx)
    except did.KeyUnavailable as exc:
        return KeyOutcome(CheckStatus.UNKNOWN, exc.user_message(), detail=exc.detail)
    except did.KeyInvalid as exc:
        return KeyOutcome(CheckStatus.FAIL, exc.user_message(), detail=exc.detail)
    return KeyOutcome(
        CheckStatus.UNKNOWN,
        _("The issuer {iss} is neither an https URL nor a DID; its key cannot be found.").format(
            iss=iss[:120]
        ),
    )


async def _did_key(kid: str | None, iss: str, ctx: VerifyContext) -> KeyOutcome:
    ref = kid if kid and kid.startswith("did:") else (f"{iss}{kid}" if kid else iss)
    key = await did.resolve(ref, ctx)
    if key.controller != iss:
        return KeyOutcome(
            CheckStatus.FAIL,
            _("The key belongs to {owner}, not to the issuer {issuer}.").format(
                owner=key.controller or "?", issuer=iss
            ),
            key,
        )
    if did.ASSERTION not in key.purposes:
        return KeyOutcome(
            CheckStatus.FAIL,
            _("The key's controller does not allow it for {purpose}.").format(
                purpose=did.ASSERTION
            ),
            key,
        )
    return KeyOutcome(
        CheckStatus.PASS,
        _("Key {key} is controlled by {controller}.").format(key=key.id, controller=iss),
        key,
    )


def metadata_url(iss: str) -> str:
    """``https://host/.well-known/jwt-vc-issuer/<path>`` (SD-JWT VC §5: inserted after the host)."""
    parts = urllib.parse.urlsplit(iss)
    path = parts.path.rstrip("/")
    return f"https://{parts.netloc}/.well-known/jwt-vc-issuer{path}"


async def _metadata_key(kid: str | None, iss: str, ctx: VerifyContext) -> KeyOutcome:
    url = metadata_url(iss)
    # fetched once per run (did.fetch_document memoises by URL), like any key document
    metadata = await did.fetch_document(url, iss, ctx)
    if metadata.get("issuer") != iss:
        return KeyOutcome(
            CheckStatus.FAIL,
            _("The issuer metadata at {url} is for another issuer.").format(url=url),
        )
    jwks = metadata.get("jwks")
    if jwks is None and isinstance(metadata.get("jwks_uri"), str):
        jwks_uri = metadata["jwks_uri"]
        if not jwks_uri.startswith("https://"):
            return KeyOutcome(CheckStatus.FAIL, _("The issuer's jwks_uri is not an https URL."))
        jwks = await did.fetch_document(jwks_uri, iss, ctx)
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        return KeyOutcome(CheckStatus.FAIL, _("The issuer metadata publishes no keys."))
    found = [k for k in keys if isinstance(k, dict) and (kid is None or k.get("kid") == kid)]
    if len(found) != 1:
        return KeyOutcome(
            CheckStatus.FAIL,
            _("The issuer publishes no single key with the id {kid}.").format(kid=kid or "-"),
        )
    try:
        kind, public, clean = key_from_jwk(found[0])
    except ValueError as exc:
        return KeyOutcome(CheckStatus.FAIL, str(exc))
    key = did.VerificationKey(
        id=f"{url}#{kid or 0}",
        controller=iss,
        kind=kind,
        jwk=clean,
        public_key=public,
        method="jwt-vc-issuer",
        purposes=frozenset({did.ASSERTION}),
    )
    return KeyOutcome(
        CheckStatus.PASS,
        _("Key {key} is published by the issuer {issuer}.").format(key=kid or "-", issuer=iss),
        key,
    )


def _x5c(chain: Any, iss: str) -> KeyOutcome:
    from cryptography import x509

    try:
        if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
            raise ValueError("x5c is not a list of certificates")
        leaf = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        kind, public, clean = key_from_jwk(_public_jwk(leaf.public_key()))
    except (ValueError, TypeError) as exc:
        return KeyOutcome(CheckStatus.FAIL, _("The x5c certificate is malformed."), detail=str(exc))
    key = did.VerificationKey(
        id="x5c",
        controller=None,
        kind=kind,
        jwk=clean,
        public_key=public,
        method="x5c",
        purposes=frozenset({did.ASSERTION}),
    )
    return KeyOutcome(
        CheckStatus.UNKNOWN,
        _(
            "The key comes from an X.509 certificate ({subject}); plecak has no trusted list of "
            "certification authorities to establish it as {issuer}'s."
        ).format(subject=leaf.subject.rfc4514_string()[:120], issuer=iss[:120]),
        key,
    )


def _public_jwk(public: Any) -> dict[str, str]:
    """A certificate's public key as a JWK (key_from_jwk then applies the usual limits)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(public, ec.EllipticCurvePublicKey):
        size = {"secp256r1": 32, "secp384r1": 48}.get(public.curve.name)
        if size is None:
            raise ValueError(f"unsupported curve {public.curve.name}")
        numbers = public.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256" if size == 32 else "P-384",
            "x": b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": b64url_encode(numbers.y.to_bytes(size, "big")),
        }
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    if isinstance(public, rsa.RSAPublicKey):
        rsa_numbers = public.public_numbers()
        n = rsa_numbers.n.to_bytes((rsa_numbers.n.bit_length() + 7) // 8, "big")
        e = rsa_numbers.e.to_bytes((rsa_numbers.e.bit_length() + 7) // 8, "big")
        return {"kty": "RSA", "n": b64url_encode(n), "e": b64url_encode(e)}
    raise ValueError("unsupported certificate key type")
