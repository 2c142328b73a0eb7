"""``plecak verify bundle.zip --html report.html``: the verifier's own page, from what it verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from exporters.bundle import BundleExporter
from tests.exporters.pages import assert_self_contained, elements
from tests.exporters.support import Portfolio, verify_offline
from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run


@pytest.fixture(scope="module")
def bundle(portfolio: Portfolio, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "bundle.zip"
    path.write_bytes(BundleExporter().export(portfolio.request(purpose="Hiring")))
    return path


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_report_page_is_self_contained_and_in_the_employers_language(
    bundle: Path, lang: str
) -> None:
    page = verify_offline(bundle).to_html(lang)
    assert_self_contained(page)
    tree = lxml_html.fromstring(page)
    assert tree.get("lang") == lang
    heading = elements(tree, "//h1")[0].text_content()
    assert heading == (
        "Raport weryfikacji pakietu" if lang == "pl" else "Verification report of a share bundle"
    )


def test_every_card_says_where_its_result_comes_from(bundle: Path) -> None:
    report = verify_offline(bundle)
    tree = lxml_html.fromstring(report.to_html("en"))
    cards = elements(tree, "//article")
    assert len(cards) == len(report.credentials)
    for article, item in zip(cards, report.credentials, strict=True):
        status = elements(article, ".//span[contains(@class,'status')]")[0]
        assert f"s-{item.status.value}" in status.get("class", "")
        assert item.status.glyph in status.text_content()  # never colour alone
        note = elements(article, ".//span[@class='note']")[0].text_content()
        assert "offline" in note or "confirm online" in note  # this run was offline
        assert elements(article, ".//details/summary")


def test_cli_writes_the_report(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    cli_env(monkeypatch, lang="pl")
    out = tmp_path / "report.html"
    code, _out, err = _run(
        capsys,
        "--home",
        str(tmp_path / "employer"),
        "--offline",
        "verify",
        str(bundle),
        "--html",
        str(out),
    )
    assert code in (0, 1), err
    page = out.read_bytes()
    assert_self_contained(page)
    assert lxml_html.fromstring(page).get("lang") == "pl"


def test_cli_html_needs_exactly_one_bundle(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    cli_env(monkeypatch, lang="en")
    code, _out, err = _run(
        capsys, "verify", str(bundle), str(bundle), "--html", str(tmp_path / "r.html")
    )
    assert code == 2 and "exactly one" in err
    assert not (tmp_path / "r.html").exists()
