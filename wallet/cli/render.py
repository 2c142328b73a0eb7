"""What the command line prints: the portfolio and one credential as JSON, and everything as text
for people.  The verification result of cli.md is written by :mod:`wallet.codecs.report_json`.

Why one renderer: every command prints through these functions, so a credential, a status or a
report reads the same in ``list``, ``show``, ``import``, ``verify`` and ``recheck``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from wallet.codecs.dates import format_date
from wallet.codecs.report_json import result_json
from wallet.codecs.words import credit_text, element_label
from wallet.i18n import _, tr

if TYPE_CHECKING:
    from wallet.model import Credential, Json, PortfolioEntry, Status, VerificationReport
    from wallet.service import CredentialView


def status_word(status: Status) -> str:
    return f"{status.glyph} {tr(status.label)}"


def entry_json(entry: PortfolioEntry) -> dict[str, Json]:
    return {
        "id": entry.id,
        "status": entry.status.value,
        "format": entry.format.value,
        "title": entry.title,
        "issuer": {"id": entry.issuer_id, "name": entry.issuer_name},
        "issued": format_date(entry.issued),
        "expires": format_date(entry.expires),
        "tags": list(entry.tags),
        "credential_id": entry.credential_id,
        "checked_at": format_date(entry.checked_at),
    }


def credential_json(credential: Credential) -> dict[str, Json]:
    """Every normalised field (original bytes and payload left out: they can be exported)."""
    from wallet.model.json_form import to_dict

    data = to_dict(credential)
    for key in ("original", "payload", "children"):
        data.pop(key, None)
    data["original"] = {
        "media_type": credential.original.media_type,
        "source": credential.original.source,
        "size": len(credential.original.data),
    }
    data["children"] = [credential_json(c) for c in credential.children]
    plain: dict[str, Json] = _plain_dates(data)
    return plain


def _plain_dates(value: Json) -> Json:
    if isinstance(value, dict):
        if set(value) == {"$dt"}:
            return value["$dt"]
        if set(value) == {"$b64"}:
            return None
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value


def show_json(view: CredentialView) -> dict[str, Json]:
    """``plecak show --json``: the entry, every field, EU elements, last report, history."""
    from wallet.model.json_form import to_dict

    data = entry_json(view.entry)
    data["credential"] = credential_json(view.credential)
    data["eu_elements"] = [to_dict(e) for e in view.eu_elements]
    data["report"] = (
        result_json(view.entry.source, view.credential, view.report) if view.report else None
    )
    data["history"] = [
        {"checked_at": format_date(r.checked_at), "status": r.status.value} for r in view.history
    ]
    return data


# --------------------------------------------------------------------------- text


def _day(value: datetime | None) -> str:
    text = format_date(value)
    return text[:10] if text else "—"


def entries_table(entries: Sequence[PortfolioEntry]) -> str:
    if not entries:
        return _("No credentials.")
    rows = [
        (
            e.id,
            status_word(e.status),
            (e.title or "—")[:48],
            (e.issuer_name or e.issuer_id or "—")[:32],
            _day(e.issued),
            ", ".join(e.tags),
        )
        for e in entries
    ]
    header = (_("ID"), _("Status"), _("Title"), _("Issuer"), _("Issued"), _("Tags"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(col).ljust(widths[i]) for i, col in enumerate(header)).rstrip()]
    for row in rows:
        lines.append("  ".join(str(col).ljust(widths[i]) for i, col in enumerate(row)).rstrip())
    return "\n".join(lines)


def report_text(source: str, credential: Credential | None, report: VerificationReport) -> str:
    title = (credential.title if credential else None) or report.credential_id or source
    lines = [f"{status_word(report.status)}  {title}"]
    if credential and credential.issuer:
        issuer = credential.issuer
        lines.append(
            "  "
            + _("Issuer: {name} ({where})").format(
                name=issuer.name or "—", where=issuer.domain_or_did or "—"
            )
        )
    if report.as_of is not None:
        lines.append(
            "  "
            + _("Checked from recorded evidence as of {when}.").format(
                when=format_date(report.as_of)
            )
        )
    for check in report.checks:
        lines.append(f"  {check.status.glyph} {check.id}: {check.message}")
    for child in report.children:
        lines.append("  " + report_text(source, None, child).replace("\n", "\n  "))
    return "\n".join(lines)


def _fields(view: CredentialView) -> list[tuple[str, str | None]]:
    """The labelled fields of ``plecak show``, in the order people read them."""
    cred = view.credential
    fields: list[tuple[str, str | None]] = [
        (_("Format"), cred.format.value),
        (_("Credential id"), cred.credential_id),
        (_("Issued"), format_date(cred.issued)),
        (_("Expires"), format_date(cred.expires or cred.valid_until)),
        (_("Recipient"), cred.recipient.identity if cred.recipient else None),
        (_("Tags"), ", ".join(view.entry.tags) or None),
    ]
    ach = cred.achievement
    if ach:
        fields += [
            (_("Achievement"), ach.name),
            (_("Criteria"), ach.criteria.narrative or ach.criteria.id if ach.criteria else None),
            (_("Credits"), ", ".join(credit_text(c.amount, c.unit) for c in ach.credits) or None),
            (_("Level"), ", ".join(f"{lv.framework} {lv.value}" for lv in ach.levels) or None),
            (
                _("Skills"),
                ", ".join(a.target_name or a.target_url or "?" for a in ach.alignments) or None,
            ),
        ]
    return fields


def show_text(view: CredentialView) -> str:
    """The whole of one credential for people: fields, EU elements, last report, history."""
    cred = view.credential
    lines = [
        f"{status_word(view.entry.status)}  {cred.title or '—'}   [{view.entry.id}]",
    ]
    if cred.description:
        lines.append(cred.description)
    issuer = cred.issuer
    if issuer:
        lines.append(
            _("Issuer: {name} ({where})").format(
                name=issuer.name or "—", where=issuer.domain_or_did or "—"
            )
        )
    from wallet.codecs.edc_seal import seal_facts
    from wallet.codecs.edc_seal import sentence as seal_sentence

    sealed = seal_facts(view.report.checks) if view.report else None
    if sealed:
        lines.append(seal_sentence(sealed))
    for label, value in _fields(view):
        if value:
            lines.append(f"  {label}: {value}")
    if view.eu_elements:
        lines.append(_("EU micro-credential elements:"))
        for element in view.eu_elements:
            mark = {"present": "✓", "derived": "≈", "missing": "✗"}[element.state.value]
            lines.append(f"  {mark} {element_label(element.key)}: {element.value or '—'}")
    if view.report:
        lines.append(_("Last verification:"))
        lines.append("  " + report_text(view.entry.source, cred, view.report).replace("\n", "\n  "))
    if len(view.history) > 1:
        lines.append(_("History:"))
        for report in view.history:
            lines.append(f"  {format_date(report.checked_at)}  {status_word(report.status)}")
    return "\n".join(lines)
