"""summary.html: the human face of a share bundle, in Polish and English, in one file.

Why so strict: an employer opens this from an e-mail attachment.  It carries no script, loads
nothing remote (a Content-Security-Policy of ``default-src 'none'`` enforces it in browsers), keeps
CSS inline and images as ``data:`` URIs, so it looks the same offline, in ten years and on paper.
Both languages are in the file: the learner's language shows first; the other is one click away
(``:target``, no script) and follows on its own page when printed.

Signatures::

    render_summary(summary: Summary) -> bytes
    class HtmlExporter: name = "html"; media_type = "text/html"; export(request) -> bytes
"""

from __future__ import annotations

import base64
import gettext
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from exporters.common import credential_for, image_of, linked_documents, rfc3339
from wallet.codecs.eu import LABELS, Facts, describe
from wallet.i18n import N_, translation_for
from wallet.model import Credential, ElementState, Status, VerificationReport
from wallet.ports import ExportRequest

LANGUAGES = ("pl", "en")
_MAX_IMAGE = 512 * 1024
_IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "image/gif", "image/webp")


@dataclass(frozen=True, slots=True)
class SummaryItem:
    file: str
    credential: Credential
    report: VerificationReport | None
    facts: Facts
    image: tuple[str, bytes] | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    created: datetime
    items: Sequence[SummaryItem]
    language: str = "en"
    holder: str | None = None
    bundle_id: str | None = None
    purpose: str | None = None
    disclosed_identity: str | None = None
    sensitive: dict[str, list[str]] = field(default_factory=dict)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return translation_for(lang)


def _translator(lang: str) -> Callable[[str], str]:
    return _catalogue(lang).gettext


T = {
    "title": N_("Credentials shared by their holder"),
    "created": N_("Created"),
    "holder": N_("Holder (signing key)"),
    "purpose": N_("Purpose"),
    "identity": N_("Identity disclosed by the holder"),
    "bundle": N_("Bundle"),
    "check": N_(
        "Check every signature and every file of this bundle with: plecak verify bundle.zip "
        "(works offline: the documents used at export are inside)."
    ),
    "status": N_("Status at export"),
    "checked": N_("checked"),
    "issuer": N_("Issuer"),
    "issued": N_("Issued"),
    "expires": N_("Expires"),
    "format": N_("Format"),
    "file": N_("File"),
    "eu": N_("EU micro-credential elements"),
    "element": N_("Element"),
    "value": N_("Value"),
    "state": N_("Found"),
    "present": N_("stated"),
    "derived": N_("derived"),
    "missing": N_("not stated"),
    "mandatory": N_("mandatory"),
    "optional": N_("optional"),
    "no_report": N_("not verified before export"),
    "offline_note": N_("verified offline from recorded documents"),
    "count": N_("Credentials"),
    "switch": N_("Language"),
    "unnamed": N_("(no title)"),
}

CSS = """
:root { color-scheme: light; --ink:#1b1f24; --muted:#5b6572; --line:#d5dae1; --ok:#1a7f37;
  --bad:#b42318; --warn:#9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  color: var(--ink); background: #fff; }
nav { padding: 8px 24px; border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { color: var(--ink); margin-right: 12px; }
section.lang { display: none; padding: 16px 24px 32px; max-width: 960px; }
section.lang.primary { display: block; }
section.lang:target { display: block; }
body:has(section.lang:target) section.lang.primary:not(:target) { display: none; }
h1 { font-size: 22px; margin: 4px 0 12px; }
h2 { font-size: 17px; margin: 0 0 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-all; }
p.check { background: #f4f6f8; border: 1px solid var(--line); padding: 8px 12px; }
article { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 14px 0;
  break-inside: avoid; page-break-inside: avoid; }
article header { display: flex; gap: 14px; align-items: flex-start; }
article header img { width: 72px; height: 72px; object-fit: contain; flex: none; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: bold; color: #fff; background: var(--muted); }
.badge.valid { background: var(--ok); }
.badge.invalid, .badge.revoked { background: var(--bad); }
.badge.expired, .badge.suspended, .badge.not-yet-valid, .badge.unverified { background: var(--warn); }
table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 12.5px; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid var(--line); padding: 3px 6px; }
th { color: var(--muted); font-weight: normal; }
td.state-missing { color: var(--muted); }
td.state-derived { color: var(--warn); }
small { color: var(--muted); }
@page { size: A4; margin: 14mm; }
@media print {
  nav { display: none; }
  section.lang, section.lang.primary, section.lang:target { display: block !important; }
  section.lang + section.lang { break-before: page; page-break-before: always; }
  body:has(section.lang:target) section.lang.primary:not(:target) { display: block !important; }
  article { border-color: #999; }
}
"""

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _data_uri(image: tuple[str, bytes] | None) -> str | None:
    if image is None:
        return None
    media, data = image
    media = media.split(";")[0].strip().lower()
    if media not in _IMAGE_TYPES or len(data) > _MAX_IMAGE:
        return None
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def _item(item: SummaryItem, t: Callable[[str], str]) -> str:
    cred = item.credential
    report = item.report
    status = report.status if report else Status.UNVERIFIED
    status_text = t(status.label) if report else t(T["no_report"])
    img = _data_uri(item.image)
    issuer = cred.issuer
    issuer_text = " ".join(
        x
        for x in (
            issuer.name if issuer else None,
            f"({issuer.domain_or_did})" if issuer and issuer.domain_or_did else None,
        )
        if x
    )
    note = ""
    if report is not None:
        note = f" <small>{_e(t(T['checked']))} {_e(rfc3339(report.checked_at))}"
        if report.mode != "online":
            note += f"; {_e(t(T['offline_note']))}"
        note += "</small>"
    rows = []
    for element in item.facts.elements:
        state = element.state.value
        need = t(T["mandatory"]) if element.mandatory else t(T["optional"])
        value = element.value if element.state is not ElementState.MISSING else "—"
        rows.append(
            f"<tr><th>{_e(t(LABELS[element.key]))} <small>({_e(need)})</small></th>"
            f'<td class="state-{state}">{_e(t(T[state]))}</td><td>{_e(value)}</td></tr>'
        )
    parts = [
        "<article>",
        "<header>",
        f'<img alt="" src="{img}">' if img else "",
        "<div>",
        f"<h2>{_e(cred.title or t(T['unnamed']))}</h2>",
        f'<div><span class="badge {status.value}">{_e(status_text)}</span>{note}</div>',
        '<dl class="meta">',
        f"<dt>{_e(t(T['issuer']))}</dt><dd>{_e(issuer_text or '—')}</dd>",
        f"<dt>{_e(t(T['issued']))}</dt><dd>{_e(_date(cred.issued or cred.valid_from))}</dd>",
        f"<dt>{_e(t(T['expires']))}</dt><dd>{_e(_date(cred.expires or cred.valid_until))}</dd>",
        f"<dt>{_e(t(T['format']))}</dt><dd>{_e(cred.format.value)}</dd>",
        f"<dt>{_e(t(T['file']))}</dt><dd>{_e(item.file)}</dd>",
        "</dl>",
        "</div>",
        "</header>",
        f"<table><caption hidden>{_e(t(T['eu']))}</caption>",
        f"<tr><th>{_e(t(T['element']))}</th><th>{_e(t(T['state']))}</th>"
        f"<th>{_e(t(T['value']))}</th></tr>",
        *rows,
        "</table>",
        "</article>",
    ]
    return "\n".join(p for p in parts if p)


def _section(summary: Summary, lang: str, primary: bool) -> str:
    t = _translator(lang)
    meta = [
        (T["created"], rfc3339(summary.created)),
        (T["holder"], summary.holder),
        (T["bundle"], summary.bundle_id),
        (T["purpose"], summary.purpose),
        (T["identity"], summary.disclosed_identity),
        (T["count"], str(len(summary.items))),
    ]
    rows = "".join(f"<dt>{_e(t(label))}</dt><dd>{_e(value)}</dd>" for label, value in meta if value)
    items = "\n".join(_item(item, t) for item in summary.items)
    cls = "lang primary" if primary else "lang"
    return (
        f'<section id="{lang}" class="{cls}" lang="{lang}">\n'
        f"<h1>{_e(t(T['title']))}</h1>\n"
        f'<dl class="meta">{rows}</dl>\n'
        f'<p class="check">{_e(t(T["check"]))}</p>\n'
        f"{items}\n</section>"
    )


def render_summary(summary: Summary) -> bytes:
    """The whole page: deterministic for the same input (golden-file tested)."""
    primary = summary.language if summary.language in LANGUAGES else "en"
    order = [primary, *[lang for lang in LANGUAGES if lang != primary]]
    nav = " ".join(
        f'<a href="#{lang}" hreflang="{lang}">{_e(name)}</a>'
        for lang, name in (("pl", "Polski"), ("en", "English"))
    )
    sections = "\n".join(_section(summary, lang, lang == primary) for lang in order)
    title = _translator(primary)(T["title"])
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{primary}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<nav>{nav}</nav>\n{sections}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def summary_items(request: ExportRequest) -> list[SummaryItem]:
    items = []
    for i, wallet_id in enumerate(request.ids, start=1):
        credential = credential_for(request, wallet_id)
        report = request.reports.get(wallet_id)
        facts = describe(credential, linked_documents(report, request.evidence))
        items.append(
            SummaryItem(
                file=f"{i:03d}",
                credential=credential,
                report=report,
                facts=facts,
                image=image_of(credential, report, request.evidence),
            )
        )
    return items


class HtmlExporter:
    """A standalone summary page of the chosen credentials (the bundle embeds the same page)."""

    name = "html"
    media_type = "text/html"

    def export(self, request: ExportRequest) -> bytes:
        return render_summary(
            Summary(
                created=request.created,
                items=summary_items(request),
                language=request.language,
                purpose=request.purpose,
                disclosed_identity=request.disclosed_identity,
            )
        )
