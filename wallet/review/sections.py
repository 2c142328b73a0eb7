"""The sections of the advisor's review, each computed from the credentials the review read.

Totals, levels, skills and pathway progress count only credentials that are valid (and each
credential once, however many bundles carry it); the timeline, stacks and completeness list all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from wallet.codecs.eu import ELEMENTS, MANDATORY
from wallet.model import Json
from wallet.review.labels import uri_label
from wallet.review.model import Item
from wallet.review.pathway import Holdings

_STATED = ("present", "derived")


def parents(items: list[Item]) -> dict[str, set[str]]:
    """item.where -> the items it is a part of (from isPartOf on the part or hasPart on the whole)."""
    by_id: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for ident in item.ids:
            by_id[ident].append(item)
    found: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for link in item.listed("links"):
            relation, target = link.get("relation"), link.get("target")
            for other in by_id.get(str(target), []):
                if other is item:
                    continue
                if relation in ("isPartOf", "isChildOf"):
                    found[item.where].add(other.where)
                elif relation in ("hasPart", "isParentOf"):
                    found[other.where].add(item.where)
    return found


def credits(items: list[Item]) -> dict[str, Json]:
    counted = [i for i in items if i.counts]
    by_where = {i.where: i for i in counted}
    part_of = parents(counted)

    def units(item: Item) -> set[str]:
        return {str(c.get("unit")) for c in item.listed("credits")}

    def covered(item: Item, unit: str) -> str | None:
        stack, seen = list(part_of.get(item.where, ())), set()
        while stack:
            where = stack.pop()
            if where in seen or where not in by_where:
                continue
            seen.add(where)
            if unit in units(by_where[where]):
                return where
            stack.extend(part_of.get(where, ()))
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


def levels(items: list[Item]) -> dict[str, dict[str, int]]:
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


def skills(items: list[Item]) -> tuple[dict[str, Json], dict[str, list[str]]]:
    """Every skill of the valid credentials, once, with the credentials that show it.

    Each row has a ``label`` to show: the credential's own words for the skill (in the interface
    language when the credential has them), else a short name made from its identifier; the
    ESCO count is the number of ESCO rows listed."""
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
                    "label": None,
                    "framework": skill.get("framework"),
                    "credentials": [],
                },
            )
            name = skill.get("name") if skill.get("name") != skill.get("id") else None
            row["label"] = row["label"] or skill.get("label") or name
            if item.where not in row["credentials"]:
                row["credentials"].append(item.where)
                held[ident].append(item.where)
    for row in (*esco.values(), *other.values()):
        row["label"] = row["label"] or uri_label(str(row["id"]))
    return (
        {
            "esco": [esco[k] for k in sorted(esco)],
            "other": [other[k] for k in sorted(other)],
            "esco_count": len(esco),
        },
        held,
    )


def _links(
    items: list[Item],
) -> tuple[list[tuple[Item, Json, Item]], list[dict[str, Json]]]:
    """Every link between two held credentials, and every link to one the holder did not share."""
    by_id: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for ident in item.ids:
            by_id[ident].append(item)
    inside: list[tuple[Item, Json, Item]] = []
    external: list[dict[str, Json]] = []
    for item in items:
        for link in item.listed("links"):
            targets = [o for o in by_id.get(str(link.get("target")), []) if o is not item]
            relation = link.get("relation")
            if not targets:
                external.append(
                    {"from": item.where, "relation": relation, "target": link.get("target")}
                )
            inside.extend((item, relation, other) for other in targets)
    return inside, external


def stacks(items: list[Item]) -> list[dict[str, Json]]:
    """Credentials joined by links into stacks (connected groups), plus links leading outside."""
    kept = [i for i in items if i.duplicate_of is None]
    inside, external = _links(kept)
    parent = {i.where: i.where for i in kept}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges: list[dict[str, Json]] = []
    for item, relation, other in inside:
        edges.append({"from": item.where, "relation": relation, "to": other.where})
        parent[find(item.where)] = find(other.where)
    groups: dict[str, list[str]] = defaultdict(list)
    for item in kept:
        groups[find(item.where)].append(item.where)
    found: list[dict[str, Json]] = [
        {"members": members, "links": [e for e in edges if e["from"] in members]}
        for members in sorted(groups.values())
        if len(members) >= 2
    ]
    if external:
        found.append({"members": [], "external_links": external})
    return found


def completeness(items: list[Item]) -> list[dict[str, Json]]:
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


def timeline(items: list[Item]) -> list[dict[str, Json]]:
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


def holdings(items: list[Item], skills: dict[str, list[str]], ects: float) -> Holdings:
    achievements: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.counts:
            for ident in item.ids:
                achievements[ident].append(item.where)
    return Holdings(achievements, skills, ects)
