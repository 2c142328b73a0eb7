"""The employer's two pages as a browser shows them: summary.html (the holder's, in the bundle) and
report.html (the verifier's, from ``plecak verify --html``).

- screenshots at 360×800 and 1280×900 in both languages, compared with golden PNGs within a
  tolerance (PLECAK_UPDATE_GOLDEN=1 rewrites them);
- a PDF print of each page, in which no card is split across pages (text per page with pypdf);
- axe-core (pinned in tests/a11y/package-lock.json) reports no serious or critical WCAG violation.

All on a fixed bundle (conformance credentials, fixed clock and key) verified offline at a fixed
time, so the pages are the same bytes on every run.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from exporters.bundle import BundleExporter
from tests.exporters.pages import (
    AXE,
    assert_self_contained,
    axe_violations,
    cards_split_across_pages,
    chromium,
    differing_fraction,
    print_pdf,
    screenshot,
)
from tests.exporters.support import Portfolio, verify_offline
from wallet import i18n

# slow: headless Chromium: screenshots, prints, axe-core
pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "exporters" / "golden" / "pages"
UPDATE = os.environ.get("PLECAK_UPDATE_GOLDEN") == "1"
TOLERANCE = 0.01
"""At most 1% of the pixels may differ (font hinting, anti-aliasing); a layout change moves far more."""
SIZES = [(360, 800), (1280, 900)]
NO_CHROMIUM = (
    "headless Chromium is not installed (Debian: apt-get install chromium fonts-dejavu-core)"
)
NO_AXE = "axe-core is not installed (cd tests/a11y && npm ci)"

needs_chromium = pytest.mark.skipif(chromium() is None, reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def pages(portfolio: Portfolio, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """summary.html (holder's language Polish) and the verifier's report in Polish and English."""
    folder = tmp_path_factory.mktemp("pages")
    bundle = folder / "bundle.zip"
    request = portfolio.request(language="pl", purpose="Rekrutacja: inżynier danych")
    bundle.write_bytes(BundleExporter().export(request))
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as archive:
        (folder / "summary.html").write_bytes(archive.read("summary.html"))
    for lang in ("pl", "en"):  # as ``plecak --lang LANG verify``: check messages in LANG too
        try:
            i18n.set_language(lang)
            report = verify_offline(bundle)
        finally:
            i18n.set_language("en")
        (folder / f"report-{lang}.html").write_bytes(report.to_html(lang))
    return {
        "summary-pl": folder / "summary.html",
        "summary-en": folder / "summary.html",
        "report-pl": folder / "report-pl.html",
        "report-en": folder / "report-en.html",
    }


def _fragment(name: str) -> str:
    return "#" + name.split("-")[1] if name.startswith("summary") else ""


@pytest.mark.parametrize("name", ["summary-pl", "report-pl", "report-en"])
def test_pages_are_self_contained(pages: dict[str, Path], name: str) -> None:
    assert_self_contained(pages[name].read_bytes())


@needs_chromium
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", ["summary-pl", "summary-en", "report-pl", "report-en"])
def test_screenshot_matches_golden(
    pages: dict[str, Path], tmp_path: Path, name: str, width: int, height: int
) -> None:
    shot = screenshot(
        pages[name], _fragment(name), width, height, tmp_path / f"{name}-{width}x{height}.png"
    )
    golden = GOLDEN / f"{name}-{width}x{height}.png"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(shot)
    assert golden.exists(), f"{golden} missing: run with PLECAK_UPDATE_GOLDEN=1"
    difference = differing_fraction(shot, golden.read_bytes())
    assert difference <= TOLERANCE, (
        f"{name} at {width}x{height}: {difference:.2%} of pixels differ from {golden.name} "
        f"(look at {tmp_path})"
    )


@needs_chromium
@pytest.mark.parametrize("name", ["summary-pl", "report-en"])
def test_print_never_splits_a_card(pages: dict[str, Path], tmp_path: Path, name: str) -> None:
    pdf = print_pdf(pages[name], tmp_path / f"{name}.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cards_split_across_pages(pdf, pages[name].read_bytes()) == []


@needs_chromium
@pytest.mark.skipif(not AXE.exists(), reason=NO_AXE)
@pytest.mark.parametrize("name", ["summary-pl", "summary-en", "report-pl", "report-en"])
def test_axe_finds_no_serious_or_critical_violation(
    pages: dict[str, Path], tmp_path: Path, name: str
) -> None:
    violations = axe_violations(pages[name].read_bytes(), _fragment(name), tmp_path)
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert grave == [], grave


def test_ci_really_runs_the_browser_tests() -> None:
    """In CI these must run, not skip: .ci/run installs chromium, DejaVu fonts and axe-core."""
    if os.environ.get("CI") == "true":
        assert chromium() is not None, NO_CHROMIUM
        assert AXE.exists(), NO_AXE
