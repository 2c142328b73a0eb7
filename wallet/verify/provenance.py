"""Where every document a verification used came from, and the one rule that follows from it.

What "valid" means (GUIDE): every check that decides it ran and passed on grounds the holder cannot
forge.  Each document the Fetcher handed out is recorded with an ``origin``; this module names the
ground each origin stands for and applies the rule.

=================  ==========================================================  =============
ground             what it is                                                  FetchRecord
=================  ==========================================================  =============
fetched now        fetched over the network by this process                    ``network``
captured           fetched earlier by this wallet, kept in its encrypted        ``captured``
                   store; valid "as of" its capture time
pinned             shipped by digest (known contexts), or a ``--mirror`` /      ``pinned``,
                   ``PLECAK_CONTEXTS`` the user gave (the user's own pinning)   ``mirror``,
                                                                                ``contexts``
self-certifying    did:key, did:jwk: the identifier is the key (no document)    —
issuer-signed      a carried document whose proof was verified with the         ``issuer-signed``
                   credential's own issuer key, itself established on the
                   grounds above (today: status lists)
carried            anything someone else supplied: a share bundle's             ``carried``
                   ``evidence/`` (also once imported), any other file
=================  ==========================================================  =============

The rule: a check passes only on non-carried grounds.  When any carried document is left that
neither a pin nor the issuer's own signature protects, the report gets an ``evidence`` check that
is UNKNOWN (so the verdict is ``unverified``, never ``valid``), naming those documents and their
capture time, with "confirm online".  The rule is applied to the *whole* verification rather than
to single checks: simpler to audit, and a verdict that rests on one forged document is as forged as
one that rests on several.  A document fetched through a carried one (a key named by a carried
DID document) is itself carried, so nothing established from carried grounds escapes the rule.

``evidence`` (the Fetcher's origin for documents handed in by the caller) is read as *carried*
unless the caller relabels it: only :func:`as_captured` (the wallet re-checking its own evidence)
turns it into ``captured``.  Fail-safe: forgetting to relabel gives ``unverified``, never ``valid``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from wallet.codecs import safejson
from wallet.codecs.dates import format_minute
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import FetchRecord, Status, VerificationReport, worst_status
from wallet.ports import Fetcher
from wallet.verify.checks import Checks

HANDED_IN = "evidence"
"""The Fetcher's origin for its ``documents`` mirror: whoever handed them in must say what they are."""
CAPTURED = "captured"
CARRIED = "carried"
ISSUER_SIGNED = "issuer-signed"
PINNED = "pinned"
TRUSTED_ORIGINS = frozenset(
    {"network", "cache", CAPTURED, PINNED, "mirror", "contexts", ISSUER_SIGNED}
)
"""Origins a check may rest on.  ``cache`` is this process's own in-memory cache of a fetch."""

MAX_PINNED_BYTES = 512 * 1024


def pinned_body(url: str, body: bytes) -> bool:
    """Whether ``body`` is exactly (as parsed JSON) a pinned revision of the context ``url``."""
    from wallet.verify.known_contexts import canonical_digest, pinned_digest
    from wallet.verify.ob2.context import pinned_revision

    try:
        document = safejson.loads(body, source=url, max_bytes=MAX_PINNED_BYTES)
    except WalletError:
        return False
    pin = pinned_digest(url)
    if pin is not None:
        return canonical_digest(document) == pin
    return pinned_revision(url, document) is not None


def vouch(vouched: set[str], url: str, signer: str | None, issuer: str | None) -> None:
    """Record that the document at ``url`` carries a valid proof by the credential's own issuer.

    Only the issuer's own key counts: a status service's key (or an attacker's did:key naming
    itself as the list's issuer) proves nothing about a copy someone else carried."""
    if signer is not None and issuer is not None and signer == issuer:
        vouched.add(url.split("#", 1)[0])


def classify(
    records: Iterable[FetchRecord], body_of: Callable[[str], bytes | None], vouched: set[str]
) -> tuple[FetchRecord, ...]:
    """Each record with its ground as ``origin``: handed-in documents become ``carried``, unless a
    pin (by content) or the issuer's own signature protects them."""
    out: list[FetchRecord] = []
    for record in records:
        origin = record.origin
        if origin in (HANDED_IN, CARRIED):
            body = body_of(record.sha256) or b""
            if record.url.split("#", 1)[0] in vouched:
                origin = ISSUER_SIGNED
            elif body and pinned_body(record.url, body):
                origin = PINNED
            else:
                origin = CARRIED
        out.append(record if origin == record.origin else replace(record, origin=origin))
    return tuple(out)


_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _display_only(record: FetchRecord, body_of: Callable[[str], bytes | None]) -> bool:
    """A badge image: shown, never relied on (no check decides anything from its bytes).

    Both the declared type and the bytes must say image, so a carried key or DID document cannot
    hide from the rule by calling itself ``image/png``: JSON never starts like a PNG or an SVG."""
    if not record.content_type.startswith("image/"):
        return False
    head = (body_of(record.sha256) or b"")[:512].lstrip()
    return head.startswith(_IMAGE_MAGIC) or (head[:1] == b"<" and b"<svg" in head)


def as_captured(report: VerificationReport) -> VerificationReport:
    """A wallet's re-check from its own stored evidence: those documents are ``captured``."""
    evidence = tuple(
        replace(r, origin=CAPTURED) if r.origin == HANDED_IN else r for r in report.evidence
    )
    return replace(report, evidence=evidence)


def _when(moment: datetime | None) -> str:
    return format_minute(moment) if moment else _("an unknown time")


def apply_rule(
    report: VerificationReport,
    fetcher: Fetcher,
    vouched: set[str],
    as_of: datetime | None,
) -> VerificationReport:
    """Classify every document ``fetcher`` handed out (this verification's own fetcher, so all
    of them and nothing else: a verifier's report may list a subset) and add the ``evidence``
    check the rule asks for.

    Carried documents left unprotected -> UNKNOWN (the verdict cannot be ``valid``); otherwise a
    pass that says what the offline result rests on."""
    evidence = classify(fetcher.records, fetcher.body_of, vouched)
    carried = sorted(
        {
            r.url
            for r in evidence
            if r.origin not in TRUSTED_ORIGINS and not _display_only(r, fetcher.body_of)
        }
    )
    signed = sorted({r.url for r in evidence if r.origin == ISSUER_SIGNED})
    checks = Checks(list(report.checks))
    if carried:
        checks.unknown(
            "evidence",
            _(
                "Matched the issuer's documents as the holder's wallet captured them on {when}, "
                "carried in the bundle; nothing the holder cannot forge confirms them — confirm "
                "online: {urls}"
            ).format(when=_when(as_of), urls=", ".join(carried)),
            detail=", ".join(carried),
        )
    else:
        message = _(
            "Checked without the issuer as of {when}: it rests only on self-certifying keys, "
            "pinned documents and documents signed by the issuer's own key."
        ).format(when=_when(as_of))
        checks.passed("evidence", message, detail=", ".join(signed))
    items = tuple(checks.items)
    status = worst_status((report.status, Status.UNVERIFIED)) if carried else report.status
    return replace(report, checks=items, evidence=evidence, status=status)
