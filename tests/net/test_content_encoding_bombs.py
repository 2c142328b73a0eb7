"""Defect: httpx inflated every received chunk without an output limit and stacked decoders for
``Content-Encoding: gzip, gzip``, so a 2 KB answer became a gigabyte in memory before the size cap
looked at it.  Bodies are now read raw and inflated under the cap (wallet.net.decoding)."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable

import pytest

from tests.net.conftest import run
from tests.support.server import LoopbackServer
from wallet.errors import NetworkError, ResponseTooLarge
from wallet.net import HttpFetcher
from wallet.net.decoding import read_body

MakeFetcher = Callable[..., HttpFetcher]


def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


async def _one(chunk: bytes) -> AsyncIterator[bytes]:
    yield chunk


def test_stacked_gzip_bomb_is_refused_without_inflating(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    bomb = gzip.compress(_gzip_of_zeros(32 << 20))  # two layers: ~1 KB on the wire
    assert len(bomb) < 4096
    loopback.routes["/bomb.json"] = lambda _h: (
        200,
        {"Content-Type": "application/json", "Content-Encoding": "gzip, gzip"},
        bomb,
    )

    async def go() -> None:
        async with make_fetcher(max_bytes=100_000) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get(loopback.url("/bomb.json"))
            assert "gzip, gzip" in str(caught.value)
            assert not isinstance(caught.value, ResponseTooLarge)

    run(go())


def test_single_gzip_bomb_inflates_no_further_than_the_cap() -> None:
    bomb = _gzip_of_zeros(64 << 20)  # one ~64 KB chunk that inflates to 64 MB
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            asyncio.run(read_body(_one(bomb), "gzip", "http://x/", 100_000))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak} bytes while inflating"


@pytest.mark.parametrize(
    "coding, body",
    [
        ("gzip", gzip.compress(b'{"ok": true}')),
        ("x-gzip", gzip.compress(b'{"ok": true}')),
        ("deflate", zlib.compress(b'{"ok": true}')),
        ("deflate", zlib.compress(b'{"ok": true}')[2:-4]),  # raw deflate, as some servers send
        ("identity", b'{"ok": true}'),
        ("", b'{"ok": true}'),
    ],
)
def test_one_honest_encoding_still_decodes(
    loopback: LoopbackServer, make_fetcher: MakeFetcher, coding: str, body: bytes
) -> None:
    headers = {"Content-Type": "application/json"}
    if coding:
        headers["Content-Encoding"] = coding
    loopback.routes["/b.json"] = lambda _h: (200, headers, body)

    async def go() -> bytes:
        async with make_fetcher() as fetcher:
            return (await fetcher.get(loopback.url("/b.json"))).body

    assert run(go()) == b'{"ok": true}'


def test_unknown_or_damaged_encoding_is_a_clear_network_error(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/br.json"] = lambda _h: (
        200,
        {"Content-Type": "application/json", "Content-Encoding": "br"},
        b"\x0b\x02\x80{}\x03",
    )
    loopback.routes["/bad.json"] = lambda _h: (
        200,
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
        b"\x1f\x8b\x08\x00not gzip at all",
    )

    async def go() -> None:
        async with make_fetcher() as fetcher:
            with pytest.raises(NetworkError, match="br, which plecak does not accept"):
                await fetcher.get(loopback.url("/br.json"))
            with pytest.raises(NetworkError, match="compressed answer is damaged"):
                await fetcher.get(loopback.url("/bad.json"))

    run(go())
