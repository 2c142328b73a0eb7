"""QR-code offers in PNG images of every colour type (wallet.connect.qr), and damaged ones."""

from __future__ import annotations

from pathlib import Path

import png
import pytest
import segno

from wallet.connect.qr import offer_from_image
from wallet.errors import UsageError

OFFER = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Fo%2F7"


def segno_png(tmp_path: Path, **colours: object) -> Path:
    path = tmp_path / "offer.png"
    segno.make(OFFER, error="m").save(str(path), kind="png", scale=5, **colours)
    return path


def rewritten(tmp_path: Path, source: Path, mode: str) -> Path:
    """The same picture written again as 8-bit RGBA, RGB, grey+alpha or 16-bit grey."""
    width, height, rows, _info = png.Reader(filename=str(source)).asRGBA8()
    pixels = [list(row) for row in rows]
    path = tmp_path / f"offer-{mode}.png"
    if mode == "rgba":  # dark on transparent, as many screenshots of web pages are
        out = [
            [v if i % 4 != 3 else (255 if row[i - 1] < 128 else 0) for i, v in enumerate(row)]
            for row in pixels
        ]
        writer = png.Writer(width, height, alpha=True, greyscale=False)
    elif mode == "rgb":
        out = [[v for i, v in enumerate(row) if i % 4 != 3] for row in pixels]
        writer = png.Writer(width, height, greyscale=False)
    elif mode == "grey-alpha":
        out = [[v for i, v in enumerate(row) if i % 4 in (1, 3)] for row in pixels]
        writer = png.Writer(width, height, greyscale=True, alpha=True)
    else:
        out = [[v * 257 for v in row[1::4]] for row in pixels]
        writer = png.Writer(width, height, greyscale=True, bitdepth=16)
    with path.open("wb") as handle:
        writer.write(handle, out)
    return path


@pytest.mark.parametrize(
    "colours",
    [{}, {"light": None}, {"dark": "darkblue", "light": "#ffeecc"}],
    ids=["one-bit-grey", "transparent-palette", "coloured-palette"],
)
def test_segno_pngs_are_read(tmp_path: Path, colours: dict[str, object]) -> None:
    assert offer_from_image(segno_png(tmp_path, **colours)) == OFFER


@pytest.mark.parametrize("mode", ["rgba", "rgb", "grey-alpha", "grey16"])
def test_every_colour_type_is_read(tmp_path: Path, mode: str) -> None:
    assert offer_from_image(rewritten(tmp_path, segno_png(tmp_path), mode)) == OFFER


def test_a_truncated_png_is_a_clear_error(tmp_path: Path) -> None:
    path = segno_png(tmp_path)
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(UsageError, match="damaged"):
        offer_from_image(path)


def test_two_codes_in_one_image_are_refused(tmp_path: Path) -> None:
    first = png.Reader(filename=str(segno_png(tmp_path))).asDirect()
    other = tmp_path / "other.png"
    segno.make(OFFER + "2", error="m").save(str(other), kind="png", scale=5)
    second = png.Reader(filename=str(other)).asDirect()
    rows = [list(a) + list(b) for a, b in zip(first[2], second[2], strict=False)]
    both = tmp_path / "both.png"
    with both.open("wb") as handle:
        png.Writer(first[0] + second[0], len(rows), greyscale=True, bitdepth=1).write(handle, rows)
    with pytest.raises(UsageError, match="more than one QR code"):
        offer_from_image(both)
