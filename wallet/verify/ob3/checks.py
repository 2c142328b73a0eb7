"""The document-level checks of an OB 3.0 / VC credential that need no network.

Shape (the VC data model and OB 3.0 verification step 1), dates (VC 2.0 ``validFrom``/``validUntil``,
VC 1.1 ``issuanceDate``/``expirationDate``, VC-JWT ``nbf``/``exp``), the recipient and the refresh
service.  Kept apart from :mod:`wallet.verify.ob3.verifier` so the orchestration stays readable.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from wallet.codecs.dates import format_date, parse_date_strict
from wallet.codecs.nodes import as_list, id_of, types_of
from wallet.i18n import _
from wallet.model import CheckStatus, Json, RecipientMatch, Status
from wallet.verify import recipient as recipients
from wallet.verify.checks import Checks

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def is_v2(doc: dict[str, Any]) -> bool:
    contexts = as_list(doc.get("@context"))
    return bool(contexts) and contexts[0] == VC2


# --------------------------------------------------------------------------- structure


def structure_problems(doc: Json, *, kind: str = "VerifiableCredential") -> list[str]:
    """Why ``doc`` is not a well-formed credential (or presentation); empty when it is."""
    if not isinstance(doc, dict):
        return [_("the credential is not a JSON object")]
    problems = []
    contexts = as_list(doc.get("@context"))
    if not contexts or contexts[0] not in (VC1, VC2):
        problems.append(_("the first @context is not the W3C Verifiable Credentials context"))
    if kind not in types_of(doc):
        problems.append(_("its type does not include {kind}").format(kind=kind))
    if kind == "VerifiablePresentation":
        return problems
    issuer = id_of(doc.get("issuer"))
    if issuer is None or not _IRI.match(issuer):
        problems.append(_("it names no issuer (an id that is a URL or DID)"))
    subjects = as_list(doc.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        problems.append(_("it has no credentialSubject"))
    if "id" in doc and (not isinstance(doc["id"], str) or not _IRI.match(doc["id"])):
        problems.append(_("its id is not a URL or URN"))
    return problems


def check_structure(doc: Json, checks: Checks, *, kind: str = "VerifiableCredential") -> bool:
    problems = structure_problems(doc, kind=kind)
    if problems:
        checks.failed(
            "structure",
            _("The credential is malformed: {problems}.").format(problems="; ".join(problems)),
        )
        return False
    checks.passed("structure", _("The credential is well-formed."))
    return True


# --------------------------------------------------------------------------- dates


def check_dates(
    doc: dict[str, Any],
    now: datetime,
    checks: Checks,
    *,
    not_before: datetime | None = None,
    expires: datetime | None = None,
) -> None:
    """Validity period: expired / not yet valid (VC 2.0, VC 1.1, VC-JWT claims)."""
    # Every stated bound counts, whatever the VC version: a credential carrying both validFrom
    # and issuanceDate, or validUntil and expirationDate, is valid only inside all of them (a
    # signed expirationDate must not be hidden by a validFrom next to it).
    try:
        starts = [_date(doc, name) for name in ("validFrom", "issuanceDate")]
        ends = [_date(doc, name) for name in ("validUntil", "expirationDate")]
    except ValueError as exc:
        checks.failed("dates", _("The credential has an invalid date: {error}").format(error=exc))
        return
    if not is_v2(doc) and "issuanceDate" not in doc and not_before is None:
        checks.failed("dates", _("The credential (VC 1.1) has no issuanceDate."))
        return
    start = max((d for d in (*starts, not_before) if d), default=None)
    end = min((d for d in (*ends, expires) if d), default=None)
    if end is not None and end < now:
        checks.failed(
            "dates",
            _("The credential expired on {date}.").format(date=format_date(end)),
            outcome=Status.EXPIRED,
        )
        return
    if start is not None and start > now:
        checks.failed(
            "dates",
            _("The credential is not valid until {date}.").format(date=format_date(start)),
            outcome=Status.NOT_YET_VALID,
        )
        return
    if end is not None:
        checks.passed("dates", _("Valid now; it expires on {date}.").format(date=format_date(end)))
    else:
        checks.passed("dates", _("Valid now; it does not expire."))


def _date(doc: dict[str, Any], name: str) -> datetime | None:
    if name not in doc:
        return None
    try:
        return parse_date_strict(doc[name])
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"{name}: {str(doc[name])[:60]!r}") from exc


# --------------------------------------------------------------------------- recipient


def recipient_claims(doc: dict[str, Any]) -> list[recipients.IdentityClaim]:
    """Who the credential names as learner: subject ids and ``identifier[]`` entries."""
    claims: list[recipients.IdentityClaim] = []
    for subject in as_list(doc.get("credentialSubject")):
        if not isinstance(subject, dict):
            continue
        for item in as_list(subject.get("identifier")):
            if not isinstance(item, dict):
                continue
            identity = item.get("identityHash", item.get("identity"))
            if not isinstance(identity, str) or not identity:
                continue
            hashed = item.get("hashed")
            salt = item.get("salt")
            claims.append(
                recipients.claim_from_ob3(
                    identity,
                    str(item.get("identityType") or "emailAddress"),
                    hashed=hashed if isinstance(hashed, bool) else recipients.is_hash(identity),
                    salt=salt if isinstance(salt, str) else None,
                )
            )
        subject_id = subject.get("id")
        if isinstance(subject_id, str) and subject_id:
            kind = "id"
            if subject_id.startswith("mailto:"):
                kind, subject_id = "email", subject_id[len("mailto:") :]
            elif subject_id.startswith(("http://", "https://")):
                kind = "url"
            claims.append(recipients.IdentityClaim(subject_id, kind, hashed=False))
    return claims


def check_recipient(
    doc: dict[str, Any], candidates: tuple[str, ...], checks: Checks
) -> RecipientMatch:
    if not candidates:
        match = RecipientMatch(
            checked=False, message=_("No identities were given, so the recipient was not checked.")
        )
        checks.skip("recipient", match.message)
        return match
    claims = recipient_claims(doc)
    if not claims:
        match = RecipientMatch(
            checked=True, matched=False, message=_("The credential names no recipient.")
        )
        checks.failed("recipient", match.message)
        return match
    first: RecipientMatch | None = None
    for claim in claims:
        match = recipients.match_identity(claim, list(candidates))
        if match.matched:
            checks.passed("recipient", match.message)
            return match
        first = first or match
    assert first is not None
    checks.failed("recipient", first.message)
    return first


# --------------------------------------------------------------------------- refresh


def check_refresh(doc: dict[str, Any], checks: Checks) -> None:
    services = [s for s in as_list(doc.get("refreshService")) if s is not None]
    if not services:
        return
    urls = ", ".join(str(id_of(s) or "?") for s in services)[:300]
    checks.add(
        "refresh",
        CheckStatus.SKIP,
        _(
            "The issuer offers a refresh service ({url}); plecak reports it but does not contact "
            "it. The credential was verified as it is."
        ).format(url=urls),
        detail=urls,
    )
