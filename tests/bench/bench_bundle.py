"""Benchmark: a share bundle of 100 credentials — export (< 3 s) and offline verification (< 5 s).

Run: PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \
     .venv/bin/python -m tests.bench.bench_bundle [--count 100] [--repeat 5]

The 100 credentials cycle through every format plecak verifies (OB 2.0 hosted, signed JWS, baked
PNG/SVG; OB 3.0 eddsa-rdfc-2022 with and without a status list, VC-JWT RS256, baked PNG/SVG), each
imported by the real registry and verified by the real verifier once, as a wallet would have done.
Verification of the bundle is the employer's run: archive checks, every digest, the holder's
signature, then each credential re-verified from the bundle's evidence with no network and no
contexts folder.  Prints the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from exporters.bundle import BundleExporter
from tests.exporters.support import build_portfolio, cycled_request, verify_offline


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    conformance = Path(os.environ["PLECAK_CONFORMANCE"])
    contexts = Path(os.environ["PLECAK_CONTEXTS"])
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = build_portfolio(Path(tmp), conformance, contexts)
        request = cycled_request(portfolio, args.count)
        exports, verifies = [], []
        path = Path(tmp) / "bundle.zip"
        report = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = BundleExporter().export(request)
            exports.append(time.perf_counter() - start)
            path.write_bytes(data)
            start = time.perf_counter()
            report = verify_offline(path)
            verifies.append(time.perf_counter() - start)
        assert report is not None and report.ok, report.to_text() if report else "no report"
        export_s, verify_s = statistics.median(exports), statistics.median(verifies)
        print(f"bundle of {args.count} credentials, {len(data) / 1024:.0f} KiB")
        print(f"export:         {export_s:.3f} s (median of {args.repeat}; budget 3 s)")
        print(f"verify offline: {verify_s:.3f} s (median of {args.repeat}; budget 5 s)")
        return 0 if export_s < 3 and verify_s < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
