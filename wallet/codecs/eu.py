"""The EU micro-credential elements of a credential, and the facts the advisor's review needs.

Signatures (exact)::

    eu_elements(credential: Credential, linked: Mapping[str, Json] | None = None)
        -> tuple[EUElement, ...]
    describe(credential: Credential, linked: Mapping[str, Json] | None = None) -> Facts
    sensitive_fields(credential: Credential) -> list[str]        # JSON pointers
    sensitive_label(pointer: str) -> str                          # an N_() msgid to translate

Why a codec of its own: the share bundle's manifest, ``plecak show`` and the review all need the
same answer to "which of the elements of Annex I of the Council Recommendation of 16 June 2022 does
this credential state, and where?".  Each element carries its value, a JSON pointer to where the
value is in the credential (``/credentialSubject/achievement/name``) or, for OB 2.0 parts that live
in linked documents (BadgeClass, Issuer), the document URL plus a pointer
(``https://example.org/badge.json#/name``), and a state:

* ``present`` — stated in the credential (only re-formatted for display: ``PT60H`` -> ``60 hours``);
* ``derived`` — computed from another statement by a published, deterministic correspondence only:
  a PRK (Polish Qualifications Framework) level to the same EQF level (PRK was referenced to the EQF
  level-for-level in 2013), a QF-EHEA cycle to its EQF level (short 5, first 6, second 7, third 8);
* ``missing`` — not stated.  Nothing is guessed: never an issuer country from a domain name, never
  ECTS from hours (``creditsAvailable`` of OB 3.0 is "credit hours" and is kept as ``credits``).

Sources: ELM v3 (European Digital Credentials), OB 3.0 (``achievementType``, ``creditsAvailable``,
``alignment`` to ESCO/EQF, ``resultDescription``, ``result``, ``inLanguage`` …), OB 2.0 and 1.x
(``alignment``, ``tags`` and common extensions).  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wallet.codecs.eu_elm import map_elm
from wallet.codecs.eu_privacy import sensitive_fields, sensitive_label
from wallet.codecs.eu_read import (
    EHEA_CYCLE_TO_EQF,
    ELEMENTS,
    EQF_URI,
    ESCO_PREFIX,
    LABELS,
    MANDATORY,
    PRK_TO_EQF,
    Found,
    Link,
    Node,
    Skill,
    credential_document,
    ehea_cycle,
    element,
    fmt,
    framework_kind,
    is_ects,
    level_number,
    list_text,
    present,
    text_of,
)
from wallet.codecs.nodes import to_number
from wallet.model import Credential, Credit, ElementState, EUElement, Json, Level

__all__ = [
    "ELEMENTS",
    "LABELS",
    "MANDATORY",
    "Facts",
    "Link",
    "Skill",
    "describe",
    "eu_elements",
    "sensitive_fields",
    "sensitive_label",
]


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the bundle manifest and the review read from one credential."""

    elements: tuple[EUElement, ...]
    levels: tuple[Level, ...]
    credits: tuple[Credit, ...]
    skills: tuple[Skill, ...]
    links: tuple[Link, ...]
    achievement_ids: tuple[str, ...]
    achievement_type: str | None
    language: str | None


# --------------------------------------------------------------------------- the document


def _kind(doc: Node) -> str:
    value = doc.value
    if not isinstance(value, dict):
        return "unknown"
    types = value.get("type")
    type_list = types if isinstance(types, list) else [types]
    subject = doc.get("credentialSubject")
    if "EuropeanDigitalCredential" in type_list or (subject and subject.one().get("hasClaim")):
        return "elm"
    if subject is not None:
        return "ob3"
    if "recipient" in value or "badge" in value:
        return "ob2"
    return "unknown"


class _Linked:
    def __init__(self, linked: Mapping[str, Json] | None) -> None:
        self.docs = linked or {}

    def resolve(self, node: Node | None) -> Node | None:
        """An embedded object, or the linked document a URL string points to (when we have it)."""
        if node is None:
            return None
        if isinstance(node.value, str):
            doc = self.docs.get(node.value)
            return Node(doc, "", node.value) if isinstance(doc, dict) else None
        return node if isinstance(node.value, dict) else None


# --------------------------------------------------------------------------- mapping per family


def _alignment_facts(found: Found, alignments: Node | None) -> list[Node]:
    """Levels, ECTS and skills from OB 2.0/3.0 alignments; returns the skill-like alignments."""
    outcomes: list[Node] = []
    for node in alignments.items() if alignments else ():
        if not isinstance(node.value, dict):
            continue
        value: dict[str, Any] = node.value
        url = str(value.get("targetUrl") or value.get("url") or "")
        name = str(value.get("targetName") or value.get("name") or "")
        framework = str(value.get("targetFramework") or "")
        code = str(value.get("targetCode") or "")
        eqf = EQF_URI.match(url)
        kind = "EQF" if eqf else framework_kind(framework)
        if kind:
            number = eqf.group(1) if eqf else level_number(code) or level_number(name)
            if kind == "QF-EHEA":
                cycle = ehea_cycle(code) or ehea_cycle(name)
                if cycle:
                    found.levels.append(Level("QF-EHEA", cycle, node.where))
            elif number:
                found.levels.append(Level(kind, number, node.where))
            continue
        if is_ects(framework):
            amount = to_number(code) or to_number(name.split(" ", maxsplit=1)[0] if name else None)
            if amount is not None:
                found.credits.append(Credit(amount, "ECTS", node.where))
            continue
        target = url or None
        skill_framework = "ESCO" if url.startswith(ESCO_PREFIX) else (framework or None)
        found.skills.append(Skill(target, name or None, skill_framework, node.where))
        outcomes.append(node.get("targetName") or node)
    return outcomes


def _level_element(found: Found) -> EUElement | None:
    eqf = [lv for lv in found.levels if lv.framework == "EQF"]
    ehea = [lv for lv in found.levels if lv.framework == "QF-EHEA"]
    cycle = f" ({ehea[0].value} cycle, QF-EHEA)" if ehea else ""
    if eqf:
        return EUElement(
            "eqf_level", ElementState.PRESENT, f"EQF {eqf[0].value}{cycle}", eqf[0].source
        )
    prk = [lv for lv in found.levels if lv.framework == "PRK"]
    if prk and prk[0].value in PRK_TO_EQF:
        return EUElement(
            "eqf_level",
            ElementState.DERIVED,
            f"EQF {PRK_TO_EQF[prk[0].value]} (PRK {prk[0].value})",
            prk[0].source,
        )
    if ehea and ehea[0].value in EHEA_CYCLE_TO_EQF:
        return EUElement(
            "eqf_level",
            ElementState.DERIVED,
            f"EQF {EHEA_CYCLE_TO_EQF[ehea[0].value]}{cycle}",
            ehea[0].source,
        )
    return None


def _workload_element(found: Found) -> EUElement | None:
    ordered = sorted(found.credits, key=lambda c: {"ECTS": 0, "hours": 2}.get(c.unit, 1))
    if not ordered:
        return None
    best = ordered[0]
    unit = {"hours": "hours"}.get(best.unit, best.unit)
    return EUElement("workload", ElementState.PRESENT, f"{fmt(best.amount)} {unit}", best.source)


def _ob3_achievement(doc: Node, found: Found, achievement: Node) -> None:
    """Language, identity, type and related achievements of an OB 3.0 achievement."""
    lang = text_of(achievement.get("inLanguage") or doc.get("inLanguage"))
    if lang:
        found.language = lang[0]
    ident = achievement.get("id")
    if ident and isinstance(ident.value, str):
        found.achievement_ids.append(ident.value)
    kind = text_of(achievement.get("achievementType"))
    if kind:
        found.achievement_type = kind[0]
    for node in (achievement.get("related") or Node(None, "")).items():
        target = node.value.get("id") if isinstance(node.value, dict) else node.value
        if isinstance(target, str):
            found.links.append(
                Link(
                    "related",
                    found.achievement_ids[0] if found.achievement_ids else None,
                    target,
                    node.where,
                )
            )


def _ob3_learner(subject: Node, found: Found) -> None:
    """The learner: a name, an identifier (possibly hashed), or the subject id."""
    for learner in (subject.get("name"), subject.get("identifier"), subject.get("id")):
        if learner is None:
            continue
        item = learner.one()
        if isinstance(item.value, dict):
            kind_text = item.value.get("identityType") or "identifier"
            ident_value = item.value.get("identityHash") or item.value.get("identity")
            if ident_value:
                hashed = " (hashed)" if item.value.get("hashed") else ""
                found.put(
                    element(
                        "learner", ElementState.PRESENT, f"{kind_text}{hashed}: {ident_value}", item
                    )
                )
                break
        else:
            found.put(present("learner", text_of(item)))
            if "learner" in found.elements:
                break


def _ob3_issuer(doc: Node, found: Found) -> None:
    issuer = doc.get("issuer")
    if issuer is not None and isinstance(issuer.value, dict):
        found.put(present("awarding_body", text_of(issuer.get("name"))))
        address = issuer.get("address")
        found.put(
            present(
                "issuer_country",
                text_of(address.get("addressCountry")) if address else None,
            )
            or present(
                "issuer_country", text_of(address.get("addressCountryCode")) if address else None
            )
        )


def _ob3_outcomes(achievement: Node, found: Found) -> None:
    """Learning outcomes, credits, assessment and description of an OB 3.0 achievement."""
    alignment = achievement.get("alignment")
    outcomes = _alignment_facts(found, alignment)
    found.put(present("learning_outcomes", list_text(outcomes, alignment)))
    credits = achievement.get("creditsAvailable")
    amount = to_number(credits.value) if credits else None
    if credits and amount is not None:
        found.credits.append(Credit(amount, "credits", credits.where))
    descriptions = achievement.get("resultDescription")
    kinds = (
        [d.get("name") or d.get("resultType") for d in descriptions.items()] if descriptions else []
    )
    found.put(present("assessment_type", list_text([k for k in kinds if k])))
    found.put(present("further_information", text_of(achievement.get("description"))))


def _map_ob3(doc: Node, found: Found) -> None:
    subject = (doc.get("credentialSubject") or Node(None, "")).one()
    found_achievement = subject.get("achievement")
    achievement = found_achievement.one() if found_achievement is not None else None
    if achievement is not None:
        _ob3_achievement(doc, found, achievement)
    _ob3_learner(subject, found)
    title = text_of(achievement.get("name")) if achievement else None
    found.put(present("title", title or text_of(doc.get("name"))))
    _ob3_issuer(doc, found)
    for key in ("awardedDate", "issuanceDate", "validFrom"):
        found.put(present("date_of_issue", text_of(doc.get(key))))
    if achievement is not None:
        _ob3_outcomes(achievement, found)
    results = subject.get("result")
    grades = [r.get("value") or r.get("status") for r in results.items()] if results else []
    found.put(present("grade", list_text([g for g in grades if g])))
    for node in (subject.get("association") or Node(None, "")).items():
        _association(found, node)


def _association(found: Found, node: Node) -> None:
    value = node.value
    if isinstance(value, dict) and isinstance(value.get("targetId"), str):
        found.links.append(
            Link(
                str(value.get("associationType") or "related"),
                value.get("sourceId") if isinstance(value.get("sourceId"), str) else None,
                value["targetId"],
                node.where,
            )
        )


def _map_ob2(doc: Node, found: Found, linked: _Linked) -> None:
    recipient = doc.get("recipient")
    if recipient is not None:
        if isinstance(recipient.value, dict):
            identity = recipient.get("identity")
            if identity is not None and isinstance(identity.value, str):
                kind = recipient.value.get("type") or "email"
                hashed = " (hashed)" if recipient.value.get("hashed") else ""
                found.put(
                    element(
                        "learner",
                        ElementState.PRESENT,
                        f"{kind}{hashed}: {identity.value}",
                        identity,
                    )
                )
        else:
            found.put(present("learner", text_of(recipient)))
    found.put(present("date_of_issue", text_of(doc.get("issuedOn") or doc.get("issued_on"))))
    badge = linked.resolve(doc.get("badge"))
    if badge is None:
        return
    ident = badge.value.get("id") or (badge.base or None)
    if isinstance(ident, str):
        found.achievement_ids.append(ident)
    found.put(present("title", text_of(badge.get("name"))))
    found.put(present("further_information", text_of(badge.get("description"))))
    issuer = linked.resolve(badge.get("issuer"))
    if issuer is not None:
        found.put(present("awarding_body", text_of(issuer.get("name"))))
        address = issuer.get("address")
        if address is not None:
            found.put(present("issuer_country", text_of(address.get("addressCountry"))))
    alignment = badge.get("alignment")
    outcomes = _alignment_facts(found, alignment)
    found.put(present("learning_outcomes", list_text(outcomes, alignment)))


# --------------------------------------------------------------------------- public API


def describe(credential: Credential, linked: Mapping[str, Json] | None = None) -> Facts:
    """All the facts of one credential (EU elements in Annex I order, levels, credits, skills,
    links).  ``linked`` maps URLs to parsed documents (OB 2.0 BadgeClass/Issuer from evidence)."""
    doc = credential_document(credential)
    found = Found()
    kind = _kind(doc)
    if kind == "elm":
        map_elm(doc, found)
    elif kind == "ob3":
        _map_ob3(doc, found)
    elif kind == "ob2":
        _map_ob2(doc, found, _Linked(linked))
    for association in credential.associations:
        _association(found, Node(association, ""))
    if credential.credential_id and credential.credential_id not in found.achievement_ids:
        found.achievement_ids.append(credential.credential_id)
    found.put(_workload_element(found))
    found.put(_level_element(found))
    links_stack = [lk for lk in found.links if lk.relation in ("isPartOf", "hasPart")]
    if links_stack and "stackability" not in found.elements:
        first = links_stack[0]
        found.put(
            EUElement(
                "stackability",
                ElementState.PRESENT,
                "; ".join(f"{lk.relation} {lk.target}" for lk in links_stack),
                first.pointer,
                False,
            )
        )
    elements = tuple(
        found.elements.get(key) or EUElement(key, ElementState.MISSING, None, None, mandatory)
        for key, mandatory, _label in ELEMENTS
    )
    elements = tuple(
        EUElement(e.key, e.state, e.value, e.pointer, e.key in MANDATORY) for e in elements
    )
    return Facts(
        elements=elements,
        levels=tuple(_dedupe(found.levels)),
        credits=tuple(_dedupe(found.credits)),
        skills=tuple(_dedupe(found.skills)),
        links=tuple(_dedupe(found.links)),
        achievement_ids=tuple(dict.fromkeys(found.achievement_ids)),
        achievement_type=found.achievement_type,
        language=found.language,
    )


def _dedupe(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def eu_elements(
    credential: Credential, linked: Mapping[str, Json] | None = None
) -> tuple[EUElement, ...]:
    """The sixteen Annex I elements of ``credential``, in Annex order, each present/derived/missing."""
    return describe(credential, linked).elements
