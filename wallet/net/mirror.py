"""Offline mirrors: index files mapping URL -> document (cli.md), reading and writing them.

A mirror is how plecak verifies without the network: ``--mirror PATH``, ``PLECAK_MIRROR``, the
contexts folder of ``PLECAK_CONTEXTS`` (its ``mirror.json``), and the ``evidence/`` folder of a share
bundle are all the same format::

    {"<url>": "relative/path"}
    {"<url>": {"file": "relative/path", "status": 200, "content_type": "application/ld+json",
               "fetched_at": "2026-11-23T12:00:00Z", "sha256": "<hex>"}}
    {"<url>": {"status": 410}}            # answers 410 with an empty body

Why so strict when reading: a mirror may come from someone else (a share bundle), so it is hostile
input.  Paths are relative to the index file and must stay inside its folder (after following
symlinks); absolute paths and ``..`` escapes refuse the whole index, with a message that says to
move the files next to the index.  Index size, entry count and
document size are capped.  When an entry carries a ``sha256`` the file must still match it, so a
bundle's evidence cannot be swapped after it was captured.  Keys other than the ones above are
ignored (room to grow).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.dates import format_date, parse_date_strict
from wallet.errors import (
    ExportError,
    MalformedInput,
    NetworkError,
    ResponseTooLarge,
    UnreadableInput,
    UnsafeInput,
)
from wallet.files import write_atomic
from wallet.i18n import N_, _
from wallet.model import FetchRecord
from wallet.net.describe import technical

MAX_INDEX_BYTES = 32 * 1024 * 1024
MAX_INDEX_ENTRIES = 100_000
INDEX_NAME = "index.json"

_BY_EXTENSION = {
    ".json": "application/ld+json",
    ".jsonld": "application/ld+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jwt": "application/jwt",
    ".jws": "application/jose",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
}
_EXTENSION_FOR = {
    "application/ld+json": ".jsonld",
    "application/json": ".json",
    "image/png": ".png",
    "image/svg+xml": ".svg",
    "application/jwt": ".jwt",
    "application/jose": ".jws",
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xml": ".xml",
}
OCTET_STREAM = "application/octet-stream"
MOVE_NEXT_TO_INDEX = N_(
    "Move the files next to the index (into its folder or a folder below it) and name them by "
    "paths relative to it, such as docs/badge.json."
)
"""The rule a mirror must follow, said where an index breaks it (README: "Mirrors")."""


def content_type_for(name: str) -> str:
    """The media type a mirror file is served with when its entry does not say (by extension)."""
    return _BY_EXTENSION.get(os.path.splitext(name)[1].lower(), OCTET_STREAM)


@dataclass(frozen=True, slots=True)
class MirrorEntry:
    """One URL of a mirror index, checked: its file (if any) is inside the mirror folder."""

    url: str
    file: Path | None
    status: int = 200
    content_type: str = ""
    """As the entry says, else guessed from the file name (empty for status-only entries)."""
    fetched_at: datetime | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Mirror:
    """A loaded index: ``entries`` by URL, and where it came from (for messages)."""

    source: Path
    entries: Mapping[str, MirrorEntry]
    folder: Path
    """The folder of the index with symlinks resolved: every file read must be inside it."""

    def lookup(self, url: str) -> MirrorEntry | None:
        """The entry for ``url``, or for ``url`` without its fragment."""
        entry = self.entries.get(url)
        if entry is None and "#" in url:
            entry = self.entries.get(url.split("#", 1)[0])
        return entry

    def read(self, entry: MirrorEntry, max_bytes: int) -> bytes:
        """The document of ``entry`` within ``max_bytes``; NetworkError family on any problem
        (a Fetcher promises NetworkError subclasses when no answer can be had)."""
        if entry.file is None:
            return b""
        try:
            if not _inside(entry.file, self.folder):
                raise NetworkError(
                    url=entry.url,
                    reason=_("the mirror file points outside the mirror folder."),
                    hint=MOVE_NEXT_TO_INDEX,
                )
            with entry.file.open("rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > max_bytes:
                    raise ResponseTooLarge(url=entry.url, limit=max_bytes)
                body = fh.read(max_bytes + 1)
        except OSError as exc:
            raise NetworkError(
                url=entry.url,
                reason=_("the mirror file {file} cannot be read.").format(file=entry.file.name),
                detail=technical(exc),
            ) from exc
        if len(body) > max_bytes:
            raise ResponseTooLarge(url=entry.url, limit=max_bytes)
        if entry.sha256 is not None and hashlib.sha256(body).hexdigest() != entry.sha256:
            raise NetworkError(
                url=entry.url,
                reason=_("the mirror copy does not match the digest recorded for it."),
                hint=N_("The mirror was changed after it was written; do not trust it."),
            )
        return body


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):
        return False


def load_mirror(index_path: Path | str) -> Mirror:
    """Read and check a mirror index (cli.md format, extra keys ignored).

    Raises UnreadableInput (missing, unreadable), MalformedInput (not an index) or UnsafeInput
    (a path escaping the mirror folder, over the caps).
    """
    path = Path(index_path)
    source = str(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_INDEX_BYTES + 1)
    except OSError as exc:
        raise UnreadableInput(source=source, detail=technical(exc)) from exc
    data = safejson.loads(raw, source=source, max_bytes=MAX_INDEX_BYTES)
    if not isinstance(data, dict):
        raise MalformedInput(source=source, reason=_("a mirror index must be a JSON object"))
    if len(data) > MAX_INDEX_ENTRIES:
        raise UnsafeInput(
            source=source,
            reason=_("a mirror index with more than {limit} entries").format(
                limit=MAX_INDEX_ENTRIES
            ),
        )
    folder = path.parent
    entries = {url: _entry(source, folder, url, value) for url, value in data.items()}
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError) as exc:
        raise UnreadableInput(source=source, detail=technical(exc)) from exc
    return Mirror(source=path, entries=entries, folder=resolved)


def _entry(source: str, folder: Path, url: str, value: Any) -> MirrorEntry:
    def bad(reason: str) -> MalformedInput:
        return MalformedInput(
            source=source, reason=_("entry {url}: {reason}").format(url=url, reason=reason)
        )

    if isinstance(value, str):
        value = {"file": value}
    if not isinstance(value, dict):
        raise bad(_("expected a file name or an object"))
    problem = _entry_problem(value)
    if problem:
        raise bad(problem)
    rel = value.get("file")
    try:
        when = _fetched_at(value.get("fetched_at"))
    except ValueError as exc:
        raise bad(_("fetched_at is not an ISO 8601 time")) from exc
    file = None
    if rel is not None:
        if not isinstance(rel, str) or not rel:
            raise bad(_("the file must be a relative path"))
        file = _existing_file(source, folder, url, rel)
    ctype = value.get("content_type")
    content_type = (ctype or (content_type_for(rel) if rel else "")).split(";")[0].strip().lower()
    return MirrorEntry(
        url=url,
        file=file,
        status=value.get("status", 200),
        content_type=content_type,
        fetched_at=when,
        sha256=value.get("sha256"),
    )


def _entry_problem(value: dict[str, Any]) -> str:
    """What is wrong with an entry's status, content type or digest, in that order; '' if nothing."""
    status = value.get("status", 200)
    ctype = value.get("content_type")
    digest = value.get("sha256")
    if value.get("file") is None and "status" not in value:
        return _("neither a file nor a status")
    if type(status) is not int or not 100 <= status <= 599:
        return _("the status must be an HTTP status code")
    if ctype is not None and not isinstance(ctype, str):
        return _("the content type must be text")
    if digest is not None and not _is_sha256_hex(digest):
        return _("sha256 must be 64 lower-case hex digits")
    return ""


def _is_sha256_hex(digest: object) -> bool:
    return (
        isinstance(digest, str)
        and len(digest) == 64
        and all(c in "0123456789abcdef" for c in digest)
    )


def _fetched_at(fetched: Any) -> datetime | None:
    """The capture time, when given; ValueError when it is not an ISO 8601 time."""
    return None if fetched is None else parse_date_strict(fetched)


def _existing_file(source: str, folder: Path, url: str, rel: str) -> Path:
    file = _resolve_inside(source, folder, url, rel)
    if not file.is_file():
        raise UnreadableInput(
            source=f"{source}: {rel}",
            hint=N_("The mirror index names a file that is not there."),
        )
    return file


def _resolve_inside(source: str, folder: Path, url: str, rel: str) -> Path:
    """``folder / rel`` when it stays inside ``folder`` lexically; else UnsafeInput.

    Why lexically here and not with symlinks resolved: resolving every entry of a large index
    costs ~0.1 ms each (10,000 entries: a second).  Symlinks are followed and checked when a file
    is actually read (:meth:`Mirror.read`), which also catches a file swapped after loading.
    """
    normal = posixpath.normpath(rel.replace("\\", "/"))
    first = normal.split("/", 1)[0]
    if normal.startswith("/") or normal == ".." or first == ".." or ":" in first:
        raise UnsafeInput(
            source=source,
            reason=_(
                "entry {url} names {file}, which is outside the mirror folder (the folder of the index)."
            ).format(url=url, file=rel),
            hint=MOVE_NEXT_TO_INDEX,
        )
    return folder / normal


def write_mirror(
    folder: Path,
    records: Iterable[FetchRecord],
    body_of: Callable[[str], bytes | None],
) -> Path:
    """Write the documents of ``records`` as a mirror in ``folder``; returns ``folder/index.json``.

    For share bundles (``evidence/``) and for saving what a verification used.  Each URL gets
    ``file``, ``status``, ``content_type``, ``fetched_at`` and ``sha256``; 404 and 410 answers
    become status-only entries (no file), because their body is noise and their status is the
    evidence.  Files are named by their sha256 (plus an extension from the media type), so the
    output is deterministic and identical documents are stored once.  When a URL was recorded more
    than once (content negotiation), the first record wins.  Raises ExportError when a body is
    missing (the evidence would be incomplete).
    """
    folder.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.url in index:
            continue
        entry: dict[str, Any] = {
            "status": record.status,
            "content_type": record.content_type,
            "fetched_at": format_date(record.fetched_at),
        }
        if record.status not in (404, 410):
            body = body_of(record.sha256)
            if body is None:
                raise ExportError(
                    reason=_("the document of {url} is missing from the evidence").format(
                        url=record.url
                    )
                )
            name = record.sha256 + _EXTENSION_FOR.get(record.content_type, ".bin")
            target = folder / name
            if not target.exists():
                write_atomic(target, body)
            entry["file"] = name
            entry["sha256"] = record.sha256
        index[record.url] = entry
    path = folder / INDEX_NAME
    text = json.dumps(dict(sorted(index.items())), indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(path, text.encode("utf-8") + b"\n")
    return path


def documents_from_mirror(
    mirror: Mirror, max_bytes: int = 10 * 1024 * 1024
) -> dict[str, tuple[int, str, bytes]]:
    """A loaded mirror as the in-memory ``documents`` map of HttpFetcher (status, type, body)."""
    return {
        url: (entry.status, entry.content_type, mirror.read(entry, max_bytes))
        for url, entry in mirror.entries.items()
    }
