"""OB 3.0 / VC verification speed against DCC verifier-core, in one run, on the same cases.

    PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \
        .venv/bin/python tests/bench/bench_ob3.py [--repeat 7] [--skip-peer]

Both sides: a warm process, every document (status lists, DID and key documents, schemas,
contexts) served in-process, each case verified ``repeat`` times and its median kept; the figure
per proof kind is the median of those per-case medians.  Only verification is timed (the peer's
driver also starts its clock after reading the input).  Ours gets a fresh Fetcher and a fresh
``VerifyContext`` for every run (no per-run cache carried over); the process-wide caches stay warm
(processed pinned contexts, did:key keys), as the peer keeps its processed contexts.

Ours runs before and after the peer (averaged) so both see the same machine load on average.

Goals (issue 5): eddsa-rdfc-2022 median at most 1.5x the peer's; VC-JWT under 1 ms.
The peer is installed by ../shared/peers/setup.sh into $PLECAK_PEERS.
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
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers.registry import default_registry  # noqa: E402
from wallet.model import Credential  # noqa: E402
from wallet.net import HttpFetcher  # noqa: E402
from wallet.verify.context import VerifyContext  # noqa: E402
from wallet.verify.verifier import verify  # noqa: E402

NOW = datetime.fromisoformat("2026-11-23T12:00:00+00:00")
PEERS = Path(os.environ.get("PLECAK_PEERS", Path.home() / ".cache" / "plecak-peers"))
SHARED = ROOT.parent / "shared"
KINDS = {
    "DataIntegrityProof/eddsa-rdfc-2022": "eddsa-rdfc-2022",
    "Ed25519Signature2020": "Ed25519Signature2020",
    "DataIntegrityProof/eddsa-rdfc-2022+Ed25519Signature2020": "double proof",
    "Ed25519Signature2020+DataIntegrityProof/eddsa-rdfc-2022": "double proof",
}


def _env_dir(var: str) -> Path:
    value = os.environ.get(var)
    if not value:
        sys.exit(f"set {var} (see the docstring)")
    return Path(value)


def _kind(case: dict[str, Any]) -> str | None:
    if case.get("form") == "vc-jwt" or str(case.get("proof", "")).startswith("JWS"):
        return "VC-JWT"
    if case.get("form") != "json-ld":
        return None
    return KINDS.get(str(case.get("proof")))


def _documents(corpus: Path, contexts: Path, cases: list[dict[str, Any]]) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    mirror = json.loads((contexts / "mirror.json").read_text(encoding="utf-8"))
    for url, entry in mirror.items():
        rel = entry if isinstance(entry, str) else entry["file"]
        docs[url] = (200, "application/ld+json", (contexts / rel).read_bytes())
    for case in cases:
        for url, rel in (case.get("needs") or {}).items():
            docs[url] = (200, "application/json", (corpus / rel).read_bytes())
    return docs


async def _once(credential: Credential, documents: dict[str, Any]) -> tuple[float, str]:
    fetcher = HttpFetcher(offline=True, documents=documents, clock=lambda: NOW)
    ctx = VerifyContext(fetcher=fetcher, clock=lambda: NOW, offline=True)
    start = time.perf_counter()
    report = await verify(credential, ctx)
    elapsed = time.perf_counter() - start
    return elapsed, report.status.value


async def ours(
    corpus: Path, contexts: Path, cases: list[dict[str, Any]], repeat: int
) -> dict[str, float]:
    documents = _documents(corpus, contexts, cases)
    registry = default_registry()
    per_case: dict[str, float] = {}
    for case in cases:
        if _kind(case) is None:
            continue
        found = [
            c for c in registry.read_path(corpus / case["file"]).found if isinstance(c, Credential)
        ]
        if len(found) != 1:
            continue
        times = [(await _once(found[0], documents))[0] for _ in range(repeat)]
        per_case[case["id"]] = statistics.median(times)
    return per_case


def peer(cases_file: Path, repeat: int) -> dict[str, float]:
    script = SHARED / "peers" / "ob3_peer.mjs"
    if not (PEERS / "ob3" / "node_modules").is_dir():
        sys.exit(f"the peer is not installed: run {SHARED / 'peers' / 'setup.sh'}")
    out = subprocess.run(
        [
            "node",
            str(script),
            "--batch",
            str(cases_file),
            "--repeat",
            str(repeat),
            "--now",
            NOW.isoformat().replace("+00:00", "Z"),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLECAK_PEERS": str(PEERS)},
    )
    found: dict[str, float] = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        if "id" in row and row.get("seconds"):
            found[row["id"]] = float(row["seconds"])
    return found


def _by_kind(cases: list[dict[str, Any]], times: dict[str, float]) -> dict[str, list[float]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        kind = _kind(case)
        if kind and case["id"] in times:
            groups[kind].append(times[case["id"]])
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    corpus = _env_dir("PLECAK_CONFORMANCE") / "ob3"
    contexts = _env_dir("PLECAK_CONTEXTS")
    cases = json.loads((corpus / "cases.json").read_text(encoding="utf-8"))

    asyncio.run(ours(corpus, contexts, cases, 2))  # warm the process (imports, pinned contexts)
    # The machine is shared: ours runs before and after the peer and the two are averaged, so
    # both sides see the same load on average.
    before = asyncio.run(ours(corpus, contexts, cases, args.repeat))
    theirs = {} if args.skip_peer else _by_kind(cases, peer(corpus / "cases.json", args.repeat))
    after = asyncio.run(ours(corpus, contexts, cases, args.repeat))
    mine = _by_kind(cases, {k: (before[k] + after[k]) / 2 for k in before})

    print(f"OB3 verification, warm, median of per-case medians (repeat {args.repeat})")
    print(f"{'kind':<22}{'cases':>6}{'plecak ms':>12}{'peer ms':>10}{'ratio':>8}")
    for kind in ("eddsa-rdfc-2022", "Ed25519Signature2020", "double proof", "VC-JWT"):
        ms = statistics.median(mine[kind]) * 1000 if mine.get(kind) else float("nan")
        other = theirs.get(kind)
        peer_ms = statistics.median(other) * 1000 if other else float("nan")
        ratio = ms / peer_ms if other else float("nan")
        print(f"{kind:<22}{len(mine.get(kind, [])):>6}{ms:>12.3f}{peer_ms:>10.3f}{ratio:>8.2f}")
    eddsa = mine.get("eddsa-rdfc-2022")
    if eddsa and theirs.get("eddsa-rdfc-2022"):
        ratio = statistics.median(eddsa) / statistics.median(theirs["eddsa-rdfc-2022"])
        verdict = "OK" if ratio <= 1.5 else "OVER"
        print(f"eddsa-rdfc-2022 ratio plecak/peer = {ratio:.2f} (goal <= 1.5: {verdict})")
    jwt = mine.get("VC-JWT")
    if jwt:
        ms = statistics.median(jwt) * 1000
        print(f"VC-JWT median = {ms:.3f} ms (goal < 1 ms: {'OK' if ms < 1 else 'OVER'})")


if __name__ == "__main__":
    main()
