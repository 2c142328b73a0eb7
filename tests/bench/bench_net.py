"""Fetcher numbers (run: ``.venv/bin/python -m tests.bench.bench_net``); prints, asserts nothing.

Measures: import cost of wallet.net, network fetches from a loopback server (distinct URLs,
bounded concurrency), cache hits, coalesced concurrent requests, mirror load and lookups,
write_mirror.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.server import LoopbackServer
from wallet.net import HttpFetcher, load_mirror, write_mirror


def _import_ms() -> float:
    code = "import time; t=time.perf_counter(); import wallet.net; print(time.perf_counter()-t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(5)
    ]
    return sorted(runs)[2] * 1000


async def _network(server: LoopbackServer, n: int) -> tuple[float, int]:
    async with HttpFetcher(allow_loopback=True) as fetcher:
        start = time.perf_counter()
        await asyncio.gather(*(fetcher.get(server.url(f"/d{i}")) for i in range(n)))
        return time.perf_counter() - start, fetcher.peak_in_flight


async def _cache(server: LoopbackServer, n: int) -> tuple[float, float, int]:
    async with HttpFetcher(allow_loopback=True) as fetcher:
        url = server.url("/d0")
        await fetcher.get(url)
        start = time.perf_counter()
        for _ in range(n):
            await fetcher.get(url)
        hits = time.perf_counter() - start
        start = time.perf_counter()
        await asyncio.gather(*(fetcher.get(server.url("/d1")) for _ in range(n)))
        coalesced = time.perf_counter() - start
        return hits, coalesced, server.hits("/d1")


def main() -> None:
    print(f"import wallet.net: {_import_ms():.1f} ms (median of 5, fresh interpreter)")
    body = json.dumps({"@context": "https://w3id.org/openbadges/v2", "pad": "x" * 2000}).encode()
    with LoopbackServer({f"/d{i}": (200, "application/ld+json", body) for i in range(500)}) as srv:
        seconds, peak = asyncio.run(_network(srv, 500))
        print(
            f"network: 500 distinct documents of {len(body)} B in {seconds * 1000:.0f} ms "
            f"({500 / seconds:.0f}/s), peak in flight {peak} (bound 10)"
        )
        before = srv.hits("/d1")
        hits, coalesced, sent = asyncio.run(_cache(srv, 10_000))
        sent -= before
        print(f"cache hit: {hits / 10_000 * 1e6:.1f} us per get (10,000 gets)")
        print(
            f"coalescing: 10,000 concurrent gets of one URL in {coalesced * 1000:.0f} ms, "
            f"{sent} request(s) sent"
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "doc.json").write_bytes(body)
        index = {f"https://issuer.example/{i}": "doc.json" for i in range(10_000)}
        (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
        start = time.perf_counter()
        mirror = load_mirror(folder / "index.json")
        loaded = time.perf_counter() - start
        print(f"mirror: load 10,000-entry index in {loaded * 1000:.0f} ms")

        async def lookups() -> tuple[float, HttpFetcher]:
            fetcher = HttpFetcher(offline=True, mirrors=[folder / "index.json"])
            start = time.perf_counter()
            for url in list(mirror.entries)[:2000]:
                await fetcher.get(url)
            return time.perf_counter() - start, fetcher

        seconds, fetcher = asyncio.run(lookups())
        print(f"mirror: 2,000 offline gets (read + sha256 + record) in {seconds * 1000:.0f} ms")
        start = time.perf_counter()
        write_mirror(folder / "evidence", fetcher.records, fetcher.body_of)
        print(f"write_mirror: 2,000 records in {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
