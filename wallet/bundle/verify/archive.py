"""Reading a share bundle ZIP safely: every entry is judged before any byte of content is read.

Why so careful: a bundle comes from a stranger (the employer did not make it).  A ZIP can name
``../../.bashrc``, hold symlinks, declare 1 KB that inflates to 10 GB, overlap entries so one
kilobyte is read a million times, or carry 100,000 tiny entries.  We never extract to disk at all:
entries are read into memory, each with a hard cap, and only after the whole central directory
passed the rules below and those every archive must pass (:mod:`wallet.codecs.safezip`, shared with
the importers).  Anything refused raises :class:`BundleError` naming the entry and the rule.

Signatures::

    open_bundle(path: Path) -> BundleArchive              # raises BundleError / UnreadableInput
    BundleArchive.names -> list[str]; .read(name) -> bytes  # raises DamagedEntry
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from wallet.codecs import safezip
from wallet.codecs.safezip import ZipLimits, ZipRefused
from wallet.errors import BundleError, UnreadableInput
from wallet.i18n import _

BUNDLE_MEDIA_TYPE = "application/vnd.plecak.bundle+zip"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
"""Deflate reaches ~1000:1 only on degenerate input; JSON and images stay far below 200:1."""
RATIO_FLOOR = 256 * 1024
"""Small entries may compress well (a 100 KB run of spaces); the ratio rule applies above this."""


class DamagedEntry(Exception):
    """An entry could not be read back (CRC, inflate error, size other than declared)."""


def _refuse(path: Path, reason: str) -> BundleError:
    return BundleError(source=path.name, reason=reason)


def _name_problem(name: str) -> str | None:
    if not name or "\x00" in name or "\\" in name or len(name) > 255:
        return _("entry name {name!r} is not allowed").format(name=name)
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("entry {name} has an absolute path").format(name=name)
    if any(part in ("..", ".", "") for part in name.rstrip("/").split("/")):
        return _("entry {name} climbs out of the bundle (path traversal)").format(name=name)
    return None


@dataclass(slots=True)
class BundleArchive:
    """The checked archive; content is read lazily and capped per entry."""

    path: Path
    archive: zipfile.ZipFile
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes:
        info = self.infos[name]
        try:
            with self.archive.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise DamagedEntry(str(exc)) from exc
        if len(data) != info.file_size:
            raise DamagedEntry(f"{len(data)} bytes where {info.file_size} were declared")
        return data

    def close(self) -> None:
        self.archive.close()


def open_bundle(path: Path) -> BundleArchive:
    """Open and vet ``path``; nothing of any entry's content has been read when this returns."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(source=str(path), detail=str(exc)) from exc
    if size > MAX_BUNDLE_BYTES:
        raise _refuse(path, _("the file is larger than 512 MB"))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, _("it is not a readable ZIP archive")) from exc
    try:
        return _vet(path, archive)
    except BaseException:
        archive.close()
        raise


def _vet(path: Path, archive: zipfile.ZipFile) -> BundleArchive:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(
            path,
            _("it has {count} entries (at most {limit})").format(
                count=len(infos), limit=MAX_ENTRIES
            ),
        )
    for info in infos:  # the bundle's own, stricter rules (the exporter never writes these)
        problem = _name_problem(info.filename)
        if problem:
            raise _refuse(path, problem)
        if info.flag_bits & 0x1:
            raise _refuse(path, _("entry {name} is encrypted").format(name=info.filename))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                path, _("entry {name} uses an unsupported compression").format(name=info.filename)
            )
    limits = ZipLimits(MAX_ENTRIES, MAX_TOTAL_BYTES, MAX_ENTRY_BYTES, MAX_RATIO, RATIO_FLOOR)
    try:  # what every archive must pass: links, sizes, ratio, total, overlapping data
        files = safezip.vet(archive, limits)
    except ZipRefused as exc:
        raise _refuse(path, exc.reason) from None
    checked = BundleArchive(path, archive)
    checked.infos.update((info.filename, info) for info in files)
    first = infos[0] if infos else None
    if first is None or first.filename != "mimetype":
        raise _refuse(path, _("it is not a plecak share bundle (no leading mimetype entry)"))
    return checked
