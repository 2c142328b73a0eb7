"""Badge images for the demo issuer, drawn in code (a coloured medal per badge; no files shipped)."""

from __future__ import annotations

import hashlib
import io
from xml.sax.saxutils import escape

import png

SIZE = 64


def _colour(slug: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(slug.encode()).digest()
    return (60 + digest[0] % 160, 60 + digest[1] % 160, 60 + digest[2] % 160)


def badge_png(slug: str) -> bytes:
    """A round medal: a coloured disc, a white ring and a golden centre, transparent outside."""
    r, g, b = _colour(slug)
    centre = (SIZE - 1) / 2
    rows = []
    for y in range(SIZE):
        row: list[int] = []
        for x in range(SIZE):
            d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if d > SIZE / 2 - 1:
                row += [0, 0, 0, 0]
            elif d > SIZE / 2 - 5:
                row += [240, 240, 240, 255]
            elif d < SIZE / 6:
                row += [245, 195, 50, 255]
            else:
                row += [r, g, b, 255]
        rows.append(row)
    out = io.BytesIO()
    png.Writer(SIZE, SIZE, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def badge_svg(label: str) -> bytes:
    r, g, b = _colour(label)
    text = escape(label)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">'
        f'<circle cx="64" cy="64" r="60" fill="rgb({r},{g},{b})" stroke="#eee" stroke-width="6"/>'
        f'<text x="64" y="70" font-size="14" text-anchor="middle" fill="#fff">{text}</text>'
        "</svg>"
    ).encode()
