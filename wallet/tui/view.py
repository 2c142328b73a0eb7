"""How model values read on screen: status glyphs and words, dates, what changed between reports.

Pure functions, no Textual: the table, the detail screen and the demo's ``--no-tui`` listing share
them, and tests check them without an app.  A status is always a glyph AND a word (never colour
alone), so it reads the same on a monochrome terminal, in a screen reader and in a screenshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from wallet.codecs.dates import format_minute
from wallet.i18n import N_, ngettext, tr
from wallet.model import CheckStatus, Status, VerificationReport

GLYPHS: dict[Status, str] = {status: status.glyph for status in Status}
"""The model's glyphs (one set for the CLI and the TUI), as a map for table code."""

STYLES: dict[Status, str] = {
    Status.VALID: "bold green",
    Status.INVALID: "bold red",
    Status.REVOKED: "bold red",
    Status.SUSPENDED: "bold yellow",
    Status.EXPIRED: "yellow",
    Status.NOT_YET_VALID: "yellow",
    Status.UNVERIFIED: "bold cyan",
}

CHECK_GLYPHS: dict[CheckStatus, str] = {status: status.glyph for status in CheckStatus}

CHECK_STYLES: dict[CheckStatus, str] = {
    CheckStatus.PASS: "green",
    CheckStatus.FAIL: "bold red",
    CheckStatus.WARN: "yellow",
    CheckStatus.SKIP: "dim",
    CheckStatus.UNKNOWN: "cyan",
}

CHECK_LABELS: dict[CheckStatus, str] = {
    CheckStatus.PASS: N_("passed"),
    CheckStatus.FAIL: N_("failed"),
    CheckStatus.WARN: N_("warning"),
    CheckStatus.SKIP: N_("not applicable"),
    CheckStatus.UNKNOWN: N_("not completed"),
}


def status_word(status: Status) -> str:
    return tr(status.label)


def status_text(status: Status) -> str:
    """Glyph and word, e.g. ``✓ valid`` / ``⊘ unieważniony``."""
    return f"{GLYPHS[status]} {status_word(status)}"


def check_text(status: CheckStatus) -> str:
    return f"{CHECK_GLYPHS[status]} {tr(CHECK_LABELS[status])}"


def fmt_date(value: datetime | None) -> str:
    """A calendar date (YYYY-MM-DD, unambiguous in both languages), or an empty string."""
    return value.strftime("%Y-%m-%d") if value else ""


def fmt_time(value: datetime | None) -> str:
    return format_minute(value) if value else ""


def fmt_tags(tags: Sequence[str]) -> str:
    return " ".join(f"#{t}" for t in tags)


@dataclass(frozen=True, slots=True)
class Change:
    """What differs between two consecutive verification reports of one credential."""

    when: datetime
    before: Status | None
    after: Status
    checks: tuple[tuple[str, CheckStatus | None, CheckStatus], ...]
    """(check id, status before or None when new, status now) for every check that moved."""


def changes(history: Sequence[VerificationReport]) -> list[Change]:
    """The history as a list of changes, oldest first (the first entry has ``before=None``).

    Reports are compared by check id, so a check that was ``unknown`` yesterday (issuer offline)
    and ``fail`` today (revoked) shows up as the reason the status moved.
    """
    ordered = sorted(history, key=lambda r: r.checked_at)
    result: list[Change] = []
    previous: VerificationReport | None = None
    for report in ordered:
        moved: list[tuple[str, CheckStatus | None, CheckStatus]] = []
        if previous is not None:
            old = {c.id: c.status for c in previous.checks}
            for check in report.checks:
                if old.get(check.id) is not check.status:
                    moved.append((check.id, old.get(check.id), check.status))
        result.append(
            Change(
                when=report.checked_at,
                before=previous.status if previous else None,
                after=report.status,
                checks=tuple(moved),
            )
        )
        previous = report
    return result


def counted_status(status: Status, n: int) -> str:
    """``5 ważnych``, not ``5 ważny``: a count and a status word agree in the language's plural."""
    phrases = {
        Status.INVALID: ngettext("{n} invalid", "{n} invalid", n),
        Status.REVOKED: ngettext("{n} revoked", "{n} revoked", n),
        Status.SUSPENDED: ngettext("{n} suspended", "{n} suspended", n),
        Status.EXPIRED: ngettext("{n} expired", "{n} expired", n),
        Status.NOT_YET_VALID: ngettext("{n} not yet valid", "{n} not yet valid", n),
        Status.UNVERIFIED: ngettext("{n} unverified", "{n} unverified", n),
        Status.VALID: ngettext("{n} valid", "{n} valid", n),
    }
    return phrases[status].format(n=n)
