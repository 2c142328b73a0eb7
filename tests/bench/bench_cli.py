"""Benchmark: `plecak list` and `plecak show` with 10,000 stored credentials (issue 2).

Run: .venv/bin/python tests/bench/bench_cli.py [--count 10000]
Prints: wallet fill time, unlock (KDF) time, list after unlock (in-process service call and the
whole `plecak list` process), show of one credential (service call and whole process).
Targets (store.md §8 / issue 2): list < 1 s after unlock, show < 0.1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wallet.factory import make_service
from wallet.model import (
    Achievement,
    CheckResult,
    CheckStatus,
    Credential,
    Format,
    Issuer,
    Original,
    Status,
    VerificationReport,
)
from wallet.store import Wallet

PASS = "benchmark passphrase"


def synthetic(i: int) -> tuple[Credential, VerificationReport]:
    when = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=i)
    body = (b'{"id":"urn:uuid:%d","name":"Badge %d"}' % (i, i)) + b" " * 2000
    credential = Credential(
        format=Format.OB3_DATA_INTEGRITY,
        original=Original(data=b"\x89PNG" + os.urandom(20_000), media_type="image/png"),
        payload=body,
        document={"id": f"urn:uuid:{i}", "name": f"Badge {i}"},
        credential_id=f"urn:uuid:{i}",
        title=f"Micro-credential number {i}",
        issuer=Issuer(id=f"https://issuer{i % 50}.example.org", name=f"University {i % 50}"),
        achievement=Achievement(name=f"Skill {i}"),
        issued=when,
    )
    report = VerificationReport(
        status=Status.VALID,
        checks=(CheckResult(id="proof", status=CheckStatus.PASS, message="ok"),),
        checked_at=when,
    )
    return credential, report


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "wallet"
        start = time.perf_counter()
        wallet = Wallet.create(home, PASS)
        for start_at in range(0, args.count, 500):
            with wallet.batch():
                for i in range(start_at, min(start_at + 500, args.count)):
                    credential, report = synthetic(i)
                    wallet.add_credential(credential, report, {})
        wallet.close()
        print(f"fill {args.count} credentials: {time.perf_counter() - start:.1f} s")

        service = make_service(home, offline=True)

        def unlock_and_lock() -> None:
            service.unlock(PASS)
            service.lock()

        unlock = timed(unlock_and_lock, repeat=3)
        print(f"unlock (KDF, real profile): {unlock * 1000:.0f} ms")
        service.unlock(PASS)
        listing = timed(service.list)
        some_id = service.list()[args.count // 2].id
        show = timed(lambda: service.show(some_id), repeat=20)
        print(f"list after unlock (service): {listing * 1000:.0f} ms   target < 1000 ms")
        print(f"show one (service): {show * 1000:.1f} ms   target < 100 ms")
        service.lock()

        env = dict(os.environ, PLECAK_HOME=str(home), PLECAK_PASSPHRASE=PASS, PLECAK_OFFLINE="1")
        cmd = [sys.executable, "-m", "wallet"]

        def run(*argv: str) -> None:
            subprocess.run([*cmd, *argv], env=env, check=True, capture_output=True)

        whole_list = timed(lambda: run("list", "--json"), repeat=3)
        whole_show = timed(lambda: run("show", some_id, "--json"), repeat=3)
        whole_help = timed(lambda: run("--help"), repeat=5)
        print(
            f"`plecak list --json` whole process: {whole_list * 1000:.0f} ms (incl. unlock {unlock * 1000:.0f} ms)"
        )
        print(f"`plecak show ID --json` whole process: {whole_show * 1000:.0f} ms (incl. unlock)")
        print(f"`plecak --help`: {whole_help * 1000:.0f} ms   target < 500 ms")


if __name__ == "__main__":
    main()
