"""Helpers for the employer's pages (summary.html, report.html): static checks, and headless
Chromium for screenshots, PDF prints and axe-core.

Why Chromium as a subprocess and not a driver: Debian's chromium package is all CI installs, and
its command line alone can screenshot (--screenshot), print (--print-to-pdf) and give back the DOM
after scripts ran (--dump-dom with a virtual time budget), which is all these tests need.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import png
from lxml import html as lxml_html
from lxml.html import HtmlElement

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
STATIC_ATTRS = ("src", "href", "srcset", "poster", "action", "background")


def elements(node: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements an XPath selects (lxml types ``xpath()`` as any XPath result)."""
    found = node.xpath(path)
    assert isinstance(found, list)
    assert all(isinstance(e, HtmlElement) for e in found), path
    return [e for e in found if isinstance(e, HtmlElement)]


def strings(node: HtmlElement, path: str) -> list[str]:
    """The text nodes or attribute values an XPath selects, as plain strings."""
    found = node.xpath(path)
    assert isinstance(found, list)
    return [str(s) for s in found]


def chromium() -> str | None:
    for name in (os.environ.get("PLECAK_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def assert_self_contained(page: bytes) -> None:
    """No script, no handler, nothing remote; CSP default-src 'none'; lang set; print rules;
    headings in order within each language."""
    tree = lxml_html.fromstring(page)
    assert not elements(
        tree, "//script|//iframe|//object|//embed|//link|//base|//form|//audio|//video"
    )
    for element in tree.iter():
        for attribute, value in element.attrib.items():
            assert isinstance(attribute, str)
            assert not attribute.lower().startswith("on"), (element.tag, attribute)
            if attribute in STATIC_ATTRS:
                assert isinstance(value, str)
                assert value.startswith(("data:", "#")), (element.tag, attribute, value[:60])
    css = "".join(strings(tree, "//style/text()"))
    assert not re.search(r"url\(|@import", css)
    assert "break-inside: avoid" in css and "@media print" in css
    csp = strings(tree, "//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    assert tree.get("lang") in ("pl", "en")
    for part in elements(tree, "//section|//main"):
        levels = [int(h.tag[1]) for h in part.iter("h1", "h2", "h3", "h4")]
        assert levels and levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    exe = chromium()
    assert exe is not None
    return subprocess.run(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


def screenshot(page: Path, fragment: str, width: int, height: int, out: Path) -> bytes:
    _run(
        [f"--window-size={width},{height}", f"--screenshot={out}", f"{page.as_uri()}{fragment}"],
        out.parent / f"profile-{out.stem}",
    )
    return out.read_bytes()


def print_pdf(page: Path, out: Path) -> Path:
    _run(
        ["--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
        out.parent / f"profile-{out.stem}",
    )
    return out


def pixels(data: bytes) -> tuple[int, int, list[bytearray]]:
    width, height, rows, _info = png.Reader(bytes=data).asRGBA8()
    return width, height, [bytearray(r) for r in rows]


def differing_fraction(a: bytes, b: bytes, threshold: int = 40) -> float:
    """The share of pixels whose colour differs by more than ``threshold`` in some channel
    (1.0 when the sizes differ)."""
    wa, ha, ra = pixels(a)
    wb, hb, rb = pixels(b)
    if (wa, ha) != (wb, hb):
        return 1.0
    differing = 0
    for row_a, row_b in zip(ra, rb, strict=True):
        if row_a == row_b:
            continue
        for x in range(0, len(row_a), 4):
            if any(abs(row_a[x + c] - row_b[x + c]) > threshold for c in range(3)):
                differing += 1
    return differing / (wa * ha)


def axe_violations(page: bytes, fragment: str, work: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations of ``page`` as Chromium renders it.

    The page forbids scripts (its CSP), so a test copy drops that one meta element and gets
    axe-core and a runner appended; the runner writes the result into the DOM, which
    ``--dump-dom`` returns once the virtual time budget has let axe finish."""
    text = page.decode("utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', "", text, count=1)
    runner = (
        "<script>" + AXE.read_text(encoding="utf-8") + "</script>\n<script>"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(function (r) {"
        "var out = document.createElement('pre'); out.id = 'axe-result';"
        "out.textContent = JSON.stringify(r.violations.map(function (v) {"
        "return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map("
        "function (n) { return n.target.join(' '); })}; }));"
        "document.body.appendChild(out); });</script>\n"
    )
    text = text.replace("</body>", runner + "</body>", 1)
    copy = work / "axe-page.html"
    copy.write_text(text, encoding="utf-8")
    done = _run(
        ["--dump-dom", "--virtual-time-budget=20000", f"{copy.as_uri()}{fragment}"],
        work / "profile-axe",
    )
    found = strings(lxml_html.fromstring(done.stdout), "//pre[@id='axe-result']/text()")
    assert found, "axe-core did not finish in Chromium"
    result: list[dict[str, Any]] = json.loads(found[0])
    return result


def cards_split_across_pages(pdf: Path, page: bytes) -> list[str]:
    """Titles of the cards whose first line (title) and last line (the last <summary>) are on
    different pages of the printed PDF; cards are found in document order, every language."""
    from pypdf import PdfReader

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    texts = [squeeze(p.extract_text() or "") for p in PdfReader(pdf).pages]
    assert len(texts) >= 2, "the print should take several pages for this check to mean anything"
    tree = lxml_html.fromstring(page)
    split: list[str] = []
    page_no, pos = 0, 0
    for article in elements(tree, "//article"):
        title = squeeze(elements(article, ".//h3")[0].text_content())
        last = squeeze(elements(article, ".//summary")[-1].text_content())
        start = _find(texts, title, page_no, pos)
        assert start is not None, f"card {title} not found in the PDF"
        end = _find(texts, last, start[0], start[1] + len(title))
        assert end is not None, f"the end of card {title} not found in the PDF"
        if end[0] != start[0]:
            split.append(title)
        page_no, pos = end[0], end[1] + len(last)
    return split


def _find(texts: list[str], needle: str, page_no: int, pos: int) -> tuple[int, int] | None:
    for index in range(page_no, len(texts)):
        found = texts[index].find(needle, pos if index == page_no else 0)
        if found >= 0:
            return index, found
    return None
