"""The verifier's own page of a bundle it has just checked (``plecak verify … --html``).

Only a translation of :class:`~wallet.bundle.verify.report.BundleReport` into the page model of
:mod:`wallet.bundle.report_page`: every title, issuer and date comes from the verified credentials,
every status and provenance from this run, nothing from summary.html.
"""

from __future__ import annotations

from pathlib import PurePath

from wallet.bundle.report_page import VerifiedBundle, VerifiedItem, render_report
from wallet.bundle.verify.report import BundleReport


def _text(manifest: object, key: str) -> str | None:
    value = manifest.get(key) if isinstance(manifest, dict) else None
    return value if isinstance(value, str) else None


def report_page(report: BundleReport, lang: str) -> bytes:
    items = [
        VerifiedItem(
            file=c.file,
            status=c.status,
            credential=c.credential,
            facts=c.facts,
            image=c.image,
            mode=c.report.mode if c.report else None,
            as_of=c.report.as_of if c.report else None,
            checks=c.report.checks if c.report else (),
            error=c.error,
        )
        for c in report.credentials
    ]
    return render_report(
        VerifiedBundle(
            source=PurePath(report.source).name,
            status=report.status,
            checked_at=report.checked_at,
            checks=report.checks,
            items=items,
            language=lang,
            holder=report.holder,
            bundle_id=report.bundle_id,
            purpose=_text(report.manifest, "purpose"),
            disclosed_identity=_text(report.manifest, "disclosed_identity"),
        )
    )
