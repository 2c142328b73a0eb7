"""Folders (recursive) and ZIP archives: every file inside, safely, as its own item.

Why so careful: a ZIP is the classic carrier of traversal (``../../.bashrc``), absolute paths,
symlinks and bombs (a 40 KB file that inflates to petabytes, or entries that share their data).
We never extract to disk: members are read into memory one at a time, after the archive passed the
rules shared with the bundle reader (:mod:`wallet.codecs.safezip`), and the caps are enforced again
while reading because the directory can lie.  Folders are walked without following symlinks.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from importers import sniff
from wallet.codecs import safezip
from wallet.codecs.safezip import ZipLimits, ZipRefused
from wallet.errors import InputError, MalformedInput, UnreadableInput, UnsafeInput
from wallet.i18n import _
from wallet.ports import Blob

BUNDLE_MIMETYPE = b"application/vnd.plecak.bundle+zip"
_JUNK_NAMES = {"thumbs.db", "desktop.ini"}


@dataclass(frozen=True, slots=True)
class Limits(ZipLimits):
    """Caps for archives and folders (generous for real backpacks, fatal for bombs): the shared ZIP
    rules' caps (:class:`~wallet.codecs.safezip.ZipLimits`) with a smaller entry, plus the walk's."""

    max_entry_bytes: int = 32 * 1024 * 1024
    max_files: int = 20_000
    max_depth: int = 2
    """Archives inside archives: the outer one is depth 1."""


DEFAULT_LIMITS = Limits()


is_zip = sniff.is_zip


def is_junk(name: str) -> bool:
    """Files no one means to import: hidden files, macOS resource forks, thumbnails."""
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or (
        bool(parts) and parts[-1].lower() in _JUNK_NAMES
    )


def _unsafe(source: str, reason: str) -> UnsafeInput:
    return UnsafeInput(source=source, reason=reason)


def check_directory(archive: zipfile.ZipFile, source: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """The archive passes the shared rules (:mod:`wallet.codecs.safezip`: names, links, sizes,
    ratio, total, overlapping data) before anything is read; returns the files to read."""
    try:
        return safezip.vet(archive, limits)
    except ZipRefused as exc:
        raise _unsafe(source, exc.reason) from None


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limits: Limits, budget: list[int]
) -> bytes:
    """Read one member, refusing as soon as it outgrows what the directory declared or a cap."""
    allowed = min(info.file_size, limits.max_entry_bytes, budget[0])
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(min(1024 * 1024, allowed + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size > allowed:
                raise _unsafe(
                    source,
                    _("the entry {name} unpacks to more than it declares").format(
                        name=repr(info.filename)[:80]
                    ),
                )
            chunks.append(chunk)
            if size == allowed and member.read(1):
                raise _unsafe(
                    source,
                    _("the entry {name} unpacks to more than it declares").format(
                        name=repr(info.filename)[:80]
                    ),
                )
    budget[0] -= size
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Member:
    """One file of an archive or folder: a blob to parse, or the error that stopped reading it."""

    source: str
    blob: Blob | None = None
    error: InputError | None = None


def iter_zip(
    file: bytes | BinaryIO,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
    budget: list[int] | None = None,
) -> Iterator[Member]:
    """Every file of a ZIP as a Member, after the whole directory passed the caps.

    A share bundle (``mimetype`` = plecak bundle) yields only its ``credentials/`` folder.
    Archive-level problems raise (nothing is read); member-level ones are yielded as errors.
    ``budget`` (one mutable count of bytes) is shared with the archives nested in this one, so
    ``max_total_bytes`` bounds everything inflated from the outermost file, not each level anew.
    """
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise MalformedInput(
            source=source, reason=_("the ZIP archive is damaged"), detail=repr(exc)
        ) from exc
    with archive:
        try:
            files = check_directory(archive, source, limits)
        except (zipfile.BadZipFile, ValueError) as exc:
            raise MalformedInput(
                source=source, reason=_("the ZIP archive is damaged"), detail=repr(exc)
            ) from exc
        bundle = _is_bundle(archive, files, source, limits)
        budget = [limits.max_total_bytes] if budget is None else budget
        for info in files:
            name = info.filename.replace("\\", "/")
            if is_junk(name) or (bundle and not name.startswith("credentials/")):
                continue
            yield _member(archive, info, f"{source}!{name}", source, limits, budget)


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    member_source: str,
    source: str,
    limits: Limits,
    budget: list[int],
) -> Member:
    """One entry read within the budget; an entry that cannot be read is a Member with its error.
    Going over the whole archive's budget raises: nothing more of it is read."""
    if info.flag_bits & 0x1:
        return Member(
            member_source,
            error=UnsafeInput(source=member_source, reason=_("the entry is encrypted")),
        )
    if info.file_size > budget[0]:
        raise _unsafe(
            source,
            _("the archive unpacks to more than {limit} bytes").format(
                limit=limits.max_total_bytes
            ),
        )
    try:
        data = _read_member(archive, info, source, limits, budget)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        reason = (
            _("the ZIP entry uses an unsupported compression method")
            if isinstance(exc, NotImplementedError)
            else _("the ZIP entry is damaged")
        )
        return Member(
            member_source,
            error=MalformedInput(source=member_source, reason=reason, detail=repr(exc)),
        )
    return Member(member_source, blob=Blob(data=data, source=member_source))


def _is_bundle(
    archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], source: str, limits: Limits
) -> bool:
    for info in files:
        if info.filename == "mimetype" and info.file_size <= 256:
            try:
                return _read_member(archive, info, source, limits, [256]).strip() == BUNDLE_MIMETYPE
            except (zipfile.BadZipFile, OSError, ValueError, UnsafeInput):
                return False
    return False


def iter_folder(root: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Path]:
    """Regular files under ``root``, sorted, without following symlinks or entering hidden dirs."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=_raise):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in _JUNK_NAMES:
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            count += 1
            if count > limits.max_files:
                raise UnsafeInput(
                    source=str(root),
                    reason=_("the folder holds more than {limit} files").format(
                        limit=limits.max_files
                    ),
                )
            yield path


def _raise(error: OSError) -> None:
    raise UnreadableInput(source=str(error.filename or ""), detail=str(error))
