"""The shared bake/unbake codec: round trips, the three text chunk kinds, re-baking."""

from __future__ import annotations

import json

import pytest

from tests.importers import make
from wallet.codecs import baking
from wallet.errors import MalformedInput, UnsupportedInput


def test_png_round_trip_and_rebake_replaces() -> None:
    image = make.png(width=3, height=2)
    once = baking.bake_png(image, "https://i.example/a")
    twice = baking.bake_png(once, '{"a": "ü"}', keyword="openbadgecredential")
    found = baking.unbake_png(twice)
    assert found is not None
    assert found.keyword == "openbadgecredential" and found.text == '{"a": "ü"}'.encode()
    assert found.chunk_type == "iTXt"
    # Pixels untouched: every non-badge chunk is byte-identical.
    assert twice.endswith(image[image.index(b"IDAT") - 4 :])


@pytest.mark.parametrize(
    "chunk",
    [
        make.text_chunk("openbadges", b"https://i.example/a"),
        make.ztxt("openbadges", b"https://i.example/a"),
        make.itxt("openbadges", b"https://i.example/a", compressed=True),
        make.itxt("openbadges", b"https://i.example/a"),
    ],
    ids=["tEXt", "zTXt", "iTXt-compressed", "iTXt"],
)
def test_png_text_chunk_kinds(chunk: bytes) -> None:
    found = baking.unbake_png(make.png(chunk))
    assert found is not None and found.text == b"https://i.example/a"


def test_png_other_text_chunks_are_ignored() -> None:
    image = make.png(make.text_chunk("Comment", b"hello"), make.ztxt("Software", b"x" * 100))
    assert baking.unbake_png(image) is None


def test_png_errors() -> None:
    with pytest.raises(UnsupportedInput):
        baking.unbake_png(b"GIF89a")
    broken = make.png()
    with pytest.raises(MalformedInput):
        baking.unbake_png(broken.replace(b"IHDR", b"IHDX", 1))


def test_svg_round_trip_both_kinds() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10"><circle r="4"/></svg>'
    doc = json.dumps({"x": "]]> inside"})
    baked = baking.bake_svg(svg, text=doc, verify="https://i.example/a")
    found = baking.unbake_svg(baked)
    assert found is not None and found.kind == "assertion"
    assert found.verify == "https://i.example/a" and found.text == doc.encode()
    rebaked = baking.bake_svg(baked, verify="a.b.c", kind="credential")
    found = baking.unbake_svg(rebaked)
    assert found is not None and found.kind == "credential" and found.verify == "a.b.c"
    assert b"circle" in rebaked


def test_svg_two_badge_elements_is_ambiguous() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://a"/><openbadges:assertion verify="https://b"/></svg>'
    )
    with pytest.raises(MalformedInput):
        baking.unbake_svg(svg)


def test_non_svg_xml_is_not_an_image() -> None:
    with pytest.raises(UnsupportedInput):
        baking.unbake_svg(b"<root/>")
