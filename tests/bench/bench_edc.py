"""Benchmark: verifying one sealed EDC (JAdES seal, time-stamp, path at the time of sealing).

Run: .venv/bin/python -m tests.bench.bench_edc [--repeat 50] [--real FILE]

Target: < 200 ms warm.  The credential is sealed in the synthetic trust world of the tests
(qualified e-seal, a signature time-stamp from a listed TSA, an embedded CRL), so every step runs
and the verdict is ``valid``; the first run (imports, snapshot indexing) is reported apart.
``--real FILE``: a real sealed EDC (e.g. conformance/europass's VeloCert) against the shipped
snapshot instead (its seal check passes; the verdict may rest on status lists offline).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from importers.registry import default_registry
from tests.verify_edc import world as w
from wallet.model import CheckStatus, Credential, Status
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.edc import snapshots
from wallet.verify.edc.seal import SNAPSHOT_CACHE_KEY
from wallet.verify.verifier import verify


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--real", type=Path, help="a real sealed EDC, against the shipped lists")
    args = parser.parse_args()
    snapshot = snapshots.current()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.real
        if path is None:
            world = w.make_world()
            snapshot = world.snapshot()
            sealed = w.seal_edc(
                world.seal_cert(),
                sig_tst=(world.tsa, w.SIGNED_AT),
                crls=[w.crl(world.ca, [], datetime(2026, 3, 2, tzinfo=UTC))],
            )
            path = Path(tmp) / "sealed.jades.json"
            path.write_text(json.dumps(sealed), encoding="utf-8")
        (credential,) = [
            c for c in default_registry().read_path(path).found if isinstance(c, Credential)
        ]

    async def once() -> float:
        ctx = VerifyContext(fetcher=FakeFetcher(), clock=lambda: w.NOW, offline=True)
        ctx.cache[SNAPSHOT_CACHE_KEY] = snapshot
        start = time.perf_counter()
        report = await verify(credential, ctx)
        elapsed = time.perf_counter() - start
        checks = {c.id: c.status for c in report.checks}
        assert checks["seal-trust"] is CheckStatus.PASS, [(c.id, c.message) for c in report.checks]
        assert args.real is not None or report.status is Status.VALID
        return elapsed

    first = asyncio.run(once())
    runs = [asyncio.run(once()) for _ in range(args.repeat)]
    print(f"first (cold) {first * 1000:.1f} ms")
    print(f"warm median {statistics.median(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
