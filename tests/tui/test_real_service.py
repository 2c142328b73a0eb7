"""The terminal wallet over the real WalletService: create, import by paste, detail, lock, unlock.

Proves the wiring the fake cannot: the service thread (SQLite, the KDF, the async import with its
own event loop) behind the screens, with the store and importers of the project.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.tui.conftest import build_app
from tests.tui.fake_data import NOW
from tests.tui.helpers import settle, text_of
from wallet.codecs import holder
from wallet.demo.issuer import DemoIssuer
from wallet.factory import make_service
from wallet.tui.screens.detail import DetailScreen
from wallet.tui.screens.portfolio import PortfolioScreen
from wallet.tui.screens.unlock import UnlockScreen
from wallet.tui.widgets.badge_table import BadgeTable

# slow: Pilot over the real service and store
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def signed_credential() -> str:
    issuer = DemoIssuer("http://127.0.0.1:9", NOW)
    credential = issuer.ob3_credential(
        "pasted", "Pasted Micro-credential", issued=NOW - timedelta(days=3)
    )
    return json.dumps(holder.sign_jcs(credential, issuer.ed_private, created=NOW))


async def test_create_import_show_lock_with_the_real_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    service = make_service(tmp_path / "wallet", offline=True, clock=lambda: NOW)
    app = build_app(service, start_dir=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press(*"a long passphrase", "enter", *"a long passphrase", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert service.wallet_exists()
        await pilot.press("i", "f4")
        await pilot.pause()
        app.screen.query_one("#paste-text").load_text(signed_credential())  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        row = [str(c) for c in app.screen.query_one("#results", DataTable).get_row_at(0)]
        assert row[0] == "stored"
        assert row[2] == "Pasted Micro-credential"
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one(BadgeTable)
        assert [e.title for e in table.rows] == ["Pasted Micro-credential"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        overview = text_of(app.screen.query_one("#overview-body", Static))
        assert "identified by" in overview and "did:key:z6Mk" in overview
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert not service.unlocked
        app.screen.query_one("#passphrase", Input).value = "a long passphrase"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert len(app.screen.query_one(BadgeTable).rows) == 1


async def test_the_portfolio_shows_a_banner_when_a_credential_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: a row deleted behind the wallet's back is named above the list, never hidden."""
    import sqlite3

    from tests.store import factory
    from wallet.store import Wallet

    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    home = tmp_path / "wallet"
    with Wallet.create(home, "a long passphrase") as wallet:
        ids = [wallet.add_credential(factory.credential(n), None)[0] for n in range(3)]
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("DELETE FROM entries WHERE id=?", (ids[1],))
    conn.close()
    service = make_service(home, offline=True, clock=lambda: NOW)
    app = build_app(service, start_dir=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.query_one("#passphrase", Input).value = "a long passphrase"
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, PortfolioScreen)
        banner = app.screen.query_one("#damage", Static)
        assert banner.display
        text = text_of(banner)
        assert "1 credential is missing from this wallet." in text
        assert f"Credential {ids[1]} is missing" in text
        assert len(app.screen.query_one(BadgeTable).rows) == 2
