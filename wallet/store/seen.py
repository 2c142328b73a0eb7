"""The last write counter this computer saw of each wallet, kept outside the wallet file.

Why: the catalogue (catalogue.py) proves that the records agree with each other, not that the file
is the newest one: an older copy of the whole file (a synced folder put back, a disk image, a
copied ``wallet.db``) is consistent in itself.  Remembering the highest counter seen, in a place
that is not copied with the wallet, lets opening such a copy say that it was rolled back.

Where: ``$PLECAK_STATE_DIR`` if set, else the user's state folder (platformdirs, e.g.
``~/.local/state/plecak``), never beside the wallet: a folder copied or synced as a whole would take
the marker back in time with the wallet, and the check would see nothing.  One small JSON file per
wallet, named by an HMAC of a constant under the data key (the same wallet, backup or not, has the
same name; the name says nothing about the wallet), holding the counter and an HMAC of it, so that
editing the file cannot silence the warning without the data key.

What it cannot see: a rollback on another computer, or after the state folder was lost or also
rolled back; a rollback to a copy made after the last time this computer opened the wallet.
Writing it is best effort (a read-only state folder only costs the warning).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

STATE_ENV = "PLECAK_STATE_DIR"


def state_dir() -> Path:
    value = os.environ.get(STATE_ENV, "").strip()
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("plecak", appauthor=False))


class SeenCounter:
    """The marker of one wallet (identified through its data key)."""

    def __init__(self, data_key: bytes) -> None:
        self._key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"plecak/seen/v1"
        ).derive(data_key)
        name = hmac.new(self._key, b"wallet-id", hashlib.sha256).hexdigest()[:32]
        self.path = state_dir() / "seen" / f"{name}.json"

    def _mac(self, counter: int) -> str:
        return hmac.new(self._key, b"counter:%d" % counter, hashlib.sha256).hexdigest()

    def read(self) -> int | None:
        """The counter recorded, or None (never recorded, unreadable, or its MAC fails)."""
        try:
            data = json.loads(self.path.read_bytes()[:4096])
            counter = data["counter"]
            if type(counter) is int and hmac.compare_digest(str(data["mac"]), self._mac(counter)):
                return counter
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def write(self, counter: int) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
            tmp.write_text(json.dumps({"counter": counter, "mac": self._mac(counter)}))
            tmp.replace(self.path)
        except OSError:
            pass

    def raise_to(self, counter: int) -> None:
        """Record ``counter`` unless a higher one is already recorded."""
        current = self.read()
        if current is None or counter > current:
            self.write(counter)
