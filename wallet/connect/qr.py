"""Credential offers shown as QR codes: ``plecak receive offer.png`` reads the code in the image.

Issuers show an offer as a QR code for a phone; a learner at a terminal saves it (a screenshot)
and gives the file.  PNG is decoded by pypng (pure Python, already a dependency), the code is
found by zxing-cpp (self-contained wheels, no system library).  Untrusted input: the file size and
the pixel count are capped *before* any pixel is decoded (the header tells the size), so a small
file that inflates to a huge image is refused at once.  Transparent pixels count as white paper.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wallet.errors import UsageError
from wallet.i18n import _

MAX_FILE = 8 * 1024 * 1024
MAX_SIDE = 4096
MAX_PIXELS = 4_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_INVERT = bytes(255 - i for i in range(256))


def is_image(head: bytes) -> bool:
    """Whether a file's first bytes are an image format (PNG, JPEG, GIF, WebP)."""
    return head.startswith((PNG_MAGIC, b"\xff\xd8\xff", b"GIF8")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def _image_error(path: Path, reason: str) -> UsageError:
    return UsageError(
        _("No credential offer could be read from the image {path}: {reason}").format(
            path=path.name, reason=reason
        ),
        hint=_("Save the QR code as a PNG (a screenshot will do), or paste the offer link."),
    )


def offer_from_image(path: Path) -> str:
    """The text of the one QR code in a PNG image (the offer link)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise _image_error(path, _("the file is larger than 8 MB."))
    if not data.startswith(PNG_MAGIC):
        raise _image_error(path, _("only PNG images are read."))
    width, height, luminance = _grey(path, data)
    import zxingcpp

    view = memoryview(luminance).cast("B", (height, width))
    codes = [
        code
        for code in zxingcpp.read_barcodes(
            view, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
        if code.valid and code.text
    ]
    texts = sorted({code.text for code in codes})
    if not texts:
        raise _image_error(path, _("it shows no readable QR code."))
    if len(texts) > 1:
        raise _image_error(path, _("it shows more than one QR code; crop it to the offer."))
    return texts[0]


def _grey(path: Path, data: bytes) -> tuple[int, int, bytes]:
    """Width, height and one luminance byte per pixel (the green channel stands for it; a
    transparent pixel is white).  Rows are converted with bytes operations, not per pixel."""
    import zlib

    import png

    try:
        width, height, rows, info = png.Reader(bytes=data).read()
        if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
            raise _image_error(
                path,
                _("the image is {width}×{height} pixels, more than plecak reads.").format(
                    width=width, height=height
                ),
            )
        convert = _converter(info)
        out = bytearray()
        for row in rows:
            out += convert(bytes(row) if info["bitdepth"] <= 8 else bytes(v >> 8 for v in row))
    except (png.Error, ValueError, zlib.error) as exc:  # what a hostile PNG can raise
        raise _image_error(path, _("the PNG is damaged.")) from exc
    if len(out) != width * height:
        raise _image_error(path, _("the PNG is damaged."))
    return width, height, bytes(out)


def _converter(info: dict[str, Any]) -> Callable[[bytes], bytes]:
    """One row of samples (8 bits each) to luminance bytes, by the PNG's colour type."""
    planes = int(info["planes"])
    if "palette" in info:
        table = bytes(
            255 if len(entry) == 4 and entry[3] < 128 else entry[1] for entry in info["palette"]
        ).ljust(256, b"\xff")
        return lambda row: row.translate(table)
    if planes == 1:
        top = (1 << min(int(info["bitdepth"]), 8)) - 1
        scale = bytes(min(255, value * 255 // top) for value in range(256))
        return lambda row: row.translate(scale)
    if planes in (2, 4):  # with alpha: luminance (grey, or green) OR'ed with the transparency
        first = 1 if planes == 4 else 0
        return lambda row: _or(row[first::planes], row[planes - 1 :: planes])
    return lambda row: row[1::3]


def _or(luminance: bytes, alpha: bytes) -> bytes:
    merged = int.from_bytes(luminance, "big") | int.from_bytes(alpha.translate(_INVERT), "big")
    return merged.to_bytes(len(luminance), "big")
