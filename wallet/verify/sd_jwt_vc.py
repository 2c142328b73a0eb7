"""SD-JWT VC verification (IETF ``dc+sd-jwt``; ``vc+sd-jwt`` before 2024), numbered steps.

1. ``structure`` — an SD-JWT (issuer JWT ~ disclosures ~ [KB-JWT]) declared as a VC
2. ``disclosures`` — every disclosure is referenced by exactly one digest (``_sd_alg``); the
   disclosed claims are listed
3. ``proof`` and ``issuer-key`` — the issuer JWT's signature, by a key the issuer publishes
   (:mod:`wallet.verify.sd_jwt_keys`)
4. ``dates`` — ``nbf``/``exp`` (``iat`` not in the future)
5. ``status`` — the IETF Token Status List (:mod:`wallet.verify.token_status`)
6. ``key-binding`` — when a KB-JWT is present: signed by the holder key in ``cnf``, over exactly
   these disclosures (``sd_hash``); absent, anyone holding the SD-JWT could present it (reported)
7. ``recipient`` — against the identities given

A credential is ``valid`` only when every check that decides ran and passed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wallet.codecs import sd_jwt
from wallet.codecs.dates import format_date
from wallet.i18n import _
from wallet.model import Credential, Status, VerificationReport
from wallet.verify import did, keys, sd_jwt_keys, token_status, vcjwt
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.ob3 import checks as ob3_checks

VC_TYPES = ("dc+sd-jwt", "vc+sd-jwt")


async def verify_sd_jwt_vc(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    checks = Checks()
    claims = await _steps(credential, ctx, checks)
    recipient = ob3_checks.check_recipient(_subject_doc(claims), ctx.recipients, checks)
    return VerificationReport(
        status=VerificationReport.verdict(checks.items),
        checks=tuple(checks.items),
        checked_at=ctx.clock(),
        format=credential.format,
        credential_id=credential.credential_id,
        recipient=recipient,
        mode="offline" if ctx.offline else "online",
    )


async def _steps(credential: Credential, ctx: VerifyContext, checks: Checks) -> dict[str, Any]:
    # (1) structure
    try:
        token = sd_jwt.parse(credential.payload)
    except sd_jwt.SdJwtError as exc:
        checks.failed("structure", _("The SD-JWT is malformed."), detail=str(exc))
        return {}
    typ = token.header.get("typ")
    if typ in VC_TYPES:
        checks.passed("structure", _("A well-formed SD-JWT VC ({typ}).").format(typ=typ))
    else:
        checks.warn(
            "structure",
            _("A well-formed SD-JWT, but not declared as a verifiable credential ({typ}).").format(
                typ=typ
            ),
        )
    # (2) disclosures
    try:
        rebuilt = sd_jwt.rebuild(token)
    except sd_jwt.SdJwtError as exc:
        checks.failed(
            "disclosures", _("The disclosures do not match the issuer's digests."), detail=str(exc)
        )
        return {}
    names = ", ".join(path.lstrip("/") for path in rebuilt.disclosed) or "—"
    checks.passed(
        "disclosures",
        _("{count} disclosed claims match the issuer's digests: {names}").format(
            count=len(rebuilt.disclosed), names=names[:300]
        ),
    )
    claims = rebuilt.claims
    # (3) signature and issuer key
    await _signature(token, claims, ctx, checks)
    # (4) dates
    _dates(claims, ctx.clock(), checks)
    # (5) status
    verdict = await token_status.check(claims, claims.get("iss"), ctx)
    if verdict is None:
        checks.skip("status", _("The credential declares no status list."))
    else:
        checks.add(
            "status",
            verdict.status,
            verdict.message,
            detail=verdict.detail,
            outcome=verdict.outcome,
        )
    # (6) key binding
    _key_binding(token, checks)
    return claims


async def _signature(
    token: sd_jwt.SdJwt, claims: dict[str, Any], ctx: VerifyContext, checks: Checks
) -> None:
    alg = token.header.get("alg")
    if alg not in sd_jwt_keys.ALG_KEY:
        message = _("The JWT algorithm {alg} is not accepted.").format(alg=alg)
        checks.failed("proof", message)
        checks.failed("issuer-key", message)
        return
    key = await sd_jwt_keys.issuer_key(token.header, claims.get("iss"), ctx)
    if key.key is None:
        checks.add("proof", key.status, key.message, detail=key.detail)
        checks.add("issuer-key", key.status, key.message, detail=key.detail)
        return
    if sd_jwt_keys.signature_valid(token.issuer_jwt, key.key, str(alg)):
        checks.passed(
            "proof", _("The {alg} signature by {key} is valid.").format(alg=alg, key=key.key.id)
        )
    else:
        checks.failed(
            "proof",
            _("The JWT signature does not match the content (altered, or the wrong key)."),
            detail=key.key.id,
        )
    checks.add("issuer-key", key.status, key.message, detail=key.detail or key.key.id)


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e11:
        return datetime.fromtimestamp(value, UTC)
    return None


def _dates(claims: dict[str, Any], now: datetime, checks: Checks) -> None:
    for name in ("iat", "nbf", "exp"):
        if name in claims and _epoch(claims[name]) is None:
            checks.failed("dates", _("{claim} is not a number").format(claim=name))
            return
    start = _epoch(claims.get("nbf"))
    end = _epoch(claims.get("exp"))
    if end is not None and end < now:
        checks.failed(
            "dates",
            _("The credential expired on {date}.").format(date=format_date(end)),
            outcome=Status.EXPIRED,
        )
    elif start is not None and start > now:
        checks.failed(
            "dates",
            _("The credential is not valid until {date}.").format(date=format_date(start)),
            outcome=Status.NOT_YET_VALID,
        )
    elif end is not None:
        checks.passed("dates", _("Valid now; it expires on {date}.").format(date=format_date(end)))
    else:
        checks.passed("dates", _("Valid now; it does not expire."))


def _key_binding(token: sd_jwt.SdJwt, checks: Checks) -> None:
    cnf = token.payload.get("cnf")
    holder_jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if token.kb_jwt is None:
        if holder_jwk is not None:
            checks.skip(
                "key-binding",
                _(
                    "Presented without key binding: the credential is bound to a holder key, but "
                    "this copy does not prove possession of it."
                ),
            )
        return
    problem = _kb_problem(token, holder_jwk)
    if problem:
        checks.failed(
            "key-binding", _("The key binding is not valid: {reason}").format(reason=problem)
        )
    else:
        checks.passed("key-binding", _("The holder's key binding is valid for these disclosures."))


def _kb_problem(token: sd_jwt.SdJwt, holder_jwk: Any) -> str | None:
    if holder_jwk is None:
        return _("the credential names no holder key (cnf)")
    try:
        kind, public, clean = keys.key_from_jwk(holder_jwk)
        kb = vcjwt.decode(token.kb_jwt or "")
    except (ValueError, vcjwt.MalformedJwt) as exc:
        return str(exc)
    if kb.header.get("typ") != "kb+jwt":
        return _("its type is not kb+jwt")
    key = did.VerificationKey("cnf", None, kind, clean, public, "jwk", frozenset())
    if not sd_jwt_keys.signature_valid(kb.token, key, str(kb.header.get("alg"))):
        return _("it is not signed by the holder key")
    expected = sd_jwt.digest(token.presented, sd_jwt.hash_function(token.payload))
    if kb.payload.get("sd_hash") != expected:
        return _("it was made for other disclosures (sd_hash)")
    # A wallet keeps presentations to re-check later: freshness (iat, nonce, aud) is the business
    # of the verifier that asked for the presentation; here iat must only be there.
    if _epoch(kb.payload.get("iat")) is None:
        return _("its issue time (iat) is missing")
    return None


def _subject_doc(claims: dict[str, Any]) -> dict[str, Any]:
    """The learner as OB 3.0 names it: ``credentialSubject`` (its id from ``sub`` if missing)."""
    subject = claims.get("credentialSubject")
    sub = claims.get("sub")
    if isinstance(sub, str) and (subject is None or isinstance(subject, dict)):
        subject = {"id": sub, **(subject or {})}
    return {"credentialSubject": subject} if subject is not None else {}
