"""The EDC verifier: numbered steps, one named check each (format ``edc-jades``).

1. ``seal``        the JAdES signature covers the credential as issued (crit, b64, x5t#S256,
                   algorithm pinned to the key of the sealing certificate)
2. ``seal-time``   when it was sealed: a signature time-stamp from a TSA the trusted lists grant
                   at that time, or else the sealer's own ``sigT`` claim (said so)
3. ``seal-trust``  the certificate path at that time reaches a CA service the EU trusted lists
                   granted then; revocation from the values the seal carries; the level
                   (qualified electronic seal or advanced seal); an expired certificate is
                   accepted only when a trusted time-stamp proves the seal came before expiry
4. ``dates``       the credential's own validity period
5. ``status``      its status entries (StatusList2021Entry, …)

``valid`` needs every one of these to pass; a test or unknown CA, a stale list, missing
revocation data or an unproven time make the credential ``unverified`` with the reason.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import datetime
from typing import Any

from wallet.codecs.dates import format_date
from wallet.codecs.edc_seal import SealFacts, sentence
from wallet.codecs.nodes import id_of
from wallet.i18n import N_, _, tr
from wallet.model import CheckStatus, Credential, Format, Status, VerificationReport
from wallet.verify import status
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.edc import jades, online, path, snapshots, trust, tst
from wallet.verify.edc.evidence import SealEvidence
from wallet.verify.ob3 import checks as ob3_checks

SNAPSHOT_CACHE_KEY = "edc-trusted-lists"
"""``ctx.cache`` key of the :class:`trust.TrustSnapshot` to use (tests put their own there)."""


def snapshot_for(ctx: VerifyContext) -> trust.TrustSnapshot:
    found = ctx.cache.get(SNAPSHOT_CACHE_KEY)
    if isinstance(found, trust.TrustSnapshot):
        return found
    snapshot = snapshots.current()
    ctx.cache[SNAPSHOT_CACHE_KEY] = snapshot
    return snapshot


async def verify_edc(credential: Credential, ctx: VerifyContext) -> VerificationReport:
    """Verify a sealed EDC: JAdES (``edc-jades``) or the legacy XAdES XML (``edc-xml``)."""
    checks = Checks()
    now = ctx.clock()
    snapshot = snapshot_for(ctx)
    # (1) seal
    evidence = _seal_step(credential, checks)
    if evidence is not None:
        # (2) time, (3) trust
        moment, trusted = await _signing_time(evidence, snapshot, checks, now)
        await _trust(evidence, snapshot, moment, trusted, checks, now, ctx)
    document = _status_view(credential.document)
    if credential.format is Format.EDC_XML:
        # (4) the legacy XML states its dates in its own terms (read by the importer)
        _legacy_dates(credential, now, checks)
    elif document:
        # (4) dates
        ob3_checks.check_dates(document, now, checks)
        # (5) status
        await status.check_status(
            document,
            ctx,
            checks,
            issuer_id=id_of(document.get("issuer")),
            credential_id=credential.credential_id,
        )
    return VerificationReport(
        status=VerificationReport.verdict(checks.items),
        checks=tuple(checks.items),
        checked_at=now,
        format=credential.format,
        credential_id=credential.credential_id,
        mode="offline" if ctx.offline else "online",
    )


def _seal_step(credential: Credential, checks: Checks) -> SealEvidence | None:
    try:
        if credential.format is Format.EDC_XML:
            from wallet.verify.edc import xades

            evidence, alg = xades.verify(credential.payload), "XAdES"
        else:
            seal = jades.parse(credential.payload)
            jades.verify_signature(seal)
            evidence, alg = jades_evidence(seal), seal.alg
    except jades.SealError as exc:
        checks.failed("seal", exc.user_message(), detail=exc.diagnostics())
        return None
    checks.passed(
        "seal", _("The seal ({alg}) covers the credential exactly as issued.").format(alg=alg)
    )
    return evidence


def _legacy_dates(credential: Credential, now: datetime, checks: Checks) -> None:
    end = credential.valid_until or credential.expires
    if end is not None and end < now:
        checks.failed(
            "dates",
            _("The credential expired on {date}.").format(date=format_date(end)),
            outcome=Status.EXPIRED,
        )
    else:
        checks.passed("dates", _("The credential states no end of validity that has passed."))


def _status_view(document: Any) -> dict[str, Any]:
    """The credential as the status step reads it: ELM v3 names its status entries ``status``.

    Without this an EDC's StatusList2021Entry would be silently skipped and a revoked
    credential could pass.
    """
    if not isinstance(document, dict):
        return {}
    if "credentialStatus" not in document and "status" in document:
        return {**document, "credentialStatus": document["status"]}
    return document


def jades_evidence(seal: jades.JadesSeal) -> SealEvidence:
    """What the time and trust steps need from a JAdES seal."""
    return SealEvidence(
        certificates=seal.certificates,
        claimed_time=seal.claimed_time,
        signature_tokens=_tokens(seal.unsigned_named("sigTst")),
        signature_covered=seal.signature_b64.encode(),
        archive_tokens=_tokens(seal.unsigned_named("arcTst")),
        archive_covered=_archive_time(seal),
        revinfo=path.revinfo_from(seal.unsigned_named("xVals"), seal.unsigned_named("rVals")),
    )


def _tokens(values: list[Any]) -> tuple[bytes, ...]:
    found: list[bytes] = []
    for value in values:
        tokens = value.get("tstTokens") if isinstance(value, dict) else None
        for token in tokens if isinstance(tokens, list) else []:
            try:
                found.append(base64.b64decode(str(token.get("val", ""))))
            except ValueError:
                continue
    return tuple(found)


async def _trusted_token(
    tokens: tuple[bytes, ...],
    covered: bytes,
    snapshot: trust.TrustSnapshot,
    revinfo: path.Revinfo,
) -> tuple[tst.Timestamp | None, str]:
    """The first time-stamp token that verifies over ``covered`` and whose TSA is listed."""
    problems: list[str] = []
    for token in tokens:
        try:
            stamp = tst.verify_token(token, covered)
        except (tst.TimestampError, ValueError) as exc:
            problems.append(str(exc))
            continue
        chain = tuple(c for c in stamp.certificates if c != stamp.tsa_certificate)
        result = await path.validate(
            stamp.tsa_certificate, chain, revinfo, snapshot, stamp.gen_time, tsa=True
        )
        if result.outcome is path.Outcome.GOOD or (
            result.outcome is path.Outcome.REVINFO_MISSING and _listed_itself(stamp, snapshot)
        ):
            return stamp, ""
        problems.append(
            _("its time-stamping authority {name} is on no trusted list").format(
                name=stamp.tsa_name
            )
        )
    return None, "; ".join(problems)


def _listed_itself(stamp: tst.Timestamp, snapshot: trust.TrustSnapshot) -> bool:
    """A TSA unit listed by its own certificate needs no revocation data (the list is it)."""
    return any(stamp.tsa_certificate in s.certificates for s in snapshot.services)


async def _signing_time(
    seal: SealEvidence, snapshot: trust.TrustSnapshot, checks: Checks, now: datetime
) -> tuple[datetime, bool]:
    """The moment to validate at, and whether a trusted time-stamp proves it."""
    problems = ""
    if seal.signature_tokens:
        stamp, problems = await _trusted_token(
            seal.signature_tokens, seal.signature_covered, snapshot, seal.revinfo
        )
        if stamp is not None:
            checks.passed(
                "seal-time",
                _("Sealed no later than {date}, proven by a time-stamp from {tsa}.").format(
                    date=format_date(stamp.gen_time), tsa=stamp.tsa_name
                ),
            )
            return stamp.gen_time, True
    claimed = seal.claimed_time
    if claimed is not None and claimed > now:
        # a seal from the future is no claim about the past: check the certificate as of now
        problems = "; ".join(p for p in (problems, f"sigT {claimed.isoformat()} is after now") if p)
        claimed = None
    if claimed is None:
        checks.warn(
            "seal-time",
            _("The seal states no signing time; its certificate is checked as of now."),
            detail=problems,
        )
        return now, False
    message = _(
        "Sealed on {date} according to the sealer's own claim, not a trusted time-stamp."
    ).format(date=format_date(claimed))
    if problems:
        message += " " + _("The time-stamp it carries is not trusted: {reason}.").format(
            reason=problems
        )
    checks.warn("seal-time", message, detail=problems)
    return claimed, False


def _archive_time(seal: jades.JadesSeal) -> bytes:
    """What an ``arcTst`` covers, as the EU's own producer (DSS) computes it and the sealed
    Europass samples confirm: payload "." protected "." signature "." then the etsiU components
    before it, each as carried, concatenated."""
    before: list[str] = []
    for item in seal.unsigned:
        if item.name == "arcTst":
            break
        before.append(item.raw)
    return ".".join(
        [seal.payload, seal.protected_b64, seal.signature_b64, "".join(before)]
    ).encode()


async def _trust(
    seal: SealEvidence,
    snapshot: trust.TrustSnapshot,
    moment: datetime,
    trusted: bool,
    checks: Checks,
    now: datetime,
    ctx: VerifyContext,
) -> None:
    from cryptography import x509

    leaf = seal.certificates[0]
    not_after = x509.load_der_x509_certificate(leaf).not_valid_after_utc
    if not trusted and not_after < now:
        archive, _problem = await _trusted_token(
            seal.archive_tokens, seal.archive_covered, snapshot, seal.revinfo
        )
        if archive is None or archive.gen_time > not_after:
            checks.unknown(
                "seal-trust",
                _(
                    "The seal certificate expired on {date}, and nothing trusted proves the "
                    "credential was sealed before then (no time-stamp from a listed authority)."
                ).format(date=format_date(not_after)),
            )
            return
        moment = min(moment, archive.gen_time)
    if snapshot.as_of is None:
        checks.unknown(
            "seal-trust",
            _("plecak holds no EU trusted-list snapshot yet, so no seal can be trusted."),
        )
        return
    result = await path.validate(leaf, seal.certificates[1:], seal.revinfo, snapshot, moment)
    ask_ca = False
    if result.outcome is path.Outcome.REVINFO_MISSING:
        if not ctx.offline:
            result = await _with_online_revinfo(seal, snapshot, moment, ctx) or result
        else:  # say what would help: the CA names where to ask
            ask_ca = bool(online.ocsp_urls(leaf) or path.crl_urls(leaf))
    _report_path(result, snapshot, moment, trusted, checks, ask_ca=ask_ca)


async def _with_online_revinfo(
    seal: SealEvidence, snapshot: trust.TrustSnapshot, moment: datetime, ctx: VerifyContext
) -> path.PathResult | None:
    """The seal carried no usable revocation data: ask the CA (OCSP, then its CRLs), through
    the Fetcher only, and validate again with what came back."""
    leaf, chain = seal.certificates[0], seal.certificates[1:]
    carried = (*chain, *seal.revinfo.certificates)
    result = None
    ocsps = await online.fetch_ocsps(ctx.fetcher, leaf, carried, snapshot)
    if ocsps:
        revinfo = replace(seal.revinfo, ocsps=(*seal.revinfo.ocsps, *ocsps))
        result = await path.validate(leaf, chain, revinfo, snapshot, moment)
        if result.outcome is not path.Outcome.REVINFO_MISSING:
            return result
    crls = await online.fetch_crls(ctx.fetcher, leaf)
    if crls:
        revinfo = replace(seal.revinfo, crls=(*seal.revinfo.crls, *crls))
        result = await path.validate(leaf, chain, revinfo, snapshot, moment)
    return result


def _report_path(
    result: path.PathResult,
    snapshot: trust.TrustSnapshot,
    moment: datetime,
    trusted: bool,
    checks: Checks,
    *,
    ask_ca: bool = False,
) -> None:
    service = result.service
    if result.outcome is path.Outcome.GOOD and service is not None:
        _report_granted(result, service, snapshot, moment, checks)
        return
    outcome = result.outcome
    text = tr(PATH_PROBLEMS.get(outcome, PATH_PROBLEMS[path.Outcome.INVALID])).format(
        organisation=result.organisation or result.subject,
        date=format_date(snapshot.as_of) if snapshot.as_of else "-",
    )
    if ask_ca:
        text += " " + _("Verify online to ask the CA that issued it.")
    if outcome is path.Outcome.REVOKED:
        checks.failed("seal-trust", text, detail=result.detail, outcome=Status.REVOKED)
    elif outcome is path.Outcome.INVALID or (outcome is path.Outcome.EXPIRED and trusted):
        checks.failed("seal-trust", text, detail=result.detail)
    else:
        checks.add("seal-trust", CheckStatus.UNKNOWN, text, detail=result.detail)


def _report_granted(
    result: path.PathResult,
    service: trust.TrustService,
    snapshot: trust.TrustSnapshot,
    moment: datetime,
    checks: Checks,
) -> None:
    listed = snapshot.list_for(service.country)
    if listed and listed.next_update and moment > listed.next_update:
        checks.unknown(
            "seal-trust",
            _(
                "The trusted list of {country} held is stale (its next update was due on "
                "{date}, before the seal): a newer trusted-list snapshot is needed."
            ).format(country=service.country, date=format_date(listed.next_update)),
        )
        return
    facts = SealFacts(
        organisation=result.organisation,
        qualified=result.qualified,
        provider=service.provider,
        country=service.country,
        # the date of the list that speaks for this service, not the newest list held
        list_issued=format_date(listed.issued if listed else snapshot.as_of) or "-",
        subject=result.subject,
    )
    checks.passed("seal-trust", sentence(facts), detail=facts.to_detail())


PATH_PROBLEMS = {
    path.Outcome.NO_PATH: N_(
        "The seal certificate of {organisation} comes from a CA on no EU trusted list (as "
        "of {date}): a test or unknown CA."
    ),
    path.Outcome.NOT_GRANTED: N_(
        "The CA service that issued the seal certificate of {organisation} was not granted "
        "on the trusted list when it sealed."
    ),
    path.Outcome.REVINFO_MISSING: N_(
        "Whether the seal certificate of {organisation} was revoked is not known: the seal "
        "carries no revocation data that covers the time of sealing."
    ),
    path.Outcome.REVOKED: N_(
        "The seal certificate of {organisation} was revoked before the credential was sealed."
    ),
    path.Outcome.EXPIRED: N_(
        "The seal certificate of {organisation} was not valid when the credential was sealed."
    ),
    path.Outcome.INVALID: N_("The certificate path of the seal of {organisation} is invalid."),
}
