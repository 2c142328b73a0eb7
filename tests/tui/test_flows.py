"""Every flow of the terminal wallet, driven by keys through Pilot over the fake service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from tests.tui.conftest import DATA, MutableClock, build_app
from tests.tui.fake_data import PASSPHRASE
from tests.tui.fakes import FakeWalletService
from tests.tui.helpers import settle, text_of
from wallet.errors import StoreError
from wallet.model import Status
from wallet.tui.app import PlecakApp
from wallet.tui.screens.create import CreateScreen
from wallet.tui.screens.detail import DetailScreen
from wallet.tui.screens.export import ExportScreen
from wallet.tui.screens.identities import IdentitiesScreen
from wallet.tui.screens.importer import ImportScreen
from wallet.tui.screens.portfolio import PortfolioScreen
from wallet.tui.screens.recheck import RecheckScreen
from wallet.tui.screens.tags import TagsScreen
from wallet.tui.screens.unlock import UnlockScreen
from wallet.tui.widgets.badge_table import BadgeTable

# slow: every test drives the whole app through Pilot (1-15 s each)
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@asynccontextmanager
async def running(
    service: FakeWalletService, size: tuple[int, int] = (80, 24), **options: Any
) -> AsyncIterator[tuple[PlecakApp, Pilot[Any]]]:
    """The app over ``service`` (``build_app``'s options), started and settled on its first screen."""
    app = build_app(service, **options)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


async def search(app: PlecakApp, pilot: Pilot[Any], query: str) -> None:
    """Type ``query`` into the portfolio's live filter."""
    app.screen.query_one("#search", Input).value = query
    await pilot.pause()


async def open_detail(app: PlecakApp, pilot: Pilot[Any], query: str) -> None:
    """Filter the portfolio to ``query`` and open the first badge's detail view."""
    await search(app, pilot, query)
    await pilot.press("enter")
    await settle(pilot)


def first_result(app: PlecakApp) -> list[str]:
    """The cells of the first row of the screen's results table, as text."""
    return [str(c) for c in app.screen.query_one("#results", DataTable).get_row_at(0)]


def titles(app: PlecakApp) -> list[str]:
    return [e.title or "" for e in app.screen.query_one(BadgeTable).rows]


async def test_unlock_wrong_then_right_passphrase(fake: FakeWalletService) -> None:
    async with running(fake) as (app, pilot):
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"wrong one", "enter")
        await settle(pilot)
        message = str(app.screen.query_one("#message", Label).content)
        assert "Wrong passphrase" in message
        assert not fake.unlocked
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert fake.unlocked
        assert len(titles(app)) == 8


async def test_create_wallet_asks_twice_and_checks_length() -> None:
    fake = FakeWalletService(exists=False)
    async with running(fake) as (app, pilot):
        assert isinstance(app.screen, CreateScreen)
        await pilot.press(*"short", "enter", *"short", "enter")
        await settle(pilot)
        assert "at least 8" in str(app.screen.query_one("#message", Label).content)
        first = app.screen.query_one("#first", Input)
        first.value = "a much longer phrase"
        await pilot.pause()
        assert "Strength" in str(app.screen.query_one("#strength", Label).content)
        app.screen.query_one("#second", Input).focus()
        await pilot.press(*"a different phrase!", "enter")
        await settle(pilot)
        assert "differ" in str(app.screen.query_one("#message", Label).content)
        await pilot.press(*"a much longer phrase", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert fake.passphrase == "a much longer phrase"
        assert ("create", None) in fake.calls


async def test_idle_wallet_locks_itself_and_activity_keeps_it_open(
    unlocked_fake: FakeWalletService,
) -> None:
    from datetime import timedelta

    clock = MutableClock()
    async with running(unlocked_fake, clock=clock, idle_lock=timedelta(minutes=5)) as (app, pilot):
        assert isinstance(app.screen, PortfolioScreen)
        clock.now += timedelta(minutes=4)
        await pilot.press("down")  # activity
        clock.now += timedelta(minutes=4)
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        clock.now += timedelta(minutes=2)
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert not unlocked_fake.unlocked
        assert "inactivity" in " ".join(str(lb.content) for lb in app.screen.query(Label))


async def test_lock_key_locks_from_a_deeper_screen(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert not unlocked_fake.unlocked
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)


async def test_live_filter_tags_exclusion_and_clear(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("slash", *"python")
        await pilot.pause()
        assert sorted(titles(app)) == ["Data Analysis with pandas", "Python Programming Basics"]
        await pilot.press(*" -pandas")
        await pilot.pause()
        assert titles(app) == ["Python Programming Basics"]
        await search(app, pilot, "#it")
        assert sorted(titles(app)) == ["Cloud Fundamentals", "Python Programming Basics"]
        await search(app, pilot, "revoked")
        assert titles(app) == ["Team Leadership"]
        summary = text_of(app.screen.query_one("#summary", Static))
        assert "showing 1 of 8" in summary
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(titles(app)) == 8


async def test_sidebar_narrows_to_a_status_or_a_collection(
    unlocked_fake: FakeWalletService,
) -> None:
    async with running(unlocked_fake, size=(120, 40)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        sidebar = screen.query_one("#collections")
        assert sidebar.display
        sidebar.focus()
        await pilot.pause()
        await pilot.press("down", "enter")  # first status after "All": invalid
        await pilot.pause()
        assert titles(app) == ["Tampered Certificate"]
        index = sidebar.get_option_index("tag:python")  # type: ignore[attr-defined]
        sidebar.highlighted = index  # type: ignore[attr-defined]
        sidebar.focus()  # choosing a scope moved the focus to the table
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert sorted(titles(app)) == ["Data Analysis with pandas", "Python Programming Basics"]
        assert "#python" in text_of(screen.query_one("#title", Static))


async def test_sort_cycles_and_reverses(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        assert titles(app)[0] == "Summer School 2027"  # newest first
        await pilot.press("s")
        assert titles(app)[0] == "Cloud Fundamentals"  # by title
        await pilot.press("S")
        assert titles(app)[0] == "Team Leadership"
        await pilot.press("s", "s")  # issuer, then status
        await pilot.press("S")
        assert app.screen.query_one(BadgeTable).rows[0].status is Status.INVALID


async def test_detail_shows_issuer_checks_history_and_json(
    unlocked_fake: FakeWalletService,
) -> None:
    async with running(unlocked_fake, size=(100, 32)) as (app, pilot):
        await open_detail(app, pilot, "leadership")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        overview = text_of(screen.query_one("#overview-body", Static))
        assert "Open Leadership Lab" in overview
        assert "did:key:z6Mkha" in overview
        assert "matches your identity ala@example.org" in overview
        assert "5 ECTS" in overview and "EQF 5" in overview
        await pilot.press("2")
        checks = text_of(screen.query_one("#verification-body", Static))
        assert "The issuer revoked this badge." in checks and "failed" in checks
        await pilot.press("3")
        history = text_of(screen.query_one("#history-body", Static))
        assert "✓ valid → ⊘ revoked" in history
        assert "revocation: ✓ passed → ✗ failed" in history
        await pilot.press("4")
        eu = text_of(screen.query_one("#eu-body", Static))
        assert "Type of assessment" in eu and "missing" in eu
        await pilot.press("5")
        assert "Final project" in text_of(screen.query_one("#evidence-body", Static))
        await pilot.press("6")
        assert '"type": "Assertion"' in text_of(screen.query_one("#json-body", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_detail_draws_the_png_badge_image(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake, size=(100, 32)) as (app, pilot):
        await open_detail(app, pilot, "python basics")
        image = app.screen.query_one("BadgeImage", Static)
        assert "▀" in text_of(image)


async def test_import_from_path_shows_results_and_reloads(unlocked_fake: FakeWalletService) -> None:
    path = str(DATA / "picker" / "not_a_badge.json")
    unlocked_fake.import_results[path] = [
        unlocked_fake.stored_outcome(path, "Imported From Disk", "0a0b0c", Status.VALID)
    ]
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("down", "enter")  # the picker: first file under the start folder
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == path
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ("import_sources", [path]) in unlocked_fake.calls
        table = app.screen.query_one("#results", DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[0] == "stored" and "valid" in row[1] and row[2] == "Imported From Disk"
        await pilot.press("escape")
        await settle(pilot)
        assert "Imported From Disk" in titles(app)


async def test_import_from_url_and_failure_is_a_sentence(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("i", "f3")
        await pilot.press(*"ftp://nope")
        await pilot.press("enter")
        await pilot.pause()
        assert "http://" in str(app.screen.query_one("#progress-label", Label).content)
        app.screen.query_one("#url-input", Input).value = "https://badges.example/nothing"
        await pilot.press("enter")
        await settle(pilot)
        assert ("import_sources", ["https://badges.example/nothing"]) in unlocked_fake.calls
        row = first_result(app)
        assert row[0] == "failed"
        assert "No badge or credential was found" in row[3]
        assert "Traceback" not in row[3]


async def test_import_pasted_text(unlocked_fake: FakeWalletService) -> None:
    unlocked_fake.import_results["-"] = [
        unlocked_fake.stored_outcome("-", "Pasted Badge", "0d0e0f", Status.UNVERIFIED)
    ]
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("i", "f4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Paste a badge first" in str(app.screen.query_one("#progress-label", Label).content)
        await pilot.press(*'{"type": "Assertion"}')
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ("import_text", '{"type": "Assertion"}') in unlocked_fake.calls
        row = first_result(app)
        assert row[0] == "stored" and "unverified" in row[1]


async def test_recheck_one_highlights_what_changed(unlocked_fake: FakeWalletService) -> None:
    unlocked_fake.recheck_status["a1b2c3"] = Status.REVOKED
    async with running(unlocked_fake) as (app, pilot):
        await search(app, pilot, "python basics")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecheckScreen)
        assert ("recheck", ["a1b2c3"]) in unlocked_fake.calls
        row = first_result(app)
        assert "changed" in row[0]
        assert "valid" in row[2] and "revoked" in row[3]
        assert "revocation" in row[4]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(BadgeTable).rows[0].status is Status.REVOKED


async def test_recheck_all_lists_every_badge(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("R")
        await settle(pilot)
        assert ("recheck", None) in unlocked_fake.calls
        assert app.screen.query_one("#results", DataTable).row_count == 8
        assert "8 badges checked" in str(app.screen.query_one("#progress-label", Label).content)
        await pilot.press("c")  # only changes
        assert app.screen.query_one("#results", DataTable).row_count == 0


async def test_tags_add_and_remove(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await search(app, pilot, "summer")
        app.screen.query_one(BadgeTable).focus()
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press(*"#cv, gdansk", "enter")
        await settle(pilot)
        assert ("tag", ("f6a7b8", ["cv", "gdansk"])) in unlocked_fake.calls
        app.screen.query_one("#current").focus()  # the list of current tags
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert ("untag", ("f6a7b8", ["cv"])) in unlocked_fake.calls
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(BadgeTable).rows[0].tags == ("gdansk",)


async def test_remove_asks_first_and_no_keeps_the_badge(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        first = app.screen.query_one(BadgeTable).rows[0].id
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert first in unlocked_fake.items
        await pilot.press("space", "space")  # mark two
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(unlocked_fake.items) == 6
        assert len(titles(app)) == 6


async def test_export_wizard_writes_the_file(
    unlocked_fake: FakeWalletService, tmp_path: Path
) -> None:
    async with running(unlocked_fake, start_dir=tmp_path) as (app, pilot):
        await pilot.press("space")  # mark the first badge
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        path_field = app.screen.query_one("#path", Input)
        assert path_field.value == "plecak-bundle-2026-11-23.zip"
        app.screen.query_one("#identity").value = "ala@example.org"  # type: ignore[attr-defined]
        app.screen.query_one("#purpose", Input).value = "Job application"
        await pilot.press("ctrl+s")
        await settle(pilot)
        first = unlocked_fake.exported[0]
        assert first[0] == "bundle" and len(first[1]) == 1
        assert first[2:] == ("ala@example.org", "Job application")
        written = tmp_path / "plecak-bundle-2026-11-23.zip"
        assert written.read_bytes().startswith(b"PK-fake-bundle:")
        assert oct(written.stat().st_mode & 0o777) == "0o600"
        # a second export to the same file asks before replacing it
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert len(unlocked_fake.exported) == 1


async def test_export_wizard_names_sensitive_fields_it_shared(
    unlocked_fake: FakeWalletService, tmp_path: Path
) -> None:
    async with running(unlocked_fake, start_dir=tmp_path) as (app, pilot):
        await pilot.press("space")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        unlocked_fake.sensitive = {app.screen.ids[0]: ["date of birth"]}  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#message", Label).render())
        assert "date of birth" in message


async def test_export_without_exporters_says_so_plainly(tmp_path: Path) -> None:
    async with running(FakeWalletService(unlocked=True, exporters=()), start_dir=tmp_path) as (
        app,
        pilot,
    ):
        await pilot.press("e")
        await settle(pilot)
        message = str(app.screen.query_one("#message", Label).content)
        assert "No export formats are available" in message
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not list(tmp_path.iterdir())


async def test_export_error_from_the_service_is_shown(tmp_path: Path) -> None:
    fake = FakeWalletService(unlocked=True, exporters=("bundle",))
    async with running(fake, start_dir=tmp_path) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        fake.kinds = []  # the exporter vanished between listing and exporting
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#message", Label).content)
        assert message.startswith("Could not export:")
        assert "not available yet" in message


async def test_identities_add_reject_and_remove(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, IdentitiesScreen)
        await pilot.press("a", *"not an identity", "enter")
        await settle(pilot)
        assert "is not an email address" in str(app.screen.query_one("#message", Label).content)
        app.screen.query_one("#new", Input).value = "did:key:z6MkTest"
        await pilot.press("enter")
        await settle(pilot)
        assert ("did:key:z6MkTest", "did") in unlocked_fake.identities()
        app.screen.query_one("#identities", DataTable).focus()
        await pilot.press("down", "d", "y")
        await settle(pilot)
        assert [v for v, _k in unlocked_fake.identities()] == ["ala@example.org"]


async def test_service_errors_are_sentences_not_tracebacks() -> None:
    class Broken(FakeWalletService):
        def list(self, **kw: object) -> list[object]:  # type: ignore[override]
            raise StoreError("The wallet could not be used.")

    async with running(Broken(unlocked=True)) as (app, _pilot):
        assert isinstance(app.screen, PortfolioScreen)
        assert app.return_code is None  # still running
        table = app.screen.query_one(BadgeTable)
        assert table.empty_text == "The wallet could not be used."


async def test_unexpected_exception_becomes_a_message() -> None:
    class Buggy(FakeWalletService):
        def show(self, id_or_prefix: str) -> object:  # type: ignore[override]
            raise KeyError("boom")

    async with running(Buggy(unlocked=True)) as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        title = text_of(app.screen.query_one("#title", Static))
        assert "Something unexpected went wrong: KeyError" in title
        assert app.return_code is None


async def test_command_palette_offers_the_screen_actions(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Import", "Recheck", "Export", "Identities", "Lock", "Quit plecak"} <= commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"identit", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IdentitiesScreen)


async def test_polish_interface(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake, lang="pl") as (app, pilot):
        title = text_of(app.screen.query_one("#title", Static))
        assert "8 odznak" in title
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Importuj" in descriptions
        await search(app, pilot, "unieważniony")
        assert titles(app) == ["Team Leadership"]


async def test_quit_key(unlocked_fake: FakeWalletService) -> None:
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_export_wizard_offers_the_cv_pdf_and_no_linkedin(tmp_path: Path) -> None:
    fake = FakeWalletService(unlocked=True, exporters=("bundle", "pdf", "linkedin"))
    async with running(fake, start_dir=tmp_path) as (app, pilot):
        await pilot.press("space")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.kinds == ["bundle", "pdf"]  # linkedin gives an address, not a file
        app.screen.query_one("#kind").value = "pdf"  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.screen.query_one("#path", Input).value == "plecak-pdf-2026-11-23.pdf"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert fake.exported[0][0] == "pdf"
        assert (tmp_path / "plecak-pdf-2026-11-23.pdf").is_file()


async def test_f1_opens_and_closes_the_keys_panel_and_esc_closes_it_too(
    unlocked_fake: FakeWalletService,
) -> None:
    from textual.widgets import HelpPanel

    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("f1")
        await pilot.pause()
        assert len(app.screen.query(HelpPanel)) == 1
        await pilot.press("f1")
        await pilot.pause()
        assert len(app.screen.query(HelpPanel)) == 0
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen.query(HelpPanel)) == 0
        assert isinstance(app.screen, PortfolioScreen)  # Esc closed the panel, nothing else
        # opened in the detail view, it does not stay behind on the portfolio
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert not app._keys_panels()


async def test_import_typing_straight_away_goes_into_the_path_field(
    unlocked_fake: FakeWalletService,
) -> None:
    path = "/tmp/badge.png"
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press(*path)
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        assert field.value == path and app.screen.focused is field
        await pilot.press("enter")
        await settle(pilot)
        assert ("import_sources", [path]) in unlocked_fake.calls


async def test_verification_tab_says_why_and_offers_the_identity_for_a_recipient_mismatch(
    unlocked_fake: FakeWalletService,
) -> None:
    from dataclasses import replace

    from wallet.model import CheckResult, CheckStatus
    from wallet.tui.screens.detail import DetailScreen as Detail

    async with running(unlocked_fake, size=(100, 32)) as (app, pilot):
        await open_detail(app, pilot, "leadership")
        screen = app.screen
        assert isinstance(screen, Detail)
        await pilot.press("2")
        checks = text_of(screen.query_one("#verification-body", Static))
        assert "Why: The issuer revoked this badge." in checks
        assert "press m" not in checks
        # the same badge, now issued to someone else
        view = screen.view
        mismatch = CheckResult("recipient", CheckStatus.FAIL, "Issued to ola@example.org.")
        report = replace(view.report, status=Status.INVALID, checks=(mismatch,))
        screen.show_view(replace(view, report=report))
        await pilot.pause()
        checks = text_of(screen.query_one("#verification-body", Static))
        assert "Why: Issued to ola@example.org." in checks and "press m" in checks
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, IdentitiesScreen)


async def test_the_palette_offers_only_plecaks_own_translated_actions(
    unlocked_fake: FakeWalletService,
) -> None:
    async with running(unlocked_fake, lang="pl") as (app, _pilot):
        titles_ = {c.title for c in app.get_system_commands(app.screen)}
        assert "Importuj" in titles_
        assert not {"Focus Next", "Focus Previous", "Copy selected text"} & titles_


async def test_import_results_at_80_columns_keep_the_status_word_and_title_whole_first(
    unlocked_fake: FakeWalletService,
) -> None:
    path = "../shared/conformance/ob2/baked/some-long-folder/teamwork-badge-2024-final-version.png"
    title = "Teamwork and Collaboration in Projects"
    unlocked_fake.import_results[path] = [
        unlocked_fake.stored_outcome(path, title, "0a0b0c", Status.INVALID)
    ]
    async with running(unlocked_fake) as (app, pilot):
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*path, "enter")
        await settle(pilot, rounds=5)
        table = app.screen.query_one("#results", DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        widths = [column.width for column in table.columns.values()]
        assert widths[0] >= len("stored") and widths[1] >= len("✗ invalid")  # never "✗ inva"
        assert sum(widths) + 2 * len(widths) <= 80
        assert row[2].startswith("Teamwork and Collab") and len(row[2]) >= 20
        assert row[3].endswith("…") and path.startswith(row[3][:-1])  # the path gives way first


async def test_the_keys_panel_speaks_polish_for_textuals_own_keys_too(
    unlocked_fake: FakeWalletService,
) -> None:
    import html

    async with running(unlocked_fake, lang="pl", size=(120, 40)) as (app, pilot):
        await pilot.press("enter")  # the detail view: its scrolling panes bring Textual's keys
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("f1")
        await settle(pilot)
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Następny element" in screen and "Przewiń w górę" in screen
        assert "Focus Next" not in screen and "Scroll Up" not in screen
