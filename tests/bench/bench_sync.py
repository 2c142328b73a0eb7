"""Sync numbers (run: ``.venv/bin/python -m tests.bench.bench_sync``); prints, asserts nothing.

A loopback earning host (wallet.demo.host) holds 1,000 OB 3.0 VC-JWTs (EdDSA, did:key); the wallet
connects (registration, PKCE, the browser step driven by an HTTP client) and syncs all of them:
10 pages of 100 through the Fetcher, then every credential through the import pipeline
(parse -> verify: signature, contexts from PLECAK_CONTEXTS, schema -> store, one transaction).
Target (issue 15): < 15 s including verification.  Then a second sync (``since``: nothing new).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from wallet.connect.service import ConnectService
from wallet.demo.host import EarningHost, stock
from wallet.factory import make_service

COUNT = 1000


def browser(url: str) -> bool:
    with httpx.Client(follow_redirects=True, trust_env=False) as client:
        client.get(url)
    return True


def main() -> int:
    os.environ.setdefault("PLECAK_KDF_PROFILE", "test")
    os.environ.pop("PLECAK_OFFLINE", None)
    if not os.environ.get("PLECAK_CONTEXTS"):
        print("set PLECAK_CONTEXTS=../shared/contexts", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder, EarningHost() as host:
        os.environ["PLECAK_CACHE_DIR"] = str(Path(folder) / "cache")
        started = time.perf_counter()
        stock(host, now, ob3=COUNT, badge_connect=0)
        print(f"host: {COUNT} VC-JWTs signed in {time.perf_counter() - started:.2f} s")
        service = make_service(Path(folder) / "wallet", allow_loopback=True)
        service.create("bench")
        connect = ConnectService(service, open_browser=browser)
        asyncio.run(connect.connect(host.base, "bench"))
        started = time.perf_counter()
        (result,) = asyncio.run(connect.sync("bench"))
        elapsed = time.perf_counter() - started
        states: dict[str, int] = {}
        for outcome in result.outcomes:
            key = f"{outcome.state}/{outcome.report.status.value if outcome.report else '-'}"
            states[key] = states.get(key, 0) + 1
        print(f"sync of {len(result.outcomes)} credentials ({result.pages} pages): {elapsed:.2f} s")
        print(f"  outcomes: {states}  (target < 15 s)")
        started = time.perf_counter()
        (again,) = asyncio.run(connect.sync("bench"))
        print(
            f"second sync (since): {len(again.outcomes)} new in "
            f"{time.perf_counter() - started:.2f} s"
        )
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
