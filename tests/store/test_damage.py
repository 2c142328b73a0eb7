"""A damaged wallet file gives WalletDamaged (a clear message), never a raw sqlite3 error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import WalletDamaged
from wallet.store import Wallet


def _fill(home: Path) -> list[str]:
    with Wallet.create(home, PASS) as wallet:
        return [
            wallet.add_credential(factory.credential(n, image_bytes=5000), factory.report(n))[0]
            for n in range(20)
        ]


def test_a_truncated_wallet_is_reported_as_damaged(home: Path) -> None:
    _fill(home)
    db = home / "wallet.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    # the damage shows at open or at the first read of a lost page: either way, as WalletDamaged
    with pytest.raises(WalletDamaged) as caught, Wallet.open(home, PASS) as wallet:
        for entry in wallet.list_entries():
            wallet.get_credential(entry.id)
        wallet.verify_integrity()
    assert "damaged" in caught.value.user_message()


def test_garbage_in_a_stale_wal_is_ignored(home: Path) -> None:
    ids = _fill(home)
    (home / "wallet.db-wal").write_bytes(os.urandom(50_000))
    with Wallet.open(home, PASS) as wallet:
        assert sorted(e.id for e in wallet.list_entries()) == sorted(ids)
        assert wallet.verify_integrity() == []


def test_an_empty_wallet_file_is_damaged(home: Path) -> None:
    home.mkdir()
    (home / "wallet.db").write_bytes(b"")
    with pytest.raises(WalletDamaged):
        Wallet.open(home, PASS)
