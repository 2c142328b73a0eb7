"""Reading a PDF from a stranger: its attachments and the text of its pages, under hard caps.

Why a maintained library (pypdf, pure Python) and caps around it: a PDF is a graph of compressed
objects that can point in circles, declare absurd lengths or inflate a kilobyte into gigabytes.
pypdf bounds decompression (``ZLIB_MAX_OUTPUT_LENGTH``) and guards its recursion; on top we cap
the file size, the number of attachments, the bytes of each and of all together, and the number
of pages whose text is read.  Whatever pypdf raises on a damaged file becomes one
:class:`MalformedInput` naming the file; nothing foreign escapes.

Signatures::

    read_pdf(data: bytes, source: str, *, pages: bool = False) -> PdfContents
    PdfContents.attachments: dict[str, bytes]
    PdfContents.pages: list[str]   # per page: SHA-256 of what it draws (content and XObjects)
    page_texts(data: bytes, source: str, numbers: Sequence[int]) -> dict[int, str]

Why digests of the drawing and not only its text: a QR code swapped for one that points at a
look-alike site changes no text at all.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wallet.errors import MalformedInput, UnsafeInput
from wallet.i18n import _

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_ATTACHMENTS = 600
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_PAGES = 1000
MAX_DEPTH = 40
MAX_OBJECTS = 200_000
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PdfContents:
    attachments: dict[str, bytes] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Page text compared as words: extraction may differ in line breaks and spacing only."""
    return _SPACE.sub(" ", text).strip()


def read_pdf(data: bytes, source: str, *, pages: bool = False) -> PdfContents:
    if len(data) > MAX_PDF_BYTES:
        raise UnsafeInput(
            source=source,
            reason=_("the file is larger than {limit} bytes").format(limit=MAX_PDF_BYTES),
        )
    from pypdf.errors import LimitReachedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not for our users
    try:
        return _read(data, source, pages)
    except (UnsafeInput, MalformedInput):
        raise
    except LimitReachedError as exc:
        raise UnsafeInput(
            source=source, reason=_("a part of it inflates beyond the size limit")
        ) from exc
    except RecursionError as exc:
        raise UnsafeInput(source=source, reason=_("its objects nest too deeply")) from exc
    except Exception as exc:  # pypdf raises many types on damaged input; none may escape
        raise MalformedInput(
            source=source, reason=_("it is not a readable PDF"), detail=repr(exc)
        ) from exc


def _read(data: bytes, source: str, want_pages: bool) -> PdfContents:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    found: dict[str, bytes] = {}
    total = 0
    listed: list[Any] = list(_limited(reader.attachment_list, MAX_ATTACHMENTS, source))
    for item in listed:
        name = str(item.name)
        content = item.content
        if not isinstance(content, bytes):
            continue
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise UnsafeInput(
                source=source,
                reason=_("the attachment {name} is larger than {limit} bytes").format(
                    name=name, limit=MAX_ATTACHMENT_BYTES
                ),
            )
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise UnsafeInput(
                source=source,
                reason=_("its attachments hold more than {limit} bytes").format(
                    limit=MAX_TOTAL_BYTES
                ),
            )
        found.setdefault(name, content)
    texts: list[str] = []
    if want_pages:
        if len(reader.pages) > MAX_PAGES:
            raise UnsafeInput(
                source=source,
                reason=_("it has more than {limit} pages").format(limit=MAX_PAGES),
            )
        walker = _Walker(source)
        texts = [walker.page(page) for page in reader.pages]
    return PdfContents(found, texts)


class _Walker:
    """Digests of what pages draw: the content stream, then everything the page's resources
    reach (images, forms, fonts with their glyph programs and ToUnicode maps, graphics states),
    walked in a canonical order with cycles cut, each indirect object digested once, and a
    budget on the objects visited.  Annotations count too: one can paint over a page."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.budget = MAX_OBJECTS
        self.done: dict[tuple[int, int], bytes] = {}

    def page(self, page: Any) -> str:
        digest = hashlib.sha256()
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        digest.update(self.node(page.get("/Resources"), 0))
        digest.update(self.node(page.get("/Annots"), 0))
        return digest.hexdigest()

    def node(self, value: Any, depth: int) -> bytes:
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            raise UnsafeInput(source=self.source, reason=_("it draws too many objects"))
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key not in self.done:
                self.done[key] = b"cycle"  # a reference back to itself digests as a marker
                self.done[key] = self.node(value.get_object(), depth + 1)
            return self.done[key]
        digest = hashlib.sha256()
        if isinstance(value, StreamObject):
            digest.update(b"stream" + hashlib.sha256(value.get_data()).digest())
        if isinstance(value, DictionaryObject):
            for name in sorted(k for k in value if k not in ("/Parent", "/P")):
                digest.update(str(name).encode() + self.node(value.get(name, None), depth + 1))
        elif isinstance(value, ArrayObject):
            for item in value:
                digest.update(b"," + self.node(item, depth + 1))
        elif not isinstance(value, StreamObject):
            digest.update(repr(value).encode())
        return digest.digest()


def page_texts(data: bytes, source: str, numbers: Sequence[int]) -> dict[int, str]:
    """The normalised text of the given pages (1-based): to say what changed on them."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return {
            n: normalise(reader.pages[n - 1].extract_text() or "")
            for n in numbers
            if 0 < n <= min(len(reader.pages), MAX_PAGES)
        }
    except Exception as exc:  # damaged input: no text to show, the digests already differ
        raise MalformedInput(
            source=source, reason=_("it is not a readable PDF"), detail=repr(exc)
        ) from exc


def _limited(items: Any, limit: int, source: str) -> Any:
    for count, item in enumerate(items, start=1):
        if count > limit:
            raise UnsafeInput(
                source=source,
                reason=_("it has more than {limit} attachments").format(limit=limit),
            )
        yield item
