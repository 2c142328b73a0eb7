"""Exporting: which credentials an export covers, what in them a learner may not want to share,
and the export itself (the exporter is injected; signed kinds are recorded in the ledger)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from wallet.errors import ExportError, RecordTampered, UsageError
from wallet.i18n import _, current_language
from wallet.model import Json, VerificationReport
from wallet.ports import Exporter, ExportRequest

if TYPE_CHECKING:
    from wallet.store import Wallet

SIGNED_KINDS = ("bundle", "vp", "clr", "pdf")
"""Exports the learner signs (the PDF carries a signed bundle); each is recorded in the ledger."""


def export_ids(
    wallet: Wallet, ids: Sequence[str] = (), *, tag: str | None = None, all_: bool = False
) -> list[str]:
    """The wallet ids an export covers: explicit ids, a tag, or everything."""
    if all_ or tag:
        damaged = wallet.damage().credentials()
        return [
            e.id for e in wallet.list_entries() if (all_ or tag in e.tags) and e.id not in damaged
        ]
    return [wallet.resolve_id(i) for i in ids]


def sensitive_fields(wallet: Wallet, ids: Sequence[str]) -> list[tuple[str, str, list[str]]]:
    """(id, title, [what, …]) for credentials that carry data a learner may not want to share
    (date of birth, national ID…).  A signed credential cannot lose fields, so the shells warn
    before an export and the learner decides."""
    from wallet.codecs.eu import sensitive_fields as found_in
    from wallet.codecs.eu import sensitive_label
    from wallet.i18n import tr

    found = []
    for cid in ids:
        credential = wallet.get_credential(wallet.resolve_id(cid))
        pointers = found_in(credential)
        if pointers:
            labels = sorted({tr(sensitive_label(p)) for p in pointers})
            found.append((cid, credential.title or cid, labels))
    return found


def check_request(exporter: Exporter | None, kind: str, ids: Sequence[str]) -> Exporter:
    """The exporter of ``kind``; what is wrong with the request before the wallet is read."""
    if exporter is None:
        raise ExportError(
            reason=_("the export format '{kind}' is not available yet").format(kind=kind)
        )
    if not ids:
        raise UsageError(_("Choose at least one credential to export."))
    return exporter


def export(
    wallet: Wallet,
    exporter: Exporter,
    kind: str,
    ids: Sequence[str],
    *,
    now: datetime,
    identities: Sequence[str],
    disclose_identity: str | None = None,
    purpose: str | None = None,
    options: Mapping[str, Json] | None = None,
    destination: str = "",
) -> bytes:
    resolved = [wallet.resolve_id(i) for i in ids]
    credentials = {cid: wallet.get_credential(cid) for cid in resolved}
    reports, evidence = _newest_reports(wallet, resolved)
    if disclose_identity is not None and disclose_identity not in identities:
        raise UsageError(
            _("{value} is not one of your identities.").format(value=disclose_identity),
            hint=_("Add it with 'plecak identity add'."),
        )
    request = ExportRequest(
        ids=resolved,
        credentials=credentials,
        reports=reports,
        evidence=evidence,
        holder_key=wallet.signing_key() if kind in SIGNED_KINDS else None,
        disclosed_identity=disclose_identity,
        language=current_language(),
        purpose=purpose,
        created=now,
        options=dict(options or {}),
    )
    data = exporter.export(request)
    if kind in SIGNED_KINDS:
        wallet.record_share(
            {
                "kind": kind,
                "ids": resolved,
                "destination": destination,
                "purpose": purpose,
                "identity_disclosed": disclose_identity is not None,
                "created": now.isoformat(),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return data


def _newest_reports(
    wallet: Wallet, ids: Sequence[str]
) -> tuple[dict[str, VerificationReport], dict[str, bytes]]:
    """Each credential's newest report and the bodies of the documents it rests on."""
    reports: dict[str, VerificationReport] = {}
    evidence: dict[str, bytes] = {}
    for cid in ids:
        newest, _damaged = wallet.newest_report(cid)
        if newest is None:
            continue
        reports[cid] = newest
        for record in newest.evidence:
            try:
                body = wallet.evidence_body(record.sha256)
            except RecordTampered:
                continue  # the bundle says this document was not kept
            if body is not None:
                evidence[record.sha256] = body
    return reports, evidence
