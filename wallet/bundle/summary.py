"""summary.html: the first thing an employer sees, in the holder's language and the other one.

At the top the verdict in one sentence and what it rests on — labelled as the holder's wallet's
view at export, since only ``plecak verify`` makes a verdict the employer can trust (the page names
that command); the identity and purpose the holder disclosed; an overview (skills, ECTS apart from
other credits, levels, issuers); then one card per credential, the EU micro-credential elements
folded away.

Why it is built only from data the verifier can rebuild: ``plecak verify`` renders this page again
from the credentials it has just verified, the holder-signed manifest fields it may show
(created, holder, bundle id, language, purpose, disclosed identity) and the holder-signed
report.json (the wallet's view, labelled as such), and fails the bundle on any byte of difference.
So a summary that claims a degree no credential states cannot pass.  File names never appear: the
exporter derives them from titles, and they are not verified data.

Signatures::

    holder_view(report: Mapping[str, object] | None) -> HolderView
    credential_image(credential, documents: Mapping[str, tuple[str, bytes]]) -> (media, bytes) | None
    render_summary(summary: Summary) -> bytes
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wallet.bundle.page import (
    Card,
    Translate,
    card,
    catalogue,
    document,
    e,
    meta_list,
    overview,
)
from wallet.codecs.dates import parse_date
from wallet.codecs.edc_seal import SealFacts, seal_facts
from wallet.codecs.edc_seal import sentence as seal_sentence
from wallet.codecs.eu import Facts
from wallet.i18n import N_
from wallet.model import Credential, Status

LANGUAGES = ("pl", "en")
SUMMARY_VERSION = 1
"""Bump whenever the page's bytes change for the same input (markup, CSS, the Polish catalogue of
its messages): the verifier compares only pages of its own version (see :func:`version_of`)."""
GENERATOR = f"plecak-summary/{SUMMARY_VERSION}"
VERIFY_COMMAND = "plecak verify bundle.zip --html report.html"

S = {
    "title": N_("Credentials shared by their holder"),
    "created": N_("Created"),
    "holder": N_("Holder (signing key)"),
    "purpose": N_("Purpose"),
    "identity": N_("Identity disclosed by the holder"),
    "bundle": N_("Bundle"),
    "whose": N_(
        "This is what the holder's wallet found when it made this bundle on {date}. It is not a "
        "verification: anyone can edit a web page."
    ),
    "how": N_(
        "To check every signature, every file and every issuer yourself, and get a report you can "
        "trust, run:"
    ),
    "credentials": N_("Credentials"),
    "online": N_("confirmed with the issuer by the holder's wallet on {date}"),
    "evidence": N_("rests on documents the holder's wallet captured on {date} — confirm online"),
    "not_checked": N_("the holder's wallet did not check it before export"),
}


@dataclass(frozen=True, slots=True)
class HolderView:
    """The holder's wallet's verification at export, as report.json states it (holder-signed)."""

    status: Status | None = None
    mode: str | None = None
    checked_at: str | None = None
    as_of: str | None = None
    seal: SealFacts | None = None
    """Who sealed it, when it is an EDC whose seal the wallet trusted (issue 14)."""


def holder_view(report: Mapping[str, object] | None) -> HolderView:
    """Read from the JSON of a report (the exporter's report_json, or an entry of report.json), so
    exporter and verifier start from the same values."""
    if not report:
        return HolderView()
    raw = report.get("status")
    status = Status(raw) if isinstance(raw, str) and raw in Status._value2member_map_ else None

    def text(key: str) -> str | None:
        value = report.get(key)
        return value if isinstance(value, str) else None

    checks = report.get("checks")
    seal = (
        seal_facts(c for c in checks if isinstance(c, dict)) if isinstance(checks, list) else None
    )
    return HolderView(status, text("mode"), text("checked_at"), text("as_of"), seal)


@dataclass(frozen=True, slots=True)
class SummaryItem:
    credential: Credential
    facts: Facts
    view: HolderView
    image: tuple[str, bytes] | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    created: str
    """RFC 3339, as the manifest states it."""
    items: Sequence[SummaryItem]
    language: str = "en"
    holder: str | None = None
    bundle_id: str | None = None
    purpose: str | None = None
    disclosed_identity: str | None = None


def _baked(file: bytes) -> str | None:
    """The media type of a credential file that is itself an image (a baked badge), else None."""
    if file.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    head = file[:65536].lstrip()
    if head.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in head:
        return "image/svg+xml"
    return None


def credential_image(
    credential: Credential, documents: Mapping[str, tuple[str, bytes]], file: bytes
) -> tuple[str, bytes] | None:
    """(media type, bytes) of the badge image: the credential's file when it is a baked image,
    an inline image, or the image document the wallet captured when it verified (``documents``:
    URL -> (type, body)).

    Why the file and not ``credential.original``: a baked badge that only links its hosted
    assertion is parsed from that assertion, so the two sides would see different originals; the
    bundle's file is the same bytes for the exporter and the verifier."""
    media = _baked(file)
    if media is not None:
        return media, file
    for image in (
        credential.image,
        credential.achievement.image if credential.achievement else None,
    ):
        if image is None:
            continue
        if image.data:
            return image.media_type or "image/png", image.data
        found = documents.get(image.url) if image.url else None
        if found is not None and found[0].startswith("image/"):
            return found
    return None


def _day(value: str | None) -> str:
    when = parse_date(value)
    return when.strftime("%Y-%m-%d") if when else "—"


def _note(view: HolderView, t: Translate) -> str:
    if view.status is None:
        return t(S["not_checked"])
    if view.mode == "online" or view.mode is None:
        return t(S["online"]).format(date=_day(view.checked_at))
    return t(S["evidence"]).format(date=_day(view.as_of or view.checked_at))


def _seal(view: HolderView, t: Translate) -> str:
    return f'<p class="seal">{e(seal_sentence(view.seal, t))}</p>' if view.seal else ""


def _basis_html(counts: list[int], c: gettext.NullTranslations) -> str:
    """The counts a verdict rests on: confirmed, valid by captured documents, unsure, failed."""
    online, recorded, unsure, failed = counts
    basis = [
        c.ngettext(
            "{k} confirmed with the issuer",
            "{k} confirmed with their issuers",
            online,
        ),
        c.ngettext(
            "{k} valid by documents captured earlier — confirm online",
            "{k} valid by documents captured earlier — confirm online",
            recorded,
        ),
        c.ngettext(
            "{k} could not be fully checked — confirm online",
            "{k} could not be fully checked — confirm online",
            unsure,
        ),
        c.ngettext("{k} failed", "{k} failed", failed),
    ]
    return "".join(
        f"<li>{e(text.format(k=k))}</li>" for text, k in zip(basis, counts, strict=True) if k
    )


def _verdict(items: Sequence[SummaryItem], lang: str) -> str:
    """One sentence and the counts it rests on: confirmed, to confirm online (and why), failed."""
    c = catalogue(lang)
    total = len(items)
    valid = [i for i in items if i.view.status is Status.VALID]
    online = [i for i in valid if i.view.mode in ("online", None)]
    recorded = [i for i in valid if i.view.mode not in ("online", None)]
    unsure = [i for i in items if i.view.status in (Status.UNVERIFIED, None)]
    failed = [i for i in items if i.view.status not in (Status.VALID, Status.UNVERIFIED, None)]
    if len(online) == total:
        glyph, sentence = (
            Status.VALID.glyph,
            c.ngettext(
                "The holder's wallet confirmed the credential with its issuer.",
                "The holder's wallet confirmed all {n} credentials with their issuers.",
                total,
            ),
        )
    elif failed:
        glyph, sentence = (
            Status.INVALID.glyph,
            c.ngettext(
                "{bad} of {n} credential failed the holder's wallet's own check.",
                "{bad} of {n} credentials failed the holder's wallet's own check.",
                total,
            ),
        )
    else:
        glyph, sentence = (
            Status.UNVERIFIED.glyph,
            c.ngettext(
                "{todo} of {n} credential still needs to be confirmed online.",
                "{todo} of {n} credentials still need to be confirmed online.",
                total,
            ),
        )
    items_html = _basis_html([len(online), len(recorded), len(unsure), len(failed)], c)
    text = sentence.format(n=total, bad=len(failed), todo=len(recorded) + len(unsure))
    return (
        f'<p class="verdict"><span class="g" aria-hidden="true">{e(glyph)}</span>{e(text)}</p>\n'
        f'<ul class="basis">{items_html}</ul>'
    )


def _section(summary: Summary, lang: str, primary: bool) -> str:
    t = catalogue(lang).gettext
    whose = t(S["whose"]).format(date=_day(summary.created))
    meta = meta_list(
        [
            (S["identity"], summary.disclosed_identity),
            (S["purpose"], summary.purpose),
            (S["created"], summary.created),
            (S["holder"], summary.holder),
            (S["bundle"], summary.bundle_id),
        ],
        t,
    )
    cards = [
        Card(
            i.credential, i.facts, i.view.status, _note(i.view, t), i.image, extra=_seal(i.view, t)
        )
        for i in summary.items
    ]
    body = "\n".join(card(c, t) for c in cards)
    cls = "lang primary" if primary else "lang"
    heading = t(S["credentials"])
    return (
        f'<section id="{lang}" class="{cls}" lang="{lang}">\n'
        f"<h1>{e(t(S['title']))}</h1>\n"
        f"{_verdict(summary.items, lang)}\n"
        f'<p class="whose">{e(whose)}</p>\n'
        f'<p class="check">{e(t(S["how"]))} <code>{e(VERIFY_COMMAND)}</code></p>\n'
        f"{meta}\n"
        f"{overview(cards, t)}\n"
        f"<h2>{e(heading)} ({len(cards)})</h2>\n"
        f"{body}\n</section>"
    )


def render_summary(summary: Summary) -> bytes:
    """The whole page: deterministic for the same input (golden-file tested)."""
    primary = summary.language if summary.language in LANGUAGES else "en"
    order = [primary, *[lang for lang in LANGUAGES if lang != primary]]
    nav = (
        "<nav>"
        + " ".join(
            f'<a href="#{lang}" hreflang="{lang}" lang="{lang}">{e(name)}</a>'
            for lang, name in (("pl", "Polski"), ("en", "English"))
        )
        + "</nav>\n"
    )
    sections = "\n".join(_section(summary, lang, lang == primary) for lang in order)
    title = catalogue(primary).gettext(S["title"])
    return document(primary, title, sections, nav=nav, generator=GENERATOR)


def version_of(page: bytes) -> int | None:
    """The renderer version a summary.html names in its generator meta element, if any."""
    found = re.search(rb'<meta name="generator" content="plecak-summary/(\d{1,6})">', page[:4096])
    return int(found.group(1)) if found else None


__all__ = [
    "LANGUAGES",
    "SUMMARY_VERSION",
    "VERIFY_COMMAND",
    "HolderView",
    "Summary",
    "SummaryItem",
    "credential_image",
    "holder_view",
    "render_summary",
    "version_of",
]
