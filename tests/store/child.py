"""Processes the store tests start, kill and race: ``python -m tests.store.child MODE HOME ...``.

Each writes one line to stdout per committed step (flushed), so the parent knows exactly what was
committed before it killed the process.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.store import factory
from tests.store.conftest import PASS
from wallet.store import Wallet


def say(*words: object) -> None:
    print(*words, flush=True)


def imports(home: Path, start: int) -> None:
    """Import forever: single credentials and batches of three, each reported after its commit."""
    with Wallet.open(home, PASS) as wallet:
        n = start
        while True:
            if n % 4 == 3:
                with wallet.batch():
                    ids = [_add(wallet, n + i) for i in range(3)]
                n += 3
            else:
                ids = [_add(wallet, n)]
                n += 1
            say(*ids)


def _add(wallet: Wallet, n: int) -> str:
    sha, body = factory.evidence_body(n % 7)
    cid, created = wallet.add_credential(
        factory.credential(n, image_bytes=(n * 7919) % 60000),
        factory.report(n, sha256=sha),
        {sha: body},
        tags=[f"t{n % 5}"],
    )
    assert created
    return cid


def passwd(home: Path, current: str) -> None:
    """Change the passphrase back and forth, reporting each one after it is committed."""
    with Wallet.open(home, current) as wallet:
        n = 0
        while True:
            n += 1
            new = f"pass-{n}"
            wallet.change_passphrase(new)
            say(new)


def hold(home: Path) -> None:
    """Write inside one open transaction until told (a line on stdin) to commit."""
    with Wallet.open(home, PASS) as wallet:
        with wallet.batch():
            cid, _ = wallet.add_credential(factory.credential(1000), None)
            say("holding", cid)
            sys.stdin.readline()
        say("released")


def plaintext(home: Path, marker: str, backup: Path) -> None:
    """Fill a wallet with ``marker`` everywhere, pause while open, then back up and passwd."""
    with Wallet.create(home, PASS) as wallet:
        ids = []
        for n in range(4):
            sha, body = factory.evidence_body(n, marker)
            cid, _ = wallet.add_credential(
                factory.credential(n, marker),
                factory.report(n, marker, sha256=sha),
                {sha: body},
                tags=[f"tag-{marker}", "plain"],
                source=f"/home/{marker}/badge{n}.png",
            )
            wallet.add_report(cid, factory.report(n + 10, marker))
            ids.append(cid)
        wallet.set_tags(ids[0], [f"retag-{marker}"])
        wallet.add_identity(f"{marker}@example.org", "email")
        wallet.add_identity(f"did:web:{marker}.example", "did")
        wallet.remove_identity(f"did:web:{marker}.example")
        wallet.record_share({"to": f"hr-{marker}@example.org", "ids": ids})
        wallet.remove(ids[3])
        wallet.signing_key()
        say("written")
        sys.stdin.readline()
        wallet.backup(backup)
        wallet.change_passphrase(PASS + "2")
    say("done")


if __name__ == "__main__":
    mode, home_arg, *rest = sys.argv[1:]
    where = Path(home_arg)
    if mode == "import":
        imports(where, int(rest[0]))
    elif mode == "passwd":
        passwd(where, rest[0])
    elif mode == "hold":
        hold(where)
    elif mode == "plaintext":
        plaintext(where, rest[0], Path(rest[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")
