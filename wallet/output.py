"""Rendering results for the CLI: the JSON Lines contract of cli.md, and plain text for people.

Why separate from cli.py: the JSON shape is a contract other programs rely on; keeping it in one
small module (with its own tests) makes accidental renames visible.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wallet.codecs.dates import format_date
from wallet.errors import WalletError
from wallet.i18n import _, tr
from wallet.model import (
    CheckResult,
    CheckStatus,
    Credential,
    PortfolioEntry,
    Status,
    VerificationReport,
    to_dict,
)

if TYPE_CHECKING:
    from wallet.service.types import CredentialView


def dumps(obj: Any) -> str:
    """One JSON Lines record (UTF-8, no ASCII escaping so Polish stays readable)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def status_word(status: Status) -> str:
    return f"{status.glyph} {tr(status.label)}"


def check_json(check: CheckResult) -> dict[str, Any]:
    data: dict[str, Any] = {"id": check.id, "status": check.status.value, "message": check.message}
    if check.detail:
        data["detail"] = check.detail
    return data


def report_json(
    source: str,
    credential: Credential | None,
    report: VerificationReport,
    **extra: Any,
) -> dict[str, Any]:
    """The verification result object of cli.md (one line per credential)."""
    issuer = credential.issuer if credential else None
    data: dict[str, Any] = {
        "source": source,
        "status": report.status.value,
        "format": (report.format or (credential.format if credential else None) or "").__str__(),
        "credential_id": report.credential_id or (credential.credential_id if credential else None),
        "title": credential.title if credential else None,
        "issuer": {"id": issuer.id if issuer else None, "name": issuer.name if issuer else None},
        "issued": format_date(credential.issued if credential else None),
        "expires": format_date(
            (credential.expires or credential.valid_until) if credential else None
        ),
        "recipient": {
            "checked": report.recipient.checked,
            "matched": report.recipient.matched,
            "identity": report.recipient.identity,
        },
        "checks": [check_json(c) for c in report.checks],
        "checked_at": format_date(report.checked_at),
    }
    if report.as_of is not None:
        data["as_of"] = format_date(report.as_of)
    from wallet.verify.provenance import provenance_json

    data["provenance"] = provenance_json(report)
    if report.mode != "online":
        data["mode"] = report.mode
    if report.children:
        data["children"] = [report_json(source, None, child) for child in report.children]
    data.update(extra)
    return data


def error_json(source: str, error: WalletError, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"source": source, "error": error.to_json()}
    data.update(extra)
    return data


def entry_json(entry: PortfolioEntry) -> dict[str, Any]:
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


def credential_json(credential: Credential) -> dict[str, Any]:
    """Every normalised field (original bytes and payload left out: they can be exported)."""
    data = to_dict(credential)
    for key in ("original", "payload", "children"):
        data.pop(key, None)
    data["original"] = {
        "media_type": credential.original.media_type,
        "source": credential.original.source,
        "size": len(credential.original.data),
    }
    data["children"] = [credential_json(c) for c in credential.children]
    plain: dict[str, Any] = _plain_dates(data)
    return plain


def _plain_dates(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$dt"}:
            return value["$dt"]
        if set(value) == {"$b64"}:
            return None
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value


# --------------------------------------------------------------------------- text


def _date(value: Any) -> str:
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
            _date(e.issued),
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


def show_json(view: CredentialView) -> dict[str, Any]:
    """``plecak show --json``: the entry, every field, EU elements, last report, history."""
    data = entry_json(view.entry)
    data["credential"] = credential_json(view.credential)
    data["eu_elements"] = [to_dict(e) for e in view.eu_elements]
    data["report"] = (
        report_json(view.entry.source, view.credential, view.report) if view.report else None
    )
    data["history"] = [
        {"checked_at": format_date(r.checked_at), "status": r.status.value} for r in view.history
    ]
    return data


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
    fields: list[tuple[str, Any]] = [
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
    for label, value in fields:
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


def deciding_reason(report: VerificationReport) -> str:
    """The sentence of the check that decided the verdict: the first failed one, else the first
    that could not run (what a person needs to read first, not the whole report)."""
    for wanted in (CheckStatus.FAIL, CheckStatus.UNKNOWN):
        for check in report.checks:
            if check.status is wanted:
                return check.message
    return ""


def element_label(key: str) -> str:
    """The translated Annex I name of an EU micro-credential element (never the raw key)."""
    from wallet.codecs.eu_read import LABELS
    from wallet.i18n import tr

    return tr(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()


def credit_text(amount: float, unit: str) -> str:
    """``5 ECTS``, ``12 godzin``, ``3 punkty``: the unit in words of the interface language.

    ``credits`` (OB 3.0 ``creditsAvailable``) and ``hours`` are plecak's own unit keys; a framework
    named by the issuer (``ECTS``, ``CATS``, an ELM label) is shown as the issuer wrote it.
    """
    from wallet.i18n import ngettext

    shown = f"{amount:g}"
    count = int(amount) if float(amount).is_integer() else 2
    if unit == "credits":
        return ngettext("{n} credit", "{n} credits", count).format(n=shown)
    if unit == "hours":
        return ngettext("{n} hour", "{n} hours", count).format(n=shown)
    return f"{shown} {unit}"
