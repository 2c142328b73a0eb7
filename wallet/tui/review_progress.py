"""The review's goal tabs: progress towards a pathway, and the EU elements each credential states.

Both answer "how far is this learner from a target" (a pathway file the advisor chose; Annex I of
the Council Recommendation of 16 June 2022), so they live apart from the tabs that list facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from wallet.i18n import N_, _, tr
from wallet.tui.review_parts import Names, grid, heading, meter, num

if TYPE_CHECKING:
    from wallet.review import Review

REQUIREMENTS: dict[str, str] = {
    "all": N_("all of"),
    "at_least": N_("at least {n} of"),
    "min_ects": N_("at least {n} ECTS"),
    "skill": N_("skill"),
    "achievement": N_("achievement"),
}
"""Pathway requirement kinds (wallet.review.pathway) in words; ``{n}`` is the required amount."""


# --------------------------------------------------------------------------- pathway


def pathway(review: Review) -> RenderableType:
    progress = review.pathway
    if progress is None:
        return Text(
            _(
                "No pathway file was given. Choose one (a .json file) to see the progress "
                "towards a target: plecak review --pathway FILE."
            ),
            style="dim",
        )
    names = Names(review)
    fraction = float(progress.get("progress") or 0)
    title = Text(_("Pathway: {name}").format(name=progress.get("name") or "—"), style="bold")
    overall = Text(_("Progress") + " ")
    overall.append_text(meter(fraction))
    overall.append(f" {round(fraction * 100)}%  ")
    if progress.get("met"):
        overall.append("✓ " + _("met"), style="bold green")
    else:
        overall.append("· " + _("not met yet"), style="yellow")
    lines: list[RenderableType] = [title, overall, Text("")]
    _requirement(progress, 0, lines, names)
    lines += [
        Text(""),
        Text(_("Only valid credentials count; hours never count as ECTS."), style="dim"),
    ]
    return Group(*lines)


def _requirement(
    node: Mapping[str, Any], depth: int, out: list[RenderableType], names: Names
) -> None:
    met = bool(node.get("met"))
    kind = str(node.get("kind"))
    what = tr(REQUIREMENTS.get(kind, REQUIREMENTS["achievement"])).format(
        n=num(node.get("required"))
    )
    line = Text("  " * depth)
    line.append("✓ " if met else "· ", style="bold green" if met else "yellow")
    line.append(what, style="bold" if kind in ("all", "at_least") else "")
    label = node.get("label") or node.get("target")
    if label:
        line.append(f" {label}")
    line.append(f"  {round(float(node.get('progress') or 0) * 100)}%", style="dim")
    out.append(line)
    for where in node.get("matched") or ():
        out.append(Text("  " * depth + "    ← ").append_text(names(where)))
    for part in node.get("parts") or ():
        if isinstance(part, dict):
            _requirement(part, depth + 1, out, names)


# --------------------------------------------------------------------------- EU completeness


def completeness(review: Review) -> RenderableType:
    from wallet.review import element_label

    names = Names(review)
    parts: list[RenderableType] = [
        heading(_("EU micro-credential elements per credential")),
        Text(
            _(
                "Stated (found or derived) of the mandatory and optional elements of the "
                "Council Recommendation of 16 June 2022, Annex I."
            ),
            style="dim",
        ),
    ]
    if not review.completeness:
        parts.append(Text("  " + _("No credentials could be read from these files."), style="dim"))
        return Group(*parts)
    table = grid(_("Credential"), _("Mandatory"), _("Optional"), _("Missing mandatory"))
    for column in table.columns[1:3]:
        column.no_wrap = True
    for row in review.completeness:
        mandatory = str(row.get("mandatory") or "")
        done, _slash, total = mandatory.partition("/")
        full = done == total and bool(done)
        missing = ", ".join(element_label(str(k)) for k in row.get("missing_mandatory") or ())
        extra = Text(missing or "—", style="" if missing else "green")
        derived = row.get("derived") or []
        if derived:
            extra.append(
                "\n"
                + _("derived: {list}").format(
                    list=", ".join(element_label(str(k)) for k in derived)
                ),
                style="dim",
            )
        table.add_row(
            names(row.get("credential")),
            Text(("✓ " if full else "✗ ") + _of(mandatory), style="green" if full else "yellow"),
            _of(str(row.get("optional") or "")),
            extra,
        )
    parts.append(table)
    return Group(*parts)


def _of(fraction: str) -> str:
    """``4/11`` in words: ``4 of 11``."""
    done, slash, total = fraction.partition("/")
    return _("{done} of {total}").format(done=done, total=total) if slash else fraction
