"""The Open Badges 3.0 / Verifiable Credentials verifier: numbered steps, one named check each.

Formats: ``ob3-data-integrity`` (embedded proofs), ``ob3-vc-jwt`` (compact JWS), ``ob3-unsigned``,
``clr`` (a CLR 2.0 credential: its own proof, then every nested credential) and ``vp`` (a
Verifiable Presentation: its optional holder proof, then every credential).

Steps (each a check in the report; all run even after a failure, so the learner sees everything):

1. ``structure`` — a VC at all (contexts, type, issuer, subject; OB 3.0 needs an identified learner)
2. ``context`` — JSON-LD safety: pinned contexts only, no dropped terms, no relative types
3. ``proof`` / ``proof:<n>`` and ``issuer-key`` — the signature(s), and that the key is the issuer's
   (``claims`` for VC-JWT: the registered claims agree with the credential)
4. ``dates`` — expired / not yet valid
5. ``status`` — revoked / suspended (status lists are verified credentials themselves)
6. ``schema`` — the declared JSON Schema
7. ``recipient`` — against the identities of the wallet or ``--recipient``
8. ``refresh`` — a refresh service is reported, never followed
9. ``endorsement:<n>`` — embedded endorsements, verified on their own (they inform, never decide)

A credential is ``valid`` only when every check that matters ran and passed
(:meth:`VerificationReport.verdict`): an UNKNOWN anywhere makes it ``unverified``.
"""

from __future__ import annotations

import json
from typing import Any

from wallet.codecs.nodes import as_list, id_of, types_of
from wallet.i18n import _, tr
from wallet.model import (
    CheckStatus,
    Credential,
    Format,
    Original,
    RecipientMatch,
    Status,
    VerificationReport,
    worst_status,
)
from wallet.verify import dataintegrity, did, jsonld, status, vcjwt
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.ob3 import checks as ob3_checks
from wallet.verify.ob3 import schema
from wallet.verify.ob3.proofs import (
    data_integrity_steps,
    jwt_steps,
    proof_checks,
    record_jwt_outcome,
)

MAX_DEPTH = 3
"""CLR -> credential -> endorsement: deeper nesting is refused (no recursion bombs)."""
MAX_NESTED = 500


async def verify_ob3(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    """Verify one OB 3.0 credential, CLR or presentation.  Never raises for bad input."""
    return await _verify(credential, ctx, depth=0)


async def _verify(credential: Credential, ctx: VerifyContext, depth: int) -> VerificationReport:
    checks = Checks()
    if credential.format is Format.VP:
        return await _presentation(credential, ctx, checks, depth)
    state = await _credential_checks(credential, ctx, checks, depth)
    children: tuple[VerificationReport, ...] = ()
    if credential.format is Format.CLR or "ClrCredential" in types_of(state.document):
        children = await _nested(state.document, credential, ctx, checks, depth, "clr")
    return _report(credential, ctx, checks, state, children)


class _State:
    """What the steps learn about the credential as they go."""

    def __init__(self, document: Any) -> None:
        self.document: Any = document
        self.recipient = RecipientMatch()
        self.credential_id: str | None = None


def _report(
    credential: Credential,
    ctx: VerifyContext,
    checks: Checks,
    state: _State,
    children: tuple[VerificationReport, ...],
) -> VerificationReport:
    verdict = VerificationReport.verdict(checks.items)
    if children:
        verdict = worst_status([verdict, *(c.status for c in children)])
    return VerificationReport(
        status=verdict,
        checks=tuple(checks.items),
        checked_at=ctx.clock(),
        format=credential.format,
        credential_id=credential.credential_id or state.credential_id,
        recipient=state.recipient,
        mode="offline" if ctx.offline else "online",
        children=children,
    )


# --------------------------------------------------------------------------- one credential


async def _credential_checks(
    credential: Credential, ctx: VerifyContext, checks: Checks, depth: int
) -> _State:
    jwt: vcjwt.DecodedJwt | None = None
    if credential.format is Format.OB3_VC_JWT or vcjwt.looks_like_jwt(credential.payload):
        jwt = _decode_jwt(credential, checks)
        if jwt is None:
            return _State(None)
        document: Any = jwt.credential
    else:
        document = _document(credential)
    state = _State(document)
    # (1) structure
    ob3_checks.check_structure(document, checks)
    if not isinstance(document, dict):
        return state
    state.credential_id = id_of(document.get("id"))
    issuer = id_of(document.get("issuer"))
    # (2)-(3) context, proof, issuer key
    if jwt is not None:
        await jwt_steps(jwt, issuer, ctx, checks)
        not_before, expires = vcjwt.jwt_dates(jwt)
    else:
        await data_integrity_steps(document, issuer, ctx, checks)
        not_before = expires = None
    # (4) dates
    ob3_checks.check_dates(document, ctx.clock(), checks, not_before=not_before, expires=expires)
    # (5) status
    await status.check_status(
        document, ctx, checks, issuer_id=issuer, credential_id=state.credential_id
    )
    # (6) schema
    await schema.check_schema(document, ctx, checks)
    # (7) recipient
    state.recipient = ob3_checks.check_recipient(document, ctx.recipients, checks)
    # (8) refresh service
    ob3_checks.check_refresh(document, checks)
    # (9) endorsements
    if depth < MAX_DEPTH:
        await _endorsements(document, credential, ctx, checks, depth)
    return state


def _decode_jwt(credential: Credential, checks: Checks) -> vcjwt.DecodedJwt | None:
    """The credential's VC-JWT decoded, or None after a failed ``structure`` check."""
    try:
        return vcjwt.decode(credential.payload)
    except vcjwt.MalformedJwt as exc:
        checks.failed("structure", _("The JWT is malformed."), detail=str(exc))
        return None


def _document(credential: Credential) -> Any:
    """The credential's JSON document: as imported, else parsed from its payload (None if not)."""
    if credential.document is not None:
        return credential.document
    from wallet.codecs import safejson
    from wallet.errors import InputError

    try:
        return safejson.loads(credential.payload, source=credential.original.source)
    except InputError:
        return None


# --------------------------------------------------------------------------- nested credentials


def _child(entry: Any, parent: Credential, pointer: str) -> Credential | None:
    source = f"{parent.original.source}#{pointer}"
    if vcjwt.looks_like_jwt(entry):
        data = entry.strip().encode("ascii", "replace")
        return Credential(
            format=Format.OB3_VC_JWT,
            original=Original(data=data, media_type="application/jwt", source=source),
            payload=data,
        )
    if isinstance(entry, dict):
        data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        fmt = Format.OB3_DATA_INTEGRITY if entry.get("proof") else Format.OB3_UNSIGNED
        if "ClrCredential" in types_of(entry):
            fmt = Format.CLR
        return Credential(
            format=fmt,
            original=Original(data=data, media_type="application/ld+json", source=source),
            payload=data,
            document=entry,
            credential_id=id_of(entry.get("id")),
        )
    return None


async def _nested(
    document: Any,
    credential: Credential,
    ctx: VerifyContext,
    checks: Checks,
    depth: int,
    kind: str,
) -> tuple[VerificationReport, ...]:
    """Verify every credential a CLR or presentation carries; one summary check."""
    if credential.children:
        nested = list(credential.children)
    else:
        entries = _carried(document, kind)[:MAX_NESTED]
        nested = [c for c in (_child(e, credential, p) for e, p in entries) if c]
    if depth + 1 > MAX_DEPTH:
        checks.unknown("credentials", _("Credentials are nested too deeply to verify."))
        return ()
    reports = [await _verify_nested(child, ctx, depth + 1) for child in nested[:MAX_NESTED]]
    if not reports:
        if kind == "clr":
            checks.warn("credentials", _("The CLR contains no credentials."))
        else:
            checks.failed("credentials", _("The presentation contains no credentials."))
        return ()
    valid = sum(1 for r in reports if r.status is Status.VALID)
    summary = _("{valid} of {total} nested credentials are valid.").format(
        valid=valid, total=len(reports)
    )
    # The nested verdicts enter the overall status through the children, not through this check.
    checks.add(
        "credentials", CheckStatus.PASS if valid == len(reports) else CheckStatus.WARN, summary
    )
    return tuple(reports)


def _carried(document: Any, kind: str) -> list[tuple[Any, str]]:
    """The credentials a CLR's subjects or a presentation carry, each with its JSON path."""
    if kind != "clr":
        return [
            (entry, f"verifiableCredential/{c_index}")
            for c_index, entry in enumerate(as_list(_get(document, "verifiableCredential")))
        ]
    return [
        (entry, f"credentialSubject/{s_index}/verifiableCredential/{c_index}")
        for s_index, subject in enumerate(as_list(_get(document, "credentialSubject")))
        for c_index, entry in enumerate(as_list(_get(subject, "verifiableCredential")))
    ]


async def _verify_nested(child: Credential, ctx: VerifyContext, depth: int) -> VerificationReport:
    """The child's report; unverified, with the reason, when it cannot be processed."""
    try:
        return await _verify(child, ctx, depth)
    except Exception as exc:  # a nested credential must never take the whole report down
        broken = Checks()
        broken.unknown("processing", _("The credential could not be processed."), detail=repr(exc))
        return VerificationReport(
            status=Status.UNVERIFIED,
            checks=tuple(broken.items),
            checked_at=ctx.clock(),
            format=child.format,
            credential_id=child.credential_id,
        )


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


async def _endorsements(
    document: dict[str, Any], credential: Credential, ctx: VerifyContext, checks: Checks, depth: int
) -> None:
    """Endorsements inform the reader; an invalid one is reported, never fatal."""
    holders = [("", document), ("issuer/", document.get("issuer"))]
    for s_index, subject in enumerate(as_list(document.get("credentialSubject"))):
        achievement = _get(subject, "achievement")
        holders.append((f"credentialSubject/{s_index}/achievement/", achievement))
        holders.append(
            (f"credentialSubject/{s_index}/achievement/creator/", _get(achievement, "creator"))
        )
    found: list[tuple[Any, str]] = []
    for prefix, holder in holders:
        if not isinstance(holder, dict):
            continue
        for key in ("endorsement", "endorsementJwt"):
            for index, entry in enumerate(as_list(holder.get(key))):
                found.append((entry, f"{prefix}{key}/{index}"))
    for number, (entry, pointer) in enumerate(found[:50], start=1):
        child = _child(entry, credential, pointer)
        if child is None:
            checks.warn(f"endorsement:{number}", _("An endorsement is malformed."), detail=pointer)
            continue
        report = await _verify(child, ctx, depth + 1)
        if report.status is Status.VALID:
            checks.passed(f"endorsement:{number}", _("An endorsement is valid."), detail=pointer)
        else:
            checks.warn(
                f"endorsement:{number}",
                _(
                    "An endorsement is not valid ({status}); it does not affect this credential."
                ).format(status=tr(report.status.label)),
                detail=pointer,
            )


# --------------------------------------------------------------------------- presentations


async def _presentation(
    credential: Credential, ctx: VerifyContext, checks: Checks, depth: int
) -> VerificationReport:
    jwt: vcjwt.DecodedJwt | None = None
    if vcjwt.looks_like_jwt(credential.payload):
        jwt = _decode_jwt(credential, checks)
        document: Any = jwt.credential if jwt is not None else None
    else:
        document = _document(credential)
    state = _State(document)
    ob3_checks.check_structure(document, checks, kind="VerifiablePresentation")
    if isinstance(document, dict):
        state.credential_id = id_of(document.get("id"))
        holder = id_of(document.get("holder"))
        if jwt is not None:
            outcome = await vcjwt.verify_signature(jwt, ctx, holder, did.AUTHENTICATION)
            record_jwt_outcome(outcome, checks, _("The holder's key could not be established."))
        elif dataintegrity.proofs_of(document):
            await _presentation_proof(document, holder, ctx, checks)
        else:
            checks.skip(
                "proof",
                _(
                    "The presentation is not signed by its holder; each credential is verified on "
                    "its own."
                ),
            )
    children = await _nested(document, credential, ctx, checks, depth, "vp")
    return _report(credential, ctx, checks, state, children)


async def _presentation_proof(
    document: dict[str, Any], holder: str | None, ctx: VerifyContext, checks: Checks
) -> None:
    try:
        contexts = await jsonld.load_contexts(document, ctx)
        canonical = jsonld.canonicalize(dataintegrity.unsecured(document), contexts)
    except jsonld.ContextUnavailable as exc:
        checks.unknown("proof", exc.user_message(), detail=exc.detail)
        return
    except jsonld.JsonLdInvalid as exc:
        checks.failed("proof", exc.user_message(), detail=exc.detail)
        return
    outcomes = await dataintegrity.verify_proofs(
        document,
        canonical,
        contexts,
        ctx,
        controllers={holder} if holder else set(),
        purpose="authentication",
    )
    proof_checks(outcomes, checks)
