"""report.html: the verifier's own page, written by ``plecak verify bundle.zip --html report.html``.

This is the page an employer can trust: it is drawn on their machine from what the verifier has
just checked, never from the holder's summary.  For every credential it says where the result
comes from — confirmed with the issuer now, or resting on documents the holder's wallet captured
(and then what to confirm online) — and lists every check that is not a plain pass.  One language
(the employer's), the same shell, CSS and cards as summary.html.

Signatures::

    class VerifiedItem, class VerifiedBundle
    render_report(bundle: VerifiedBundle) -> bytes
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from wallet.bundle import page
from wallet.bundle.page import Card, Translate, e
from wallet.codecs.dates import format_minute
from wallet.codecs.eu import Facts
from wallet.i18n import N_
from wallet.model import CheckResult, CheckStatus, Credential, Status

R = {
    "title": N_("Verification report of a share bundle"),
    "valid": N_(
        "Valid: the bundle is intact, signed by its holder, and every credential checks out."
    ),
    "unverified": N_(
        "Not confirmed: some checks could not be completed — see below what to confirm online."
    ),
    "invalid": N_("Not valid: do not rely on this bundle — see the failed checks below."),
    "made": N_(
        "Made by plecak on this computer on {date}, from the bundle itself: not from its "
        "summary.html."
    ),
    "file": N_("Bundle file"),
    "checked": N_("Checked"),
    "holder": N_("Holder (signing key)"),
    "bundle": N_("Bundle"),
    "identity": N_("Identity disclosed by the holder"),
    "purpose": N_("Purpose"),
    "checks": N_("Checks of the bundle"),
    "credentials": N_("Credentials"),
    "all_checks": N_("Every check of this credential"),
    "online": N_("confirmed with the issuer now ({date})"),
    "offline_valid": N_("checked offline on {date}, without contacting the issuer"),
    "carried": N_("rests on documents the holder's wallet captured on {date} — confirm online"),
    "unreadable": N_("could not be read"),
}


@dataclass(frozen=True, slots=True)
class VerifiedItem:
    """One credential as the verifier found it just now."""

    file: str
    status: Status
    credential: Credential | None = None
    facts: Facts | None = None
    image: tuple[str, bytes] | None = None
    mode: str | None = None
    as_of: datetime | None = None
    checks: Sequence[CheckResult] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class VerifiedBundle:
    source: str
    status: Status
    checked_at: datetime
    checks: Sequence[CheckResult]
    items: Sequence[VerifiedItem]
    language: str = "en"
    holder: str | None = None
    bundle_id: str | None = None
    purpose: str | None = None
    disclosed_identity: str | None = None


def _when(value: datetime | None) -> str:
    return format_minute(value) if value else "?"


def provenance(item: VerifiedItem, checked_at: datetime, t: Translate) -> str:
    """Where this result comes from, in one phrase."""
    if item.credential is None:
        return item.error or t(R["unreadable"])
    if item.mode == "online":
        return t(R["online"]).format(date=_when(checked_at))
    carried = any(c.id == "evidence" and c.status is not CheckStatus.PASS for c in item.checks)
    if item.status is Status.VALID and not carried:
        return t(R["offline_valid"]).format(date=_when(checked_at))
    return t(R["carried"]).format(date=_when(item.as_of))


def _check_list(checks: Sequence[CheckResult], only_problems: bool) -> str:
    shown = [c for c in checks if not only_problems or c.status is not CheckStatus.PASS]
    if not shown:
        return ""
    rows = "".join(
        f'<li><span class="g" aria-hidden="true">{e(c.status.glyph)}</span>'
        f"<b>{e(c.id)}</b>: {e(c.message)}</li>"
        for c in shown
    )
    return f'<ul class="checks">{rows}</ul>'


def _extra(item: VerifiedItem, t: Translate) -> str:
    problems = _check_list(item.checks, only_problems=True)
    every = _check_list(item.checks, only_problems=False)
    folded = (
        f"<details><summary>{e(t(R['all_checks']))} ({len(item.checks)})</summary>{every}</details>"
        if every
        else ""
    )
    return problems + folded


def _verdict(bundle: VerifiedBundle, t: Translate) -> str:
    key = {Status.VALID: "valid", Status.UNVERIFIED: "unverified"}.get(bundle.status, "invalid")
    glyph = bundle.status.glyph if key != "invalid" else Status.INVALID.glyph
    return (
        f'<p class="verdict"><span class="g" aria-hidden="true">{e(glyph)}</span>{e(t(R[key]))}</p>'
    )


def _basis_html(items: Sequence[VerifiedItem], c: gettext.NullTranslations) -> str:
    """What the verdict rests on: how many were confirmed online, valid offline, unsure, failed."""
    online = sum(1 for i in items if i.status is Status.VALID and i.mode == "online")
    offline = sum(1 for i in items if i.status is Status.VALID and i.mode != "online")
    unsure = sum(1 for i in items if i.status is Status.UNVERIFIED)
    failed = len(items) - online - offline - unsure
    basis = [
        (
            c.ngettext(
                "{k} confirmed with the issuer now", "{k} confirmed with their issuers now", online
            ),
            online,
        ),
        (
            c.ngettext(
                "{k} valid offline, without contacting the issuer",
                "{k} valid offline, without contacting the issuers",
                offline,
            ),
            offline,
        ),
        (c.ngettext("{k} to confirm online", "{k} to confirm online", unsure), unsure),
        (c.ngettext("{k} failed", "{k} failed", failed), failed),
    ]
    return "".join(f"<li>{e(text.format(k=k))}</li>" for text, k in basis if k)


def render_report(bundle: VerifiedBundle) -> bytes:
    lang = bundle.language if bundle.language in ("pl", "en") else "en"
    c = page.catalogue(lang)
    t = c.gettext
    items = bundle.items
    basis_html = _basis_html(items, c)
    meta = page.meta_list(
        [
            (R["identity"], bundle.disclosed_identity),
            (R["purpose"], bundle.purpose),
            (R["file"], bundle.source),
            (R["checked"], _when(bundle.checked_at)),
            (R["holder"], bundle.holder),
            (R["bundle"], bundle.bundle_id),
        ],
        t,
    )
    cards = [
        Card(
            i.credential,
            i.facts,
            i.status,
            provenance(i, bundle.checked_at, t),
            i.image,
            label=i.file,
            extra=_extra(i, t),
        )
        for i in items
    ]
    body = (
        f'<main lang="{lang}">\n'
        f"<h1>{e(t(R['title']))}</h1>\n"
        f"{_verdict(bundle, t)}\n"
        f'<ul class="basis">{basis_html}</ul>\n'
        f'<p class="whose">{e(t(R["made"]).format(date=_when(bundle.checked_at)))}</p>\n'
        f"{meta}\n"
        f"<h2>{e(t(R['checks']))}</h2>\n"
        f"{_check_list(bundle.checks, only_problems=False)}\n"
        f"{page.overview(cards, t)}\n"
        f"<h2>{e(t(R['credentials']))} ({len(cards)})</h2>\n"
        + "\n".join(page.card(x, t) for x in cards)
        + "\n</main>"
    )
    return page.document(lang, t(R["title"]), body)
