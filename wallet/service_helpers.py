"""The service's helpers that need no wallet: sorting out sources, filtering entries, shaping
identities, gathering evidence bodies, the EU elements of a credential.

Apart from service.py so that the service class stays the readable list of what the shells can do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from wallet.errors import InputError, UsageError, WalletError
from wallet.i18n import _
from wallet.model import (
    Credential,
    EUElement,
    PortfolioEntry,
    Status,
    VerificationReport,
)
from wallet.ports import Fetcher, ImportBatch, ImportFailure, UrlReference

MAX_STDIN_BYTES = 32 * 1024 * 1024

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?")


def _classify_source(source: str) -> str:
    if source == "-":
        return "stdin"
    lowered = source.lower()
    if lowered.startswith(("http://", "https://")):
        return "url"
    if _SCHEME.match(source) and not Path(source).exists():
        return "bad-url"
    return "path"


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


def _wallet_error(failure: ImportFailure) -> WalletError:
    if isinstance(failure.error, WalletError):
        return failure.error
    return InputError(
        _("Could not import {source}.").format(source=failure.source), detail=repr(failure.error)
    )


def _remember_contexts(fetcher: Fetcher) -> None:
    """Keep the pinned JSON-LD contexts this run fetched, so later runs need no network for them."""
    from wallet.context_cache import remember

    try:
        remember(fetcher.records, fetcher.body_of)
    except Exception:  # a cache is an optimisation: never fail an import or a check over it
        return


def _answered_http_error(source: str, batch: ImportBatch) -> bool:
    from wallet.errors import HTTPStatusError

    return _classify_source(source) == "url" and any(
        isinstance(f.error, HTTPStatusError) for f in batch.failures
    )


def _hosted_reference(url: str) -> Credential:
    from wallet.model import Format, Original

    return Credential(
        format=Format.OB2_HOSTED,
        original=Original(data=url.encode(), media_type="text/uri-list", source=url),
        payload=url.encode(),
        credential_id=url,
        hosted_url=url,
    )


def _unreached_reference(item: UrlReference, fetched: ImportBatch) -> Credential | None:
    """A baked badge whose only content is its assertion URL, when that URL cannot be had now.

    The image is the learner's badge even while the issuer's server is down (or we are offline):
    it is kept as a hosted badge, verified as ``unverified`` with the reason, and a later recheck
    fetches it.  Anything but a network failure or an HTTP error answer is still refused.
    """
    from wallet.errors import BlockedURL, NetworkError, ResponseTooLarge
    from wallet.model import Format, Original

    if fetched.found or len(fetched.failures) != 1 or not item.original:
        return None
    error = fetched.failures[0].error
    if not isinstance(error, NetworkError) or isinstance(error, BlockedURL | ResponseTooLarge):
        return None
    return Credential(
        format=Format.OB2_HOSTED,
        original=Original(
            data=item.original,
            media_type=item.media_type or "application/octet-stream",
            source=item.found_in,
        ),
        payload=item.url.encode(),
        credential_id=item.url,
        hosted_url=item.url,
    )


def _read_stdin() -> bytes:
    import sys

    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        from wallet.errors import UnsafeInput

        raise UnsafeInput(source="-", reason=_("standard input is larger than 32 MB"))
    return data


def _is_bundle(source: str) -> bool:
    path = Path(source)
    if not path.is_file() or path.suffix.lower() != ".zip":
        return False
    with path.open("rb") as fh:
        head = fh.read(80)
    return b"mimetypeapplication/vnd.plecak.bundle+zip" in head


def _is_cv_pdf(source: str) -> bool:
    """A PDF file (by its first bytes): it may carry a plecak bundle (wallet.bundle.verify.cvpdf)."""
    path = Path(source)
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(1024).lstrip(b"\x00\t\r\n ").startswith(b"%PDF-")


def _evidence_bodies(report: VerificationReport, fetcher: Fetcher) -> dict[str, bytes]:
    bodies: dict[str, bytes] = {}
    for record in _all_evidence(report):
        body = fetcher.body_of(record.sha256)
        if body is not None:
            bodies[record.sha256] = body
    return bodies


def _all_evidence(report: VerificationReport) -> list[Any]:
    records = list(report.evidence)
    for child in report.children:
        records.extend(_all_evidence(child))
    return records


def _eu_elements(credential: Credential) -> tuple[EUElement, ...]:
    try:
        from wallet.codecs import eu
    except ImportError:
        return ()
    try:
        return tuple(eu.eu_elements(credential))
    except Exception:  # a display aid must never break import or show
        return ()


def _with_eu_elements(credential: Credential) -> Credential:
    if credential.eu_elements:
        return credential
    elements = _eu_elements(credential)
    return replace(credential, eu_elements=elements) if elements else credential


def _kdf_profile() -> str:
    return "test" if os.environ.get("PLECAK_KDF_PROFILE") == "test" else "default"
