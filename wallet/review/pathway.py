"""Target pathways for the advisor's review: a small JSON format of all-of / n-of-m requirements.

Format (UTF-8 JSON, at most 1 MB, nesting at most 16 levels, at most 1000 requirements)::

    {
      "name": "Junior data analyst",               # optional, shown in the review
      "requirement": <requirement>                 # or "all": [<requirement>, ...] at the top
    }

    <requirement> is one of
      {"all": [<requirement>, ...]}                       every one of them
      {"at_least": N, "of": [<requirement>, ...]}         N of them (n-of-m)
      {"achievement": "<id>"}      a valid credential whose achievement id, credential id or
                                   ELM specification id is exactly <id>
      {"skill": "<uri>"}           a valid credential aligned to this skill (an ESCO URI, …)
      {"min_ects": N}              at least N ECTS credits in total (valid credentials, parts
                                   not double-counted with wholes; hours never count)
    and any of them may carry "label": "text for humans".

Example::

    {"name": "Data analyst (junior)",
     "all": [
       {"achievement": "urn:uuid:5300c688-6bfc-498a-a976-230af55b5ca6", "label": "DS fundamentals"},
       {"at_least": 2, "of": [
          {"skill": "http://data.europa.eu/esco/skill/f10142ce-d522-49c3-9fd1-054fb63529d4"},
          {"skill": "http://data.europa.eu/esco/skill/81a2db2c-7e55-44d0-9cd9-74c25147d7cd"},
          {"achievement": "https://example.org/badges/sql"}]},
       {"min_ects": 5}]}

Progress of a requirement is a fraction in [0, 1]: 1/0 for a met/unmet leaf, ``min(total/N, 1)``
for ``min_ects``, the mean of the parts for ``all``, and the sum of the best N parts divided by N
for ``at_least``.  Only credentials that are valid count; the review lists the others apart.

Signatures::

    load_pathway(path: Path) -> Pathway                 # raises UsageError / MalformedInput
    parse_pathway(data: Json, source: str) -> Pathway
    evaluate(pathway: Pathway, facts: Evidence) -> Progress
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wallet.codecs import safejson
from wallet.errors import MalformedInput, UnreadableInput
from wallet.i18n import N_, _
from wallet.model import Json

MAX_PATHWAY_BYTES = 1024 * 1024
MAX_DEPTH = 16
MAX_NODES = 1000


@dataclass(frozen=True, slots=True)
class Requirement:
    kind: str
    """all | at_least | achievement | skill | min_ects"""
    label: str | None = None
    target: str | None = None
    amount: float = 0.0
    parts: tuple[Requirement, ...] = ()


@dataclass(frozen=True, slots=True)
class Pathway:
    name: str | None
    root: Requirement


@dataclass(frozen=True, slots=True)
class Holdings:
    """What the learner holds (valid credentials only), as the review computed it."""

    achievements: Mapping[str, Sequence[str]]
    """achievement/credential id -> the files (bundle!path) holding it"""
    skills: Mapping[str, Sequence[str]]
    ects: float


@dataclass(frozen=True, slots=True)
class Progress:
    requirement: Requirement
    fraction: float
    met: bool
    matched: tuple[str, ...] = ()
    parts: tuple[Progress, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Json]:
        req = self.requirement
        out: dict[str, Json] = {
            "kind": req.kind,
            "met": self.met,
            "progress": round(self.fraction, 4),
        }
        if req.label:
            out["label"] = req.label
        if req.target:
            out["target"] = req.target
        if req.kind in ("at_least", "min_ects"):
            out["required"] = req.amount
        if self.matched:
            out["matched"] = list(self.matched)
        if self.parts:
            out["parts"] = [p.to_json() for p in self.parts]
        return out


def _bad(source: str, reason: str) -> MalformedInput:
    # A pathway is the advisor's own file, not a credential: say so, and point at the format.
    return MalformedInput(
        N_("The pathway file {source} cannot be used: {reason}."),
        source=source,
        reason=reason,
        hint=N_('See "The advisor\'s pathway file" in README for its format.'),
    )


def load_pathway(path: Path) -> Pathway:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PATHWAY_BYTES + 1)
    except OSError as exc:
        raise UnreadableInput(source=str(path), detail=str(exc)) from exc
    return parse_pathway(
        safejson.loads(data, source=str(path), max_bytes=MAX_PATHWAY_BYTES), str(path)
    )


def parse_pathway(data: Json, source: str) -> Pathway:
    if not isinstance(data, dict):
        raise _bad(source, _("a pathway file is a JSON object"))
    counter = [0]
    if "requirement" in data:
        root = _node(data["requirement"], source, 0, counter)
    elif "all" in data:
        root = _node({"all": data["all"]}, source, 0, counter)
    else:
        raise _bad(source, _('a pathway needs "requirement" or "all"'))
    name = data.get("name")
    return Pathway(name if isinstance(name, str) else None, root)


def _node(data: Json, source: str, depth: int, counter: list[int]) -> Requirement:
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_NODES:
        raise _bad(source, _("the pathway is too deep or too large"))
    if not isinstance(data, dict):
        raise _bad(source, _("each requirement is a JSON object"))
    label = data.get("label") if isinstance(data.get("label"), str) else None
    group = _group(data, label, source, depth, counter)
    if group is not None:
        return group
    for kind in ("achievement", "skill"):
        if kind in data:
            target = data[kind]
            if not isinstance(target, str) or not target.strip():
                raise _bad(source, _('"{kind}" needs an id').format(kind=kind))
            return Requirement(kind, label, target=target.strip())
    if "min_ects" in data:
        amount = data["min_ects"]
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
            raise _bad(source, _('"min_ects" needs a positive number'))
        return Requirement("min_ects", label, amount=float(amount))
    raise _bad(
        source, _("unknown requirement: {keys}").format(keys=", ".join(sorted(map(str, data))))
    )


def _group(
    data: dict[str, Json], label: str | None, source: str, depth: int, counter: list[int]
) -> Requirement | None:
    """An ``all`` or ``at_least`` node with its parts read, or None for a leaf."""
    if "all" in data:
        parts = data["all"]
        if not isinstance(parts, list) or not parts:
            raise _bad(source, _('"all" needs a non-empty list'))
        return Requirement(
            "all", label, parts=tuple(_node(p, source, depth + 1, counter) for p in parts)
        )
    if "at_least" in data:
        parts, count = data.get("of"), data["at_least"]
        if not isinstance(parts, list) or not parts:
            raise _bad(source, _('"at_least" needs a non-empty "of" list'))
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= len(parts):
            raise _bad(
                source, _('"at_least" must be a whole number between 1 and the number of options')
            )
        return Requirement(
            "at_least",
            label,
            amount=float(count),
            parts=tuple(_node(p, source, depth + 1, counter) for p in parts),
        )
    return None


def evaluate(pathway: Pathway, holdings: Holdings) -> Progress:
    return _evaluate(pathway.root, holdings)


def _evaluate(req: Requirement, holdings: Holdings) -> Progress:
    if req.kind == "achievement":
        found = tuple(holdings.achievements.get(req.target or "", ()))
        return Progress(req, 1.0 if found else 0.0, bool(found), found)
    if req.kind == "skill":
        found = tuple(holdings.skills.get(req.target or "", ()))
        return Progress(req, 1.0 if found else 0.0, bool(found), found)
    if req.kind == "min_ects":
        fraction = min(holdings.ects / req.amount, 1.0)
        return Progress(req, fraction, holdings.ects >= req.amount)
    parts = tuple(_evaluate(p, holdings) for p in req.parts)
    if req.kind == "all":
        fraction = sum(p.fraction for p in parts) / len(parts)
        return Progress(req, fraction, all(p.met for p in parts), parts=parts)
    need = int(req.amount)
    best = sorted((p.fraction for p in parts), reverse=True)[:need]
    met = sum(1 for p in parts if p.met) >= need
    return Progress(req, sum(best) / need, met, parts=parts)
