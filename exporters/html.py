"""summary.html on its own: the same page the bundle embeds, for the chosen credentials.

The renderer lives in :mod:`wallet.bundle.summary` because the bundle verifier draws the page
again from what it verified and compares it byte for byte; this module only gathers the inputs
from an export request.

Signatures::

    summary_items(request: ExportRequest) -> list[SummaryItem]
    class HtmlExporter: name = "html"; media_type = "text/html"; export(request) -> bytes
"""

from __future__ import annotations

from collections.abc import Mapping

from exporters.common import (
    credential_for,
    image_of,
    linked_documents,
)
from wallet.bundle.summary import (
    Summary,
    SummaryItem,
    holder_view,
    render_summary,
)
from wallet.codecs.dates import format_date
from wallet.codecs.eu import Facts, describe
from wallet.codecs.report_json import record_json
from wallet.model import Credential, VerificationReport
from wallet.ports import ExportRequest


def summary_item(
    credential: Credential,
    report: VerificationReport | None,
    facts: Facts,
    evidence: Mapping[str, bytes],
) -> SummaryItem:
    return SummaryItem(
        credential=credential,
        facts=facts,
        view=holder_view(record_json(report) if report is not None else None),
        image=image_of(credential, report, evidence),
    )


def summary_items(request: ExportRequest) -> list[SummaryItem]:
    items = []
    for wallet_id in request.ids:
        credential = credential_for(request, wallet_id)
        report = request.reports.get(wallet_id)
        facts = describe(credential, linked_documents(report, request.evidence))
        items.append(summary_item(credential, report, facts, request.evidence))
    return items


class HtmlExporter:
    """A standalone summary page of the chosen credentials (the bundle embeds the same page)."""

    name = "html"
    media_type = "text/html"

    def export(self, request: ExportRequest) -> bytes:
        return render_summary(
            Summary(
                created=format_date(request.created) or "",
                items=summary_items(request),
                language=request.language,
                purpose=request.purpose,
                disclosed_identity=request.disclosed_identity,
            )
        )
