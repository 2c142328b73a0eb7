"""The advisor's review as text for the terminal (``plecak review``), in the interface language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wallet.codecs.eu import LABELS
from wallet.i18n import _, ngettext, tr
from wallet.model import Status

if TYPE_CHECKING:
    from wallet.review.model import Review


def _status(value: Any) -> str:
    try:
        return tr(Status(str(value)).label)
    except ValueError:
        return str(value)


def _num(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def _progress_lines(node: dict[str, Any], depth: int, out: list[str]) -> None:
    mark = "✓" if node.get("met") else "·"
    kind = node.get("kind")
    label = node.get("label") or node.get("target") or ""
    if kind == "all":
        text = _("all of")
    elif kind == "at_least":
        text = _("at least {n} of").format(n=_num(node.get("required")))
    elif kind == "min_ects":
        text = _("at least {n} ECTS").format(n=_num(node.get("required")))
    elif kind == "skill":
        text = _("skill")
    else:
        text = _("achievement")
    percent = round(float(node.get("progress", 0)) * 100)
    words = " ".join(w for w in (mark, text, str(label), f"({percent}%)") if w)
    out.append(f"{'  ' * depth}{words}")
    for part in node.get("parts", []):
        _progress_lines(part, depth + 1, out)


def _head(review: Review, out: list[str]) -> None:
    count = len(review.bundles)
    out.append(ngettext("Review of {n} bundle", "Review of {n} bundles", count).format(n=count))
    for bundle in review.bundles:
        state = _("intact and signed") if bundle.get("ok") else _("DAMAGED OR UNSAFE")
        out.append(f"  {bundle.get('path')}: {state}")
        for problem in bundle.get("problems", []) or []:
            out.append(f"    ✗ {problem}")
    out.append("")
    out.append(_("Timeline"))
    for row in review.timeline:
        date = str(row.get("date") or "—")[:10]
        dup = " " + _("(duplicate)") if row.get("duplicate_of") else ""
        out.append(
            f"  {date}  {row.get('title')} — {row.get('issuer') or '?'} [{_status(row.get('status'))}]{dup}"
        )


def _facts(review: Review, out: list[str]) -> None:
    credits = review.credits
    out.append("")
    out.append(_("Credits (valid credentials; parts not counted twice)"))
    out.append("  " + _("ECTS: {n}").format(n=_num(credits.get("ects", 0))))
    out.append(
        "  "
        + _("Hours of learning (not converted to ECTS): {n}").format(
            n=_num(credits.get("hours", 0))
        )
    )
    for unit, amount in (credits.get("other") or {}).items():
        out.append(
            "  " + _("Other credits ({unit}, not ECTS): {n}").format(unit=unit, n=_num(amount))
        )
    out.append("")
    out.append(_("Levels"))
    for framework, values in review.levels.items():
        spread = ", ".join(f"{level}×{count}" for level, count in values.items())
        out.append(f"  {framework}: {spread}")
    if not review.levels:
        out.append("  —")
    skills = review.skills
    out.append("")
    out.append(_("ESCO skills covered: {n}").format(n=skills.get("esco_count", 0)))
    for row in skills.get("esco", []):
        out.append(f"  {row.get('label') or row.get('id')} ({len(row.get('credentials', []))})")


def _goals(review: Review, out: list[str]) -> None:
    out.append("")
    out.append(_("Stacks"))
    stacks = [s for s in review.stacks if s.get("members")]
    for stack in stacks:
        out.append("  " + " + ".join(str(m) for m in stack["members"]))
    if not stacks:
        out.append("  —")
    out.append("")
    out.append(_("EU micro-credential elements (mandatory stated / optional stated)"))
    for row in review.completeness:
        missing = ", ".join(tr(LABELS[k]) for k in row.get("missing_mandatory", []) if k in LABELS)
        line = f"  {row.get('title')}: {row.get('mandatory')} / {row.get('optional')}"
        out.append(line + (" — " + _("missing: {list}").format(list=missing) if missing else ""))
    if review.pathway is not None:
        out.append("")
        out.append(_("Pathway: {name}").format(name=review.pathway.get("name") or "—"))
        _progress_lines(review.pathway, 1, out)


def render(review: Review) -> str:
    out: list[str] = []
    _head(review, out)
    _facts(review, out)
    _goals(review, out)
    out.append("")
    out.append(
        _("Status: {list}").format(
            list=", ".join(f"{_status(k)} {v}" for k, v in review.statuses.items()) or "—"
        )
    )
    for warning in review.warnings:
        out.append("! " + warning)
    return "\n".join(out)
