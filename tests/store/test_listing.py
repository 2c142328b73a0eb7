"""The index listing is kept between calls only while the database is unchanged (store.md §8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store import factory
from wallet.store import Wallet, db


def test_each_listing_is_a_new_list(wallet: Wallet) -> None:
    cid, _ = wallet.add_credential(factory.credential(1), None)
    first = wallet.list_entries()
    first.clear()
    assert [e.id for e in wallet.list_entries()] == [cid]


def test_a_commit_by_another_connection_is_seen_by_the_next_listing(
    wallet: Wallet, home: Path
) -> None:
    kept, _ = wallet.add_credential(factory.credential(1), None)
    gone, _ = wallet.add_credential(factory.credential(2), None)
    assert {e.id for e in wallet.list_entries()} == {kept, gone}
    other = sqlite3.connect(home / db.DB_NAME)
    with other:
        other.execute("DELETE FROM entries WHERE id=?", (gone,))
    other.close()
    assert [e.id for e in wallet.list_entries()] == [kept]


def test_a_rolled_back_step_of_a_batch_leaves_the_listing(wallet: Wallet) -> None:
    kept, _ = wallet.add_credential(factory.credential(1), None)
    with wallet.batch():
        with pytest.raises(RuntimeError), wallet.batch():
            added, _ = wallet.add_credential(factory.credential(2), None)
            assert {e.id for e in wallet.list_entries()} == {kept, added}
            raise RuntimeError("step fails")
        assert [e.id for e in wallet.list_entries()] == [kept]
    assert [e.id for e in wallet.list_entries()] == [kept]


def test_tags_set_after_a_listing_show_in_the_next(wallet: Wallet) -> None:
    cid, _ = wallet.add_credential(factory.credential(1), None)
    assert wallet.list_entries()[0].tags == ()
    wallet.set_tags(cid, ["cv"])
    assert wallet.list_entries()[0].tags == ("cv",)
