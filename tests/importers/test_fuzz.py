"""Hypothesis fuzzing of the PNG, SVG and JWS parsers: nothing but WalletError ever escapes."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.parse import jose
from importers.registry import default_registry
from tests.importers import make
from wallet.codecs import baking
from wallet.errors import WalletError
from wallet.ports import Blob

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

BAKED_PNG = baking.bake_png(
    make.png(width=2, height=2), json.dumps(make.ob3_credential()), keyword="openbadgecredential"
)
BAKED_SVG = baking.bake_svg(
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>',
    text=json.dumps(make.ob2_assertion()),
    verify="https://i.example/a",
)
TOKEN = make.jws(make.ob3_credential())


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few random byte edits, a truncation or an insertion."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif data:
            del data[pos : pos + draw(st.integers(1, 16))]
    return bytes(data)


def _parse_everything(data: bytes) -> None:
    """The registry must turn any input into results or WalletErrors; nothing else may escape."""
    batch = default_registry().parse_blob(Blob(data, "fuzz"))
    for failure in batch.failures:
        assert isinstance(failure.error, WalletError)


@FUZZ
@given(
    st.one_of(mutated(BAKED_PNG), st.binary(max_size=512).map(lambda b: baking.PNG_SIGNATURE + b))
)
def test_png_parser(data: bytes) -> None:
    with contextlib.suppress(WalletError):
        baking.unbake_png(data, source="fuzz")
    _parse_everything(data)


_XML_PIECES = st.sampled_from(
    [
        "<svg xmlns='http://www.w3.org/2000/svg'>",
        "</svg>",
        "<openbadges:assertion xmlns:openbadges='http://openbadges.org' verify='https://a.example/x'>",
        "</openbadges:assertion>",
        "<openbadges:credential xmlns:openbadges='https://purl.imsglobal.org/ob/v3p0'>",
        "</openbadges:credential>",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE svg>",
        "<!ENTITY a 'b'>",
        "&a;",
        "<?xml version='1.0'?>",
        '{"@context": "https://w3id.org/openbadges/v2"}',
        TOKEN,
        "<g>",
        "</g>",
        "&#0;",
        "\x00",
    ]
)


@FUZZ
@given(
    st.one_of(
        mutated(BAKED_SVG), st.lists(_XML_PIECES, max_size=12).map(lambda p: "".join(p).encode())
    )
)
def test_svg_parser(data: bytes) -> None:
    with contextlib.suppress(WalletError):
        baking.unbake_svg(data, source="fuzz")
    _parse_everything(data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_B64_PART = st.one_of(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=40
    ),
    _JSON.map(lambda v: make.b64url(json.dumps(v).encode())),
    st.dictionaries(st.sampled_from(["alg", "typ", "kid", "b64", "crit"]), _JSON, max_size=4).map(
        lambda v: make.b64url(json.dumps(v).encode())
    ),
    st.just(make.b64url(json.dumps({"alg": "RS256"}).encode())),
    st.just(make.b64url(json.dumps({"vc": make.ob3_credential()}).encode())),
)


@FUZZ
@given(
    st.one_of(
        st.tuples(_B64_PART, _B64_PART, _B64_PART).map(".".join),
        mutated(TOKEN.encode()).map(lambda b: b.decode("latin-1")),
    )
)
def test_jws_parser(token: str) -> None:
    data = token.encode("utf-8", "surrogatepass")
    with contextlib.suppress(WalletError):
        jose.decode_compact(data, source="fuzz")
    _parse_everything(data)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(doc: object, path: tuple[object, ...], new: object) -> object:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(doc)]
    return doc


_SKELETONS = [make.ob2_assertion(), make.ob3_credential()]


@st.composite
def odd_documents(draw: st.DrawFn) -> bytes:
    """A real badge with a few values swapped for values of the wrong shape."""
    doc: object = draw(st.sampled_from(_SKELETONS))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)[1:]
        doc = _replace(doc, draw(st.sampled_from(paths)), draw(_JSON))
    return json.dumps(doc).encode()


@FUZZ
@given(odd_documents())
def test_normalisers_survive_wrong_shapes(data: bytes) -> None:
    _parse_everything(data)
    _parse_everything(make.jws(json.loads(data)).encode())
