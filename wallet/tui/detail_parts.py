"""The contents of the badge detail tabs, as Rich renderables built from a credential view.

Kept apart from the screen so each part reads as "what does the learner need to see here": the
issuer's domain or DID up front (that is what a learner or an employer should check), the recipient
match, dates, what the badge proves (criteria, credits, level, skills), and then the evidence of
verification, check by check.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wallet.codecs.edc_seal import seal_facts
from wallet.codecs.edc_seal import sentence as seal_sentence
from wallet.codecs.words import credit_text, deciding_reason, element_label
from wallet.errors import source_name
from wallet.i18n import N_, _, tr
from wallet.model import (
    CheckStatus,
    Credential,
    ElementState,
    EUElement,
    PortfolioEntry,
    Status,
    VerificationReport,
)
from wallet.tui.view import (
    CHECK_STYLES,
    STYLES,
    changes,
    check_text,
    fmt_date,
    fmt_tags,
    fmt_time,
    status_text,
)

EU_STATES: dict[ElementState, tuple[str, str]] = {
    ElementState.PRESENT: ("✓", N_("found")),
    ElementState.DERIVED: ("≈", N_("derived")),
    ElementState.MISSING: ("✗", N_("missing")),
}
RAW_JSON_LIMIT = 200_000
LONG_STRING = 400


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="bold", no_wrap=True, ratio=None)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def _row(grid: Table, label: str, value: str | Text | None) -> None:
    if value:
        grid.add_row(label, value if isinstance(value, Text) else Text(value))


def issuer_block(credential: Credential, entry: PortfolioEntry) -> Text:
    """The issuer's name, and on its own line the domain or DID to check (prominent)."""
    issuer = credential.issuer
    name = (issuer.name if issuer else None) or entry.issuer_name or _("(issuer without a name)")
    where = (issuer.domain_or_did if issuer else None) or entry.issuer_id or ""
    text = Text(name, style="bold")
    if where:
        text.append("\n")
        text.append(_("identified by "), style="dim")
        text.append(where, style="bold reverse")
    return text


def recipient_text(credential: Credential, report: VerificationReport | None) -> Text | None:
    recipient = credential.recipient
    match = report.recipient if report else None
    if recipient is None and (match is None or not match.checked):
        return None
    text = Text()
    if recipient is not None:
        shown = recipient.name or recipient.identity
        if recipient.hashed:
            shown = _("{kind} (hashed)").format(kind=recipient.type)
        text.append(shown)
    if match is None or not match.checked:
        text.append("  " + _("— not checked against your identities"), style="dim")
    elif match.matched:
        text.append(
            "  ✓ " + _("matches your identity {identity}").format(identity=match.identity or ""),
            style="green",
        )
    else:
        text.append("  ✗ " + _("does not match any of your identities"), style="bold red")
    return text


def overview(
    entry: PortfolioEntry, credential: Credential, report: VerificationReport | None
) -> RenderableType:
    grid = _grid()
    title = Text(credential.title or entry.title or entry.id, style="bold")
    status = Text(status_text(entry.status), style=STYLES[entry.status])
    if report is not None:
        status.append(
            "  " + _("checked {when}").format(when=fmt_time(report.checked_at)), style="dim"
        )
        if report.as_of is not None:
            status.append(
                "  " + _("from evidence captured {when}").format(when=fmt_time(report.as_of)),
                style="dim",
            )
    _row(grid, _("Badge"), title)
    _row(grid, _("Status"), status)
    _row(grid, _("Issuer"), issuer_block(credential, entry))
    sealed = seal_facts(report.checks) if report is not None else None
    _row(grid, _("Seal"), seal_sentence(sealed) if sealed else None)
    _row(grid, _("Recipient"), recipient_text(credential, report))
    _row(grid, _("Issued"), fmt_date(credential.issued or entry.issued))
    start = credential.valid_from
    if start and start != credential.issued:
        _row(grid, _("Valid from"), fmt_date(start))
    end = credential.expires or credential.valid_until or entry.expires
    _row(grid, _("Expires"), fmt_date(end) if end else _("never"))
    achievement = credential.achievement
    if achievement is not None:
        kind = f" ({achievement.achievement_type})" if achievement.achievement_type else ""
        if achievement.name and achievement.name != credential.title:
            _row(grid, _("Achievement"), (achievement.name or "") + kind)
        elif kind:
            _row(grid, _("Type"), achievement.achievement_type)
        _row(grid, _("Description"), achievement.description or credential.description)
        if achievement.criteria is not None:
            criteria = achievement.criteria.narrative or ""
            if achievement.criteria.id:
                criteria = (criteria + "\n" if criteria else "") + achievement.criteria.id
            _row(grid, _("Criteria"), criteria)
        _row(
            grid,
            _("Credits"),
            ", ".join(credit_text(c.amount, c.unit) for c in achievement.credits),
        )
        _row(grid, _("Level"), ", ".join(f"{lv.framework} {lv.value}" for lv in achievement.levels))
        skills = [_alignment(a) for a in achievement.alignments]
        _row(grid, _("Skills"), "\n".join(skills))
    else:
        _row(grid, _("Description"), credential.description)
    for result in credential.results:
        value = " ".join(p for p in (result.value, result.status) if p)
        _row(grid, _("Result"), f"{value} {result.description or ''}".strip())
    _row(grid, _("Tags"), fmt_tags(entry.tags))
    _row(grid, _("Format"), f"{credential.format.value} {credential.spec_version}".strip())
    _row(grid, _("Wallet id"), entry.id)
    _row(grid, _("Credential id"), credential.credential_id)
    _row(grid, _("Imported from"), source_name(credential.original.source or entry.source))
    return grid


def _alignment(alignment: Any) -> str:
    name = alignment.target_name or alignment.target_url or "?"
    extra = " ".join(p for p in (alignment.target_framework, alignment.target_code) if p)
    return f"• {name}" + (f" ({extra})" if extra else "")


def verification(report: VerificationReport | None) -> RenderableType:
    if report is None:
        return Text(_("This badge has not been verified yet. Press r to check it now."))
    head = Text(status_text(report.status), style=STYLES[report.status])
    head.append("  " + _("checked {when}").format(when=fmt_time(report.checked_at)), style="dim")
    mode = {
        "online": _("online"),
        "offline": _("offline (cached documents and mirrors only)"),
        "evidence": _("from recorded evidence"),
    }.get(report.mode, report.mode)
    head.append("  " + mode, style="dim")
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    table.add_column(_("Result"), no_wrap=True)
    table.add_column(_("Check"), no_wrap=True)
    table.add_column(_("What was found"), ratio=1, overflow="fold")
    for check in report.checks:
        message = Text(check.message)
        if check.detail:
            message.append("\n" + check.detail, style="dim")
        table.add_row(
            str(check.step or ""),
            Text(check_text(check.status), style=CHECK_STYLES[check.status]),
            check.id,
            message,
        )
    parts: list[RenderableType] = [head, Text(""), table]
    reason = deciding_reason(report) if report.status is not Status.VALID else ""
    if reason:
        # The sentence that decided the status, not whichever came last (a suspended badge is
        # suspended because of its status list, whatever its recipient line says).
        parts += [Text(""), Text(_("Why: {reason}").format(reason=reason))]
    elif report.recipient.checked:
        parts += [Text(""), Text(report.recipient.message or "")]
    if any(c.id == "recipient" and c.status is CheckStatus.FAIL for c in report.checks):
        parts.append(
            Text(
                _(
                    "If that identity is yours, press m to add it to your identities, "
                    "then r to check again."
                ),
                style="bold",
            )
        )
    return Group(*parts)


def history(reports: Sequence[VerificationReport]) -> RenderableType:
    if not reports:
        return Text(_("No verification has been recorded yet."))
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Status"), no_wrap=True)
    table.add_column(_("What changed"), ratio=1, overflow="fold")
    for change in reversed(changes(reports)):
        status = Text(status_text(change.after), style=STYLES[change.after])
        if change.before is None:
            what = Text(_("first verification"), style="dim")
        elif change.before is change.after and not change.checks:
            what = Text(_("no change"), style="dim")
        else:
            what = Text(style="bold yellow")
            if change.before is not change.after:
                what.append(
                    _("status {before} → {after}").format(
                        before=status_text(change.before), after=status_text(change.after)
                    )
                )
            for check_id, before, after in change.checks:
                was = check_text(before) if before else _("new")
                what.append(
                    ("\n" if what.plain else "") + f"{check_id}: {was} → {check_text(after)}"
                )
        table.add_row(fmt_time(change.when), status, what)
    return table


def eu_elements(elements: Sequence[EUElement]) -> RenderableType:
    if not elements:
        return Text(_("No EU micro-credential elements were analysed for this badge."))
    found = sum(1 for e in elements if e.state is not ElementState.MISSING)
    missing = [e for e in elements if e.state is ElementState.MISSING and e.mandatory]
    head = Text(
        _(
            "{found} of {total} elements of the EU micro-credential found; {missing} mandatory missing."
        ).format(found=found, total=len(elements), missing=len(missing)),
        style="bold",
    )
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
    table.add_column(_("Element"), no_wrap=True)
    table.add_column(_("State"), no_wrap=True)
    table.add_column(_("Value"), ratio=1, overflow="fold")
    for element in elements:
        glyph, word = EU_STATES[element.state]
        label = element_label(element.key)
        if not element.mandatory:
            label += " " + _("(optional)")
        style = "red" if element.state is ElementState.MISSING and element.mandatory else ""
        table.add_row(label, Text(f"{glyph} {tr(word)}", style=style), element.value or "")
    return Group(head, Text(""), table)


def evidence(credential: Credential, report: VerificationReport | None) -> RenderableType:
    parts: list[RenderableType] = [Text(_("Evidence of the achievement"), style="bold")]
    if not credential.evidence:
        parts.append(Text(_("The issuer attached no evidence."), style="dim"))
    for item in credential.evidence:
        text = Text("• " + (item.name or item.id or _("(unnamed evidence)")))
        for extra in (item.description, item.narrative, item.id if item.name else None):
            if extra:
                text.append("\n  " + extra, style="dim")
        parts.append(text)
    parts += [Text(""), Text(_("Documents used to verify it"), style="bold")]
    records = report.evidence if report else ()
    if not records:
        parts.append(Text(_("No documents were fetched."), style="dim"))
    for record in records:
        text = Text(f"• {record.url}")
        text.append(
            "\n  "
            + _("HTTP {status}, {type}, {when}, from {origin}").format(
                status=record.status,
                type=record.content_type,
                when=fmt_time(record.fetched_at),
                origin=record.origin,
            ),
            style="dim",
        )
        text.append(f"\n  sha256 {record.sha256}", style="dim")
        parts.append(text)
    return Group(*parts)


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > LONG_STRING:
        return value[:80] + _("… ({n} characters)").format(n=len(value))
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def raw_json(credential: Credential) -> str:
    """The credential's document, pretty-printed; very long strings (images) abbreviated."""
    document = credential.document
    if document is None:
        try:
            text = credential.payload.decode("utf-8")
        except UnicodeDecodeError:
            return _("(binary payload, {n} bytes)").format(n=len(credential.payload))
    else:
        text = json.dumps(_shorten(document), indent=2, ensure_ascii=False, default=str)
    if len(text) > RAW_JSON_LIMIT:
        text = (
            text[:RAW_JSON_LIMIT] + "\n" + _("… (cut at {n} characters)").format(n=RAW_JSON_LIMIT)
        )
    return text


def check_counts(report: VerificationReport | None) -> dict[CheckStatus, int]:
    counts: dict[CheckStatus, int] = {}
    for check in report.checks if report else ():
        counts[check.status] = counts.get(check.status, 0) + 1
    return counts
