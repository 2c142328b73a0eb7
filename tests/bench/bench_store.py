"""Benchmark: the encrypted store with 10,000 credentials (store.md §8).

Run: .venv/bin/python tests/bench/bench_store.py [--count 10000] [--image-bytes 2000] [--test-kdf]
Prints: fill rate, unlock (one KDF run), list after unlock (index only), one credential (record
decrypt + decode), history, id resolution, full integrity check, backup.
Targets: list < 1 s after unlock; one credential < 50 ms.  Unlock is the KDF's cost (~0.5 s by
design, the ``default`` profile) unless --test-kdf.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.store import factory
from wallet.store import PROFILE_ENV, Wallet

T = TypeVar("T")
PASS = "benchmark passphrase"


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--image-bytes", type=int, default=2000)
    parser.add_argument("--test-kdf", action="store_true", help="cheap KDF (skip the real cost)")
    args = parser.parse_args()
    if args.test_kdf:
        os.environ[PROFILE_ENV] = "test"
    else:
        os.environ.pop(PROFILE_ENV, None)

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "wallet"
        sha, body = factory.evidence_body(0)
        with Wallet.create(home, PASS) as wallet:
            started = time.perf_counter()
            for start in range(0, args.count, 500):
                with wallet.batch():
                    for n in range(start, min(start + 500, args.count)):
                        wallet.add_credential(
                            factory.credential(n, image_bytes=args.image_bytes),
                            factory.report(n, sha256=sha),
                            {sha: body},
                            tags=[f"tag{n % 20}"],
                        )
            filled = time.perf_counter() - started
        size = sum(p.stat().st_size for p in home.iterdir())
        print(f"credentials            {args.count}  ({size / 2**20:.1f} MiB on disk)")
        print(
            f"fill                   {filled:.1f} s  ({args.count / filled:.0f}/s, batches of 500)"
        )

        wallet, unlock = timed(lambda: Wallet.open(home, PASS))
        kdf = wallet.kdf_params()
        print(
            f"unlock (KDF)           {unlock * 1000:.0f} ms  ({kdf.alg} t={kdf.iterations}"
            f" m={kdf.memory_kib // 1024} MiB p={kdf.lanes})"
        )
        entries, first_list = timed(wallet.list_entries)
        _, second_list = timed(wallet.list_entries)
        print(
            f"list after unlock      {first_list * 1000:.0f} ms  (again: {second_list * 1000:.0f} ms;"
            f" {len(entries)} entries)  target < 1000 ms"
        )
        print(f"unlock + list          {(unlock + first_list) * 1000:.0f} ms")
        report, check = timed(wallet.damage)
        print(
            f"catalogue check        {check * 1000:.0f} ms  ({len(report.findings)} findings;"
            f" what `plecak list` adds)  unlock + list + check {(unlock + first_list + check) * 1000:.0f} ms"
        )

        rng = random.Random(1)
        sample = [rng.choice(entries).id for _ in range(200)]
        one = [timed(functools.partial(wallet.get_credential, cid))[1] for cid in sample]
        print(
            f"get one credential     median {statistics.median(one) * 1000:.1f} ms,"
            f" max {max(one) * 1000:.1f} ms  target < 50 ms"
        )

        def show_one(cid: str) -> None:
            wallet.get_entry(wallet.resolve_id(cid))
            wallet.get_credential(cid)
            wallet.history(cid)

        show = [timed(functools.partial(show_one, cid))[1] for cid in sample]
        print(
            f"show (resolve+entry+credential+history)  median {statistics.median(show) * 1000:.1f} ms,"
            f" max {max(show) * 1000:.1f} ms"
        )
        _, integrity = timed(wallet.verify_integrity)
        print(f"verify_integrity       {integrity * 1000:.0f} ms (every record, = plecak doctor)")
        _, backup = timed(lambda: wallet.backup(Path(tmp) / "b.plecak"))
        print(f"backup                 {backup * 1000:.0f} ms")
        wallet.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
