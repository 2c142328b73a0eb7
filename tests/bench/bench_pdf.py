"""Benchmark: a CV PDF of 50 credentials — export (< 3 s) and ``verify cv.pdf`` offline.

Run: PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \
     .venv/bin/python -m tests.bench.bench_pdf [--count 50] [--repeat 5]

The credentials cycle through every format plecak verifies (as in bench_bundle), each imported
and verified once as a wallet would have done.  Export is the whole of ``plecak export pdf``'s
work after the wallet is read: the signed share bundle, the Typst rendering (one page per
credential plus an overview, badge images, a QR code each) and the attachments.  Verification is
the employer's offline run: the bundle checked from its evidence, the attachments compared and
every page rendered again and compared.  Prints the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from exporters.pdf import PdfExporter
from importers.registry import default_registry
from tests.exporters.support import build_portfolio, cycled_request, evidence_factory, fixed_clock
from wallet.bundle.verify.cvpdf import verify_cv_pdf
from wallet.codecs import cvpdf


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    conformance = Path(os.environ["PLECAK_CONFORMANCE"])
    contexts = Path(os.environ["PLECAK_CONTEXTS"])
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = build_portfolio(Path(tmp), conformance, contexts)
        request = cycled_request(portfolio, args.count, language="pl")
        exports, verifies = [], []
        path = Path(tmp) / "cv.pdf"
        report = None
        for _ in range(args.repeat):
            cvpdf._qr_svg.cache_clear()  # every run pays for its QR codes
            start = time.perf_counter()
            data = PdfExporter().export(request)
            exports.append(time.perf_counter() - start)
            path.write_bytes(data)
            start = time.perf_counter()
            report = asyncio.run(
                verify_cv_pdf(
                    path,
                    fetcher_factory=evidence_factory(),
                    clock=fixed_clock,
                    offline=True,
                    parse_blob=default_registry().parse_blob,
                )
            )
            verifies.append(time.perf_counter() - start)
        assert report is not None
        failed = [c.id for c in report.checks if c.id.startswith("pdf-") and c.status != "pass"]
        assert not failed, report.to_text()
        export_s, verify_s = statistics.median(exports), statistics.median(verifies)
        print(f"CV PDF of {args.count} credentials, {len(data) / 1024:.0f} KiB")
        print(f"export:         {export_s:.3f} s (median of {args.repeat}; budget 3 s)")
        print(f"verify offline: {verify_s:.3f} s (median of {args.repeat}; status {report.status})")
        return 0 if export_s < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
