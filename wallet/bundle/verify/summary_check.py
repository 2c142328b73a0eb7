"""Check 7 of a bundle: summary.html must be exactly the page the verified credentials give.

Why byte for byte: summary.html is what an employer reads, and the holder wrote it.  The holder's
signature only proves the holder sent it, not that it is true — a page claiming "PhD, University of
Oxford" next to a first-aid badge would be signed just as well.  So the verifier draws the page
again with the shared renderer (:mod:`wallet.bundle.summary`) from what it has just verified: the
credentials parsed from their files, the EU facts recomputed from them, the manifest fields the page
may show (created, holder, bundle id, language, purpose, disclosed identity) and the holder's
wallet's view at export from report.json (shown on the page as the holder's, not as a verdict).
Any difference fails the bundle.

A page drawn by another version of the renderer (its ``generator`` meta element names it) cannot be
compared byte for byte: the check is then ``unknown`` (the bundle is not valid, and says why) rather
than failed — an honest bundle from an older plecak is not a forgery, but its page is unconfirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wallet.bundle.summary import (
    SUMMARY_VERSION,
    Summary,
    SummaryItem,
    holder_view,
    render_summary,
    version_of,
)
from wallet.bundle.verify.report import BundleCredential
from wallet.codecs import safejson
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.verify.checks import Checks


def captured(evidence: Mapping[str, tuple[int, str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """URL -> (content type, body) of the successful captures among a credential's evidence."""
    return {
        url: (content_type, body)
        for url, (status, content_type, body) in evidence.items()
        if 200 <= status < 300 and body
    }


def _views(raw: bytes | None) -> dict[str, Mapping[str, object]]:
    try:
        document = safejson.loads(raw, source="report.json") if raw else None
    except WalletError:
        return {}
    reports = document.get("reports") if isinstance(document, dict) else None
    return {
        str(r["file"]): r
        for r in (reports if isinstance(reports, list) else [])
        if isinstance(r, dict) and isinstance(r.get("file"), str)
    }


def _text(manifest: Mapping[str, Any], key: str) -> str | None:
    value = manifest.get(key)
    return value if isinstance(value, str) else None


def expected_summary(
    contents: Mapping[str, bytes],
    manifest: Mapping[str, Any] | None,
    results: Sequence[BundleCredential],
) -> bytes | None:
    """The summary.html the verified data gives; None when a credential could not be read."""
    if manifest is None or not results:
        return None
    views = _views(contents.get("report.json"))
    items = []
    for result in results:
        if result.credential is None or result.facts is None:
            return None
        view = holder_view(views.get(result.file))
        items.append(SummaryItem(result.credential, result.facts, view, result.image))
    summary = Summary(
        created=_text(manifest, "created") or "",
        items=items,
        language=_text(manifest, "language") or "en",
        holder=_text(manifest, "holder"),
        bundle_id=_text(manifest, "id"),
        purpose=_text(manifest, "purpose"),
        disclosed_identity=_text(manifest, "disclosed_identity"),
    )
    return render_summary(summary)


def check_summary(
    checks: Checks,
    contents: Mapping[str, bytes],
    manifest: Mapping[str, Any] | None,
    results: Sequence[BundleCredential],
    problem: Callable[[str], None],
) -> None:
    # (7) summary.html is exactly what the verified credentials give
    version = version_of(contents.get("summary.html", b""))
    if version != SUMMARY_VERSION:
        problem("summary.html")
        checks.unknown(
            "summary",
            _(
                "summary.html was drawn by another version of plecak ({version}; this one draws "
                "{ours}), so it could not be compared with the credentials: do not rely on it; "
                "read this report instead."
            ).format(version=version if version is not None else "?", ours=SUMMARY_VERSION),
        )
        return
    expected = expected_summary(contents, manifest, results)
    if expected is None:
        problem("summary.html")
        checks.failed(
            "summary",
            _("summary.html could not be drawn again: a credential could not be read."),
        )
    elif expected != contents.get("summary.html"):
        problem("summary.html")
        checks.failed(
            "summary",
            _(
                "summary.html does not show what the verified credentials say: do not rely on "
                "it; read this report instead."
            ),
        )
    else:
        checks.passed(
            "summary",
            _(
                "summary.html shows exactly what the verified credentials say (and, labelled as "
                "such, the holder's wallet's view at export)."
            ),
        )
