"""The demo wallet's bundle: summary.html (the holder's wallet's view at export) and the verifier's
report (online, against the loopback demo issuer, at the same fixed time) agree on every verdict,
and the summary passes the verifier's byte-for-byte comparison."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.exporters.pages import elements
from wallet.bundle.verify.report import BundleReport
from wallet.demo.issuer import LEARNER, build
from wallet.demo.server import DemoServer
from wallet.factory import make_service

# slow: the whole demo exported and verified once per module
pytestmark = pytest.mark.slow

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
PASS = "demo passphrase"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BundleReport]]:
    folder = tmp_path_factory.mktemp("demo")
    patch = pytest.MonkeyPatch()
    patch.setenv("PLECAK_KDF_PROFILE", "test")
    patch.setenv("PLECAK_CACHE_DIR", str(folder / "cache"))
    patch.delenv("PLECAK_OFFLINE", raising=False)
    server = DemoServer()
    try:
        files = folder / "badges"
        files.mkdir()
        issue = build(server.base, files, NOW)
        server.publish(issue.documents)
        server.start()
        service = make_service(folder / "wallet", allow_loopback=True, clock=lambda: NOW)
        service.create(PASS)
        if not service.unlocked:
            service.unlock(PASS)
        service.add_identity(LEARNER)
        outcomes = asyncio.run(service.import_sources(issue.sources))
        assert all(o.error is None for o in outcomes), [o.error for o in outcomes]
        ids = service.export_ids(all_=True)
        data = service.export("bundle", ids, disclose_identity=LEARNER, purpose="Demo")
        path = folder / "demo-bundle.zip"
        path.write_bytes(data)
        employer = make_service(folder / "employer", allow_loopback=True, clock=lambda: NOW)
        verified = asyncio.run(employer.verify_sources([str(path)]))[0]
        assert verified.bundle is not None, verified.error
        yield path, verified.bundle
    finally:
        server.stop()
        patch.undo()


def _statuses(page: bytes, scope: str) -> list[str]:
    tree = lxml_html.fromstring(page)
    spans = elements(tree, f"{scope}//article//span[contains(@class, 'status')]")
    return [next(c[2:] for c in s.get("class", "").split() if c.startswith("s-")) for s in spans]


def test_summary_and_report_agree_on_every_verdict(demo: tuple[Path, BundleReport]) -> None:
    path, report = demo
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        summary = archive.read("summary.html")
    holder_view = _statuses(summary, "//section[@id='en']")
    verifier = _statuses(report.to_html("en"), "//main")
    assert len(holder_view) == len(report.credentials) >= 5
    assert holder_view == verifier == [c.status.value for c in report.credentials]
    assert {"valid", "revoked"} <= set(verifier)  # the demo shows more than one verdict


def test_the_demo_summary_passes_the_byte_for_byte_check(demo: tuple[Path, BundleReport]) -> None:
    _path, report = demo
    summary = next(c for c in report.checks if c.id == "summary")
    assert summary.status.value == "pass", summary.message
    assert all(c.report is not None and c.report.mode == "online" for c in report.credentials)
