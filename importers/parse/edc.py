"""European Digital Credentials (ELM v3 JSON-LD) -> Credential, for display and EU elements.

Why a separate normaliser: ELM nests what OB keeps flat (claim -> specification -> level, credit
points, learning outcomes) and uses language maps everywhere.  We read only what is stated; levels
and credits keep the JSON pointer they came from.  Verification of the JAdES seal is not ours.
"""

from __future__ import annotations

import re

from importers.parse import fields as f
from wallet.codecs.dates import parse_date
from wallet.codecs.nodes import as_list
from wallet.model import (
    Achievement,
    Alignment,
    Credential,
    Credit,
    Evidence,
    Format,
    Issuer,
    Json,
    Level,
    Original,
    Recipient,
    Result,
)

_ISO_HOURS = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")


def _concept_label(value: Json) -> str | None:
    node = f.obj(value)
    return f.text(node.get("prefLabel")) or f.text(node.get("notation")) or f.ident(value)


def _country(org: dict[str, Json]) -> str | None:
    for location in as_list(org.get("location")):
        address = f.obj(f.obj(location).get("address"))
        code = address.get("countryCode")
        country_id = f.ident(code)
        if country_id and "/country/" in country_id:
            return country_id.rsplit("/", 1)[-1]
        label = _concept_label(code)
        if label:
            return label
    return None


def _email(node: dict[str, Json]) -> str | None:
    for point in as_list(node.get("contactPoint")):
        for mailbox in as_list(f.obj(point).get("emailAddress")):
            address = f.ident(mailbox)
            if address and address.lower().startswith("mailto:"):
                return address[7:]
    return None


def issuer(value: Json) -> Issuer | None:
    if isinstance(value, str):
        return Issuer(id=value)
    org = f.obj(value)
    if not org:
        return None
    homepage = f.obj(as_list(org.get("homepage"))[0] if as_list(org.get("homepage")) else None)
    return Issuer(
        id=f.ident(org),
        name=f.text(org.get("legalName")) or f.text(org.get("altLabel")),
        url=f.text(homepage.get("contentURL")),
        email=_email(org),
        description=f.text(org.get("description")),
        country=_country(org),
    )


def _hours(duration: Json) -> float | None:
    if not isinstance(duration, str):
        return None
    match = _ISO_HOURS.match(duration.strip())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (float(g) if g else 0.0 for g in match.groups())
    return days * 24 + hours + minutes / 60


_ECTS_CONCEPT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


def _is_ects(concept: Json, label: str) -> bool:
    """ECTS by the EU concept URI or by its name; never inferred from anything else."""
    lowered = label.lower()
    return (
        f.ident(concept) == _ECTS_CONCEPT
        or lowered == "ects"
        or "european credit transfer" in lowered
    )


def _specification(claim: dict[str, Json], pointer: str) -> Achievement | None:
    spec = f.obj(
        as_list(claim.get("specifiedBy"))[0] if as_list(claim.get("specifiedBy")) else None
    )
    spec_ptr = f"{pointer}/specifiedBy" + (
        "/0" if isinstance(claim.get("specifiedBy"), list) else ""
    )
    if not spec and not claim:
        return None
    levels: list[Level] = []
    eqf = spec.get("eqfLevel")
    if eqf:
        code = (f.ident(eqf) or "").rsplit("/", 1)[-1]
        levels.append(Level("EQF", code or (_concept_label(eqf) or ""), f"{spec_ptr}/eqfLevel"))
    for index, nqf in enumerate(as_list(spec.get("nqfLevel"))):
        label = _concept_label(nqf)
        if label:
            levels.append(Level("NQF", label, f"{spec_ptr}/nqfLevel/{index}"))
    credits: list[Credit] = []
    for index, point in enumerate(as_list(spec.get("creditPoint"))):
        node = f.obj(point)
        amount = f.number(node.get("point"))
        if amount is not None:
            framework = _concept_label(node.get("framework")) or "credits"
            unit = "ECTS" if _is_ects(node.get("framework"), framework) else framework
            credits.append(Credit(amount, unit, f"{spec_ptr}/creditPoint/{index}"))
    hours = _hours(spec.get("volumeOfLearning"))
    if hours is not None:
        credits.append(Credit(hours, "hours", f"{spec_ptr}/volumeOfLearning"))
    alignments: list[Alignment] = []
    for outcome in as_list(spec.get("learningOutcome")):
        node = f.obj(outcome)
        for skill in as_list(node.get("relatedESCOSkill")):
            alignments.append(
                Alignment(
                    target_name=_concept_label(skill) if isinstance(skill, dict) else None,
                    target_url=f.ident(skill),
                    target_framework="ESCO",
                    target_type="ext:ESCOSkill",
                )
            )
        if not node.get("relatedESCOSkill") and f.text(node.get("title")):
            alignments.append(Alignment(target_name=f.text(node.get("title"))))
    return Achievement(
        id=f.ident(spec) or f.ident(claim),
        name=f.text(spec.get("title")) or f.text(claim.get("title")),
        description=f.text(spec.get("description")) or f.text(claim.get("description")),
        achievement_type=_concept_label(spec.get("dcType")) or f.text(spec.get("type")),
        tags=tuple(t for t in (_concept_label(x) for x in as_list(spec.get("thematicArea"))) if t),
        alignments=tuple(alignments),
        credits=tuple(credits),
        levels=tuple(levels),
        in_language=_concept_label(spec.get("language")),
    )


def _recipient(subject: dict[str, Json]) -> Recipient | None:
    """The learner by email (a ``mailto:`` contact point) or id, with their name."""
    name = f.text(subject.get("fullName")) or " ".join(
        x for x in (f.text(subject.get("givenName")), f.text(subject.get("familyName"))) if x
    )
    email = _email(subject)
    if email or f.ident(subject):
        return Recipient(
            identity=email or str(f.ident(subject)),
            type="email" if email else "id",
            name=name or None,
        )
    return None


def _grades(claim: dict[str, Json]) -> list[Result]:
    """The grades the claim's assessments (``provenBy``) give."""
    grades: list[Result] = []
    for proof in as_list(claim.get("provenBy")):
        grade = f.text(f.obj(f.obj(proof).get("grade")).get("noteLiteral"))
        if grade:
            grades.append(
                Result(
                    value=grade, result_type="grade", description=f.text(f.obj(proof).get("title"))
                )
            )
    return grades


def to_credential(
    doc: dict[str, Json], *, payload: bytes, original: Original, fmt: Format
) -> Credential:
    subject = f.obj(
        as_list(doc.get("credentialSubject"))[0] if as_list(doc.get("credentialSubject")) else None
    )
    claims = as_list(subject.get("hasClaim"))
    claim = f.obj(claims[0] if claims else None)
    pointer = "/credentialSubject/hasClaim" + (
        "/0" if isinstance(subject.get("hasClaim"), list) else ""
    )
    ach = _specification(claim, pointer)
    display = f.obj(doc.get("displayParameter"))
    person = _recipient(subject)
    grades = _grades(claim)
    evidence = tuple(
        Evidence(
            id=f.ident(item),
            description=f.text(f.obj(item).get("evidenceStatement")),
            genre=_concept_label(f.obj(item).get("dcType")),
        )
        for item in as_list(doc.get("evidence"))
        if isinstance(item, dict | str)
    )
    valid_until = parse_date(doc.get("validUntil")) or parse_date(doc.get("expirationDate"))
    return Credential(
        format=fmt,
        original=original,
        payload=payload,
        document=doc,
        credential_id=f.ident(doc),
        spec_version="elm-3",
        title=f.text(claim.get("title"))
        or (ach.name if ach else None)
        or f.text(display.get("title")),
        description=f.text(claim.get("description")) or (ach.description if ach else None),
        issuer=issuer(doc.get("issuer")),
        achievement=ach,
        recipient=person,
        issued=parse_date(doc.get("issued")) or parse_date(doc.get("issuanceDate")),
        expires=valid_until,
        valid_from=parse_date(doc.get("validFrom")),
        valid_until=valid_until,
        evidence=evidence,
        results=tuple(grades),
    )
