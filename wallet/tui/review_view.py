"""The advisor's review as Rich renderables, one function per tab of the review screen.

Kept apart from the screen (no Textual here) so each part reads as "what does an advisor need to
see": first whether each bundle can be trusted at all and how its credentials were checked, then
the facts, counted only over valid credentials (the review already decided that; this module never
recounts).  Credentials are named by title with their bundle's file name, never by the internal
``bundle!path`` key alone; statuses are always a glyph AND a word; bundle paths are shown by file
name, so what is on screen does not depend on where the files happen to lie.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wallet.i18n import N_, _, ngettext, tr
from wallet.tui.review_parts import Names, grid, heading, meter, num, status_cell
from wallet.tui.review_progress import completeness, pathway

if TYPE_CHECKING:
    from wallet.review import Review

SOURCES: dict[str, str] = {
    "verified": N_("checked now"),
    "at-export": N_("as recorded at export"),
    "bundle-damaged": N_("bundle damaged"),
}


# --------------------------------------------------------------------------- overview


def overview(review: Review) -> RenderableType:
    parts: list[RenderableType] = []
    count = len(review.bundles)
    head = Text(
        ngettext("Review of {n} bundle", "Review of {n} bundles", count).format(n=count),
        style="bold",
    )
    head.append("  ·  " + _("prepared {when}").format(when=_when(review.generated_at)), style="dim")
    parts.append(head)
    parts.append(Text(""))
    for bundle in review.bundles:
        parts.extend(_bundle_block(review, bundle))
    parts.append(heading(_("Credentials by status")))
    if review.statuses:
        line = Text("  ")
        for i, (status, n) in enumerate(review.statuses.items()):
            if i:
                line.append("  ·  ")
            line.append_text(status_cell(status))
            line.append(f" {n}")
        parts.append(line)
    else:
        parts.append(Text("  " + _("No credentials could be read from these files."), style="dim"))
    if review.warnings:
        parts.append(Text(""))
        parts.append(heading(_("Warnings")))
        for warning in review.warnings:
            parts.append(Text(f"  ! {warning}", style="yellow"))
    return Group(*parts)


def _when(value: Any) -> str:
    strftime = getattr(value, "strftime", None)
    return strftime("%Y-%m-%d %H:%M UTC") if strftime else str(value)


def _bundle_block(review: Review, bundle: Mapping[str, Any]) -> list[RenderableType]:
    name = PurePath(str(bundle.get("path") or "?")).name
    ok = bundle.get("ok") is True
    line = Text("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
    line.append(name, style="bold")
    line.append(" — ")
    if ok:
        line.append(_("intact and signed by its holder"), style="green")
    else:
        line.append(_("damaged or unsafe: do not rely on it"), style="bold red")
    out: list[RenderableType] = [line]
    held = sum(1 for r in review.timeline if str(r.get("credential", "")).startswith(name + "!"))
    facts = [ngettext("{n} credential", "{n} credentials", held).format(n=held)]
    if ok:
        if bundle.get("as_of"):
            facts.append(_("statuses as of capture ({when})").format(when=bundle["as_of"]))
        elif bundle.get("verified"):
            facts.append(_("statuses checked now"))
        else:
            facts.append(_("statuses as recorded at export"))
    if bundle.get("created"):
        facts.append(_("created {date}").format(date=str(bundle["created"])[:10]))
    out.append(Text("    " + " · ".join(facts)))
    if bundle.get("purpose"):
        out.append(Text("    " + _("Purpose: {text}").format(text=bundle["purpose"])))
    if bundle.get("holder"):
        holder = _("Holder: {did}").format(did=bundle["holder"])
        if bundle.get("disclosed"):
            holder += " · " + _("discloses {identity}").format(identity=bundle["disclosed"])
        out.append(Text("    " + holder, style="dim"))
    if bundle.get("error"):
        out.append(Text(f"    ✗ {bundle['error']}", style="red"))
    for problem in bundle.get("problems") or ():
        out.append(Text("    ✗ " + _("does not match: {file}").format(file=problem), style="red"))
    out.append(Text(""))
    return out


# --------------------------------------------------------------------------- timeline


def timeline(review: Review) -> RenderableType:
    if not review.timeline:
        return Text(_("No credentials could be read from these files."), style="dim")
    names = Names(review)
    table = grid(_("Date"), _("Credential"), _("Issuer"), _("Status"))
    table.columns[0].no_wrap = True
    table.columns[0].overflow = "ellipsis"
    table.columns[0].min_width = 10
    for row in review.timeline:
        title = names(row.get("credential"))
        if row.get("duplicate_of"):
            title.append(
                "\n"
                + _("the same credential as in {where}").format(
                    where=str(row["duplicate_of"]).partition("!")[0]
                ),
                style="dim italic",
            )
        status = status_cell(row.get("status"))
        source = str(row.get("status_source") or "")
        if source in SOURCES and source != "verified":
            status.append("\n" + tr(SOURCES[source]), style="dim")
        table.add_row(
            str(row.get("date") or "—")[:10], title, str(row.get("issuer") or "—"), status
        )
    return Group(heading(_("Timeline (oldest first)")), table)


# --------------------------------------------------------------------------- credits and levels


def credits_and_levels(review: Review) -> RenderableType:
    names = Names(review)
    credits = review.credits
    parts: list[RenderableType] = [
        heading(_("Credits (valid credentials only; parts not counted twice)"))
    ]
    totals = grid(_("Unit"), _("Total"))
    totals.add_row(
        Text(_("ECTS credits"), style="bold"), Text(num(credits.get("ects", 0)), style="bold")
    )
    totals.add_row(_("Hours of learning (never converted to ECTS)"), num(credits.get("hours", 0)))
    other = credits.get("other")
    for unit, amount in other.items() if isinstance(other, dict) else ():
        totals.add_row(_("Other credits: {unit} (not ECTS)").format(unit=unit), num(amount))
    parts.append(totals)
    parts_not = _dicts(credits.get("parts_not_counted"))
    if parts_not:
        parts += [Text(""), Text(_("Parts not counted again (their whole is counted):"))]
        for row in parts_not:
            line = _bullet(names, row)
            line.append(f"{num(row.get('amount'))} {row.get('unit')}, " + _("part of") + " ")
            parts.append(line.append_text(names(row.get("part_of"))))
    excluded = _dicts(credits.get("not_counted"))
    if excluded:
        parts += [Text(""), Text(_("Not counted:"))]
        for row in excluded:
            line = _bullet(names, row)
            if row.get("duplicate_of"):
                line.append(
                    _("already counted from {where}").format(
                        where=str(row["duplicate_of"]).partition("!")[0]
                    )
                )
            else:
                line.append_text(status_cell(row.get("status")))
            parts.append(line)
    parts += [Text(""), heading(_("Levels (valid credentials)"))]
    if not review.levels:
        parts.append(Text("  " + _("No credential states a level."), style="dim"))
    most = max((n for values in review.levels.values() for n in values.values()), default=1)
    levels = grid(_("Framework"), _("Level"), _("Credentials"))
    for framework, values in review.levels.items():
        for i, (level, n) in enumerate(values.items()):
            bar = meter(n / most, width=10)
            bar.append(f" {n}")
            levels.add_row(framework if i == 0 else "", level, bar)
    if review.levels:
        parts.append(levels)
    return Group(*parts)


def _bullet(names: Names, row: Mapping[str, Any]) -> Text:
    """ "  • Title (bundle) — " for a row about one credential; the caller appends the rest."""
    return Text("  • ").append_text(names(row.get("credential"))).append(" — ")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# --------------------------------------------------------------------------- skills


def skills(review: Review) -> RenderableType:
    names = Names(review)
    data = review.skills
    count = data.get("esco_count", 0)
    parts: list[RenderableType] = [
        heading(_("ESCO skills covered: {n}").format(n=count)),
        Text(
            _("Skills aligned in valid credentials; each with the credentials that show it."),
            style="dim",
        ),
    ]
    esco, other = _dicts(data.get("esco")), _dicts(data.get("other"))
    if esco:
        parts.append(_skill_table(esco, names))
    else:
        parts.append(
            Text("  " + _("No valid credential is aligned to an ESCO skill."), style="dim")
        )
    if other:
        parts += [Text(""), heading(_("Other skills and frameworks")), _skill_table(other, names)]
    return Group(*parts)


def _skill_table(rows: Iterable[dict[str, Any]], names: Names) -> Table:
    table = grid(_("Skill"), _("Shown by"))
    for row in rows:
        # one line a skill, so the rows match the count above (the URI is in --json)
        skill = Text(str(row.get("label") or row.get("name") or row.get("id") or "?"), style="bold")
        held = Text()
        for i, where in enumerate(row.get("credentials") or ()):
            if i:
                held.append("\n")
            held.append_text(names(where))
        table.add_row(skill, held)
    return table


# --------------------------------------------------------------------------- stacks


def stacks(review: Review) -> RenderableType:
    names = Names(review)
    parts: list[RenderableType] = [
        heading(_("Stacks formed by explicit links")),
        Text(_("From CLR associations, ELM hasPart/isPartOf and OB 3.0 related."), style="dim"),
    ]
    grouped = [s for s in review.stacks if s.get("members")]
    external = [row for s in review.stacks for row in _dicts(s.get("external_links"))]
    if not grouped:
        parts.append(Text("  " + _("No credential here links to another one here."), style="dim"))
    for i, stack in enumerate(grouped, 1):
        members = list(stack.get("members") or [])
        parts.append(Text(""))
        parts.append(
            Text(
                ngettext(
                    "Stack {i}: {n} credential", "Stack {i}: {n} credentials", len(members)
                ).format(i=i, n=len(members)),
                style="bold",
            )
        )
        for where in members:
            parts.append(Text("  • ").append_text(names(where)))
        for link in _dicts(stack.get("links")):
            line = Text("    ")
            line.append_text(names(link.get("from")))
            line.append(f" —{link.get('relation')}→ ", style="cyan")
            line.append_text(names(link.get("to")))
            parts.append(line)
    if external:
        parts += [Text(""), Text(_("Links to credentials not in these bundles:"), style="bold")]
        for link in external:
            line = Text("  • ")
            line.append_text(names(link.get("from")))
            line.append(f" —{link.get('relation')}→ ", style="cyan")
            line.append(str(link.get("target")), style="dim")
            parts.append(line)
    return Group(*parts)


SECTIONS = {
    "overview": overview,
    "timeline": timeline,
    "credits": credits_and_levels,
    "skills": skills,
    "stacks": stacks,
    "pathway": pathway,
    "eu": completeness,
}
"""Tab id -> the function that renders it."""
