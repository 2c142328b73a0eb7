"""OB 2.0 verification speed against the reference validator (validator-core), in one run.

    PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \
        .venv/bin/python tests/bench/bench_ob2.py [--repeat 7] [--batch 200] [--skip-reference]

Part 1 — warm per-badge medians on the same conformance cases (kind hosted / signed), both sides
in a warm process with every document served in-process (ours: the Fetcher's ``documents``; the
reference: its peer driver's mocks), timing import (parse/unbake/fetch input) + verification, a
fresh fetcher and context per run.  Ratio = reference / ours (higher is better; goal >= 2).

Part 2 — a batch of N hosted badges from 10 issuers on a loopback HTTP server that adds 50 ms to
every answer (server side): ours verifies them concurrently with one per-run cache; the reference
verifies them one by one (its normal use).  Also counts how often each issuer / badge class /
image was requested from the server (goal: once each).  Goal ratio >= 10.

The reference is installed by ../shared/peers/setup.sh into $PLECAK_PEERS
(default ~/.cache/plecak-peers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers.registry import default_registry  # noqa: E402
from tests.support.server import LoopbackServer  # noqa: E402
from tests.verify_ob2.conformance import identities, import_case  # noqa: E402
from wallet.net import HttpFetcher, content_type_for  # noqa: E402
from wallet.verify.context import VerifyContext  # noqa: E402
from wallet.verify.verifier import verify  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
PEERS = Path(os.environ.get("PLECAK_PEERS", Path.home() / ".cache" / "plecak-peers"))
PEER_PY = PEERS / "ob2" / "venv" / "bin" / "python"
SHARED = ROOT.parent / "shared"
DELAY = 0.05


def _corpus() -> Path:
    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        sys.exit("set PLECAK_CONFORMANCE (see the docstring)")
    return Path(root) / "ob2"


def _documents(case: dict[str, Any], base: Path) -> dict[str, tuple[int, str, bytes]]:
    docs: dict[str, tuple[int, str, bytes]] = {}
    meta = case.get("serve_meta") or {}
    for url, rel in case["serve"].items():
        override = meta.get(url, {})
        docs[url] = (
            int(override.get("status", 200)),
            override.get("content_type") or content_type_for(rel),
            (base / rel).read_bytes(),
        )
    return docs


async def _ours_once(case: dict[str, Any], base: Path, docs: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    fetcher = HttpFetcher(offline=True, documents=docs)
    found, _failures = await import_case(case, base, fetcher)
    if found:
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW, recipients=identities(case))
        await verify(found[0], ctx)
    return time.perf_counter() - t0


def part1_ours(cases: list[dict[str, Any]], base: Path, repeat: int) -> dict[str, float]:
    medians: dict[str, float] = {}
    for case in cases:
        docs = _documents(case, base)
        times = [asyncio.run(_ours_once(case, base, docs)) for _ in range(repeat + 1)][1:]
        medians[case["id"]] = statistics.median(times)
    return medians


def part1_reference(cases_file: Path, ids: list[str], repeat: int) -> dict[str, float]:
    args = [str(PEER_PY), str(SHARED / "peers" / "ob2_peer.py"), "--cases", str(cases_file)]
    args += ["--repeat", str(repeat)]
    for case_id in ids:
        args += ["--id", case_id]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=1800).stdout
    return {
        line["id"]: float(line["seconds"])
        for line in (json.loads(x) for x in out.splitlines() if x.startswith("{"))
    }


# --------------------------------------------------------------------------- part 2: batch

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def batch_routes(n: int, base: str, counter: Counter[str]) -> dict[str, Any]:
    files: dict[str, tuple[str, bytes]] = {}
    ctx = "https://w3id.org/openbadges/v2"
    for i in range(10):
        issuer = f"{base}/i{i}/issuer.json"
        files[f"/i{i}/issuer.json"] = (
            "application/ld+json",
            json.dumps(
                {
                    "@context": ctx,
                    "type": "Issuer",
                    "id": issuer,
                    "name": f"Issuer {i}",
                    "url": f"{base}/i{i}/",
                    "email": f"badges{i}@example.org",
                }
            ).encode(),
        )
        files[f"/i{i}/badge.json"] = (
            "application/ld+json",
            json.dumps(
                {
                    "@context": ctx,
                    "type": "BadgeClass",
                    "id": f"{base}/i{i}/badge.json",
                    "name": f"Badge {i}",
                    "description": "A benchmark badge.",
                    "image": f"{base}/i{i}/badge.png",
                    "criteria": f"{base}/i{i}/criteria",
                    "issuer": issuer,
                }
            ).encode(),
        )
        files[f"/i{i}/badge.png"] = ("image/png", PNG)
    for k in range(n):
        i = k % 10
        files[f"/i{i}/a{k}.json"] = (
            "application/ld+json",
            json.dumps(
                {
                    "@context": ctx,
                    "type": "Assertion",
                    "id": f"{base}/i{i}/a{k}.json",
                    "recipient": {
                        "type": "email",
                        "hashed": False,
                        "identity": f"learner{k}@example.org",
                    },
                    "issuedOn": "2024-01-01T00:00:00Z",
                    "badge": f"{base}/i{i}/badge.json",
                    "verification": {"type": "HostedBadge"},
                }
            ).encode(),
        )

    def route(path: str) -> Any:
        ctype, body = files[path]

        def answer(handler: Any) -> tuple[int, dict[str, str], bytes]:
            counter[path] += 1
            threading.Event().wait(DELAY)  # the added latency, server side
            return 200, {"Content-Type": ctype}, body

        return answer

    return {path: route(path) for path in files}


async def _warm_up(url: str, contexts: str) -> None:
    """Import and initialise everything once (httpx, the importers), outside the timed run."""
    registry = default_registry()
    async with HttpFetcher(allow_loopback=True, contexts_dir=contexts) as fetcher:
        batch = await registry.fetch_url(url, fetcher)
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW)
        await verify(batch.found[0], ctx)  # type: ignore[arg-type]


async def _ours_batch(urls: list[str], contexts: str) -> tuple[float, list[str]]:
    registry = default_registry()
    t0 = time.perf_counter()
    async with HttpFetcher(allow_loopback=True, contexts_dir=contexts) as fetcher:
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW)

        async def one(url: str) -> str:
            batch = await registry.fetch_url(url, fetcher)
            return (await verify(batch.found[0], ctx)).status.value  # type: ignore[arg-type]

        statuses = await asyncio.gather(*(one(u) for u in urls))
    return time.perf_counter() - t0, list(statuses)


REFERENCE_BATCH = textwrap.dedent(
    """
    import json, sys, time, logging
    import responses
    logging.disable(logging.CRITICAL)
    from openbadges import verify
    urls = json.loads(sys.argv[1]); ctx_body = open(sys.argv[2], 'rb').read()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as r:
        r.add(responses.GET, 'https://w3id.org/openbadges/v2', body=ctx_body,
              content_type='application/ld+json')
        r.add_passthru('http://127.0.0.1')
        t0 = time.perf_counter(); valid = 0
        for url in urls:
            valid += bool(verify(url)['report']['valid'])
        print(json.dumps({'seconds': time.perf_counter() - t0, 'valid': valid}))
    """
)


def part2(n: int, skip_reference: bool) -> None:
    contexts = os.environ.get("PLECAK_CONTEXTS")
    if not contexts:
        sys.exit("set PLECAK_CONTEXTS (see the docstring)")
    counter: Counter[str] = Counter()
    server = LoopbackServer()
    with server:
        server.routes.update(batch_routes(n, server.base, counter))
        urls = [f"{server.base}/i{k % 10}/a{k}.json" for k in range(n)]
        asyncio.run(_warm_up(urls[-1], contexts))
        counter.clear()
        ours, statuses = asyncio.run(_ours_batch(urls, contexts))
        shared = {p: c for p, c in counter.items() if "/a" not in p}
        print(f"batch ours: {n} badges in {ours:.2f} s; statuses {dict(Counter(statuses))}")
        print(
            f"  server requests per shared document (want 1 each): max {max(shared.values())}, "
            f"{len(shared)} documents"
        )
        if skip_reference:
            return
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "ref_batch.py"
            script.write_text(REFERENCE_BATCH)
            ctx_file = Path(contexts) / "openbadges-v2.jsonld"
            out = subprocess.run(
                [str(PEER_PY), str(script), json.dumps(urls), str(ctx_file)],
                capture_output=True,
                text=True,
                check=True,
                timeout=3600,
            ).stdout
        ref = json.loads(out.strip().splitlines()[-1])
        print(f"batch reference (one by one): {ref['seconds']:.2f} s, {ref['valid']} valid")
        print(f"BATCH RATIO reference/ours: {ref['seconds'] / ours:.1f}x (goal >= 10)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    base = _corpus()
    cases = [
        c
        for c in json.loads((base / "cases.json").read_text())
        if c["kind"] in ("hosted", "signed")
    ]
    ours = part1_ours(cases, base, args.repeat)
    ref = (
        {}
        if args.skip_reference
        else part1_reference(base / "cases.json", [c["id"] for c in cases], args.repeat)
    )
    for kind in ("hosted", "signed"):
        ids = [c["id"] for c in cases if c["kind"] == kind]
        mine = statistics.median(ours[i] for i in ids)
        line = f"{kind}: {len(ids)} cases, ours median {mine * 1000:.2f} ms/badge"
        if ref:
            theirs = statistics.median(ref[i] for i in ids if i in ref)
            line += (
                f", reference {theirs * 1000:.2f} ms/badge, RATIO {theirs / mine:.1f}x (goal >= 2)"
            )
        print(line)
    if not args.skip_batch:
        part2(args.batch, args.skip_reference)


if __name__ == "__main__":
    main()
