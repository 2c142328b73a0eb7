"""Open Badges 3.0 credentials (VC 1.1 and 2.0 data models, the beta context) -> Credential.

Why the JWT ``claims`` fallback: a VC-JWT may keep ``iss``, ``jti``, ``sub``, ``nbf`` and ``exp``
only as JWT claims (VC 1.1 JWT encoding), so the display fields are read from the credential first
and from those claims when the credential leaves them out.  ``document`` stays the credential as
found: nothing is merged into it.
"""

from __future__ import annotations

from datetime import datetime

from importers.parse import fields as f
from wallet.codecs.dates import parse_date
from wallet.codecs.nodes import as_list
from wallet.model import (
    Achievement,
    Credential,
    Credit,
    Format,
    Issuer,
    Json,
    Level,
    Original,
    Recipient,
    Result,
)

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}
_IDENTITY_TYPES = {"emailAddress": "email", "url": "url", "telephone": "telephone", "did": "did"}


def is_vc(doc: Json) -> bool:
    if not isinstance(doc, dict):
        return False
    if "VerifiableCredential" in f.types_of(doc):
        return True
    return any(c in (VC1_CONTEXT, VC2_CONTEXT) for c in f.contexts(doc)) and (
        "credentialSubject" in doc
    )


def is_open_badge(doc: Json) -> bool:
    """An OB 3.0 credential: by type, by the OB 3.0 context, or by an achievement subject."""
    if not isinstance(doc, dict):
        return False
    if f.types_of(doc) & OB3_TYPES:
        return True
    if any("/ob/v3p0" in c or "openbadges-specification" in c for c in f.contexts(doc)):
        return True
    return any(
        isinstance(s, dict) and "achievement" in s for s in as_list(doc.get("credentialSubject"))
    )


def vc_version(doc: Json) -> str:
    return "vc-2.0" if VC2_CONTEXT in f.contexts(doc) else "vc-1.1"


def issuer(value: Json) -> Issuer | None:
    if isinstance(value, str):
        return Issuer(id=value.strip() or None)
    if not isinstance(value, dict):
        return None
    address = f.obj(value.get("address"))
    return Issuer(
        id=f.ident(value),
        name=f.text(value.get("name")),
        url=f.text(value.get("url")) or f.ident(value.get("url")),
        email=f.text(value.get("email")),
        description=f.text(value.get("description")),
        image=f.image(value.get("image")),
        country=f.text(address.get("addressCountry")) or f.text(address.get("addressCountryCode")),
    )


def _levels(ach: dict[str, Json], pointer: str) -> tuple[Level, ...]:
    """EQF/NQF levels stated through alignments or common extension keys (never guessed)."""
    found: list[Level] = []
    for index, item in enumerate(as_list(ach.get("alignment"))):
        if not isinstance(item, dict):
            continue
        framework = f.text(item.get("targetFramework")) or ""
        code = f.text(item.get("targetCode"))
        upper = framework.upper()
        if code and ("EQF" in upper or "EUROPEAN QUALIFICATIONS FRAMEWORK" in upper):
            found.append(Level("EQF", code, f"{pointer}/alignment/{index}"))
        elif code and ("QF-EHEA" in upper or "PRK" in upper or "NQF" in upper):
            found.append(Level(framework, code, f"{pointer}/alignment/{index}"))
    for key, framework in (("eqfLevel", "EQF"), ("educationalLevel", "EQF"), ("nqfLevel", "NQF")):
        value = ach.get(key)
        label = f.text(value) or f.ident(value)
        if label:
            found.append(Level(framework, label.rsplit("/", 1)[-1], f"{pointer}/{key}"))
    return tuple(found)


def achievement(value: Json, pointer: str) -> Achievement | None:
    if isinstance(value, str):
        return Achievement(id=value.strip() or None)
    if not isinstance(value, dict):
        return None
    credits: list[Credit] = []
    amount = f.number(value.get("creditsAvailable"))
    if amount is not None:
        credits.append(Credit(amount, "credits", f"{pointer}/creditsAvailable"))
    return Achievement(
        id=f.ident(value),
        name=f.text(value.get("name")),
        description=f.text(value.get("description")),
        achievement_type=f.text(value.get("achievementType")),
        criteria=f.criteria(value.get("criteria")),
        image=f.image(value.get("image")),
        tags=f.tags(value.get("tag") or value.get("tags")),
        alignments=f.alignments(value.get("alignment")),
        credits=tuple(credits),
        levels=_levels(value, pointer),
        in_language=f.text(value.get("inLanguage")),
        issuer=issuer(value.get("creator")),
        related=tuple(r for r in (f.ident(x) for x in as_list(value.get("related"))) if r),
    )


def recipient(subject: dict[str, Json]) -> Recipient | None:
    """The learner: a hashed/plain IdentityObject when given, else the subject id (DID/URL)."""
    for item in as_list(subject.get("identifier")):
        if not isinstance(item, dict):
            continue
        identity = f.text(item.get("identityHash")) or f.text(item.get("identity"))
        if not identity:
            continue
        kind = f.text(item.get("identityType")) or "email"
        hashed = item.get("hashed")
        return Recipient(
            identity=identity,
            type=_IDENTITY_TYPES.get(kind, kind),
            hashed=hashed if isinstance(hashed, bool) else identity.startswith("sha256$"),
            salt=f.text(item.get("salt")),
            name=f.text(subject.get("name")),
        )
    subject_id = f.ident(subject)
    if subject_id:
        kind = "did" if subject_id.startswith("did:") else "url"
        if subject_id.startswith("mailto:"):
            kind, subject_id = "email", subject_id.removeprefix("mailto:")
        elif subject_id.startswith("urn:"):
            kind = "id"
        return Recipient(identity=subject_id, type=kind, name=f.text(subject.get("name")))
    return None


def results(subject: dict[str, Json], ach: dict[str, Json]) -> tuple[Result, ...]:
    described = {
        f.ident(item): item for item in as_list(ach.get("resultDescription")) if f.ident(item)
    }
    found: list[Result] = []
    for item in as_list(subject.get("result")):
        if not isinstance(item, dict):
            continue
        description = f.obj(described.get(f.ident(item.get("resultDescription")) or ""))
        value = f.text(item.get("value"))
        if not value and item.get("achievedLevel"):
            level_id = f.ident(item.get("achievedLevel"))
            for level in as_list(description.get("rubricCriterionLevel")):
                if f.ident(level) == level_id:
                    value = f.text(f.obj(level).get("name"))
            value = value or level_id
        found.append(
            Result(
                value=value,
                result_type=f.text(description.get("resultType")),
                description=f.text(description.get("name")),
                status=f.text(item.get("status")),
            )
        )
    return tuple(found)


def _epoch(value: Json) -> datetime | None:
    return (
        parse_date(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else None
    )


def _dates(
    doc: dict[str, Json], jwt: dict[str, Json]
) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(valid from, valid until, issued): VC 2.0 names, then VC 1.1 names, then JWT claims."""
    valid_from = parse_date(doc.get("validFrom")) or parse_date(doc.get("issuanceDate"))
    valid_until = parse_date(doc.get("validUntil")) or parse_date(doc.get("expirationDate"))
    valid_from = valid_from or _epoch(jwt.get("nbf")) or _epoch(jwt.get("iat"))
    valid_until = valid_until or _epoch(jwt.get("exp"))
    issued = (
        parse_date(doc.get("awardedDate"))
        or parse_date(doc.get("issuanceDate"))
        or parse_date(doc.get("issued"))
        or valid_from
    )
    return valid_from, valid_until, issued


def to_credential(
    doc: dict[str, Json],
    *,
    payload: bytes,
    original: Original,
    fmt: Format,
    claims: dict[str, Json] | None = None,
) -> Credential:
    """Normalise an OB 3.0 (or other VC-shaped) credential; ``claims`` are JWT claims if any."""
    jwt = claims or {}
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    subject_pointer = "/credentialSubject" + (
        "/0" if isinstance(doc.get("credentialSubject"), list) else ""
    )
    # DCC's pre-OB3 credentials name the achievement ``hasCredential``; same shape.
    key = "achievement" if "achievement" in subject else "hasCredential"
    ach_doc = f.obj(subject.get(key))
    ach = achievement(subject.get(key), f"{subject_pointer}/{key}")
    earned = f.number(subject.get("creditsEarned"))
    if ach and earned is not None:
        from dataclasses import replace

        ach = replace(
            ach,
            credits=(*ach.credits, Credit(earned, "credits", f"{subject_pointer}/creditsEarned")),
        )
    iss = issuer(doc.get("issuer")) or issuer(jwt.get("iss"))
    valid_from, valid_until, issued = _dates(doc, jwt)
    person = recipient(subject)
    if person is None and isinstance(jwt.get("sub"), str):
        person = recipient({"id": jwt["sub"]})
    endorsements = [*as_list(doc.get("endorsement")), *as_list(doc.get("endorsementJwt"))]
    endorsements += [
        *as_list(ach_doc.get("endorsement")),
        *as_list(ach_doc.get("endorsementJwt")),
    ]
    return Credential(
        format=fmt,
        original=original,
        payload=payload,
        document=doc,
        credential_id=f.ident(doc) or f.text(jwt.get("jti")),
        spec_version="3.0" if is_open_badge(doc) else vc_version(doc),
        title=f.text(doc.get("name")) or (ach.name if ach else None),
        description=f.text(doc.get("description")) or (ach.description if ach else None),
        image=f.image(doc.get("image")) or (ach.image if ach else None),
        issuer=iss,
        achievement=ach,
        recipient=person,
        issued=issued,
        expires=valid_until,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=f.evidence(doc.get("evidence")),
        results=results(subject, ach_doc),
        endorsements=tuple(endorsements),
    )
