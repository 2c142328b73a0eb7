"""ELM v3 (European Digital Credentials) -> EU micro-credential elements.

Paths follow the European Learning Model v3 as the Commission's samples use it: the claim is
``credentialSubject.hasClaim`` (a LearningAchievement), specified by a Qualification or
LearningAchievementSpecification (``eqfLevel``, ``nqfLevel``, ``creditPoint``, ``volumeOfLearning``,
``learningOutcome[].relatedESCOSkill``, ``mode``, ``entryRequirement``), proven by a
LearningAssessment (``grade``, ``idVerification``, ``specifiedBy.dcType``) and awarded by an
``awardingBody`` with a ``location.address.countryCode``.  Quality assurance is ``accreditation``;
stackability is ``isPartOf``/``hasPart``.  Pure: no I/O.
"""

from __future__ import annotations

from wallet.codecs.eu_read import (
    ECTS_FRAMEWORK_IDS,
    EQF_URI,
    ESCO_PREFIX,
    Found,
    Link,
    Node,
    Skill,
    duration_hours,
    element,
    framework_kind,
    is_ects,
    level_number,
    list_text,
    present,
    text_of,
)
from wallet.codecs.nodes import to_number
from wallet.model import Credit, ElementState, Level


def map_elm(doc: Node, found: Found) -> None:
    subject = (doc.get("credentialSubject") or Node(None, "")).one()
    _learner(subject, found)
    claim = (subject.get("hasClaim") or Node(None, "")).one()
    spec = claim.get("specifiedBy")
    spec = spec.one() if spec else None
    for node in (claim.get("id"), spec.get("id") if spec else None):
        if node is not None and isinstance(node.value, str):
            found.achievement_ids.append(node.value)
    found.put(
        present(
            "title", text_of(claim.get("title")) or (text_of(spec.get("title")) if spec else None)
        )
    )
    _awarding(doc, claim, found)
    if spec is not None:
        _specification(spec, claim, found)
    _assessment(claim, found)
    _stackability(claim, spec, found)


def _learner(subject: Node, found: Found) -> None:
    """The learner's full name, or given and family names, or an email address or id."""
    name = subject.get("fullName")
    if name is None and (subject.get("givenName") or subject.get("familyName")):
        given = text_of(subject.get("givenName"))
        family = text_of(subject.get("familyName"))
        parts = " ".join(p[0] for p in (given, family) if p)
        anchor = given or family
        found.put(element("learner", ElementState.PRESENT, parts, anchor[1] if anchor else None))
    found.put(present("learner", text_of(name)))
    if "learner" not in found.elements:
        email = subject.get("contactPoint", "emailAddress", "id")
        found.put(present("learner", text_of(email) or text_of(subject.get("id"))))


def _awarding(doc: Node, claim: Node, found: Found) -> None:
    """Awarding body, its country, and the date of issue."""
    body = claim.get("awardedBy", "awardingBody") or doc.get("issuer")
    if body is not None:
        body = body.one()
        found.put(
            present(
                "awarding_body", text_of(body.get("legalName")) or text_of(body.get("prefLabel"))
            )
        )
        country = body.get("location", "address", "countryCode")
        found.put(present("issuer_country", text_of(country)))
    if "issuer_country" not in found.elements:
        found.put(
            present(
                "issuer_country", text_of(doc.get("issuer", "location", "address", "countryCode"))
            )
        )
    for key in ("issued", "issuanceDate"):
        found.put(present("date_of_issue", text_of(doc.get(key))))
    awarded = claim.get("awardedBy", "awardingDate")
    found.put(present("date_of_issue", text_of(awarded)))


def _skills(outcomes: list[Node], found: Found) -> None:
    for outcome in outcomes:
        for field, framework in (("relatedESCOSkill", "ESCO"), ("relatedSkill", None)):
            for skill in (outcome.get(field) or Node(None, "")).items():
                if isinstance(skill.value, dict):
                    sid = skill.value.get("id")
                    label = text_of(skill)
                    fw = framework or ("ESCO" if str(sid).startswith(ESCO_PREFIX) else None)
                    found.skills.append(
                        Skill(
                            sid if isinstance(sid, str) else None,
                            label[0] if label else None,
                            fw,
                            skill.where,
                        )
                    )


def _credits(spec: Node, found: Found) -> None:
    """Credit points (ECTS when the framework says so) and the volume of learning in hours."""
    credit = spec.get("creditPoint")
    for node in credit.items() if credit else ():
        point = node.get("point")
        amount = to_number(point.value) if point else None
        framework_node = node.get("framework")
        fw_text = text_of(framework_node) or ("", node)
        fw_id = (
            framework_node.value.get("id")
            if framework_node and isinstance(framework_node.value, dict)
            else ""
        )
        if amount is not None and point is not None:
            unit = (
                "ECTS"
                if fw_id in ECTS_FRAMEWORK_IDS or is_ects(fw_text[0])
                else (fw_text[0] or "credits")
            )
            found.credits.append(Credit(amount, unit, node.where))
    volume = spec.get("volumeOfLearning")
    hours = duration_hours(volume.value) if volume and isinstance(volume.value, str) else None
    if hours is not None and volume is not None:
        found.credits.append(Credit(float(hours), "hours", volume.where))


def _levels(spec: Node, found: Found) -> None:
    """The EQF level (by its URI or label) and any national framework levels."""
    eqf = spec.get("eqfLevel")
    if eqf is not None:
        eqf_id = eqf.one().value.get("id") if isinstance(eqf.one().value, dict) else eqf.one().value
        match = EQF_URI.match(str(eqf_id))
        number = match.group(1) if match else level_number((text_of(eqf) or ("", eqf))[0])
        if number:
            found.levels.append(Level("EQF", number, eqf.where))
    for nqf in (spec.get("nqfLevel") or Node(None, "")).items():
        nqf_label = (text_of(nqf) or ("", nqf))[0]
        number = level_number(nqf_label)
        if number:
            fw = framework_kind(nqf_label) or (nqf_label.split(" Level")[0].strip() or "NQF")
            found.levels.append(Level(fw, number, nqf.where))


def _specification(spec: Node, claim: Node, found: Found) -> None:
    """What the Qualification / LearningAchievementSpecification states."""
    outcome_list = spec.get("learningOutcome")
    outcomes = list(outcome_list.items()) if outcome_list else []
    found.put(present("learning_outcomes", list_text(outcomes, outcome_list)))
    _skills(outcomes, found)
    _credits(spec, found)
    _levels(spec, found)
    found.put(present("participation_form", text_of(spec.get("mode"))))
    found.put(present("prerequisites", text_of(spec.get("entryRequirement"))))
    accreditation = spec.get("accreditation") or claim.get("accreditation")
    found.put(
        present(
            "quality_assurance",
            text_of(accreditation.get("dcType") if accreditation else None)
            or text_of(accreditation.get("title") if accreditation else None),
        )
    )
    for key in (
        "additionalNote",
        "supplementaryDocument",
        "homepage",
        "learningSetting",
        "thematicArea",
    ):
        found.put(present("further_information", text_of(spec.get(key)) or text_of(claim.get(key))))
    lang = text_of(spec.get("language"))
    if lang:
        found.language = lang[0]
    kind = text_of(spec.get("dcType"))
    if kind:
        found.achievement_type = kind[0]


def _assessment(claim: Node, found: Found) -> None:
    """Participation form and quality assurance when the specification left them out, and what
    the LearningAssessment proves (assessment type, identity verification, grade)."""
    if "participation_form" not in found.elements:
        found.put(
            present("participation_form", text_of(claim.get("influencedBy", "specifiedBy", "mode")))
        )
    proven = claim.get("provenBy")
    if proven is not None:
        proven = proven.one()
        found.put(
            present(
                "assessment_type",
                text_of(proven.get("specifiedBy", "dcType"))
                or text_of(proven.get("specifiedBy", "title"))
                or text_of(proven.get("title")),
            )
        )
        found.put(present("identity_verification", text_of(proven.get("idVerification"))))
        found.put(present("grade", text_of(proven.get("grade"))))
    if "quality_assurance" not in found.elements:
        body = claim.get("awardedBy", "awardingBody")
        accreditation = body.one().get("accreditation") if body else None
        found.put(
            present(
                "quality_assurance", text_of(accreditation.get("dcType")) if accreditation else None
            )
        )


def _stackability(claim: Node, spec: Node | None, found: Found) -> None:
    """``isPartOf`` / ``hasPart`` links of the claim and its specification."""
    source = found.achievement_ids[0] if found.achievement_ids else None
    for holder in (claim, spec):
        if holder is None:
            continue
        for relation in ("isPartOf", "hasPart"):
            for node in (holder.get(relation) or Node(None, "")).items():
                target = node.value.get("id") if isinstance(node.value, dict) else node.value
                if isinstance(target, str):
                    found.links.append(Link(relation, source, target, node.where))
    stack = [lk for lk in found.links if lk.relation in ("isPartOf", "hasPart")]
    if stack:
        found.put(
            element(
                "stackability",
                ElementState.PRESENT,
                "; ".join(f"{lk.relation} {lk.target}" for lk in stack),
                Node(None, stack[0].pointer),
            )
        )
