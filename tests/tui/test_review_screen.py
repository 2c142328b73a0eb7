"""The advisor's review screen: opened from the portfolio (key and palette) and standalone
(``plecak review --tui``), over real bundles reviewed by the real review at a fixed clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TabbedContent

from tests.support.cli import cli_env, run_cli
from tests.tui.conftest import build_app
from tests.tui.fake_data import NOW
from tests.tui.fakes import FakeWalletService
from tests.tui.helpers import press_to, settle, text_of
from tests.tui.review_support import make_bundles, write_pathway
from wallet.errors import MalformedInput
from wallet.i18n import set_language
from wallet.service import WalletApi
from wallet.tui.review_app import ReviewApp
from wallet.tui.screens.portfolio import PortfolioScreen
from wallet.tui.screens.review import ReviewPickScreen, ReviewScreen

# slow: the review screen driven through Pilot
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def body(app: Any, tab: str) -> str:
    return text_of(app.screen.query_one(f"#{tab}-body", Static))


def state(app: Any) -> str:
    return text_of(app.screen.query_one("#review-state", Static))


def standalone(
    service: WalletApi, paths: list[Path], pathway: Path | None = None, **kw: Any
) -> ReviewApp:
    kw.setdefault("clock", lambda: NOW)
    kw.setdefault("blink", False)
    return ReviewApp(service, paths, pathway, **kw)


async def test_review_from_the_portfolio_with_the_v_key(tmp_path: Path) -> None:
    bundles = make_bundles(tmp_path)
    write_pathway(tmp_path)
    fake = FakeWalletService(unlocked=True)
    app = build_app(fake, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        await press_to(pilot, "v", ReviewPickScreen)
        await pilot.press("ctrl+s")  # nothing chosen yet: said, not crashed
        await settle(pilot)
        assert "at least one bundle" in text_of(app.screen.query_one("#review-chosen", Static))
        app.screen.query_one("#review-path", Input).focus()
        for name in ("a.zip", "b.zip", "pathway.json", "nosuch.zip"):
            await pilot.press(*name, "enter")
            await settle(pilot)
        chosen = text_of(app.screen.query_one("#review-chosen", Static))
        assert "a.zip, b.zip" in chosen and "pathway.json" in chosen
        assert "There is no file" in chosen and "nosuch.zip" in chosen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert fake.reviewed == [(bundles, tmp_path / "pathway.json")]
        assert "All 2 bundles are intact" in state(app)
        overview = body(app, "overview")
        assert "Review of 2 bundles" in overview and "2026-11-23 12:00 UTC" in overview
        assert "a.zip — intact and signed by its holder" in overview
        assert "statuses as recorded at export" in overview
        assert "✓ valid 4" in overview and "⊘ revoked 1" in overview
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "timeline"
        timeline = body(app, "timeline")
        assert timeline.index("Short course") < timeline.index("Programme")  # 2024 before 2025
        assert "the same credential as in a.zip" in timeline
        await pilot.press("3")
        credits = body(app, "credits")
        assert "ECTS credits" in credits and " 12 " in credits.replace("\n", " ")
        assert "308" in credits  # hours kept apart, never ECTS
        assert "Module (a.zip) — 4 ECTS, part of Programme (a.zip)" in credits
        assert "Revoked course (b.zip) — ⊘ revoked" in credits
        assert "EQF" in credits
        assert "ESCO skills covered: 3" in body(app, "skills")
        stacks = body(app, "stacks")
        assert "Stack 1: 2 credentials" in stacks and "—hasPart→" in stacks
        pathway = body(app, "pathway")
        assert "Pathway: Data analyst (junior)" in pathway and "not met yet" in pathway
        assert "at least 24 ECTS  50%" in pathway
        eu = body(app, "eu")
        assert "✗ 7 of 11" in eu and "Type of quality assurance" in eu
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)


async def test_review_from_the_command_palette(tmp_path: Path) -> None:
    make_bundles(tmp_path)
    app = build_app(FakeWalletService(unlocked=True), start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Review bundles")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewPickScreen)


async def test_review_is_not_offered_before_unlocking(tmp_path: Path) -> None:
    app = build_app(FakeWalletService(), start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.set_focus(None)
        await pilot.press("v")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewPickScreen)
        assert app.check_action("review_bundles", ()) is False


async def test_picker_tree_adds_and_removes_bundles(tmp_path: Path) -> None:
    make_bundles(tmp_path)
    app = build_app(FakeWalletService(unlocked=True), start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewPickScreen)
        assert screen.choose(tmp_path / "a.zip") and screen.choose(tmp_path / "b.zip")
        assert screen.choose(tmp_path / "a.zip")  # again: removed
        assert screen.bundles == [tmp_path / "b.zip"]
        await pilot.press("ctrl+x")
        assert screen.bundles == [] and screen.pathway is None


async def test_standalone_review_needs_no_wallet(tmp_path: Path) -> None:
    bundles = make_bundles(tmp_path)
    fake = FakeWalletService(exists=False)
    app = standalone(fake, bundles)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert fake.calls == []  # no create, no unlock, no lock
        assert "Review of 2 bundles" in body(app, "overview")
        pathway = body(app, "pathway")
        assert "No pathway file was given" in pathway
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value == 0


async def test_standalone_a_file_that_is_no_bundle_exits_1_and_says_so(tmp_path: Path) -> None:
    good, _second = make_bundles(tmp_path)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: no mimetype, no manifest
    app = standalone(FakeWalletService(), [good, junk])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 of 2 bundles is damaged or unsafe" in state(app)
        overview = body(app, "overview")
        assert "junk.zip — damaged or unsafe: do not rely on it" in overview
        assert "a.zip — intact" in overview
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_value == 1


class FailingFake(FakeWalletService):
    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    async def review(self, paths: Any, pathway: Path | None = None) -> Any:
        if self.failures:
            self.failures -= 1
            raise MalformedInput(source="pathway.json", reason="a pathway file is a JSON object")
        return await super().review(paths, pathway)


async def test_errors_are_sentences_and_r_tries_again(tmp_path: Path) -> None:
    bundles = make_bundles(tmp_path)
    fake = FailingFake()
    app = standalone(fake, bundles, tmp_path / "pathway.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "The review could not be made" in state(app)
        assert "pathway.json" in body(app, "overview")
        assert "Press r to try again" in body(app, "overview")
        assert isinstance(app.screen, ReviewScreen) and app.screen.exit_code == 2
        write_pathway(tmp_path)
        await pilot.press("r")
        await settle(pilot)
        assert "All 2 bundles are intact" in state(app)
        assert "Data analyst (junior)" in body(app, "pathway")


async def test_review_in_polish(tmp_path: Path) -> None:
    bundles = make_bundles(tmp_path)
    app = standalone(FakeWalletService(), bundles)
    set_language("pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "Przegląd 2 pakietów" in body(app, "overview")
            assert "Wszystkie 2 pakiety są nienaruszone" in state(app)
            assert "Punkty ECTS" in body(app, "credits")
            assert "Oś czasu" in body(app, "timeline")
    finally:
        set_language("en")


def test_cli_review_tui_opens_the_standalone_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(monkeypatch)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "home"))
    bundles = make_bundles(tmp_path)
    seen: list[tuple[Any, ...]] = []

    def fake_run(service: WalletApi, paths: list[Path], pathway: Path | None = None) -> int:
        seen.append((service, paths, pathway))
        return 1

    monkeypatch.setattr("wallet.tui.app.run_review_tui", fake_run)
    code, out, _err = run_cli(
        capsys, "review", "--tui", str(bundles[0]), "--pathway", str(tmp_path / "p.json")
    )
    assert code == 1 and out == ""
    assert seen[0][1:] == ([bundles[0]], tmp_path / "p.json")
    assert not (tmp_path / "home").exists()  # no wallet was created or opened


async def test_standalone_review_with_the_real_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service checks each bundle now (offline, from its evidence) on the runner's thread."""
    from wallet.factory import make_service

    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    bundles = make_bundles(tmp_path / "in")
    service = make_service(tmp_path / "wallet", offline=True, clock=lambda: NOW)
    app = standalone(service, bundles, write_pathway(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, ReviewScreen) and app.screen.review is not None
        overview = body(app, "overview")
        assert "Review of 2 bundles" in overview and "statuses checked now" in overview
        assert "Data analyst (junior)" in body(app, "pathway")
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value == 0
    assert not (tmp_path / "wallet").exists()  # read-only: no wallet was made
