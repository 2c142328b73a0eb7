"""The registry: picks the importer for each input by sniffing its bytes, and walks containers.

Why one place: every way in (a file, a folder, a ZIP, stdin, pasted text, an HTTP answer) ends in
the same loop: unwrap containers, sniff each blob, let the first importer that recognises it parse
it, and record a failure (never a silent skip, never a traceback) for anything else.  Bad input is
reported inside the returned :class:`ImportBatch`; only programming errors raise.
"""

from __future__ import annotations

import functools
import importlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from importers import sniff
from wallet.codecs.safejson import looks_like_json
from wallet.errors import InputError, NetworkError, UnreadableInput, UnsafeInput, UnsupportedInput
from wallet.i18n import N_, _
from wallet.ports import Blob, Fetcher, ImportBatch, Importer, ImportFailure

if TYPE_CHECKING:
    from importers import archive

MAX_FILE_BYTES = 32 * 1024 * 1024
_XML_HEAD = (b"<?xml", b"<!--")


@dataclass(frozen=True, slots=True)
class LazyImporter:
    """An importer known by its sniff, whose module is imported only when that sniff picks a blob.

    Why: the importers' modules load lxml, the SD-JWT codec and the document readers; sniffing
    runs them in order until one says yes, so a JSON credential needs only the JSON importer.
    """

    name: str
    sniff: Callable[[Blob], bool]
    module: str
    attribute: str

    def load(self) -> Importer:
        return _load_importer(self.module, self.attribute)


@functools.cache
def _load_importer(module: str, attribute: str) -> Importer:
    made: Importer = getattr(importlib.import_module(module), attribute)()
    return made


class Registry:
    """Importers in sniffing order, plus the container logic (folders, ZIPs, lines of text)."""

    def __init__(
        self,
        importers: Sequence[Importer | LazyImporter],
        *,
        limits: archive.Limits | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.importers = list(importers)
        self._limits = limits
        self.max_file_bytes = max_file_bytes

    @property
    def limits(self) -> archive.Limits:
        """The archive and folder caps (:data:`importers.archive.DEFAULT_LIMITS` unless given).

        Why looked up here: the ZIP code loads only when a folder or an archive is met, so
        importing or verifying one file does not pay for it (issue 17's start-up budget)."""
        if self._limits is None:
            from importers import archive  # the ZIP code, loaded when needed

            self._limits = archive.DEFAULT_LIMITS
        return self._limits

    # ------------------------------------------------------------------ public API

    def parse_blob(self, blob: Blob) -> ImportBatch:
        """Every credential in ``blob`` (a ZIP's members each count as items)."""
        batch = ImportBatch()
        self._blob_into(batch, blob, depth=0)
        return batch

    def parse_text(self, text: str, source: str = "-") -> ImportBatch:
        """Pasted or piped text: JSON, a JWS/JWT, or URLs / tokens one per line.

        Unlike a file, pasted text is read line by line when it is not JSON, so one stray line
        is one failure and the other lines still import.
        """
        data = text.encode("utf-8")
        found_lines = sniff.lines(data)
        if len(found_lines) <= 1 or looks_like_json(data):
            return self.parse_blob(Blob(data=data, source=source))
        batch = ImportBatch()
        for number, line in enumerate(found_lines, start=1):
            self._blob_into(batch, Blob(data=line, source=f"{source}:{number}"), depth=0)
        return batch

    def read_path(self, path: str | Path) -> ImportBatch:
        """A file, a folder (recursively) or a ZIP archive on disk."""
        batch = ImportBatch()
        target = Path(path)
        source = str(path)
        try:
            if target.is_dir() and not target.is_symlink():
                from importers import archive  # the ZIP code, loaded when needed

                for file in archive.iter_folder(target, self.limits):
                    self._file_into(batch, file, member=True)
            else:
                self._file_into(batch, target, source=source)
        except InputError as exc:
            batch.failures.append(ImportFailure(source=exc.params.get("source", source), error=exc))
        return batch

    async def fetch_url(self, url: str, fetcher: Fetcher) -> ImportBatch:
        """The credential(s) at an http(s) URL, fetched through ``fetcher`` (never directly)."""
        from importers import url as url_importer

        return await url_importer.fetch(url, fetcher, self.parse_blob)

    # ------------------------------------------------------------------ internals

    def _file_into(
        self, batch: ImportBatch, path: Path, source: str | None = None, *, member: bool = False
    ) -> None:
        name = source or str(path)
        try:
            with open_regular(path, name) as handle:
                # fstat of the opened file, not stat of the name: what is checked is what is read.
                size = os.fstat(handle.fileno()).st_size
                is_archive = sniff.is_zip(handle.read(4))
                handle.seek(0)
                # Archives are read member by member, so they may be larger than one badge file.
                limit = self.limits.max_total_bytes if is_archive else self.max_file_bytes
                if size > limit:
                    raise _too_large(name, limit)
                if is_archive:
                    self._zip_into(batch, handle, name, depth=1)
                    return
                data = handle.read(limit + 1)  # the file may have grown since fstat
                if len(data) > limit:
                    raise _too_large(name, limit)
        except InputError as exc:
            batch.failures.append(ImportFailure(source=name, error=exc))
            return
        except OSError as exc:
            batch.failures.append(
                ImportFailure(source=name, error=UnreadableInput(source=name, detail=str(exc)))
            )
            return
        self._blob_into(batch, Blob(data=data, source=name), depth=0, member=member)

    def _zip_into(
        self,
        batch: ImportBatch,
        file: object,
        source: str,
        depth: int,
        budget: list[int] | None = None,
    ) -> None:
        if depth > self.limits.max_depth:
            raise UnsafeInput(
                source=source,
                reason=_("archives nested more than {limit} deep").format(
                    limit=self.limits.max_depth
                ),
            )
        # All or nothing: a directory that lies is only caught while reading, and then the whole
        # archive is refused rather than half-imported.
        # One byte budget for the outermost archive and everything nested in it: otherwise each
        # inner ZIP could inflate max_total_bytes again (100 inner ZIPs: 100 times as much).
        budget = [self.limits.max_total_bytes] if budget is None else budget
        inner = ImportBatch()
        from importers import archive  # the ZIP code, loaded when needed

        for member in archive.iter_zip(file, source, self.limits, budget):  # type: ignore[arg-type]
            if member.error is not None:
                inner.failures.append(ImportFailure(source=member.source, error=member.error))
            elif member.blob is not None:
                self._blob_into(inner, member.blob, depth=depth, budget=budget, member=True)
        batch.found.extend(inner.found)
        batch.failures.extend(inner.failures)

    def _blob_into(
        self,
        batch: ImportBatch,
        blob: Blob,
        depth: int,
        budget: list[int] | None = None,
        *,
        member: bool = False,
    ) -> None:
        """``member``: the blob is a file of a folder or archive, where files that are no
        credential at all (README, LICENSE) are skipped and reported as such, not failures."""
        try:
            if not blob.data.strip():
                error = UnsupportedInput(source=blob.source, hint=N_("The input is empty."))
                batch.failures.append(ImportFailure(blob.source, error, skipped=member))
                return
            if sniff.is_zip(blob.data):
                self._zip_into(batch, blob.data, blob.source, depth=depth + 1, budget=budget)
                return
            if sniff.is_pdf(blob.data) and depth == 0:
                from importers import pdf

                for inner in pdf.attachment_blobs(blob):
                    self._blob_into(batch, inner, depth=depth + 1, budget=budget)
                return
            importer = self._pick(blob)
            if importer is None:
                error = UnsupportedInput(source=blob.source, hint=self._hint_for(blob))
                batch.failures.append(ImportFailure(blob.source, error, skipped=member))
                return
            if importer.name == "text":  # the text importer reads each line as its own item
                self._lines_into(batch, importer, blob)
                return
            batch.found.extend(importer.parse(blob))
        except InputError as exc:
            batch.failures.append(ImportFailure(source=blob.source, error=exc))
        except NetworkError as exc:  # pragma: no cover - importers never fetch; defensive
            batch.failures.append(ImportFailure(source=blob.source, error=exc))

    def _lines_into(self, batch: ImportBatch, importer: Importer, blob: Blob) -> None:
        found_lines = sniff.lines(blob.data)
        if len(found_lines) <= 1:
            batch.found.extend(importer.parse(blob))
            return
        for number, line in enumerate(found_lines, start=1):
            item = Blob(data=line, source=f"{blob.source}:{number}", media_type=blob.media_type)
            try:
                batch.found.extend(importer.parse(item))
            except InputError as exc:
                batch.failures.append(ImportFailure(source=item.source, error=exc))

    def _pick(self, blob: Blob) -> Importer | None:
        for importer in self.importers:
            if importer.sniff(blob):
                return importer.load() if isinstance(importer, LazyImporter) else importer
        return None

    @staticmethod
    def _hint_for(blob: Blob) -> str | None:
        head = blob.data[:512].lstrip()
        if head[:3] == b"\xff\xd8\xff" or head[:6] in (b"GIF87a", b"GIF89a"):
            return N_("JPEG and GIF images cannot carry a baked badge; only PNG and SVG can.")
        lowered = head.lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            return N_("This is a web page. Import the page's address (URL) instead of the file.")
        if lowered.startswith(_XML_HEAD) or lowered.startswith(b"<"):
            return N_("This XML file is not an SVG image.")
        return None


def _too_large(name: str, limit: int) -> UnsafeInput:
    return UnsafeInput(
        source=name, reason=_("the file is larger than {limit} bytes").format(limit=limit)
    )


def open_regular(path: Path, source: str) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file; UnsupportedInput otherwise.

    Why not just ``read_bytes()``: a FIFO in an imported folder would block the import forever
    and ``/dev/zero`` would fill the memory.  The file is opened without blocking (a FIFO with
    no writer opens at once) and judged by ``fstat`` of the open descriptor, so it cannot be
    swapped for something else between the check and the read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsupportedInput(
                source=source,
                hint=N_("It is not a regular file (a device, a pipe or a socket)."),
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def archive_head(path: Path) -> bool:
    """Is the file a ZIP archive (by its first bytes)?"""
    with path.open("rb") as handle:
        return sniff.is_zip(handle.read(4))


def default_registry() -> Registry:
    """The importers plecak ships, in sniffing order (cheap, specific sniffs first)."""
    return Registry(
        [
            LazyImporter("png", sniff.png, "importers.baked_png", "BakedPngImporter"),
            LazyImporter("json", sniff.json, "importers.json_ld", "JsonImporter"),
            LazyImporter("jws", sniff.jws, "importers.jws", "JwsImporter"),
            LazyImporter("sd-jwt", sniff.sd_jwt, "importers.sd_jwt", "SdJwtImporter"),
            LazyImporter("svg", sniff.svg, "importers.baked_svg", "BakedSvgImporter"),
            LazyImporter("edc-xml", sniff.edc_xml, "importers.edc_xml", "EdcXmlImporter"),
            LazyImporter("text", sniff.text, "importers.text", "TextImporter"),
        ]
    )
