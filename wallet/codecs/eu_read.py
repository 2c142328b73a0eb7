"""Reading credential JSON for the EU-element mapping: nodes that remember their JSON pointer.

Why apart from :mod:`wallet.codecs.eu`: the mapping rules (which field means which Annex I element)
read best without the plumbing of walking ELM/OB documents, whose fields may be a value, a list of
values, a language map or a SKOS Concept.  Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from wallet.codecs import safejson
from wallet.errors import WalletError
from wallet.i18n import N_
from wallet.model import Credential, Credit, ElementState, EUElement, Level

# --------------------------------------------------------------------------- the elements

ELEMENTS: tuple[tuple[str, bool, str], ...] = (
    ("learner", True, N_("Identification of the learner")),
    ("title", True, N_("Title of the micro-credential")),
    ("issuer_country", True, N_("Country or region of the issuer")),
    ("awarding_body", True, N_("Awarding body")),
    ("date_of_issue", True, N_("Date of issue")),
    ("learning_outcomes", True, N_("Learning outcomes")),
    ("workload", True, N_("Notional workload (ECTS where possible)")),
    ("eqf_level", True, N_("Level (EQF, QF-EHEA) and cycle")),
    ("assessment_type", True, N_("Type of assessment")),
    ("participation_form", True, N_("Form of participation")),
    ("quality_assurance", True, N_("Type of quality assurance")),
    ("prerequisites", False, N_("Prerequisites")),
    ("identity_verification", False, N_("Supervision and identity verification")),
    ("grade", False, N_("Grade achieved")),
    ("stackability", False, N_("Integration and stackability options")),
    ("further_information", False, N_("Further information")),
)
"""Annex I, in its order: key, mandatory, label msgid.  Keys are stable (manifests keep them)."""

MANDATORY = frozenset(key for key, mandatory, _ in ELEMENTS if mandatory)
LABELS = {key: label for key, _, label in ELEMENTS}

PRK_TO_EQF = {str(n): str(n) for n in range(1, 9)}
EHEA_CYCLE_TO_EQF = {"short": "5", "first": "6", "second": "7", "third": "8"}
ESCO_PREFIX = "http://data.europa.eu/esco/"
EQF_URI = re.compile(r"^https?://data\.europa\.eu/snb/eqf/([1-8])$")
ECTS_FRAMEWORK_IDS = frozenset({"http://data.europa.eu/snb/education-credit/6fcec5c5af"})
MAX_VALUE = 500


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or competence the credential aligns to (ESCO where the URI says so)."""

    id: str | None
    name: str | None
    framework: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class Link:
    """An explicit link between achievements: ``isPartOf``, ``hasPart``, ``related`` or a CLR
    association type; ``source``/``target`` are achievement or credential ids."""

    relation: str
    source: str | None
    target: str
    pointer: str


# --------------------------------------------------------------------------- JSON navigation


def esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Node:
    """A JSON value with the pointer where it was found (``base`` names a linked document)."""

    value: Any
    pointer: str
    base: str = ""

    @property
    def where(self) -> str:
        return f"{self.base}#{self.pointer}" if self.base else self.pointer

    def get(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            if node is None:
                return None
            node = node.one()
            if not isinstance(node.value, dict) or key not in node.value:
                return None
            node = Node(node.value[key], f"{node.pointer}/{esc(key)}", node.base)
            if node.value is None:
                return None
        return node

    def one(self) -> Node:
        """The node itself, or the first item when it is a non-empty list (ELM allows both)."""
        if isinstance(self.value, list) and self.value:
            return Node(self.value[0], f"{self.pointer}/0", self.base)
        return self

    def items(self) -> Iterator[Node]:
        if isinstance(self.value, list):
            for i, item in enumerate(self.value):
                yield Node(item, f"{self.pointer}/{i}", self.base)
        elif self.value is not None:
            yield self


def text_of(node: Node | None, lang: str = "en") -> tuple[str, Node] | None:
    """A display string from a string, a number, an ELM language map or a Concept's prefLabel."""
    if node is None:
        return None
    node = node.one()
    value = node.value
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return (text[:MAX_VALUE], node) if text else None
    if isinstance(value, dict):
        for key in ("prefLabel", "noteLiteral", "name", "title", "legalName"):
            if key in value:
                found = text_of(node.get(key), lang)
                if found:
                    return found
        strings = {k: v for k, v in value.items() if isinstance(v, str) and len(k) <= 3}
        if strings and len(strings) == len(value):  # a language map {"en": "...", "es": "..."}
            key = lang if lang in strings else ("en" if "en" in strings else sorted(strings)[0])
            return text_of(Node(strings[key], f"{node.pointer}/{esc(key)}", node.base), lang)
    return None


def element(key: str, state: ElementState, value: str | None, node: Node | None) -> EUElement:
    return EUElement(
        key=key,
        state=state,
        value=value[:MAX_VALUE] if value else value,
        pointer=node.where if node else None,
        mandatory=key in MANDATORY,
    )


def present(key: str, found: tuple[str, Node] | None) -> EUElement | None:
    if not found:
        return None
    return element(key, ElementState.PRESENT, found[0], found[1])


def list_text(
    nodes: list[Node], anchor: Node | None = None, lang: str = "en"
) -> tuple[str, Node] | None:
    texts: list[str] = []
    for node in nodes:
        found = text_of(node, lang)
        if found and found[0] not in texts:
            texts.append(found[0])
    if not texts:
        return None
    return "; ".join(texts), anchor or nodes[0]


def duration_hours(duration: str) -> str | None:
    """``PT60H`` / ``P2DT4H`` / ``P60M``? (months are not hours: None) -> ``60``."""
    match = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?", duration)
    if not match or duration in ("P", "PT"):
        return None
    days, hours, minutes = (float(g) if g else 0.0 for g in match.groups())
    total = days * 24 + hours + minutes / 60
    return f"{total:g}"


def fmt(amount: float) -> str:
    return f"{amount:g}"


def is_ects(text: str) -> bool:
    return bool(re.search(r"\bECTS\b|European Credit Transfer", text, re.IGNORECASE))


def framework_kind(text: str) -> str | None:
    low = text.lower()
    if re.search(r"\bprk\b|polska rama kwalifikacji|polish qualifications? framework", low):
        return "PRK"
    if re.search(r"qf-ehea|\behea\b|bologna", low):
        return "QF-EHEA"
    if re.search(r"\beqf\b|european qualifications? framework", low):
        return "EQF"
    return None


def level_number(text: str) -> str | None:
    match = re.search(r"\b([1-8])\b", text)
    return match.group(1) if match else None


def ehea_cycle(text: str) -> str | None:
    low = text.lower()
    for cycle in EHEA_CYCLE_TO_EQF:
        if cycle in low:
            return cycle
    return {"1": "first", "2": "second", "3": "third"}.get(level_number(low) or "")


@dataclass(slots=True)
class Found:
    """What the mapping has found so far; the first statement of an element wins."""

    elements: dict[str, EUElement] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    achievement_ids: list[str] = field(default_factory=list)
    achievement_type: str | None = None
    language: str | None = None

    def put(self, element: EUElement | None) -> None:
        if element is not None and element.key not in self.elements:
            self.elements[element.key] = element


def credential_document(credential: Credential) -> Node:
    """The credential JSON to map: the VC inside a VC-JWT's claims, a JAdES payload parsed."""
    doc = credential.document
    root = Node(doc, "")
    if isinstance(doc, dict) and "credentialSubject" not in doc and isinstance(doc.get("vc"), dict):
        return Node(doc["vc"], "/vc")
    if isinstance(doc, dict) and isinstance(doc.get("payload"), str) and "signatures" in doc:
        try:
            return Node(safejson.loads(doc["payload"], source="payload"), "")
        except WalletError:
            return root
    return root
