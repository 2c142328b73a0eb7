"""Baking and unbaking Open Badges into PNG and SVG images (pure functions on bytes).

Why our own chunk walker instead of an image library: an importer must never decode pixels of an
untrusted image (decompression bombs, decoder bugs), and needs only the text chunks.  We walk the
chunk list with caps on count and length, check every CRC, inflate only the badge chunk, and stop
inflating at a hard cap.  SVG goes through lxml with a parser that expands no entities, loads no
DTD and never touches the network; documents declaring entities are refused outright.

Baking (used by the exporters) inserts one uncompressed ``iTXt`` chunk after ``IHDR`` (PNG) or one
``<openbadges:assertion>``/``<openbadges:credential>`` element (SVG), replacing any earlier badge.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

from lxml import etree

from wallet.errors import MalformedInput, UnsafeInput, UnsupportedInput
from wallet.i18n import _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
BADGE_KEYWORDS = (OB2_KEYWORD, OB3_KEYWORD)
MAX_IMAGE_BYTES = 32 * 1024 * 1024
MAX_CHUNKS = 8192
MAX_TEXT_BYTES = 4 * 1024 * 1024
"""Cap on one badge chunk after inflating: a badge with embedded images stays far below."""

OB2_SVG_NAMESPACE = "http://openbadges.org"
OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PngBadge:
    """The badge text found in a PNG: chunk type, keyword and the text bytes (UTF-8)."""

    chunk_type: str
    keyword: str
    text: bytes


@dataclass(frozen=True, slots=True)
class SvgBadge:
    """The badge found in an SVG: element kind, ``verify`` attribute and element text."""

    kind: str
    """``assertion`` (OB 1.x/2.0) or ``credential`` (OB 3.0)."""
    verify: str | None
    text: bytes
    """The element's text content (CDATA included), stripped; empty when there is none."""


# --------------------------------------------------------------------------- PNG


def is_png(data: bytes) -> bool:
    return data[:8] == PNG_SIGNATURE


def _chunks(data: bytes, source: str) -> list[tuple[bytes, int, int]]:
    """``(type, start, end)`` of every chunk's data up to IEND, with caps and CRCs checked."""
    if len(data) > MAX_IMAGE_BYTES:
        raise UnsafeInput(
            source=source,
            reason=_("the image is larger than {limit} bytes").format(limit=MAX_IMAGE_BYTES),
        )
    if not is_png(data):
        raise UnsupportedInput(source=source, detail="no PNG signature")
    found: list[tuple[bytes, int, int]] = []
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise MalformedInput(source=source, reason=_("the PNG file is truncated"))
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        if length > 0x7FFFFFFF or pos + 12 + length > len(data):
            raise MalformedInput(
                source=source, reason=_("a PNG chunk claims more bytes than the file has")
            )
        if not ctype.isalpha():
            raise MalformedInput(source=source, reason=_("the PNG has an invalid chunk type"))
        start, end = pos + 8, pos + 8 + length
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if zlib.crc32(data[pos + 4 : end]) != crc:
            raise MalformedInput(
                source=source,
                reason=_("the PNG chunk {chunk} fails its checksum (CRC)").format(
                    chunk=ctype.decode("ascii")
                ),
            )
        if not found and ctype != b"IHDR":
            raise MalformedInput(source=source, reason=_("the PNG does not start with IHDR"))
        found.append((ctype, start, end))
        if len(found) > MAX_CHUNKS:
            raise UnsafeInput(
                source=source,
                reason=_("the PNG has more than {limit} chunks").format(limit=MAX_CHUNKS),
            )
        pos = end + 4
        if ctype == b"IEND":
            return found


def _inflate(data: bytes, source: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise MalformedInput(
            source=source, reason=_("the compressed badge text is damaged"), detail=str(exc)
        ) from exc
    if len(out) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise UnsafeInput(
            source=source,
            reason=_("the compressed badge text inflates beyond {limit} bytes").format(
                limit=MAX_TEXT_BYTES
            ),
        )
    if not inflater.eof:
        raise MalformedInput(source=source, reason=_("the compressed badge text is truncated"))
    return out


def _text_chunk(ctype: bytes, body: bytes, source: str) -> tuple[str, bytes] | None:
    """``(keyword, UTF-8 text)`` of a badge text chunk; ``None`` for any other chunk."""
    keyword_raw, sep, rest = body.partition(b"\x00")
    keyword = keyword_raw.decode("latin-1")
    if not sep or keyword not in BADGE_KEYWORDS:
        return None
    if len(rest) > MAX_TEXT_BYTES:
        raise UnsafeInput(
            source=source,
            reason=_("the badge text is larger than {limit} bytes").format(limit=MAX_TEXT_BYTES),
        )
    if ctype == b"tEXt":
        return keyword, rest.decode("latin-1").encode("utf-8")
    if ctype == b"zTXt":
        if not rest or rest[0] != 0:
            raise MalformedInput(source=source, reason=_("unknown compression in a PNG text chunk"))
        return keyword, _inflate(rest[1:], source).decode("latin-1").encode("utf-8")
    # iTXt: compression flag, method, language tag \0, translated keyword \0, text
    if len(rest) < 2:
        raise MalformedInput(source=source, reason=_("a PNG iTXt chunk is truncated"))
    flag, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) != 3 or flag not in (0, 1):
        raise MalformedInput(source=source, reason=_("a PNG iTXt chunk is truncated"))
    text = parts[2]
    if flag == 1:
        if method != 0:
            raise MalformedInput(source=source, reason=_("unknown compression in a PNG text chunk"))
        text = _inflate(text, source)
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedInput(
            source=source, reason=_("the badge text is not UTF-8"), detail=str(exc)
        ) from exc
    return keyword, text


def unbake_png(data: bytes, *, source: str = "") -> PngBadge | None:
    """The badge text chunk of a PNG, or ``None`` when the image carries no badge.

    Raises MalformedInput for damaged files (bad CRC, lying lengths, two badge chunks) and
    UnsafeInput for caps (too many chunks, a text chunk that inflates too far).
    """
    found: PngBadge | None = None
    for ctype, start, end in _chunks(data, source):
        if ctype not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        parsed = _text_chunk(ctype, data[start:end], source)
        if parsed is None:
            continue
        if found is not None:
            raise MalformedInput(
                source=source,
                reason=_(
                    "the image holds more than one badge chunk; the baking specification allows "
                    "only one, so it is ambiguous which is the badge"
                ),
            )
        found = PngBadge(ctype.decode("ascii"), parsed[0], parsed[1])
    return found


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def bake_png(png: bytes, text: str | bytes, *, keyword: str = OB2_KEYWORD) -> bytes:
    """A copy of ``png`` with one uncompressed iTXt badge chunk right after IHDR.

    Earlier badge chunks are removed (a re-bake never leaves two).  ``keyword``:
    ``openbadges`` (OB 2.0) or ``openbadgecredential`` (OB 3.0).
    """
    if keyword not in BADGE_KEYWORDS:
        raise ValueError(f"not a badge keyword: {keyword}")
    payload = text.encode("utf-8") if isinstance(text, str) else text
    chunks = _chunks(png, "image")
    out = [PNG_SIGNATURE]
    for ctype, start, end in chunks:
        body = png[start:end]
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            name = body.partition(b"\x00")[0].decode("latin-1")
            if name in BADGE_KEYWORDS:
                continue
        out.append(_chunk(ctype, body))
        if ctype == b"IHDR":
            out.append(
                _chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + payload)
            )
    return b"".join(out)


# --------------------------------------------------------------------------- SVG


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, source: str) -> etree._Element:
    """Parse untrusted XML hardened; documents declaring entities are refused (billion laughs)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise UnsafeInput(
            source=source,
            reason=_("the image is larger than {limit} bytes").format(limit=MAX_IMAGE_BYTES),
        )
    doctype = _DOCTYPE.search(data)
    if doctype and _ENTITY_DECL.search(data, doctype.start()):
        raise UnsafeInput(
            source=source,
            reason=_("the XML declares entities, which plecak never expands"),
        )
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise MalformedInput(
            source=source, reason=_("the XML is not well-formed"), detail=str(exc)
        ) from exc
    if root is None:
        raise MalformedInput(source=source, reason=_("the XML is not well-formed"))
    return root


def _is_badge_namespace(namespace: str | None) -> bool:
    if not namespace:
        return False
    lowered = namespace.lower()
    return "openbadges" in lowered or "imsglobal.org/ob" in lowered


def _local(tag: object) -> tuple[str | None, str]:
    if not isinstance(tag, str):
        return None, ""
    qname = etree.QName(tag)
    return qname.namespace, qname.localname


def is_svg(root: etree._Element) -> bool:
    return _local(root.tag)[1] == "svg"


def unbake_svg(data: bytes, *, source: str = "") -> SvgBadge | None:
    """The ``openbadges:assertion``/``openbadges:credential`` of an SVG, or ``None``."""
    root = parse_xml(data, source=source)
    if not is_svg(root):
        raise UnsupportedInput(source=source, detail="XML root is not svg")
    found: SvgBadge | None = None
    for element in root.iter():
        namespace, local = _local(element.tag)
        if local not in ("assertion", "credential") or not _is_badge_namespace(namespace):
            continue
        if found is not None:
            raise MalformedInput(
                source=source,
                reason=_(
                    "the image holds more than one badge element; the baking specification "
                    "allows only one, so it is ambiguous which is the badge"
                ),
            )
        verify: str | None = element.get("verify")
        if verify is None:
            for name, value in element.attrib.items():
                if _local(name)[1] == "verify":
                    verify = str(value)
        text = "".join(str(t) for t in element.itertext()).strip()
        found = SvgBadge(
            kind=local,
            verify=verify.strip() if verify else None,
            text=text.encode("utf-8"),
        )
    return found


def bake_svg(
    svg: bytes,
    *,
    text: str | None = None,
    verify: str | None = None,
    kind: str = "assertion",
) -> bytes:
    """A copy of ``svg`` carrying one badge element as the first child of the root.

    OB 2.0: ``kind="assertion"``, ``verify`` = the assertion URL or the compact JWS, ``text`` = the
    hosted assertion JSON (optional).  OB 3.0: ``kind="credential"``, ``text`` = the credential
    JSON, or ``verify`` = the VC-JWT.  Earlier badge elements are removed.
    """
    if kind not in ("assertion", "credential"):
        raise ValueError(f"not a badge element: {kind}")
    root = parse_xml(svg, source="image")
    for element in list(root.iter()):
        namespace, local = _local(element.tag)
        if local in ("assertion", "credential") and _is_badge_namespace(namespace):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    namespace = OB2_SVG_NAMESPACE if kind == "assertion" else OB3_SVG_NAMESPACE
    element = etree.Element(f"{{{namespace}}}{kind}", nsmap={"openbadges": namespace})
    if verify is not None:
        element.set("verify", verify)
    if text is not None:
        element.text = etree.CDATA(text) if "]]>" not in text else text
    element.tail = "\n"
    root.insert(0, element)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result
