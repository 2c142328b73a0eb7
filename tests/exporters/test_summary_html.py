"""summary.html: self-contained, no scripts, no remote resources, both languages, prints well."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html

from exporters.bundle import BundleExporter
from exporters.html import HtmlExporter
from tests.exporters.pages import CHROMIUM_FLAGS, assert_self_contained, chromium, elements, strings
from tests.exporters.support import Portfolio


def _chromium() -> str | None:
    return chromium()


@pytest.fixture(scope="module")
def summary(portfolio: Portfolio) -> bytes:
    data = BundleExporter().export(portfolio.request(language="pl", purpose="Rekrutacja <QA>"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("summary.html")


def test_no_script_no_remote_resource(summary: bytes) -> None:
    assert_self_contained(summary)


def test_both_languages_are_in_the_page_primary_first(summary: bytes) -> None:
    tree = lxml_html.fromstring(summary)
    sections = elements(tree, "//section")
    assert [s.get("id") for s in sections] == ["pl", "en"]
    assert "primary" in sections[0].get("class", "")
    assert "Poświadczenia udostępnione" in sections[0].text_content()
    assert "Credentials shared by their holder" in sections[1].text_content()
    assert "Rekrutacja <QA>" in sections[0].text_content()  # escaped in the source, shown as text
    assert b"Rekrutacja &lt;QA&gt;" in summary


def test_hostile_titles_are_escaped(portfolio: Portfolio) -> None:
    request = portfolio.request(["ob3di"])
    credential = replace(request.credentials["ob3di"], title='<img src=x onerror="alert(1)">')
    page = HtmlExporter().export(replace(request, credentials={"ob3di": credential}))
    assert b"<img src=x" not in page
    assert b"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_baked_images_are_inlined_as_data_uris(summary: bytes) -> None:
    tree = lxml_html.fromstring(summary)
    sources = strings(tree, "//img/@src")
    assert any(s.startswith("data:image/png;base64,") for s in sources)
    assert any(s.startswith("data:image/svg+xml;base64,") for s in sources)


@pytest.mark.slow
@pytest.mark.skipif(
    _chromium() is None,
    reason="headless Chromium is not installed here (Debian: apt-get install -y --no-install-recommends chromium)",
)
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_renders_in_headless_chromium(tmp_path: Path, summary: bytes, lang: str) -> None:
    page = tmp_path / "summary.html"
    page.write_bytes(summary)
    shots = {}
    for fragment in (lang, "other"):
        shot = tmp_path / f"{fragment}.png"
        subprocess.run(
            [
                str(_chromium()),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp_path / 'profile'}",
                "--window-size=1000,900",
                f"--screenshot={shot}",
                f"{page.as_uri()}#{fragment if fragment == lang else ('en' if lang == 'pl' else 'pl')}",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert shot.read_bytes().startswith(b"\x89PNG")
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
        shots[fragment] = shot.read_bytes()
    assert shots[lang] != shots["other"]  # the :target switch shows the other language


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed here")
def test_prints_both_languages_to_pdf(tmp_path: Path, summary: bytes) -> None:
    page = tmp_path / "summary.html"
    page.write_bytes(summary)
    pdf = tmp_path / "summary.pdf"
    subprocess.run(
        [
            str(_chromium()),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2  # each language on its own pages


def test_ci_really_renders_the_summary() -> None:
    """In CI the rendering tests above must run, not skip: .ci/run installs Debian's chromium."""
    if os.environ.get("CI") == "true":
        assert _chromium() is not None, "CI must install chromium (see .ci/run)"
