"""The learner's own records: identities, the signing key, the share ledger, and other sealed
JSON records (connections and their tokens).

Apart from :mod:`wallet.store.wallet` so that the wallet class stays the list of what a
portfolio is; these records belong to no credential.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wallet.errors import RecordTampered
from wallet.store import codec
from wallet.store.records import SealedRecords
from wallet.store.vault import Tampered


class LearnerRecords(SealedRecords):
    """Identities (kind ``identity``), the key (``secret``), shares (``share``), any JSON kind."""

    def add_identity(self, value: str, kind: str) -> None:
        rid = self._cipher.lookup("identity", value)
        record = {"value": value, "kind": kind, "added_at": self._clock().isoformat()}
        with self._writing() as conn:
            existing = self._get(conn, "identity", rid, tamper_name=f"identity:{rid[:8]}")
            if existing is not None:
                record["added_at"] = json.loads(existing).get("added_at", record["added_at"])
            self._put(conn, "identity", rid, None, codec.encode(record))

    def list_identities(self) -> list[tuple[str, str]]:
        """(value, kind) pairs in the order they were added."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, nonce, ciphertext FROM records WHERE kind='identity'"
            ).fetchall()
        found: list[tuple[str, str, str]] = []
        for rid, nonce, ciphertext in rows:
            try:
                data = json.loads(self._cipher.open("identity", rid, None, nonce, ciphertext))
            except Tampered:
                raise RecordTampered(record=f"identity:{rid[:8]}") from None
            found.append((str(data.get("added_at", "")), str(data["value"]), str(data["kind"])))
        found.sort()
        return [(value, kind) for _, value, kind in found]

    def remove_identity(self, value: str) -> bool:
        rid = self._cipher.lookup("identity", value)
        with self._writing() as conn:
            return bool(self._delete_records(conn, "kind='identity' AND id=?", (rid,)))

    def signing_key(self) -> bytes:
        """The learner's Ed25519 private key (raw 32 bytes), made on first use and kept sealed."""
        with self._reading() as conn:
            key = self._get(conn, "secret", "ed25519", tamper_name="secret:ed25519")
        if key is not None:
            return key
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        fresh = Ed25519PrivateKey.generate().private_bytes_raw()
        with self._writing() as conn:
            # Another process may have made one meanwhile: the first one made wins.
            key = self._get(conn, "secret", "ed25519", tamper_name="secret:ed25519")
            if key is None:
                self._put(conn, "secret", "ed25519", None, fresh)
                key = fresh
        return key

    def record_share(self, entry: Mapping[str, Any]) -> None:
        with self._writing() as conn:
            last = conn.execute(
                "SELECT id FROM records WHERE kind='share' ORDER BY id DESC LIMIT 1"
            ).fetchone()
            seq = int(last[0]) + 1 if last else 1
            self._put(conn, "share", f"{seq:08d}", None, codec.encode(dict(entry)))

    def shares(self) -> list[dict[str, Any]]:
        """The share ledger, oldest first."""
        return [entry for _rid, entry in self.records_of("share")]

    def put_record(self, kind: str, record_id: str, data: Mapping[str, Any]) -> None:
        """Keep a JSON object sealed like every record (connections and their tokens, ...)."""
        with self._writing() as conn:
            self._put(conn, kind, record_id, None, codec.encode(dict(data)))

    def get_record(self, kind: str, record_id: str) -> dict[str, Any] | None:
        with self._reading() as conn:
            plaintext = self._get(conn, kind, record_id, tamper_name=f"{kind}:{record_id}")
        return None if plaintext is None else self._decode(dict, plaintext, f"{kind}:{record_id}")

    def records_of(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """Every ``(id, object)`` of one kind, by id."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, nonce, ciphertext FROM records WHERE kind=? ORDER BY id", (kind,)
            ).fetchall()
        found = []
        for rid, nonce, ciphertext in rows:
            try:
                plaintext = self._cipher.open(kind, rid, None, nonce, ciphertext)
            except Tampered:
                raise RecordTampered(record=f"{kind}:{rid}") from None
            found.append((str(rid), self._decode(dict, plaintext, f"{kind}:{rid}")))
        return found

    def delete_record(self, kind: str, record_id: str) -> bool:
        with self._writing() as conn:
            cursor = conn.execute("DELETE FROM records WHERE kind=? AND id=?", (kind, record_id))
            return bool(cursor.rowcount)
