"""Gathering input: sort out what each source is (stdin, URL, file, share bundle, CV PDF), parse
it through the injected importers, and resolve the URL references they find.

Why apart from the service class: this is the one place that decides what a source is, for
import and for verify alike; the class stays the readable list of what the shells can do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from wallet.errors import InputError, UnreadableInput, WalletError
from wallet.i18n import _
from wallet.model import Credential, Format, Original
from wallet.ports import Blob, Fetcher, Found, ImportBatch, ImportFailure, UrlReference
from wallet.service.types import ImporterRegistry

MAX_STDIN_BYTES = 32 * 1024 * 1024
MAX_REFERENCE_DEPTH = 2

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?")

SourceKind = Literal["stdin", "url", "bad-url", "path"]


def classify_source(source: str) -> SourceKind:
    if source == "-":
        return "stdin"
    lowered = source.lower()
    if lowered.startswith(("http://", "https://")):
        return "url"
    if _SCHEME.match(source) and not Path(source).exists():
        return "bad-url"
    return "path"


class Gatherer:
    """Parses sources into credentials and failures through the importers and one Fetcher."""

    def __init__(self, importers: ImporterRegistry, fetcher: Fetcher) -> None:
        self.importers = importers
        self.fetcher = fetcher

    async def sources(self, sources: Sequence[str]) -> list[ImportBatch]:
        """Every source parsed (URL references resolved), in order."""
        return [await self.source(source) for source in sources]

    async def source(self, source: str) -> ImportBatch:
        kind = classify_source(source)
        try:
            if kind == "stdin":
                batch = self.importers.parse_blob(Blob(data=read_stdin(), source="-"))
            elif kind == "url":
                batch = await self.importers.fetch_url(source, self.fetcher)
            elif kind == "bad-url":
                raise UnreadableInput(
                    _("{source} is not an http(s) address or a file."),
                    source=source,
                    hint=_("Only http:// and https:// addresses can be fetched."),
                )
            else:
                path = Path(source)
                if not path.exists():
                    raise UnreadableInput(source=source)
                batch = self.importers.read_path(path)
        except WalletError as exc:
            return failed(source, exc)
        return await self.resolve(batch)

    async def text(self, text: str) -> ImportBatch:
        """Pasted text: one address is fetched, anything else parsed as it is."""
        stripped = text.strip()
        if stripped.lower().startswith(("http://", "https://")) and "\n" not in stripped:
            return await self.source(stripped)
        try:
            batch = self.importers.parse_text(text, "-")
        except WalletError as exc:
            batch = failed("-", exc)
        return await self.resolve(batch)

    async def blob(self, blob: Blob) -> ImportBatch:
        try:
            batch = self.importers.parse_blob(blob)
        except WalletError as exc:
            batch = failed(blob.source, exc)
        return await self.resolve(batch)

    async def resolve(self, batch: ImportBatch, depth: int = 0) -> ImportBatch:
        """Replace each URL reference (a baked assertion URL) by what it points to."""
        if not any(isinstance(item, UrlReference) for item in batch.found):
            return batch
        resolved = ImportBatch(failures=list(batch.failures))
        for item in batch.found:
            if not isinstance(item, UrlReference):
                resolved.found.append(item)
            elif depth >= MAX_REFERENCE_DEPTH:
                too_deep = InputError(_("Too many nested references to other addresses."))
                resolved.failures.append(ImportFailure(source=item.found_in, error=too_deep))
            else:
                inner = await self._reference(item, depth)
                resolved.found.extend(inner.found)
                resolved.failures.extend(inner.failures)
        return resolved

    async def _reference(self, item: UrlReference, depth: int) -> ImportBatch:
        try:
            inner = await self.importers.fetch_url(item.url, self.fetcher)
        except WalletError as exc:
            inner = failed(item.found_in, exc)
        unreached = unreached_reference(item, inner)
        if unreached is not None:
            return ImportBatch(found=[unreached])
        inner = await self.resolve(inner, depth + 1)
        if item.original:
            # The learner imported the baked image: keep it as the original.
            inner.found = [_with_original(found, item) for found in inner.found]
        return inner


def _with_original(found: Found, item: UrlReference) -> Found:
    if not isinstance(found, Credential):
        return found
    original = replace(
        found.original,
        data=item.original,
        media_type=item.media_type or found.original.media_type,
        source=item.found_in,
    )
    return replace(found, original=original)


def failed(source: str, error: WalletError) -> ImportBatch:
    return ImportBatch(failures=[ImportFailure(source=source, error=error)])


def as_wallet_error(failure: ImportFailure) -> WalletError:
    if isinstance(failure.error, WalletError):
        return failure.error
    return InputError(
        _("Could not import {source}.").format(source=failure.source), detail=repr(failure.error)
    )


def answered_http_error(source: str, batch: ImportBatch) -> bool:
    from wallet.errors import HTTPStatusError

    return classify_source(source) == "url" and any(
        isinstance(f.error, HTTPStatusError) for f in batch.failures
    )


def hosted_reference(url: str) -> Credential:
    return Credential(
        format=Format.OB2_HOSTED,
        original=Original(data=url.encode(), media_type="text/uri-list", source=url),
        payload=url.encode(),
        credential_id=url,
        hosted_url=url,
    )


def unreached_reference(item: UrlReference, fetched: ImportBatch) -> Credential | None:
    """A baked badge whose only content is its assertion URL, when that URL cannot be had now.

    The image is the learner's badge even while the issuer's server is down (or we are offline):
    it is kept as a hosted badge, verified as ``unverified`` with the reason, and a later recheck
    fetches it.  Anything but a network failure or an HTTP error answer is still refused.
    """
    from wallet.errors import BlockedURL, NetworkError, ResponseTooLarge

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


def read_stdin() -> bytes:
    import sys

    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        from wallet.errors import UnsafeInput

        raise UnsafeInput(source="-", reason=_("standard input is larger than 32 MB"))
    return data


def is_bundle(source: str) -> bool:
    path = Path(source)
    if not path.is_file() or path.suffix.lower() != ".zip":
        return False
    with path.open("rb") as fh:
        head = fh.read(80)
    return b"mimetypeapplication/vnd.plecak.bundle+zip" in head


def is_cv_pdf(source: str) -> bool:
    """A PDF file (by its first bytes): it may carry a plecak bundle (wallet.bundle.verify.cvpdf)."""
    path = Path(source)
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(1024).lstrip(b"\x00\t\r\n ").startswith(b"%PDF-")
