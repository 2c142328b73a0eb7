"""How the registry recognises each kind of input by its bytes, without importing its importer.

Why a module of its own: the registry sniffs every blob with each importer in turn, but only the
importer whose sniff says yes is needed.  The importers' modules pull in heavy parsers (lxml for
SVG and Europass XML, the SD-JWT codec, the document readers), so a ``plecak verify`` of one JSON
credential would load them all; with the checks here, the registry imports an importer's module
only once its sniff picks a blob (importers.registry.LazyImporter).  Each importer's own ``sniff``
calls the function here, so there is one definition of each check.
"""

from __future__ import annotations

import re

from wallet.codecs.safejson import looks_like_json
from wallet.ports import Blob

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The PNG file signature (RFC 2083, 3.1)."""
MAX_TEXT_BYTES = 1024 * 1024
MAX_LINES = 1000
_BOM = b"\xef\xbb\xbf"

_SVG_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE\s+svg|<svg[\s>:])", re.S | re.I
)
_EDC_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<([\w.-]+:)?europassCredential[\s>]", re.S
)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF-")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def lines(data: bytes) -> list[bytes]:
    """The non-blank lines of a text blob, stripped (BOM removed)."""
    return [line.strip() for line in data.removeprefix(_BOM).splitlines() if line.strip()]


def png(blob: Blob) -> bool:
    return blob.data[:8] == PNG_SIGNATURE


def json(blob: Blob) -> bool:
    return looks_like_json(blob.data)


def jws(blob: Blob) -> bool:
    from importers.parse import jose

    return jose.looks_like_compact(blob.data)


def sd_jwt(blob: Blob) -> bool:
    from importers.parse import jose
    from wallet.codecs import sd_jwt as codec

    head = jose.strip_token(blob.data[: codec.MAX_SD_JWT + 16])
    return codec.looks_like_sd_jwt(head)


def svg(blob: Blob) -> bool:
    head = blob.data[:4096].removeprefix(_BOM)
    if _SVG_START.match(head):
        return True
    return head.lstrip().startswith(b"<?xml") and b"<svg" in blob.data[:65536]


def edc_xml(blob: Blob) -> bool:
    return bool(_EDC_START.match(blob.data[:4096].removeprefix(_BOM)))


def text(blob: Blob) -> bool:
    """A URL or a compact JWS per line (the text importer's input)."""
    from importers.parse import jose

    data = blob.data
    if not data.strip() or len(data) > MAX_TEXT_BYTES or b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    found = lines(data)
    return 0 < len(found) <= MAX_LINES and all(
        jose.looks_like_compact(line) or (b":" in line and b" " not in line) for line in found
    )
