"""What an OB 1.x/2.0 badge shows when its BadgeClass and Issuer are only linked by URL.

Most real OB 2.0 assertions say ``"badge": "https://…/badgeclass.json"``; the importer keeps the
URL and never fetches (importers never touch the network).  The verifier then fetches the
BadgeClass and its Issuer at those URLs, and the Fetcher records them as evidence.  Those very
documents (fetched now from the URLs the badge names, so as authentic as the hosted copy itself)
give the title, description, image, criteria and issuer that the list, search, show, the TUI,
bundles and summary.html display.  Nothing is fetched here: only recorded evidence is read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from wallet.codecs.dates import parse_date
from wallet.model import (
    Achievement,
    Credential,
    Criteria,
    Format,
    Image,
    Issuer,
    VerificationReport,
)

MAX_DOCUMENT = 1024 * 1024
_OB2 = (Format.OB1_HOSTED, Format.OB2_HOSTED, Format.OB2_SIGNED)


def with_linked_display(
    credential: Credential,
    report: VerificationReport,
    body_of: Callable[[str], bytes | None],
) -> Credential:
    """``credential`` completed from the BadgeClass and Issuer the verifier fetched (unchanged
    when it carries them already, or when they were not fetched)."""
    if credential.format not in _OB2:
        return credential
    documents = _Evidence(report, body_of)
    assertion = credential.document
    if assertion is None and credential.hosted_url:
        # A baked URL stored while unreachable: the assertion is what the verifier fetched now.
        assertion = documents.get(credential.hosted_url)
    if not isinstance(assertion, dict):
        return credential
    achievement = credential.achievement or Achievement()
    badge = assertion.get("badge")
    badge_url = badge if isinstance(badge, str) else achievement.id
    badge_doc = documents.get(badge_url) if not achievement.name else None
    if badge_doc is not None:
        achievement = _achievement(badge_doc, achievement)
    issuer = credential.issuer or achievement.issuer or Issuer()
    issuer_doc = None
    if not issuer.name:
        issuer_ref = (badge_doc or {}).get("issuer") or issuer.id
        issuer_doc = issuer_ref if isinstance(issuer_ref, dict) else documents.get(issuer_ref)
        if issuer_doc is not None:
            issuer = _issuer(issuer_doc, issuer)
    if badge_doc is None and issuer_doc is None:
        return credential
    achievement = replace(achievement, issuer=issuer)
    return replace(
        credential,
        title=credential.title or achievement.name,
        description=credential.description or achievement.description,
        image=credential.image or achievement.image,
        issuer=issuer,
        achievement=achievement,
        issued=credential.issued or parse_date(assertion.get("issuedOn")),
        expires=credential.expires or parse_date(assertion.get("expires")),
    )


class _Evidence:
    """The JSON documents a report's evidence holds, by the URL they were asked for."""

    def __init__(self, report: VerificationReport, body_of: Callable[[str], bytes | None]) -> None:
        self._records = {r.url: r for r in report.evidence if 200 <= r.status < 300}
        self._body_of = body_of

    def get(self, url: Any) -> dict[str, Any] | None:
        record = self._records.get(url) if isinstance(url, str) else None
        if record is None:
            return None
        body = self._body_of(record.sha256)
        if body is None or len(body) > MAX_DOCUMENT:
            return None
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        return doc if isinstance(doc, dict) else None


def _text(value: Any) -> str | None:
    if isinstance(value, dict):  # a language map or {"@value": …}
        value = value.get("@value") or next(iter(value.values()), None)
    return value.strip()[:2000] or None if isinstance(value, str) else None


def _image(value: Any) -> Image | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("id") or value.get("@id")
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return Image(url=value)
    return None


def _criteria(value: Any) -> Criteria | None:
    if isinstance(value, str):
        return Criteria(id=value)
    if isinstance(value, dict):
        found = Criteria(id=_text(value.get("id")), narrative=_text(value.get("narrative")))
        return found if found.id or found.narrative else None
    return None


def _achievement(doc: dict[str, Any], known: Achievement) -> Achievement:
    return replace(
        known,
        id=known.id or _text(doc.get("id")),
        name=_text(doc.get("name")),
        description=known.description or _text(doc.get("description")),
        criteria=known.criteria or _criteria(doc.get("criteria")),
        image=known.image or _image(doc.get("image")),
    )


def _issuer(doc: dict[str, Any], known: Issuer) -> Issuer:
    return replace(
        known,
        id=known.id or _text(doc.get("id")),
        name=_text(doc.get("name")),
        url=known.url or _text(doc.get("url")),
        email=known.email or _text(doc.get("email")),
        description=known.description or _text(doc.get("description")),
        image=known.image or _image(doc.get("image")),
    )
