"""What the manifest may say about a credential's identity: recomputed, never trusted.

The exporter writes these fields into each ``credentials[]`` entry of manifest.json; the verifier
computes them again from the credential it has just verified and fails ``manifest-claims`` on any
difference, so a manifest that renames a first-aid badge "PhD, University of Oxford" cannot pass
(and nothing the employer reads is taken from the manifest in the first place).
"""

from __future__ import annotations

from wallet.codecs.dates import format_date
from wallet.codecs.eu import Facts
from wallet.model import Credential, ElementState, Json


def stated_fields(credential: Credential) -> dict[str, Json]:
    """format, credential id, title, issuer and dates, as the credential itself states them."""
    issuer = credential.issuer
    return {
        "format": credential.format.value,
        "credential_id": credential.credential_id,
        "title": credential.title,
        "issuer": {"id": issuer.id if issuer else None, "name": issuer.name if issuer else None},
        "issued": format_date(credential.issued or credential.valid_from),
        "expires": format_date(credential.expires or credential.valid_until),
    }


def misstated(entry: dict[str, Json], credential: Credential) -> list[str]:
    """The names of the manifest entry's fields that differ from the credential's own."""
    return [key for key, value in stated_fields(credential).items() if entry.get(key) != value]


def _element(facts: Facts | None, key: str) -> str | None:
    for element in facts.elements if facts is not None else ():
        if element.key == key and element.state is not ElementState.MISSING and element.value:
            return element.value
    return None


def shown_title(credential: Credential, facts: Facts | None) -> str | None:
    """The title people see: the credential's, else its achievement's, else the EU title element
    (an OB 2.0 assertion names its BadgeClass; the title is in the document it links to)."""
    achievement = credential.achievement.name if credential.achievement else None
    return credential.title or achievement or _element(facts, "title")


def shown_issuer(credential: Credential, facts: Facts | None) -> str | None:
    """The issuer people see: name and (domain or DID), else the EU awarding body element."""
    issuer = credential.issuer
    parts = [
        issuer.name if issuer else None,
        f"({issuer.domain_or_did})" if issuer and issuer.domain_or_did else None,
    ]
    return " ".join(p for p in parts if p) or _element(facts, "awarding_body")


def elements_json(facts: Facts) -> list[Json]:
    """The Annex I elements as the manifest states them (and the review reads them)."""
    return [
        {
            "key": e.key,
            "state": e.state.value,
            "value": e.value,
            "pointer": e.pointer,
            "mandatory": e.mandatory,
        }
        for e in facts.elements
    ]


def facts_json(facts: Facts) -> dict[str, Json]:
    """The review's facts (levels, credits, skills, links) as the manifest states them."""
    return {
        "achievement_ids": list(facts.achievement_ids),
        "achievement_type": facts.achievement_type,
        "language": facts.language,
        "levels": [
            {"framework": x.framework, "value": x.value, "pointer": x.source} for x in facts.levels
        ],
        "credits": [
            {"amount": x.amount, "unit": x.unit, "pointer": x.source} for x in facts.credits
        ],
        "skills": [
            {"id": s.id, "name": s.name, "framework": s.framework, "pointer": s.pointer}
            for s in facts.skills
        ],
        "links": [
            {
                "relation": lk.relation,
                "source": lk.source,
                "target": lk.target,
                "pointer": lk.pointer,
            }
            for lk in facts.links
        ],
    }
