"""OB 2.0 corpus, whole process against whole process: plecak vs the 1EdTech validator, one run.

    PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \
        .venv/bin/python -m tests.bench.bench_process [--repeat 5]

Why whole processes: a learner or an employer runs ``plecak verify`` once; interpreter start and
imports are part of what they wait for, and per-badge warm medians (``bench_ob2``) hide them.
Grouped the same way on both sides, two ways:

- one process per case: ``plecak --offline --mirror INDEX verify --json SOURCE`` (the real CLI,
  the case's documents in a mirror built beforehand, untimed) against ``ob2_peer.py --id CASE``;
  summed over the cases of a group. This is what a user who checks one badge waits for.
- one process per group (hosted, signed, everything): every case verified once, documents served
  in-process (ours: the Fetcher's ``documents``; the validator: its driver's ``responses`` mocks).

Wall time of the processes, median of ``--repeat`` runs after one untimed warm-up, ratio ours /
validator (goal <= 0.5). Both sides run with one byte-code cache of their own
(``PYTHONPYCACHEPREFIX`` in a temporary folder, ``PYTHONDONTWRITEBYTECODE`` unset): an installed
program has its byte code, and a shell that forbids writing it would make every run of either side
compile its sources again.

``--child GROUP`` is the plecak side's process itself (kept in this file so that both sides read
the same case list).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(os.environ.get("PLECAK_PEERS", Path.home() / ".cache" / "plecak-peers"))
PEER_PY = PEERS / "ob2" / "venv" / "bin" / "python"
PEER = ROOT.parent / "shared" / "peers" / "ob2_peer.py"
NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
GROUPS = ("hosted", "signed", "all")


def _cases(group: str) -> tuple[Path, list[dict[str, Any]]]:
    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        sys.exit("set PLECAK_CONFORMANCE (see the docstring)")
    base = Path(root) / "ob2"
    cases = json.loads((base / "cases.json").read_text(encoding="utf-8"))
    return base, [c for c in cases if group == "all" or c["kind"] == group]


def _child(group: str) -> None:
    """Verify every case of GROUP once in this process, as ``plecak verify`` would."""
    from tests.verify_ob2.conformance import identities, import_case
    from wallet.net import HttpFetcher, content_type_for
    from wallet.verify.context import VerifyContext
    from wallet.verify.verifier import verify

    base, cases = _cases(group)

    async def one(case: dict[str, Any]) -> None:
        meta = case.get("serve_meta") or {}
        docs = {
            url: (
                int(meta.get(url, {}).get("status", 200)),
                meta.get(url, {}).get("content_type") or content_type_for(rel),
                (base / rel).read_bytes(),
            )
            for url, rel in case["serve"].items()
        }
        fetcher = HttpFetcher(offline=True, documents=docs)
        found, _ = await import_case(case, base, fetcher)
        if found:
            ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW, recipients=identities(case))
            await verify(found[0], ctx)

    async def run() -> None:
        for case in cases:
            await one(case)

    asyncio.run(run())


ENV = dict(os.environ)


def _wall(args: list[str], ok: tuple[int, ...] = (0,)) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, cwd=ROOT, timeout=600, check=False, env=ENV)
    elapsed = time.perf_counter() - t0
    if done.returncode not in ok:
        sys.exit(f"{args[:4]}... exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return elapsed


def _per_case(group: str, repeat: int, cases_file: Path) -> None:
    import tempfile

    from tests.support.mirror import mirror_from_serve

    base, cases = _cases(group)
    ours_total: list[float] = []
    peer_total: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        commands = []
        for n, case in enumerate(cases):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            index = mirror_from_serve(folder, base, case["serve"], case.get("serve_meta"))
            source = case["input"] if case["input_kind"] == "url" else str(base / case["input"])
            ours = [sys.executable, "-m", "wallet", "--offline", "--mirror", str(index), "verify"]
            ours += ["--json", source]
            for value in (case.get("recipient_profile") or {}).values():
                for item in value if isinstance(value, list) else [value]:
                    ours[-1:-1] = ["--recipient", item]
            peer = [str(PEER_PY), str(PEER), "--cases", str(cases_file), "--id", case["id"]]
            commands.append((ours, peer))
        for ours_cmd, peer_cmd in commands[:1]:  # warm-up: the byte-code cache is written
            _wall(ours_cmd, ok=(0, 1))
            _wall(peer_cmd)
        for _ in range(repeat):
            ours_total.append(sum(_wall(o, ok=(0, 1)) for o, _p in commands))
            peer_total.append(sum(_wall(p) for _o, p in commands))
    ours_s, peer_s = statistics.median(ours_total), statistics.median(peer_total)
    print(
        f"{group}, one process per case: {len(cases)} cases, plecak {ours_s:.2f} s "
        f"({ours_s / len(cases) * 1000:.0f} ms each), validator {peer_s:.2f} s "
        f"({peer_s / len(cases) * 1000:.0f} ms each), RATIO ours/validator {ours_s / peer_s:.2f} "
        "(goal <= 0.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=GROUPS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    cases_file = Path(os.environ["PLECAK_CONFORMANCE"]) / "ob2" / "cases.json"
    import tempfile

    cache = tempfile.mkdtemp(prefix="plecak-bench-pyc-")
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = cache
    for group in ("hosted", "signed"):
        _per_case(group, args.repeat, cases_file)
    for group in GROUPS:
        _base, cases = _cases(group)
        ours_cmd = [sys.executable, "-m", "tests.bench.bench_process", "--child", group]
        peer_cmd = [str(PEER_PY), str(PEER), "--cases", str(cases_file), "--repeat", "1"]
        if group != "all":
            for case in cases:
                peer_cmd += ["--id", case["id"]]
        _wall(ours_cmd)  # warm-up
        _wall(peer_cmd)
        ours = statistics.median(_wall(ours_cmd) for _ in range(args.repeat))
        peer = statistics.median(_wall(peer_cmd) for _ in range(args.repeat))
        print(
            f"{group}, one process per group: {len(cases)} cases, plecak {ours:.3f} s, validator {peer:.3f} s, "
            f"RATIO ours/validator {ours / peer:.2f} (goal <= 0.5)"
        )


if __name__ == "__main__":
    main()
