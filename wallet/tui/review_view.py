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
from wallet.model import Status
from wallet.tui.view import STYLES, status_text

if TYPE_CHECKING:
    from wallet.review import Review

SOURCES: dict[str, str] = {
    "verified": N_("checked now"),
    "at-export": N_("as recorded at export"),
    "bundle-damaged": N_("bundle damaged"),
}
REQUIREMENTS: dict[str, str] = {
    "all": N_("all of"),
    "at_least": N_("at least {n} of"),
    "min_ects": N_("at least {n} ECTS"),
    "skill": N_("skill"),
    "achievement": N_("achievement"),
}
"""Pathway requirement kinds (wallet.review.pathway) in words; ``{n}`` is the required amount."""
BAR = 20
"""Width of a progress bar in cells (fits 80 columns next to its label)."""


def _status(value: Any) -> Text:
    try:
        status = Status(str(value))
    except ValueError:
        return Text(f"? {value}", style="bold cyan")
    return Text(status_text(status), style=STYLES[status])


def _num(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _bar(fraction: float, width: int = BAR) -> Text:
    filled = max(0, min(width, round(fraction * width)))
    bar = Text("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    return bar


def _table(*columns: str) -> Table:
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


class Names:
    """``bundle!path`` -> "Title (bundle)", from the timeline (which lists every credential)."""

    def __init__(self, review: Review) -> None:
        self.titles: dict[str, str] = {}
        for row in review.timeline:
            where = row.get("credential")
            if isinstance(where, str):
                self.titles[where] = str(row.get("title") or where.partition("!")[2])

    def __call__(self, where: Any) -> Text:
        key = str(where)
        bundle = key.partition("!")[0]
        text = Text(self.titles.get(key, key.partition("!")[2] or key))
        text.append(f" ({bundle})", style="dim")
        return text


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
    parts.append(_heading(_("Credentials by status")))
    if review.statuses:
        line = Text("  ")
        for i, (status, n) in enumerate(review.statuses.items()):
            if i:
                line.append("  ·  ")
            line.append_text(_status(status))
            line.append(f" {n}")
        parts.append(line)
    else:
        parts.append(Text("  " + _("No credentials could be read from these files."), style="dim"))
    if review.warnings:
        parts.append(Text(""))
        parts.append(_heading(_("Warnings")))
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
    table = _table(_("Date"), _("Credential"), _("Issuer"), _("Status"))
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
        status = _status(row.get("status"))
        source = str(row.get("status_source") or "")
        if source in SOURCES and source != "verified":
            status.append("\n" + tr(SOURCES[source]), style="dim")
        table.add_row(
            str(row.get("date") or "—")[:10], title, str(row.get("issuer") or "—"), status
        )
    return Group(_heading(_("Timeline (oldest first)")), table)


# --------------------------------------------------------------------------- credits and levels


def credits_and_levels(review: Review) -> RenderableType:
    names = Names(review)
    credits = review.credits
    parts: list[RenderableType] = [
        _heading(_("Credits (valid credentials only; parts not counted twice)"))
    ]
    totals = _table(_("Unit"), _("Total"))
    totals.add_row(
        Text(_("ECTS credits"), style="bold"), Text(_num(credits.get("ects", 0)), style="bold")
    )
    totals.add_row(_("Hours of learning (never converted to ECTS)"), _num(credits.get("hours", 0)))
    other = credits.get("other")
    for unit, amount in other.items() if isinstance(other, dict) else ():
        totals.add_row(_("Other credits: {unit} (not ECTS)").format(unit=unit), _num(amount))
    parts.append(totals)
    parts_not = _dicts(credits.get("parts_not_counted"))
    if parts_not:
        parts += [Text(""), Text(_("Parts not counted again (their whole is counted):"))]
        for row in parts_not:
            line = _bullet(names, row)
            line.append(f"{_num(row.get('amount'))} {row.get('unit')}, " + _("part of") + " ")
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
                line.append_text(_status(row.get("status")))
            parts.append(line)
    parts += [Text(""), _heading(_("Levels (valid credentials)"))]
    if not review.levels:
        parts.append(Text("  " + _("No credential states a level."), style="dim"))
    most = max((n for values in review.levels.values() for n in values.values()), default=1)
    levels = _table(_("Framework"), _("Level"), _("Credentials"))
    for framework, values in review.levels.items():
        for i, (level, n) in enumerate(values.items()):
            bar = _bar(n / most, width=10)
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
        _heading(_("ESCO skills covered: {n}").format(n=count)),
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
        parts += [Text(""), _heading(_("Other skills and frameworks")), _skill_table(other, names)]
    return Group(*parts)


def _skill_table(rows: Iterable[dict[str, Any]], names: Names) -> Table:
    table = _table(_("Skill"), _("Shown by"))
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
        _heading(_("Stacks formed by explicit links")),
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
    overall.append_text(_bar(fraction))
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
        n=_num(node.get("required"))
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
        _heading(_("EU micro-credential elements per credential")),
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
    table = _table(_("Credential"), _("Mandatory"), _("Optional"), _("Missing mandatory"))
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


def _of(fraction: str) -> str:
    """``4/11`` in words: ``4 of 11``."""
    done, slash, total = fraction.partition("/")
    return _("{done} of {total}").format(done=done, total=total) if slash else fraction
