"""What the holder's summary and the verifier's report share: the page shell, its CSS, the overview
and one card per credential.

Why so strict: an employer opens these from an e-mail attachment.  No script, nothing remote (a
Content-Security-Policy of ``default-src 'none'`` enforces it), inline CSS, images as ``data:``
URIs, so the page looks the same offline, in ten years and on paper.  Status is always a glyph and
a word, never colour alone; a card never splits across printed pages.

Deterministic: the same input gives the same bytes (the verifier compares summary.html byte for
byte with its own rendering).
"""

from __future__ import annotations

import base64
import gettext
import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from wallet.bundle.claims import shown_issuer, shown_title
from wallet.codecs.eu import LABELS, Facts
from wallet.i18n import N_, translation_for
from wallet.model import Credential, ElementState, Status

Translate = Callable[[str], str]

MAX_IMAGE = 512 * 1024
"""Images above this stay out of the page (it must stay small enough to e-mail)."""
_IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "image/gif", "image/webp")

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"

CSS = """
:root { color-scheme: light; --ink:#1b1f24; --muted:#545e6b; --line:#c9d0d8; --ok:#1a7f37;
  --bad:#b42318; --warn:#8a5c00; --soft:#f3f5f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  color: var(--ink); background: #fff; }
nav { padding: 8px 16px; border-bottom: 1px solid var(--line); font-size: 14px; }
nav a { color: var(--ink); margin-right: 12px; }
main, section.lang { padding: 12px 16px 32px; max-width: 980px; margin: 0 auto; }
section.lang { display: none; }
section.lang.primary { display: block; }
section.lang:target { display: block; }
body:has(section.lang:target) section.lang.primary:not(:target) { display: none; }
h1 { font-size: 24px; line-height: 1.25; margin: 6px 0 10px; }
h2 { font-size: 19px; margin: 22px 0 8px; }
h3 { font-size: 17px; margin: 0 0 4px; overflow-wrap: anywhere; }
p { margin: 6px 0; }
.verdict { font-size: 18px; font-weight: bold; margin: 8px 0 4px; }
.basis { margin: 0 0 8px; }
.basis li { margin: 2px 0; }
.whose { color: var(--muted); font-size: 14px; }
.check { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: 8px 12px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 14px;
  overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
ul.chips { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 6px; }
ul.chips li { border: 1px solid var(--line); border-radius: 12px; padding: 0 10px; }
article { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 12px 0;
  break-inside: avoid; page-break-inside: avoid; }
.head { display: flex; gap: 14px; align-items: flex-start; }
.head img { width: 72px; height: 72px; object-fit: contain; flex: none; }
.status { display: inline-block; padding: 1px 10px; border-radius: 12px; font-weight: bold;
  color: #fff; background: var(--muted); }
.status.s-valid { background: var(--ok); }
.status.s-invalid, .status.s-revoked { background: var(--bad); }
.status.s-expired, .status.s-suspended, .status.s-not-yet-valid, .status.s-unverified {
  background: var(--warn); }
.status.s-none { background: #fff; color: var(--ink); border: 1px solid var(--muted); }
.note { display: block; color: var(--muted); font-size: 14px; }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--ink); }
details ul { margin: 6px 0; padding-left: 20px; }
ul.checks { list-style: none; padding-left: 0; }
ul.checks li { margin: 3px 0; }
.g { display: inline-block; width: 1.2em; font-weight: bold; }
.missing { color: var(--muted); }
@media (max-width: 480px) {
  body { font-size: 15px; }
  dl.meta { grid-template-columns: 1fr; }
  dl.meta dd { margin-bottom: 4px; }
  .head img { width: 56px; height: 56px; }
}
@page { size: A4; margin: 14mm; }
@media print {
  nav { display: none; }
  body { font-size: 12px; }
  section.lang, section.lang.primary, section.lang:target { display: block !important; }
  section.lang + section.lang { break-before: page; page-break-before: always; }
  body:has(section.lang:target) section.lang.primary:not(:target) { display: block !important; }
  article { border-color: #777; }
  .status { border: 1px solid #000; }
}
"""

T = {
    "issuer": N_("Issuer"),
    "issued": N_("Issued"),
    "expires": N_("Expires"),
    "format": N_("Format"),
    "achievement": N_("Achievement"),
    "unnamed": N_("(no title)"),
    "overview": N_("Overview"),
    "skills": N_("Skills"),
    "ects": N_("ECTS credits (total)"),
    "other_credits": N_("Other credits and workload (not ECTS)"),
    "levels": N_("Levels"),
    "issuers": N_("Issuers"),
    "none_stated": N_("none stated"),
    "stated": N_("Stated"),
    "not_stated": N_("Not stated"),
    "derived": N_("derived"),
    "no_status": N_("not checked"),
    "elements": N_("EU micro-credential elements: {stated} stated, {missing} not stated"),
}


@dataclass(frozen=True, slots=True)
class Card:
    """One credential as a page shows it; the status line says whose verdict it is and why."""

    credential: Credential | None
    facts: Facts | None
    status: Status | None
    note: str = ""
    image: tuple[str, bytes] | None = None
    label: str = ""
    """A heading for a credential that could not be read (its file), else empty."""
    extra: str = ""
    """Already-escaped HTML appended inside the card (the verifier's list of checks)."""


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """One language's messages without switching the process (a page may hold two languages)."""
    return translation_for(lang)


def translator(lang: str) -> Translate:
    return catalogue(lang).gettext


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def data_uri(image: tuple[str, bytes] | None) -> str | None:
    if image is None:
        return None
    media, data = image
    media = media.split(";")[0].strip().lower()
    if media not in _IMAGE_TYPES or len(data) > MAX_IMAGE or not data:
        return None
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def status_badge(status: Status | None, t: Translate) -> str:
    if status is None:
        return f'<span class="status s-none"><span class="g" aria-hidden="true">?</span>{e(t(T["no_status"]))}</span>'
    return (
        f'<span class="status s-{status.value}"><span class="g" aria-hidden="true">'
        f"{e(status.glyph)}</span>{e(t(status.label))}</span>"
    )


def document(lang: str, title: str, body: str, *, nav: str = "", generator: str = "") -> bytes:
    """The page shell: CSP, viewport, no referrer, inline CSS."""
    named = f'<meta name="generator" content="{e(generator)}">\n' if generator else ""
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n{named}'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{nav}{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def meta_list(rows: Iterable[tuple[str, str | None]], t: Translate) -> str:
    items = "".join(f"<dt>{e(t(label))}</dt><dd>{e(value)}</dd>" for label, value in rows if value)
    return f'<dl class="meta">{items}</dl>' if items else ""


# --------------------------------------------------------------------------- the overview


def _number(value: float) -> str:
    return f"{value:g}"


def _chips(values: Sequence[str], t: Translate) -> str:
    if not values:
        return f'<span class="missing">{e(t(T["none_stated"]))}</span>'
    return '<ul class="chips">' + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>"


def _skills(facts: Sequence[Facts]) -> list[str]:
    names: dict[str, str] = {}
    for fact in facts:
        for skill in fact.skills:
            key = skill.id or skill.name or ""
            name = skill.name or skill.id
            if not key or not name:
                continue
            esco = bool(skill.framework and "esco" in skill.framework.lower())
            names.setdefault(key, f"{name} (ESCO)" if esco else name)
    return sorted(names.values(), key=str.casefold)


def _credits(facts: Sequence[Facts]) -> tuple[float, list[str]]:
    ects = 0.0
    other: dict[str, float] = {}
    for fact in facts:
        for credit in fact.credits:
            if credit.unit.strip().upper() == "ECTS":
                ects += credit.amount
            else:
                other[credit.unit] = other.get(credit.unit, 0.0) + credit.amount
    return ects, [f"{_number(amount)} {unit}" for unit, amount in sorted(other.items())]


def _levels(facts: Sequence[Facts]) -> list[str]:
    found = {f"{level.framework} {level.value}" for fact in facts for level in fact.levels}
    return sorted(found)


def _issuers(cards: Sequence[Card]) -> list[str]:
    found = set()
    for item in cards:
        if item.credential is None:
            continue
        issuer = item.credential.issuer
        name = (issuer.name if issuer else None) or shown_issuer(item.credential, item.facts)
        if name:
            found.add(name)
    return sorted(found, key=str.casefold)


def overview(cards: Sequence[Card], t: Translate, level: int = 2) -> str:
    """Skills, ECTS apart from other credits, levels and issuers over every readable credential."""
    facts = [c.facts for c in cards if c.facts is not None]
    ects, other = _credits(facts)
    rows = [
        (T["skills"], _chips(_skills(facts), t)),
        (
            T["ects"],
            e(_number(ects)) if ects else f'<span class="missing">{e(t(T["none_stated"]))}</span>',
        ),
        (T["other_credits"], _chips(other, t)),
        (T["levels"], _chips(_levels(facts), t)),
        (T["issuers"], _chips(_issuers(cards), t)),
    ]
    items = "".join(f"<dt>{e(t(label))}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<h{level}>{e(t(T["overview"]))}</h{level}>\n<dl class="meta">{items}</dl>'


# --------------------------------------------------------------------------- one card


def _elements(facts: Facts, t: Translate) -> str:
    """Folded: the stated elements first, then the names of the missing ones, counted."""
    stated = [x for x in facts.elements if x.state is not ElementState.MISSING]
    missing = [x for x in facts.elements if x.state is ElementState.MISSING]
    title = t(T["elements"]).format(stated=len(stated), missing=len(missing))
    lines = []
    for element in stated:
        derived = f" ({e(t(T['derived']))})" if element.state is ElementState.DERIVED else ""
        lines.append(f"<li><b>{e(t(LABELS[element.key]))}</b>: {e(element.value)}{derived}</li>")
    absent = ", ".join(t(LABELS[x.key]) for x in missing)
    return (
        f"<details><summary>{e(title)}</summary>"
        + (f"<p>{e(t(T['stated']))}:</p><ul>{''.join(lines)}</ul>" if lines else "")
        + (f'<p class="missing">{e(t(T["not_stated"]))}: {e(absent)}</p>' if missing else "")
        + "</details>"
    )


def card(item: Card, t: Translate) -> str:
    cred = item.credential
    img = data_uri(item.image)
    title = item.label or t(T["unnamed"])
    rows: list[tuple[str, str | None]] = []
    if cred is not None:
        title = shown_title(cred, item.facts) or title
        achievement = cred.achievement.name if cred.achievement else None
        rows = [
            (T["achievement"], achievement if achievement and achievement != title else None),
            (T["issuer"], shown_issuer(cred, item.facts) or "—"),
            (T["issued"], day(cred.issued or cred.valid_from)),
            (T["expires"], day(cred.expires or cred.valid_until)),
            (T["format"], cred.format.value),
        ]
    note = f'<span class="note">{e(item.note)}</span>' if item.note else ""
    parts = [
        "<article>",
        '<div class="head">',
        f'<img alt="" src="{img}">' if img else "",
        "<div>",
        f"<h3>{e(title)}</h3>",
        f"<p>{status_badge(item.status, t)}{note}</p>",
        "</div>",
        "</div>",
        meta_list(rows, t),
        _elements(item.facts, t) if item.facts else "",
        item.extra,
        "</article>",
    ]
    return "\n".join(p for p in parts if p)
