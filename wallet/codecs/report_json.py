"""The verification result of cli.md as JSON: the one serializer of that contract.

Why one module: the same report is written by ``plecak verify/import/recheck --json`` (one line per
credential), into a share bundle (``report.json`` and the manifest, with the evidence list) and by
``plecak verify bundle.zip`` (per credential); a field named or formatted differently in one of them
is a contract broken for the programs that read it.  Each shape here is composed from the same
pieces (a check, a recipient match, provenance, UTC dates).  It imports the model only for types,
so the command line loads it without the model until a command really prints a result.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from wallet.codecs.dates import format_date

if TYPE_CHECKING:
    from wallet.errors import WalletError
    from wallet.model import (
        CheckResult,
        Credential,
        FetchRecord,
        Json,
        RecipientMatch,
        VerificationReport,
    )


def dumps(obj: Json) -> str:
    """One JSON Lines record (UTF-8, no ASCII escaping so Polish stays readable)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def check_json(check: CheckResult, *, outcome: bool = False) -> dict[str, Json]:
    """One check: id, status, message, detail when there is one (and its outcome, when kept)."""
    out: dict[str, Json] = {"id": check.id, "status": check.status.value, "message": check.message}
    if check.detail:
        out["detail"] = check.detail
    if outcome and check.outcome is not None:
        out["outcome"] = check.outcome.value
    return out


def recipient_json(match: RecipientMatch) -> dict[str, Json]:
    return {"checked": match.checked, "matched": match.matched, "identity": match.identity}


def provenance_json(report: VerificationReport) -> list[Json]:
    """Where each document of a report came from (cli.md JSON ``provenance``): URL, ground, and
    when it was fetched or captured."""
    return [
        {"url": r.url, "origin": r.origin, "fetched_at": format_date(r.fetched_at)}
        for r in report.evidence
    ]


def evidence_json(record: FetchRecord) -> dict[str, Json]:
    """A document a verification used, as a share bundle keeps it."""
    return {
        "url": record.url,
        "final_url": record.final_url,
        "status": record.status,
        "content_type": record.content_type,
        "sha256": record.sha256,
        "fetched_at": format_date(record.fetched_at),
        "origin": record.origin,
    }


def result_json(
    source: str, credential: Credential | None, report: VerificationReport, **extra: Json
) -> dict[str, Json]:
    """The verification result object of cli.md (one JSON line per credential)."""
    issuer = credential.issuer if credential else None
    data: dict[str, Json] = {
        "source": source,
        "status": report.status.value,
        "format": str(report.format or (credential.format if credential else None) or ""),
        "credential_id": report.credential_id or (credential.credential_id if credential else None),
        "title": credential.title if credential else None,
        "issuer": {"id": issuer.id if issuer else None, "name": issuer.name if issuer else None},
        "issued": format_date(credential.issued if credential else None),
        "expires": format_date(
            (credential.expires or credential.valid_until) if credential else None
        ),
        "recipient": recipient_json(report.recipient),
        "checks": [check_json(c) for c in report.checks],
        "checked_at": format_date(report.checked_at),
    }
    if report.as_of is not None:
        data["as_of"] = format_date(report.as_of)
    data["provenance"] = provenance_json(report)
    if report.mode != "online":
        data["mode"] = report.mode
    if report.children:
        data["children"] = [result_json(source, None, child) for child in report.children]
    data.update(extra)
    return data


def record_json(report: VerificationReport) -> dict[str, Json]:
    """A report as a share bundle records it: the result's verdict fields, the mode and "as of",
    and every document used (the bundle's verifier replays them)."""
    return {
        "status": report.status.value,
        "format": report.format.value if report.format else None,
        "credential_id": report.credential_id,
        "recipient": recipient_json(report.recipient),
        "checks": [check_json(c, outcome=True) for c in report.checks],
        "checked_at": format_date(report.checked_at),
        "mode": report.mode,
        "as_of": format_date(report.as_of),
        "evidence": [evidence_json(r) for r in report.evidence],
        "children": [record_json(c) for c in report.children],
    }


def error_json(source: str, error: WalletError, **extra: Json) -> dict[str, Json]:
    """cli.md's answer for input that is not a badge at all: the source and what is wrong."""
    data: dict[str, Json] = {"source": source, "error": error.to_json()}
    data.update(extra)
    return data
