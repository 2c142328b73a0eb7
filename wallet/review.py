"""The advisor's review: one or more share bundles read together, read-only.

Signatures (exact)::

    def review(
        paths: Sequence[Path],
        pathway: Path | None = None,
        *,
        clock: Clock = system_clock,
        reports: Mapping[Path, Any] | None = None,   # Path -> wallet.bundle.verify.verifier.BundleReport
    ) -> Review
    Review.to_json() -> dict; Review.to_text() -> str

What it shows (bundle.md): a timeline; totals of ECTS (only credits whose framework is ECTS; other
credit units and hours kept apart; a part is not counted when a whole it belongs to is counted with
the same unit; the same credential in two bundles counts once); the spread of EQF and national
(PRK, RQF, …) levels; ESCO skills coverage; stacks formed by explicit links (CLR associations, ELM
``hasPart``/``isPartOf``, OB 3.0 ``related``); progress against a pathway file
(:mod:`wallet.review_pathway`); per-credential completeness of the EU elements; the verification
status of everything.

Where the facts come from: each bundle's manifest, whose per-credential elements and facts
``plecak verify`` recomputes from the credentials themselves (check ``manifest-claims``).  The
review checks archive safety, every file's digest and the holder's signature itself (offline,
instantly); issuers' signatures and revocation are checked when the caller passes ``reports`` from
:func:`wallet.bundle.verify.verifier.verify_bundle`; otherwise the status shown is the one at export, and
says so.  Totals, levels, skills and pathway progress count only credentials that are valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet.bundle.verify.verifier import check_integrity
from wallet.codecs.eu import ELEMENTS, LABELS, MANDATORY
from wallet.errors import WalletError
from wallet.i18n import _, tr
from wallet.model import Json, Status
from wallet.ports import Clock, system_clock
from wallet.review_pathway import Holdings, Progress, evaluate, load_pathway

_STATED = ("present", "derived")


@dataclass(slots=True)
class Item:
    """One credential as the review sees it."""

    bundle: str
    file: str
    entry: dict[str, Any]
    status: str
    status_source: str
    """verified (now, by plecak verify) | at-export (the manifest's record) | bundle-damaged"""
    key: str
    ids: set[str] = field(default_factory=set)
    duplicate_of: str | None = None

    @property
    def where(self) -> str:
        return f"{self.bundle}!{self.file}"

    @property
    def title(self) -> str:
        return str(self.entry.get("title") or self.file)

    @property
    def facts(self) -> dict[str, Any]:
        facts = self.entry.get("facts")
        return facts if isinstance(facts, dict) else {}

    def listed(self, key: str) -> list[dict[str, Any]]:
        value = self.facts.get(key)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    @property
    def counts(self) -> bool:
        return self.status == Status.VALID.value and self.duplicate_of is None


@dataclass(frozen=True, slots=True)
class Review:
    generated_at: datetime
    bundles: list[dict[str, Json]]
    timeline: list[dict[str, Json]]
    credits: dict[str, Json]
    levels: dict[str, dict[str, int]]
    skills: dict[str, Json]
    stacks: list[dict[str, Json]]
    completeness: list[dict[str, Json]]
    statuses: dict[str, int]
    pathway: dict[str, Json] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every file was a share bundle that passed its integrity and holder checks."""
        return bool(self.bundles) and all(b.get("ok") is True for b in self.bundles)

    def to_json(self) -> dict[str, Json]:
        return {
            "kind": "review",
            "generated_at": self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "bundles": self.bundles,
            "statuses": self.statuses,
            "timeline": self.timeline,
            "credits": self.credits,
            "levels": self.levels,
            "skills": self.skills,
            "stacks": self.stacks,
            "completeness": self.completeness,
            "pathway": self.pathway,
            "warnings": self.warnings,
        }

    def to_text(self) -> str:
        from wallet.review_text import render

        return render(self)


# --------------------------------------------------------------------------- reading bundles


def _status_of(report: Any, file: str) -> str | None:
    for item in getattr(report, "credentials", ()) or ():
        if getattr(item, "file", None) == file:
            return str(item.status.value)
    return None


def _as_of(report: Any) -> str | None:
    """When the statuses were checked from the bundle's evidence (offline): its capture time."""
    times = [
        item.report.as_of
        for item in getattr(report, "credentials", ()) or ()
        if getattr(item, "report", None) is not None
        and item.report.mode == "evidence"
        and item.report.as_of is not None
    ]
    return min(times).strftime("%Y-%m-%d %H:%M UTC") if times else None


def _read(
    paths: Sequence[Path], reports: Mapping[Path, Any], warnings: list[str]
) -> tuple[list[dict[str, Json]], list[Item]]:
    bundles: list[dict[str, Json]] = []
    items: list[Item] = []
    seen: dict[str, str] = {}
    for path in paths:
        name = path.name
        try:
            integrity = check_integrity(path)
        except WalletError as exc:
            bundles.append({"path": str(path), "ok": False, "error": exc.user_message()})
            warnings.append(exc.user_message())
            continue
        manifest = integrity.manifest or {}
        report = reports.get(path)
        bundles.append(
            {
                "path": str(path),
                "ok": integrity.ok,
                "id": manifest.get("id"),
                "holder": manifest.get("holder"),
                "created": manifest.get("created"),
                "purpose": manifest.get("purpose"),
                "verified": report is not None,
                "as_of": _as_of(report),
                "disclosed": manifest.get("disclosed_identity"),
                "problems": list(integrity.problems),
                "checks": [
                    {"id": c.id, "status": c.status.value, "message": c.message}
                    for c in integrity.checks
                ],
            }
        )
        digests = (
            {
                f.get("path"): f.get("sha256")
                for f in manifest.get("files", [])
                if isinstance(f, dict)
            }
            if isinstance(manifest.get("files"), list)
            else {}
        )
        for entry in (
            manifest.get("credentials", []) if isinstance(manifest.get("credentials"), list) else []
        ):
            if not isinstance(entry, dict):
                continue
            file = str(entry.get("file"))
            if not integrity.ok:
                status, source = Status.INVALID.value, "bundle-damaged"
            elif report is not None:
                status, source = _status_of(report, file) or Status.INVALID.value, "verified"
            else:
                status, source = str(entry.get("status") or Status.UNVERIFIED.value), "at-export"
            key = str(entry.get("credential_id") or digests.get(file) or f"{name}!{file}")
            item = Item(name, file, entry, status, source, key)
            facts = item.facts
            item.ids = {i for i in facts.get("achievement_ids", []) if isinstance(i, str)}
            if isinstance(entry.get("credential_id"), str):
                item.ids.add(entry["credential_id"])
            if key in seen:
                item.duplicate_of = seen[key]
            else:
                seen[key] = item.where
            items.append(item)
    holders = {b.get("holder") for b in bundles if b.get("holder")}
    if len(holders) > 1:
        warnings.append(
            _("These bundles were signed by {count} different holders.").format(count=len(holders))
        )
    return bundles, items


# --------------------------------------------------------------------------- sections


def _parents(items: list[Item]) -> dict[str, set[str]]:
    """item.where -> the items it is a part of (from isPartOf on the part or hasPart on the whole)."""
    by_id: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for ident in item.ids:
            by_id[ident].append(item)
    parents: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for link in item.listed("links"):
            relation, target = link.get("relation"), link.get("target")
            for other in by_id.get(str(target), []):
                if other is item:
                    continue
                if relation in ("isPartOf", "isChildOf"):
                    parents[item.where].add(other.where)
                elif relation in ("hasPart", "isParentOf"):
                    parents[other.where].add(item.where)
    return parents


def _credits(items: list[Item]) -> dict[str, Json]:
    counted = [i for i in items if i.counts]
    by_where = {i.where: i for i in counted}
    parents = _parents(counted)

    def units(item: Item) -> set[str]:
        return {str(c.get("unit")) for c in item.listed("credits")}

    def covered(item: Item, unit: str) -> str | None:
        stack, seen = list(parents.get(item.where, ())), set()
        while stack:
            where = stack.pop()
            if where in seen or where not in by_where:
                continue
            seen.add(where)
            if unit in units(by_where[where]):
                return where
            stack.extend(parents.get(where, ()))
        return None

    totals: dict[str, float] = defaultdict(float)
    not_counted: list[dict[str, Json]] = []
    for item in counted:
        for credit in item.listed("credits"):
            unit, amount = str(credit.get("unit")), credit.get("amount")
            if not isinstance(amount, int | float) or isinstance(amount, bool):
                continue
            whole = covered(item, unit)
            if whole:
                not_counted.append(
                    {"credential": item.where, "unit": unit, "amount": amount, "part_of": whole}
                )
                continue
            totals[unit] += float(amount)
    excluded = [
        {"credential": i.where, "status": i.status, "duplicate_of": i.duplicate_of}
        for i in items
        if not i.counts and i.listed("credits")
    ]
    return {
        "ects": totals.pop("ECTS", 0.0),
        "hours": totals.pop("hours", 0.0),
        "other": dict(sorted(totals.items())),
        "parts_not_counted": not_counted,
        "not_counted": excluded,
    }


def _levels(items: list[Item]) -> dict[str, dict[str, int]]:
    spread: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        if not item.counts:
            continue
        seen = set()
        for level in item.listed("levels"):
            pair = (str(level.get("framework")), str(level.get("value")))
            if pair not in seen:
                seen.add(pair)
                spread[pair[0]][pair[1]] += 1
    return {fw: dict(sorted(values.items())) for fw, values in sorted(spread.items())}


def _skills(items: list[Item]) -> tuple[dict[str, Json], dict[str, list[str]]]:
    esco: dict[str, dict[str, Any]] = {}
    other: dict[str, dict[str, Any]] = {}
    held: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if not item.counts:
            continue
        for skill in item.listed("skills"):
            ident = skill.get("id") or skill.get("name")
            if not isinstance(ident, str):
                continue
            bucket = esco if skill.get("framework") == "ESCO" else other
            row = bucket.setdefault(
                ident,
                {
                    "id": skill.get("id"),
                    "name": skill.get("name"),
                    "framework": skill.get("framework"),
                    "credentials": [],
                },
            )
            if item.where not in row["credentials"]:
                row["credentials"].append(item.where)
                held[ident].append(item.where)
    return (
        {
            "esco": [esco[k] for k in sorted(esco)],
            "other": [other[k] for k in sorted(other)],
            "esco_count": len(esco),
        },
        held,
    )


def _stacks(items: list[Item]) -> list[dict[str, Json]]:
    by_id: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.duplicate_of is None:
            for ident in item.ids:
                by_id[ident].append(item)
    parent = {i.where: i.where for i in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges: list[dict[str, Json]] = []
    external: list[dict[str, Json]] = []
    for item in items:
        if item.duplicate_of is not None:
            continue
        for link in item.listed("links"):
            targets = [o for o in by_id.get(str(link.get("target")), []) if o is not item]
            if not targets:
                external.append(
                    {
                        "from": item.where,
                        "relation": link.get("relation"),
                        "target": link.get("target"),
                    }
                )
            for other in targets:
                edges.append(
                    {"from": item.where, "relation": link.get("relation"), "to": other.where}
                )
                parent[find(item.where)] = find(other.where)
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.duplicate_of is None:
            groups[find(item.where)].append(item.where)
    stacks = []
    for members in sorted(groups.values()):
        if len(members) < 2:
            continue
        stacks.append({"members": members, "links": [e for e in edges if e["from"] in members]})
    if external:
        stacks.append({"members": [], "external_links": external})
    return stacks


def _completeness(items: list[Item]) -> list[dict[str, Json]]:
    rows = []
    optional_keys = [k for k, mandatory, _l in ELEMENTS if not mandatory]
    for item in items:
        if item.duplicate_of is not None:
            continue
        elements = {
            e.get("key"): e for e in item.entry.get("eu_elements", []) if isinstance(e, dict)
        }
        stated = [k for k in MANDATORY if elements.get(k, {}).get("state") in _STATED]
        optional = [k for k in optional_keys if elements.get(k, {}).get("state") in _STATED]
        rows.append(
            {
                "credential": item.where,
                "title": item.title,
                "mandatory": f"{len(stated)}/{len(MANDATORY)}",
                "optional": f"{len(optional)}/{len(optional_keys)}",
                "derived": sorted(
                    str(k) for k, e in elements.items() if e.get("state") == "derived"
                ),
                "missing_mandatory": [k for k, m, _l in ELEMENTS if m and k not in stated],
            }
        )
    return rows


def _timeline(items: list[Item]) -> list[dict[str, Json]]:
    rows = []
    for item in items:
        found = item.entry.get("issuer")
        issuer: dict[str, Any] = found if isinstance(found, dict) else {}
        rows.append(
            {
                "date": item.entry.get("issued"),
                "title": item.title,
                "issuer": issuer.get("name") or issuer.get("id"),
                "status": item.status,
                "status_source": item.status_source,
                "credential": item.where,
                "duplicate_of": item.duplicate_of,
            }
        )
    far = "9999"
    return sorted(rows, key=lambda r: (str(r["date"] or far), str(r["title"])))


def _holdings(items: list[Item], skills: dict[str, list[str]], ects: float) -> Holdings:
    achievements: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.counts:
            for ident in item.ids:
                achievements[ident].append(item.where)
    return Holdings(achievements, skills, ects)


def review(
    paths: Sequence[Path],
    pathway: Path | None = None,
    *,
    clock: Clock = system_clock,
    reports: Mapping[Path, Any] | None = None,
) -> Review:
    """Read the bundles (never writing anything) and compute every section of the review."""
    warnings: list[str] = []
    goal = load_pathway(pathway) if pathway is not None else None
    bundles, items = _read(paths, reports or {}, warnings)
    credits = _credits(items)
    skills, held = _skills(items)
    statuses: dict[str, int] = defaultdict(int)
    for item in items:
        if item.duplicate_of is None:
            statuses[item.status] += 1
    if any(i.status_source == "at-export" for i in items):
        warnings.append(
            _(
                "Statuses are those recorded at export; run 'plecak verify' on the bundles to check them now."
            )
        )
    progress: dict[str, Json] | None = None
    if goal is not None:
        ects = credits["ects"]
        result: Progress = evaluate(
            goal, _holdings(items, held, float(ects) if isinstance(ects, int | float) else 0.0)
        )
        progress = {"name": goal.name, **result.to_json()}
    return Review(
        generated_at=clock(),
        bundles=bundles,
        timeline=_timeline(items),
        credits=credits,
        levels=_levels(items),
        skills=skills,
        stacks=_stacks(items),
        completeness=_completeness(items),
        statuses=dict(sorted(statuses.items())),
        pathway=progress,
        warnings=warnings,
    )


def element_label(key: str) -> str:
    return tr(LABELS.get(key, key))
