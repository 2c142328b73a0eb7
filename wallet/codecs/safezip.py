"""One judge of untrusted ZIP archives, for the importers and the bundle reader alike.

Why one: a ZIP from a stranger can name ``../../.bashrc``, hold symlinks, declare 1 KB that inflates
to 10 GB, carry 100,000 tiny entries, or — the subtle one — list many central-directory entries
that point at the same local data (or at data overlapping another entry's), so that one megabyte
on disk is read, inflated and kept hundreds of times (a 1 MB file cost ~455 MB of memory in the
importer before this module).  Each rule here is judged from the central directory and the local
headers alone, before any byte of content is read or inflated; a caller then reads entries one at a
time with its own caps (the directory can lie about sizes; the caller's reader enforces them).

Signatures::

    class ZipLimits: max_entries, max_total_bytes, max_entry_bytes, max_ratio, ratio_floor_bytes
    vet(archive: zipfile.ZipFile, limits: ZipLimits) -> list[zipfile.ZipInfo]  # the files to read
        raises ZipRefused(reason) — the caller wraps it in its own error (UnsafeInput, BundleError)
"""

from __future__ import annotations

import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from wallet.i18n import _

_LOCAL_HEADER = struct.Struct("<4s22xHH")
"""Signature, then (skipping version…sizes) the file name and extra field lengths."""
_LOCAL_SIGNATURE = b"PK\x03\x04"


class ZipRefused(Exception):
    """The archive breaks a rule; ``reason`` is a translated sentence naming the entry and rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 512 * 1024 * 1024
    max_entry_bytes: int = 64 * 1024 * 1024
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1024 * 1024
    """Entries smaller than this uncompressed may compress as well as they like."""


def _show(name: str) -> str:
    return repr(name)[:80]


def name_problem(name: str) -> str | None:
    """Why an entry name is unsafe (NUL, absolute, drive letter, traversal), or None."""
    if not name or "\x00" in name or len(name) > 1024:
        return _("the entry name {name} is not allowed").format(name=_show(name))
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return _("the entry {name} has an absolute path").format(name=_show(name))
    if any(part == ".." for part in PurePosixPath(normalised).parts):
        return _("the entry {name} points outside the archive (path traversal)").format(
            name=_show(name)
        )
    return None


def _entry_problem(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    problem = name_problem(info.filename)
    if problem:
        return problem
    if stat.S_ISLNK((info.external_attr >> 16) & 0xFFFF):
        return _("the entry {name} is a symbolic link").format(name=_show(info.filename))
    if info.is_dir():
        return None
    if info.file_size > limits.max_entry_bytes:
        return _("the entry {name} is larger than {limit} bytes").format(
            name=_show(info.filename), limit=limits.max_entry_bytes
        )
    if info.file_size > limits.ratio_floor_bytes and (
        info.file_size > limits.max_ratio * max(info.compress_size, 1)
    ):
        return _("the entry {name} would expand {ratio}-fold (a compression bomb)").format(
            name=_show(info.filename), ratio=int(info.file_size / max(info.compress_size, 1))
        )
    return None


def _local_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Where an entry's data ends, from its local header (whose lengths may differ from the
    central directory's)."""
    fp = archive.fp
    if fp is None:
        raise ZipRefused(_("the archive is closed"))
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL_HEADER.size)
    if len(head) != _LOCAL_HEADER.size:
        raise ZipRefused(_("the entry {name} is cut short").format(name=_show(info.filename)))
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(head)
    if signature != _LOCAL_SIGNATURE:
        raise ZipRefused(
            _("the entry {name} has no local header where the directory says").format(
                name=_show(info.filename)
            )
        )
    return int(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length) + int(
        info.compress_size
    )


def _directory_start(archive: zipfile.ZipFile) -> int:
    start = getattr(archive, "start_dir", None)
    if isinstance(start, int):
        return start
    fp = archive.fp
    if fp is None:
        raise ZipRefused(_("the archive is closed"))
    return int(fp.seek(0, 2))


def check_no_overlap(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Every entry's local header and data lie apart from every other's and before the central
    directory: no entry is read twice, no data is shared (the "better zip bomb")."""
    if not infos:
        return
    end_of_data = _directory_start(archive)
    spans = sorted(infos, key=lambda i: i.header_offset)
    for info, following in zip(spans, [*spans[1:], None], strict=True):
        end = _local_extent(archive, info)
        limit = following.header_offset if following is not None else end_of_data
        if end > limit:
            other = following.filename if following is not None else None
            raise ZipRefused(
                _("the entry {name} overlaps {other} (an overlapping-entry ZIP bomb)").format(
                    name=_show(info.filename),
                    other=_show(other) if other is not None else _("the central directory"),
                )
            )


def vet(archive: zipfile.ZipFile, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Judge the whole archive before anything is read; returns its files (no folders) in order.

    Rules: entry count, names (NUL, absolute, traversal), symlinks, duplicate names, per-entry size,
    compression ratio, total size, and overlapping or shared entry data."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise ZipRefused(
            _("the archive has {count} entries (at most {limit})").format(
                count=len(infos), limit=limits.max_entries
            )
        )
    seen: set[str] = set()
    files: list[zipfile.ZipInfo] = []
    total = 0
    for info in infos:
        problem = _entry_problem(info, limits)
        if problem:
            raise ZipRefused(problem)
        if info.filename in seen:
            raise ZipRefused(_("the entry {name} appears twice").format(name=_show(info.filename)))
        seen.add(info.filename)
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ZipRefused(
                _("the archive unpacks to more than {limit} bytes").format(
                    limit=limits.max_total_bytes
                )
            )
        files.append(info)
    check_no_overlap(archive, infos)
    return files
