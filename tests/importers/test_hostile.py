"""Hostile inputs: each kind gets a clear InputError, fast, without big memory, writing nothing.

Every case runs through the public registry (as the CLI would) and is checked for: exactly one
failure, of the expected InputError subclass, with a user message; under 2 s of this process's
CPU time (not wall time: other processes on a loaded machine do not count); Python heap peak
under 200 MB; and no file created anywhere under the test's folder or its parent.  The PNG chunk
walker's cost is checked by how it grows (N against 8N chunks), which load cannot fake.
"""

from __future__ import annotations

import json
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from importers.registry import default_registry
from tests.importers import make
from tests.support.server import LoopbackServer
from wallet.errors import InputError, MalformedInput, UnsafeInput, UnsupportedInput
from wallet.ports import ImportBatch

MAX_CPU_SECONDS = 2.0
"""Generous: the slowest case needs about 0.3 s of CPU under tracemalloc."""
MAX_PEAK_BYTES = 200 * 1024 * 1024


def _zeros_deflated(size: int) -> bytes:
    comp = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    out = [comp.compress(block) for _ in range(size // len(block))]
    out.append(comp.flush())
    return b"".join(out)


def _png_ztxt_bomb() -> bytes:
    body = b"openbadges\x00\x00" + _zeros_deflated(64 * 1024 * 1024)
    return make.png(make.chunk(b"zTXt", body))


def _png_itxt_bomb() -> bytes:
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + _zeros_deflated(64 * 1024 * 1024)
    return make.png(make.chunk(b"iTXt", body))


def _png_lying_length() -> bytes:
    good = make.png(make.text_chunk("openbadges", b"https://i.example/a"))
    # Claim the text chunk holds 2 GiB - 16 bytes.
    pos = good.index(b"tEXt") - 4
    return good[:pos] + struct.pack(">I", 0x7FFFFFF0) + good[pos + 4 :]


def _png_bad_crc() -> bytes:
    return make.png(make.chunk(b"tEXt", b"openbadges\x00https://i.example/a", crc=0x12345678))


def _png_many_chunks() -> bytes:
    return make.png(*[make.chunk(b"tEXt", b"Comment\x00x")] * 20_000)


def _png_two_badges() -> bytes:
    return make.png(
        make.itxt("openbadges", b"https://i.example/a"),
        make.itxt("openbadgecredential", b"https://i.example/b"),
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://i.example/a">&lol9;</openbadges:assertion></svg>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://i.example/a">&xxe;</openbadges:assertion></svg>"""


def _deep_json() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _big_json() -> bytes:
    doc = make.ob3_credential(description="x" * (30 * 1024 * 1024))
    return json.dumps(doc).encode()


def _jws_garbage() -> bytes:
    return b"eyJhbGciOiJSUzI1NiJ9.!!!notbase64!!!.c2ln"


def _jws_garbage_header() -> bytes:
    return (make.b64url(b"\xff\xfe not json") + "." + make.b64url(b"{}") + ".c2ln").encode()


def _jws_alg_none() -> bytes:
    return make.jws(make.ob3_credential(), header={"alg": "none"}, signature=b"junk").encode()


def _jws_alg_none_empty_signature() -> bytes:
    token = make.jws(make.ob3_credential(), header={"alg": "none"}, signature=b"")
    return token.encode()


def _zip_with(name: str, *, symlink: bool = False) -> bytes:
    return make.zip_bytes({name: b"https://i.example/a"}, symlinks=(name,) if symlink else ())


def _zip_bomb() -> bytes:
    import io

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.json", "w", force_zip64=True) as member,
    ):
        block = b"\x00" * (1024 * 1024)
        for _ in range(30):
            member.write(block)
    return buffer.getvalue()


def _zip_lying_size() -> bytes:
    data = make.zip_bytes({"a.json": json.dumps(make.ob3_credential()).encode()})
    # Patch the central directory's uncompressed size of the only entry to 10 bytes.
    central = data.rindex(b"PK\x01\x02")
    return data[: central + 24] + struct.pack("<I", 10) + data[central + 28 :]


CASES: dict[str, tuple[Callable[[], bytes], type[InputError]]] = {
    "png-ztxt-decompression-bomb": (_png_ztxt_bomb, UnsafeInput),
    "png-itxt-decompression-bomb": (_png_itxt_bomb, UnsafeInput),
    "png-chunk-length-lies": (_png_lying_length, MalformedInput),
    "png-text-chunk-crc-wrong": (_png_bad_crc, MalformedInput),
    "png-twenty-thousand-chunks": (_png_many_chunks, UnsafeInput),
    "png-two-badge-chunks": (_png_two_badges, MalformedInput),
    "png-truncated": (lambda: make.png()[:40], MalformedInput),
    "svg-billion-laughs": (lambda: BILLION_LAUGHS, UnsafeInput),
    "svg-external-entity": (lambda: EXTERNAL_ENTITY, UnsafeInput),
    "svg-not-well-formed": (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'><g>", MalformedInput),
    "json-nested-100000-deep": (_deep_json, UnsafeInput),
    "json-30-mb": (_big_json, UnsafeInput),
    "json-truncated": (
        lambda: b'{"@context": "https://w3id.org/openbadges/v2", "type"',
        MalformedInput,
    ),
    "jws-garbage-parts": (_jws_garbage, InputError),
    "jws-garbage-header": (_jws_garbage_header, MalformedInput),
    "jws-alg-none": (_jws_alg_none, UnsafeInput),
    "jws-alg-none-empty-signature": (_jws_alg_none_empty_signature, UnsafeInput),
    "jws-alg-none-uppercase": (
        lambda: make.jws(make.ob3_credential(), header={"alg": "NONE"}).encode(),
        UnsafeInput,
    ),
    "jws-unknown-alg": (
        lambda: make.jws(make.ob3_credential(), header={"alg": "XYZ999"}).encode(),
        UnsafeInput,
    ),
    "zip-traversal": (lambda: _zip_with("../../evil.txt"), UnsafeInput),
    "zip-absolute-path": (lambda: _zip_with("/tmp/evil.txt"), UnsafeInput),
    "zip-windows-absolute-path": (lambda: _zip_with("C:\\evil.txt"), UnsafeInput),
    "zip-symlink": (lambda: _zip_with("link.json", symlink=True), UnsafeInput),
    "zip-bomb-high-ratio": (_zip_bomb, UnsafeInput),
    "zip-directory-lies-about-size": (_zip_lying_size, InputError),
    "zip-damaged": (lambda: b"PK\x03\x04" + b"\x00" * 100, MalformedInput),
    "empty-file": (lambda: b"", UnsupportedInput),
    "whitespace-only": (lambda: b" \n\t\n", UnsupportedInput),
    "random-bytes": (lambda: bytes((i * 7919 + 13) % 256 for i in range(4096)), UnsupportedInput),
    "baked-url-file-scheme": (
        lambda: make.png(make.itxt("openbadges", b"file:///etc/passwd")),
        UnsafeInput,
    ),
    "baked-url-javascript-scheme": (
        lambda: make.png(make.text_chunk("openbadges", b"javascript:alert(1)")),
        UnsafeInput,
    ),
    "svg-verify-data-scheme": (
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
            b'<openbadges:assertion verify="data:text/html,hi"/></svg>'
        ),
        UnsafeInput,
    ),
    "jpeg-image": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 200, UnsupportedInput),
}


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_clearly(name: str, tmp_path: Path) -> None:
    build, expected = CASES[name]
    data = build()
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    del data
    watched = tmp_path.parent
    before = _files_under(tmp_path)
    tracemalloc.start()
    started = time.process_time()
    try:
        batch: ImportBatch = default_registry().read_path(path)
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not batch.found, batch.found
    assert len(batch.failures) == 1, batch.failures
    error = batch.failures[0].error
    assert isinstance(error, expected), repr(error)
    message = error.user_message()
    assert message and "Traceback" not in message
    assert elapsed < MAX_CPU_SECONDS, f"{name} took {elapsed:.2f}s of CPU"
    assert peak < MAX_PEAK_BYTES, f"{name} peaked at {peak / 1e6:.0f} MB"
    assert _files_under(tmp_path) == before
    assert not (watched / "evil.txt").exists()


def _cpu_to_read(path: Path) -> float:
    """Best of five: the CPU time of this process to import ``path`` (the least disturbed run)."""
    registry = default_registry()
    registry.read_path(path)  # first-use imports and caches are not the walker's cost
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        registry.read_path(path)
        best = min(best, time.process_time() - started)
    return best


def _png_of_comments(tmp_path: Path, count: int) -> Path:
    path = tmp_path / f"comments-{count}.png"
    path.write_bytes(make.png(*[make.chunk(b"tEXt", b"Comment\x00x")] * count))
    return path


def test_chunk_walk_grows_linearly_below_the_cap(tmp_path: Path) -> None:
    """8x the chunks costs about 8x the work; a quadratic walk would cost about 64x."""
    small, large = (_png_of_comments(tmp_path, n) for n in (1024, 8 * 1024))
    ratio = _cpu_to_read(large) / _cpu_to_read(small)
    assert ratio < 24, f"8x the chunks cost {ratio:.1f}x the CPU: the walk is not linear"


def test_chunk_walk_stops_at_the_cap(tmp_path: Path) -> None:
    """Past the cap the refusal costs the same however many chunks follow (not 4x for 4x)."""
    few, many = (_png_of_comments(tmp_path, n) for n in (20_000, 80_000))
    assert isinstance(default_registry().read_path(many).failures[0].error, UnsafeInput)
    ratio = _cpu_to_read(many) / _cpu_to_read(few)
    assert ratio < 2.5, f"4x the chunks past the cap cost {ratio:.1f}x the CPU"


def test_external_dtd_is_never_fetched() -> None:
    with LoopbackServer(
        {"/evil.dtd": (200, "application/xml-dtd", b'<!ENTITY x "boom">')}
    ) as server:
        svg = (
            f'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "{server.url("/evil.dtd")}">'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
            '<openbadges:assertion verify="https://i.example/a">&x;</openbadges:assertion></svg>'
        ).encode()
        batch = default_registry().parse_blob(__import__("wallet.ports").ports.Blob(svg, "x.svg"))
        assert server.requests == []
    # The undefined entity stays unexpanded: the verify URL is the badge, nothing else.
    assert not batch.failures or isinstance(batch.failures[0].error, InputError)
    if batch.found:
        assert getattr(batch.found[0], "url", None) == "https://i.example/a"


def test_standard_svg_doctype_without_entities_is_accepted() -> None:
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://i.example/a"/></svg>'
    )
    from wallet.ports import Blob, UrlReference

    batch = default_registry().parse_blob(Blob(svg, "x.svg"))
    assert not batch.failures
    assert isinstance(batch.found[0], UrlReference)
