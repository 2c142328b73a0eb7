"""The badge image in the terminal: a PNG decoded with pypng, drawn with half-block characters.

Only ever used to *display* an image already imported into the wallet (a baked badge's own bytes or
an inline ``data:`` image); nothing is fetched for it.  The image is untrusted input, so decoding is
capped before any pixel is read: file size, pixel dimensions and total pixels.  Anything over a cap,
not a PNG, or broken gives ``None`` and the screen shows a placeholder instead.

Each terminal cell shows two pixels: ``▀`` with the upper pixel as the foreground colour and the
lower one as the background.  Transparent pixels are blended onto the panel's background colour.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_BYTES = 4 * 1024 * 1024
MAX_SIDE = 2048
MAX_PIXELS = 2048 * 2048

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class CellImage:
    """``rows`` of cells; each cell is (upper pixel, lower pixel)."""

    width: int
    height: int
    rows: tuple[tuple[tuple[RGB, RGB], ...], ...]


def _blend(pixel: tuple[int, int, int, int], background: RGB) -> RGB:
    r, g, b, a = pixel
    if a >= 255:
        return (r, g, b)
    br, bg, bb = background
    return (
        (r * a + br * (255 - a)) // 255,
        (g * a + bg * (255 - a)) // 255,
        (b * a + bb * (255 - a)) // 255,
    )


def png_cells(
    data: bytes, max_cols: int, max_rows: int, background: RGB = (30, 30, 30)
) -> CellImage | None:
    """Scale a PNG to fit ``max_cols`` x ``max_rows`` cells (aspect kept), or None if unsuitable."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > MAX_BYTES:
        return None
    if max_cols < 1 or max_rows < 1:
        return None
    try:
        import png

        reader = png.Reader(bytes=data)
        reader.preamble()
        width, height = int(reader.width), int(reader.height)
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
            return None
        scale = min(max_cols / width, (max_rows * 2) / height, 1.0)
        out_w = max(1, int(width * scale))
        out_h = max(2, int(height * scale))
        out_h += out_h % 2
        wanted_rows = {min(height - 1, int(y * height / out_h)): y for y in range(out_h)}
        columns = [min(width - 1, int(x * width / out_w)) for x in range(out_w)]
        picked: dict[int, list[RGB]] = {}
        _w, _h, rows, _info = reader.asRGBA8()
        for y, row in enumerate(rows):
            if y in wanted_rows:
                picked[y] = [_blend(tuple(row[4 * x : 4 * x + 4]), background) for x in columns]
            if y >= max(wanted_rows):
                break
        # Several output rows may sample the same source row (upscaling is off, but rounding).
        grid = [picked[min(height - 1, int(y * height / out_h))] for y in range(out_h)]
        cells = tuple(
            tuple(zip(grid[2 * r], grid[2 * r + 1], strict=True)) for r in range(out_h // 2)
        )
        return CellImage(width=out_w, height=out_h // 2, rows=cells)
    except Exception:  # any decoding problem means "show the placeholder"
        log.debug("badge image not shown", exc_info=True)
        return None
