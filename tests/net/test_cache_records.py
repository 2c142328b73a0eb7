"""Per-run cache, coalescing of concurrent requests, the concurrency bound, the evidence records."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from tests.conftest import FIXED_NOW
from tests.net.conftest import run
from tests.support.server import Body, LoopbackServer
from wallet.errors import NetworkError
from wallet.model import FetchRecord
from wallet.net import HttpFetcher
from wallet.ports import Fetcher

MakeFetcher = Callable[..., HttpFetcher]


def test_http_fetcher_satisfies_the_fetcher_protocol(make_fetcher: MakeFetcher) -> None:
    assert isinstance(make_fetcher(), Fetcher)


def test_same_url_fetched_once_even_when_requested_concurrently(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """Twenty concurrent gets of one URL: one request reaches the server (the others wait for
    it, held back by an Event until they have all asked)."""
    gate = threading.Event()

    def slow(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        gate.wait(timeout=5)
        return 200, {"Content-Type": "application/ld+json"}, b'{"id": "x"}'

    loopback.routes["/issuer.json"] = slow

    async def go() -> None:
        async with make_fetcher() as fetcher:
            url = loopback.url("/issuer.json")
            tasks = [asyncio.ensure_future(fetcher.get(url)) for _ in range(20)]
            await asyncio.sleep(0)  # let every task register before the answer is released
            gate.set()
            responses = await asyncio.gather(*tasks)
            assert {r.body for r in responses} == {b'{"id": "x"}'}
            again = await fetcher.get(url + "#key-1")
            assert again.url == url + "#key-1" and again.body == b'{"id": "x"}'
            assert len(fetcher.records) == 1
            assert fetcher.network_requests == 1

    run(go())
    assert loopback.hits("/issuer.json") == 1


def test_failures_are_shared_too(make_fetcher: MakeFetcher) -> None:
    calls: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        raise OSError("no such host")

    async def go() -> None:
        async with make_fetcher(resolver=resolver) as fetcher:
            for _ in range(3):
                with pytest.raises(NetworkError):
                    await fetcher.get("https://down.test/badge.json")

    run(go())
    assert calls == ["down.test"]


def test_concurrency_is_bounded(loopback: LoopbackServer, make_fetcher: MakeFetcher) -> None:
    """The first ``limit`` requests are held until ``limit`` are in flight; a request beyond the
    bound would arrive while they are held and is counted (its arrival also ends the hold, so a
    broken bound fails fast instead of hanging)."""
    limit = 3
    lock = threading.Lock()
    active = 0
    peak = 0
    full = threading.Event()
    extra = threading.Event()
    watched = threading.Event()

    def handler(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
            if active == limit:
                full.set()
            if active > limit:
                extra.set()
        full.wait(timeout=5)
        if not watched.is_set():  # the first batch: a window in which an extra request shows up
            extra.wait(timeout=0.3)
            watched.set()
        with lock:
            active -= 1
        return 200, {"Content-Type": "text/plain"}, b"ok"

    for n in range(10):
        loopback.routes[f"/doc{n}"] = handler

    async def go() -> None:
        async with make_fetcher(concurrency=limit) as fetcher:
            urls = [loopback.url(f"/doc{n}") for n in range(10)]
            responses = await asyncio.gather(*(fetcher.get(u) for u in urls))
            assert all(r.body == b"ok" for r in responses)
            assert fetcher.peak_in_flight == limit

    run(go())
    assert peak == limit
    assert len(loopback.requests) == 10


def test_records_are_the_evidence(loopback: LoopbackServer, make_fetcher: MakeFetcher) -> None:
    body = b'{"type": "Profile"}'
    loopback.routes["/issuer"] = (200, "application/json; charset=utf-8", body)
    loopback.routes["/revoked"] = (410, "text/plain", b"")
    loopback.routes["/moved"] = lambda _h: (302, {"Location": "/issuer"}, b"")

    async def go() -> None:
        async with make_fetcher() as fetcher:
            first = await fetcher.get(loopback.url("/issuer"))
            await fetcher.get(loopback.url("/issuer"))  # cache hit: no second record
            moved = await fetcher.get(loopback.url("/moved"))
            await fetcher.get(loopback.url("/revoked"))
            digest = hashlib.sha256(body).hexdigest()
            assert first.record == FetchRecord(
                url=loopback.url("/issuer"),
                final_url=loopback.url("/issuer"),
                status=200,
                content_type="application/json",
                sha256=digest,
                fetched_at=FIXED_NOW,
                size=len(body),
                origin="network",
            )
            assert moved.record.url == loopback.url("/moved")
            assert moved.record.final_url == loopback.url("/issuer")
            assert [r.url for r in fetcher.records] == [
                loopback.url("/issuer"),
                loopback.url("/moved"),
                loopback.url("/revoked"),
            ]
            assert fetcher.body_of(digest) == body
            assert fetcher.body_of(hashlib.sha256(b"").hexdigest()) == b""
            assert fetcher.body_of("0" * 64) is None
            assert all(r.fetched_at == FIXED_NOW for r in fetcher.records)

    run(go())
    assert loopback.hits("/issuer") == 2  # once directly, once as the redirect target


def test_aclose_cancels_nothing_finished_and_closes(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/a"] = (200, "text/plain", b"a")

    async def go() -> None:
        fetcher = make_fetcher()
        await fetcher.get(loopback.url("/a"))
        await fetcher.aclose()
        await fetcher.aclose()  # idempotent
        assert fetcher.records[0].size == 1

    run(go())


def test_importing_wallet_net_does_not_import_httpx() -> None:
    """``plecak --help`` must stay fast: httpx loads on the first network request only."""
    code = (
        "import sys, wallet.net; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore', 'anyio')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_one_fetcher_across_event_loops(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """The CLI may call asyncio.run more than once with the same fetcher: the cache survives,
    the HTTP client is made afresh for the new loop."""
    loopback.routes["/a"] = (200, "text/plain", b"a")
    loopback.routes["/b"] = (200, "text/plain", b"b")
    fetcher = make_fetcher()

    async def first() -> None:
        assert (await fetcher.get(loopback.url("/a"))).body == b"a"

    async def second() -> None:
        assert (await fetcher.get(loopback.url("/a"))).body == b"a"  # from the cache
        assert (await fetcher.get(loopback.url("/b"))).body == b"b"  # new client, new loop
        await fetcher.aclose()

    run(first())
    run(second())
    assert loopback.hits("/a") == 1 and loopback.hits("/b") == 1
    assert [r.url for r in fetcher.records] == [loopback.url("/a"), loopback.url("/b")]
