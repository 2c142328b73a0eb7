"""One writer at a time; readers go on; a second writer waits briefly, then is told (store.md §6)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from tests.store.processes import Child
from wallet.errors import WalletInUse
from wallet.store import Wallet


def test_second_writer_waits_then_gets_wallet_in_use_and_nothing_breaks(home: Path) -> None:
    with Wallet.create(home, PASS) as wallet:
        before, _ = wallet.add_credential(factory.credential(1), None)
    child = Child("hold", str(home))
    held = child.expect("holding").split()[1]
    try:
        with Wallet.open(home, PASS, lock_timeout=0.4) as other:
            # reading goes on, and sees only what was committed
            assert [e.id for e in other.list_entries()] == [before]
            started = time.monotonic()
            with pytest.raises(WalletInUse) as caught:
                other.add_credential(factory.credential(2), None)
            waited = time.monotonic() - started
            assert 0.3 < waited < 10
            assert "in use" in caught.value.user_message()
            with pytest.raises(WalletInUse):
                other.set_tags(before, ["x"])
            # nothing of the refused write is visible, the reader still works
            assert [e.id for e in other.list_entries()] == [before]
            child.send()
            child.expect("released")
            child.finish()
            # after the first writer is done, the second writes normally
            after, created = other.add_credential(factory.credential(2), None)
            assert created
            assert {e.id for e in other.list_entries()} == {before, held, after}
            assert other.verify_integrity() == []
    finally:
        child.kill()


def test_default_wait_is_about_two_seconds(wallet: Wallet) -> None:
    assert wallet.lock_timeout == 2.0


def test_restore_refuses_while_another_process_has_the_wallet_open(home: Path) -> None:
    with Wallet.create(home, PASS) as wallet:
        wallet.add_credential(factory.credential(1), None)
        wallet.backup(home.parent / "b.plecak")
    child = Child("hold", str(home))
    child.expect("holding")
    try:
        with pytest.raises(WalletInUse):
            Wallet.restore(home, home.parent / "b.plecak", PASS, lock_timeout=0.2)
        child.send()
        child.expect("released")
        child.finish()
    finally:
        child.kill()
    Wallet.restore(home, home.parent / "b.plecak", PASS, lock_timeout=0.2)
    with Wallet.open(home, PASS) as wallet:
        assert len(wallet.list_entries()) == 1


def test_threads_share_one_wallet(wallet: Wallet) -> None:
    """The TUI calls the store from worker threads: one connection, serialised."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda n: wallet.add_credential(factory.credential(n), None), range(20))
        )
    assert len({cid for cid, _ in results}) == 20
    assert len(wallet.list_entries()) == 20
