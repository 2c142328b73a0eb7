"""VC-JWT (OB 3.0 §8.2 "JSON Web Token Proof Format"): the compact JWS, its key, and its claims.

Why each rule:

* the algorithm is pinned to the key type (RS256 = RSA ≥ 2048, ES256 = P-256, EdDSA = Ed25519) and
  passed to joserfc explicitly: the header is attacker-controlled, so ``alg`` never picks the
  verification routine on its own (no ``none``, no HMAC with a public key as secret);
* the key comes from ``kid`` (a DID URL or an https URL, resolved through the Fetcher) or from the
  ``jwk`` header, as OB 3.0 allows.  A ``jwk`` next to a DID ``kid`` must be that DID's key; a lone
  ``jwk`` for a DID issuer must be the issuer's own key; a lone ``jwk`` for an https issuer leaves
  the key check ``unknown`` (the credential ``unverified``): nothing ties that key to the issuer;
* the registered claims must agree with the credential (``iss`` = issuer, ``jti`` = id, ``sub`` =
  subject id, ``nbf``/``exp`` = validFrom/validUntil): otherwise a token could say one thing to JWT
  libraries and another to the learner.  The VC 1.1 form carries the credential in a ``vc`` claim,
  and its missing members are taken from those claims (VC-JWT 1.1 §6.3.1 decoding rules).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.dates import format_date, parse_date
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import CheckStatus, Json
from wallet.verify import did, jose, keys
from wallet.verify.context import VerifyContext
from wallet.verify.dataintegrity import ProofOutcome

ALG_KEY = {"RS256": "RSA", "ES256": "P-256", "EdDSA": "Ed25519"}
MAX_TOKEN = 1024 * 1024
REGISTERED = ("iss", "jti", "sub", "nbf", "exp", "iat", "aud", "vc", "vp")


MAX_HEADER = 16 * 1024
"""Room for a ``jwk`` header: an RSA key is ~700 bytes, over joserfc's 512-byte default."""


class MalformedJwt(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class DecodedJwt:
    token: str
    header: dict[str, Any]
    payload: dict[str, Any]
    credential: dict[str, Any]
    """The credential as a JSON-LD object (claims folded in for the VC 1.1 ``vc`` form)."""
    claim: str
    """``vc`` (VC 1.1), ``vp`` (a presentation) or ``""`` (the payload is the credential)."""


def _outcome(status: CheckStatus, message: str, detail: str = "", **kw: Any) -> ProofOutcome:
    """A JWT proof verdict in the shape Data Integrity proofs use (one proof, suite VC-JWT)."""
    return ProofOutcome(1, "VC-JWT", status, message, detail, **kw)


def _b64json(part: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return safejson.loads(raw, source="JWT")  # capped; duplicate names refused
    except (binascii.Error, ValueError) as exc:
        raise MalformedJwt(str(exc)) from exc
    except WalletError as exc:
        raise MalformedJwt(exc.user_message()) from exc


def decode(token: bytes | str) -> DecodedJwt:
    """Split and decode a compact JWS credential without verifying it; raises MalformedJwt."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as exc:
            raise MalformedJwt("token is not ASCII") from exc
    token = token.strip()
    if len(token) > MAX_TOKEN:
        raise MalformedJwt("token too large")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise MalformedJwt("not a compact JWS (three dot-separated parts)")
    header = _b64json(parts[0])
    payload = _b64json(parts[1])
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise MalformedJwt("header and payload must be JSON objects")
    if isinstance(payload.get("vc"), dict):
        credential = _from_vc_claim(payload)
        claim = "vc"
    elif isinstance(payload.get("vp"), dict):
        credential = dict(payload["vp"])
        claim = "vp"
    else:
        credential = {k: v for k, v in payload.items() if k not in REGISTERED}
        claim = ""
    return DecodedJwt(token, header, payload, credential, claim)


def _from_vc_claim(payload: dict[str, Any]) -> dict[str, Any]:
    credential = dict(payload["vc"])
    if "issuer" not in credential and isinstance(payload.get("iss"), str):
        credential["issuer"] = payload["iss"]
    if "id" not in credential and isinstance(payload.get("jti"), str):
        credential["id"] = payload["jti"]
    v2 = "https://www.w3.org/ns/credentials/v2" in _contexts(credential)
    start, end = ("validFrom", "validUntil") if v2 else ("issuanceDate", "expirationDate")
    if start not in credential and _numeric(payload.get("nbf")):
        credential[start] = format_date(datetime.fromtimestamp(payload["nbf"], UTC))
    if end not in credential and _numeric(payload.get("exp")):
        credential[end] = format_date(datetime.fromtimestamp(payload["exp"], UTC))
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" not in subject and isinstance(payload.get("sub"), str):
        credential["credentialSubject"] = {**subject, "id": payload["sub"]}
    return credential


def _contexts(doc: dict[str, Any]) -> list[Any]:
    ctx = doc.get("@context")
    return ctx if isinstance(ctx, list) else [ctx]


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e11


def issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


# --------------------------------------------------------------------------- signature and key


async def verify_signature(
    jwt: DecodedJwt, ctx: VerifyContext, controller: str | None, purpose: str = did.ASSERTION
) -> ProofOutcome:
    """Resolve the key, bind it to ``controller`` (the issuer or holder) for ``purpose``
    (``assertionMethod`` for a credential, ``authentication`` for a presentation), check the
    signature."""
    alg = jwt.header.get("alg")
    if alg not in ALG_KEY:
        return _outcome(
            CheckStatus.FAIL,
            _("The JWT algorithm {alg} is not accepted (RS256, ES256 or EdDSA).").format(alg=alg),
        )
    if jwt.header.get("crit"):
        return _outcome(
            CheckStatus.FAIL, _("The JWT has critical header extensions we do not know.")
        )
    try:
        key, binding, notes = await _key_for(jwt, ctx, controller, purpose)
    except did.KeyUnavailable as exc:
        return _outcome(
            CheckStatus.UNKNOWN, exc.user_message(), exc.detail, key_message=exc.user_message()
        )
    except did.KeyInvalid as exc:
        msg = exc.user_message()
        return _outcome(
            CheckStatus.FAIL, msg, exc.detail, key_status=CheckStatus.FAIL, key_message=msg
        )
    if key.kind != ALG_KEY[str(alg)]:
        msg = _("The JWT says {alg}, but the key is {kind}.").format(alg=alg, kind=key.kind)
        return _outcome(
            CheckStatus.FAIL, msg, key=key, key_status=CheckStatus.FAIL, key_message=msg
        )
    if binding is not None:
        return _outcome(
            CheckStatus.FAIL, binding, key=key, key_status=CheckStatus.FAIL, key_message=binding
        )
    key_message = _("Key {key} is controlled by {controller}.").format(
        key=key.id, controller=key.controller or controller
    )
    failure = jose.compact_failure(jwt.token, key.jwk, str(alg), max_header=MAX_HEADER)
    if failure is not None:
        return _outcome(
            CheckStatus.FAIL,
            _("The JWT signature does not match the content (altered, or the wrong key)."),
            failure,
            key=key,
            key_status=CheckStatus.PASS,
            key_message=key_message,
        )
    return _outcome(
        CheckStatus.PASS,
        _("The {alg} signature by {key} is valid.").format(alg=alg, key=key.id),
        key=key,
        # A key only the token itself vouches for: intact, but not the issuer's (unverified).
        key_status=CheckStatus.UNKNOWN if notes else CheckStatus.PASS,
        key_message=" ".join(notes) if notes else key_message,
    )


def _unconfirmed_jwk() -> str:
    """Why a lone ``jwk`` header for a non-DID issuer cannot make the credential valid: anyone
    can put their own key there, and nothing the issuer publishes says it is theirs."""
    return _("The signature is intact; nothing the issuer publishes confirms this key.")


async def _key_for(
    jwt: DecodedJwt, ctx: VerifyContext, controller: str | None, purpose: str
) -> tuple[did.VerificationKey, str | None, list[str]]:
    """(key, binding problem or None, notes)."""
    header = jwt.header
    kid = header.get("kid")
    kid = kid if isinstance(kid, str) and kid else None
    embedded = header.get("jwk")
    notes: list[str] = []
    if embedded is not None:
        try:
            kind, public, clean = keys.key_from_jwk(embedded)
        except ValueError as exc:
            raise did.KeyInvalid(key="jwk", reason=str(exc)) from exc
        if kid and kid.startswith("did:"):
            resolved = await did.resolve(kid, ctx)
            if resolved.jwk != clean:
                return resolved, _("The JWT's jwk header is not the key its kid names."), notes
            return resolved, _binding(resolved, controller, purpose), notes
        if controller and controller.startswith("did:"):
            # A DID issuer's embedded key must be one its DID document lists for this purpose;
            # otherwise anyone could sign in the DID's name with a key of their own.
            try:
                own = await did.key_by_jwk(controller, clean, ctx)
            except did.KeyInvalid as exc:
                raise did.KeyInvalid(
                    key="jwk", reason=_("the JWT's jwk header is not a key of the issuer")
                ) from exc
            return own, _binding(own, controller, purpose), notes
        key = did.VerificationKey(
            id=kid or "jwk",
            controller=controller,
            kind=kind,
            jwk=clean,
            public_key=public,
            method="jwk",
            purposes=frozenset({did.ASSERTION, did.AUTHENTICATION}),
        )
        notes.append(_unconfirmed_jwk())
        return key, None, notes
    if kid is None:
        raise did.KeyInvalid(key="-", reason=_("the JWT names no key (no kid, no jwk)"))
    if not kid.startswith(("did:", "https://", "http://")):
        raise did.KeyInvalid(key=kid, reason=_("the kid is neither a DID URL nor an https URL"))
    resolved = await did.resolve(kid, ctx)
    return resolved, _binding(resolved, controller, purpose), notes


def _binding(key: did.VerificationKey, controller: str | None, purpose: str) -> str | None:
    if purpose not in key.purposes:
        return _("The key's controller does not allow it for {purpose}.").format(purpose=purpose)
    if key.controller is not None:
        if key.controller == controller:
            return None
        return _("The key belongs to {owner}, not to the issuer {issuer}.").format(
            owner=key.controller, issuer=controller or "?"
        )
    # A bare JWK at a URL: it speaks for the issuer only on the issuer's own origin.
    if controller and _origin(key.id) and _origin(key.id) == _origin(controller):
        return None
    return _("The key at {key} is not published under the issuer's address {issuer}.").format(
        key=key.id, issuer=controller or "?"
    )


def _origin(url: str) -> str | None:
    if not url.startswith("https://"):
        return None
    return url.split("/", 3)[2].lower()


# --------------------------------------------------------------------------- claims


def claim_problems(jwt: DecodedJwt) -> list[str]:
    """Registered claims that contradict the credential (empty when all agree)."""
    payload, credential = jwt.payload, jwt.credential
    problems = []
    issuer = issuer_id(credential) if jwt.claim != "vp" else credential.get("holder")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if "iss" in payload and payload["iss"] != issuer:
        problems.append(
            _("iss ({iss}) is not the issuer ({issuer})").format(iss=payload["iss"], issuer=issuer)
        )
    if "jti" in payload and "id" in credential and payload["jti"] != credential["id"]:
        problems.append(_("jti is not the credential id"))
    subject = credential.get("credentialSubject")
    if (
        "sub" in payload
        and isinstance(subject, dict)
        and "id" in subject
        and payload["sub"] != subject["id"]
    ):
        problems.append(_("sub is not the credential subject's id"))
    problems.extend(date_claim_problems(jwt)[0])
    return problems


def date_claim_problems(jwt: DecodedJwt) -> tuple[list[str], list[str]]:
    """(contradictions, disagreements outside the mapping) between ``nbf``/``exp`` and the dates.

    The mapping depends on the data model (VC-JWT 1.1 §6.3.1; VC-JOSE-COSE for 2.0): in a VC 1.1
    credential ``nbf`` is ``issuanceDate`` and ``exp`` is ``expirationDate``; in VC 2.0 they are
    ``validFrom`` and ``validUntil``.  Only a mapped pair can contradict; an OB 3.0 ``validFrom``
    inside a VC 1.1 credential (Velocity and others issue these) is another statement, reported.
    """
    payload, credential = jwt.payload, jwt.credential
    v2 = "https://www.w3.org/ns/credentials/v2" in _contexts(credential)
    mapped = (
        {"nbf": "validFrom", "exp": "validUntil"}
        if v2
        else {
            "nbf": "issuanceDate",
            "exp": "expirationDate",
        }
    )
    others = {
        "nbf": ("issuanceDate", "validFrom"),
        "exp": ("expirationDate", "validUntil"),
    }
    problems: list[str] = []
    warnings_: list[str] = []
    for claim in ("nbf", "exp"):
        if claim not in payload:
            continue
        if not _numeric(payload[claim]):
            problems.append(_("{claim} is not a number").format(claim=claim))
            continue
        for name in others[claim]:
            if name not in credential or credential[name] is None:
                continue
            stated = parse_date(credential[name])
            if stated is not None and abs(stated.timestamp() - float(payload[claim])) < 1:
                continue
            message = _("{claim} does not match {name}").format(claim=claim, name=name)
            (problems if name == mapped[claim] else warnings_).append(message)
    return problems, warnings_


def jwt_dates(jwt: DecodedJwt) -> tuple[datetime | None, datetime | None]:
    """(not before, expires) from the registered claims."""

    def at(claim: str) -> datetime | None:
        value = jwt.payload.get(claim)
        if isinstance(value, int | float) and _numeric(value):
            return datetime.fromtimestamp(value, UTC)
        return None

    return at("nbf"), at("exp")


_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def looks_like_jwt(value: Json) -> bool:
    """A compact JWS (text or bytes), ignoring surrounding whitespace."""
    if isinstance(value, bytes):
        if len(value) > MAX_TOKEN:
            return False
        value = value.decode("ascii", "replace")
    return isinstance(value, str) and len(value) < MAX_TOKEN and bool(_COMPACT.match(value.strip()))
