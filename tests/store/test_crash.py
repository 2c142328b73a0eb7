"""Crash safety: SIGKILL at random points of a long import, many times over (store.md §4), and
during passphrase changes (store.md §3)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from tests.store.processes import Child
from wallet.errors import WrongPassphrase
from wallet.store import Wallet

# slow: crash loops: real processes killed mid-write
pytestmark = pytest.mark.slow

ROUNDS = 30
BUDGET_SECONDS = 50


def _check(home: Path, committed: set[str]) -> int:
    """Open after a crash: every reported id is there and decrypts; nothing half-written."""
    with Wallet.open(home, PASS) as wallet:
        listed = wallet.list_entries()
        assert listed.tampered == ()
        assert wallet.verify_integrity() == []
        ids = {e.id for e in listed}
        assert committed <= ids, f"lost after a crash: {sorted(committed - ids)}"
        for entry in listed:
            # every visible credential is complete: record, index, first report, evidence
            credential = wallet.get_credential(entry.id)
            assert credential.fingerprint == entry.fingerprint
            history = wallet.history(entry.id)
            assert len(history) == 1
            sha = history[0].evidence[0].sha256
            assert wallet.evidence_body(sha) is not None
            assert wallet.find_fingerprint(entry.fingerprint) == entry.id
        return len(ids)


def test_sigkill_during_import_never_loses_or_half_writes(home: Path) -> None:
    Wallet.create(home, PASS).close()
    rng = random.Random(20261123)
    committed: set[str] = set()
    started = time.monotonic()
    total = 0
    kills_mid_write = 0
    for round_no in range(ROUNDS):
        if time.monotonic() - started > BUDGET_SECONDS:
            break
        child = Child("import", str(home), str(total + 1000 * round_no))
        wanted = rng.randint(0, 12)
        for _ in range(wanted):
            line = child.expect("")
            committed.update(line.split())
        # Kill now (in the middle of the next write) or after a short random moment.
        if rng.random() < 0.5:
            extra = child.line(timeout=rng.uniform(0.0, 0.05))
            if extra:
                committed.update(extra.split())
        for line in child.kill():  # said after a commit, not read by us yet
            committed.update(line.split())
        kills_mid_write += 1
        total = _check(home, committed)
    assert kills_mid_write >= 10
    assert total >= len(committed) > 20


def test_sigkill_during_passwd_leaves_old_or_new_passphrase(home: Path) -> None:
    Wallet.create(home, PASS).close()
    rng = random.Random(7)
    current = PASS
    for _ in range(12):
        child = Child("passwd", str(home), current)
        for _ in range(rng.randint(1, 4)):
            current = child.expect("pass-")
        current = [current, *child.kill()][-1]
        # the last reported passphrase works, or the next one (committed, not yet reported)
        candidates = [current, f"pass-{int(current.split('-')[1]) + 1}"]
        opened = []
        for candidate in candidates:
            try:
                Wallet.open(home, candidate).close()
                opened.append(candidate)
            except WrongPassphrase:
                pass
        assert len(opened) == 1, opened
        current = opened[0]
    with Wallet.open(home, current) as wallet:
        wallet.add_credential(factory.credential(1), None)
        assert wallet.verify_integrity() == []
