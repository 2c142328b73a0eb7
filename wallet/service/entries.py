"""What the service computes over entries and reports without a wallet: filtering, identity
kinds, what changed between two checks, the EU elements of a credential."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from wallet.errors import UsageError
from wallet.i18n import _
from wallet.model import Credential, EUElement, PortfolioEntry, Status, VerificationReport


def changed_checks(before: VerificationReport | None, after: VerificationReport) -> tuple[str, ...]:
    """Ids of checks whose status differs between two reports (new and vanished checks too)."""
    old = {c.id: c.status for c in before.checks} if before else {}
    new = {c.id: c.status for c in after.checks}
    ids = [cid for cid in new if old.get(cid) != new[cid]]
    ids += [cid for cid in old if cid not in new]
    return tuple(ids)


def filter_entries(
    entries: Sequence[PortfolioEntry],
    *,
    status: Status | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[PortfolioEntry]:
    """In-memory filtering of index entries (what list views and the TUI's live filter use)."""
    needle = (search or "").casefold().strip()
    result = []
    for entry in entries:
        if status is not None and entry.status is not status:
            continue
        if tag is not None and tag not in entry.tags:
            continue
        if needle:
            haystack = " ".join(
                filter(None, (entry.title, entry.issuer_name, entry.issuer_id, *entry.tags))
            ).casefold()
            if needle not in haystack:
                continue
        result.append(entry)
    return result


def identity_kind(value: str) -> str:
    """email | url | did | telephone, from the shape of the value; UsageError otherwise."""
    text = value.strip()
    if text.startswith("did:") and text.count(":") >= 2:
        return "did"
    if text.lower().startswith(("http://", "https://")):
        return "url"
    if text.startswith("+") and text[1:].replace(" ", "").isdigit():
        return "telephone"
    if "@" in text and "." in text.rsplit("@", 1)[-1] and " " not in text:
        return "email"
    raise UsageError(
        _("{value} is not an email address, URL, DID or telephone number.").format(value=value)
    )


def eu_elements(credential: Credential) -> tuple[EUElement, ...]:
    from wallet.codecs import eu

    try:
        return tuple(eu.eu_elements(credential))
    except Exception:  # a display aid must never break import or show
        return ()


def with_eu_elements(credential: Credential) -> Credential:
    if credential.eu_elements:
        return credential
    elements = eu_elements(credential)
    return replace(credential, eu_elements=elements) if elements else credential


def keeps_last_known(previous: VerificationReport | None, report: VerificationReport) -> bool:
    """A recheck that could not complete (``unverified``) after a revoked or suspended verdict."""
    return (
        previous is not None
        and previous.status in (Status.REVOKED, Status.SUSPENDED)
        and report.status is Status.UNVERIFIED
    )
