"""The authenticated catalogue: which records the wallet holds, in which version, and how often it
was written — so that a deleted, duplicated, swapped or replayed row is noticed and named.

Why: AES-GCM authenticates each record on its own; it cannot tell that a row is *gone*, that an
older copy of a row was put back, or that a row was added.  The catalogue lists every sealed record
as ``(kind, id, version)`` — the version is the record's nonce, fresh and random on every write, so
an older ciphertext of the same record carries another one — and a write counter, all covered by an
HMAC under a key derived from the data key (HKDF).  It is generic over record kinds: a new kind
(e.g. a "connection") is catalogued by the same ``_put`` without any change here.

Why buckets: rewriting one list of 40,000 records on every import would make filling a wallet
quadratic.  The records are spread over 256 buckets (by a hash of kind and id); a write rewrites the
buckets it touched and the top record (counter + the SHA-256 of every bucket + HMAC): a two-level
hash tree.  A bucket is only ever changed after its digest was checked against an authenticated
top, so a write never blesses a catalogue changed behind the wallet's back.

What it cannot see on its own: a copy of the *whole* file from earlier (everything consistent, only
older).  For that the last counter seen is kept outside the wallet (:mod:`wallet.store.seen`).
Nothing here is secret: kinds, ids and nonces are in the clear columns of the rows already.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wallet.store.damage import Finding

BUCKETS = 256
_MAGIC = b"plecak-catalogue-v1"
_TOP_SIZE = len(_MAGIC) + 8 + BUCKETS * 32 + 32
_EMPTY = hashlib.sha256(b"").digest()
Key = tuple[str, str]
"""(kind, id) of one record; ``entry`` for the rows of the ``entries`` table."""


class CatalogueBroken(Exception):
    """The catalogue itself failed its check (top MAC, a bucket digest, or it is absent)."""


def derive_key(data_key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"plecak/catalogue/v1"
    ).derive(data_key)


def bucket_of(kind: str, rid: str) -> int:
    return hashlib.sha256(f"{kind}\x00{rid}".encode()).digest()[0]


def encode_bucket(items: dict[Key, bytes]) -> bytes:
    lines = [f"{k}\x1f{i}\x1f{v.hex()}" for (k, i), v in sorted(items.items())]
    return "\n".join(lines).encode()


def decode_bucket(raw: Any) -> dict[Key, bytes]:
    if not isinstance(raw, bytes):
        raise CatalogueBroken("bucket is not a blob")
    items: dict[Key, bytes] = {}
    if not raw:
        return items
    try:
        for line in raw.decode().split("\n"):
            kind, rid, version = line.split("\x1f")
            items[(kind, rid)] = bytes.fromhex(version)
    except ValueError:
        raise CatalogueBroken("bucket cannot be parsed") from None
    return items


@dataclass(slots=True)
class Top:
    counter: int
    digests: list[bytes]

    def seal(self, key: bytes) -> bytes:
        body = _MAGIC + struct.pack(">Q", self.counter) + b"".join(self.digests)
        return body + hmac.new(key, body, hashlib.sha256).digest()

    @classmethod
    def parse(cls, raw: Any, key: bytes) -> Top:
        if not isinstance(raw, bytes) or len(raw) != _TOP_SIZE or not raw.startswith(_MAGIC):
            raise CatalogueBroken("catalogue top has the wrong shape")
        body, mac = raw[:-32], raw[-32:]
        if not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest(), mac):
            raise CatalogueBroken("catalogue MAC mismatch")
        (counter,) = struct.unpack(">Q", body[len(_MAGIC) : len(_MAGIC) + 8])
        start = len(_MAGIC) + 8
        digests = [body[start + 32 * n : start + 32 * (n + 1)] for n in range(BUCKETS)]
        return cls(counter, digests)


def read_top(conn: Any, key: bytes) -> Top:
    row = conn.execute("SELECT value FROM meta WHERE key='catalogue'").fetchone()
    if row is None:
        raise CatalogueBroken("catalogue missing")
    return Top.parse(row[0], key)


def actual_rows(conn: Any) -> tuple[dict[Key, Any], int]:
    """(kind, id) -> version of every row as stored, and how many rows could not be keyed at all
    (a kind or id that is not text any more: their expected twin shows as missing)."""
    found: dict[Key, Any] = {}
    garbled = 0
    rows: Iterable[tuple[Any, Any, Any]] = conn.execute("SELECT kind, id, nonce FROM records")
    for kind, rid, nonce in rows:
        if type(kind) is not str or type(rid) is not str:
            garbled += 1
            continue
        if (kind, rid) in found:  # impossible with the primary key: a duplicated row
            garbled += 1
        found[(kind, rid)] = nonce
    for rid, nonce in conn.execute("SELECT id, nonce FROM entries"):
        if type(rid) is not str or ("entry", rid) in found:
            garbled += 1
            continue
        found[("entry", rid)] = nonce
    return found, garbled


def load_lines(conn: Any, key: bytes) -> tuple[Top, set[bytes]]:
    """The authenticated expected set, as the lines of the buckets (CatalogueBroken if the
    catalogue fails its check)."""
    top = read_top(conn, key)
    lines: set[bytes] = set()
    seen: set[int] = set()
    for bucket, content in conn.execute("SELECT bucket, content FROM catalogue"):
        if type(bucket) is not int or not 0 <= bucket < BUCKETS or bucket in seen:
            raise CatalogueBroken("unknown bucket")
        seen.add(bucket)
        if (
            not isinstance(content, bytes)
            or hashlib.sha256(content).digest() != top.digests[bucket]
        ):
            raise CatalogueBroken("bucket digest mismatch")
        if content:
            lines.update(content.split(b"\n"))
    for bucket in set(range(BUCKETS)) - seen:
        if top.digests[bucket] != _EMPTY:
            raise CatalogueBroken("bucket missing")
    return top, lines


# Every row as the line the catalogue holds for it, made by SQLite (no Python object per column):
# NULL for a row whose kind or id is not text any more (counted as unreadable, its twin missing).
# (As BLOBs: no Python text decoding per row, and the buckets' bytes compare as they are.)
_ACTUAL_SQL = (
    "SELECT CAST(CASE WHEN typeof(kind)='text' AND typeof(id)='text' THEN"
    " kind || char(31) || id || char(31) || lower(hex(nonce)) END AS BLOB) FROM records"
    " UNION ALL SELECT CAST(CASE WHEN typeof(id)='text' THEN"
    " 'entry' || char(31) || id || char(31) || lower(hex(nonce)) END AS BLOB) FROM entries"
)


def compare(conn: Any, key: bytes) -> tuple[int, list[Finding], int]:
    """(counter, findings, garbled rows): the stored rows against the authenticated catalogue.

    Why lines: equal sets are the common case and compare in C; only the lines that differ
    are parsed to say which record is missing, replaced or unexpected."""
    top, expected = load_lines(conn, key)
    rows = conn.execute(_ACTUAL_SQL).fetchall()
    actual = {line for (line,) in rows}
    actual.discard(None)
    garbled = len(rows) - len(actual)  # rows that cannot be keyed, and duplicates
    gone = _keyed(expected - actual)
    extra = _keyed(actual - expected)
    findings = [
        Finding(kind, rid, "replaced" if (kind, rid) in extra else "missing") for kind, rid in gone
    ]
    findings.extend(Finding(kind, rid, "unexpected") for kind, rid in extra.keys() - gone.keys())
    findings.sort(key=lambda f: (f.kind, f.id))
    return top.counter, findings, garbled


def _keyed(lines: set[bytes]) -> dict[Key, str]:
    keyed: dict[Key, str] = {}
    for raw in lines:
        line = raw.decode("utf-8", "replace")
        kind, _, rest = line.partition("\x1f")
        rid, _, version = rest.rpartition("\x1f")
        keyed[(kind, rid)] = version
    return keyed


def build(conn: Any, key: bytes, counter: int = 0) -> None:
    """Write a catalogue of the rows as they are (a new wallet, or the upgrade to schema 2)."""
    actual, _garbled = actual_rows(conn)
    buckets: dict[int, dict[Key, bytes]] = {}
    for (kind, rid), version in actual.items():
        if isinstance(version, bytes):
            buckets.setdefault(bucket_of(kind, rid), {})[(kind, rid)] = version
    conn.execute("DELETE FROM catalogue")
    digests = [_EMPTY] * BUCKETS
    for bucket, items in buckets.items():
        content = encode_bucket(items)
        conn.execute("INSERT INTO catalogue (bucket, content) VALUES (?, ?)", (bucket, content))
        digests[bucket] = hashlib.sha256(content).digest()
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('catalogue', ?)",
        (Top(counter, digests).seal(key),),
    )


class Writer:
    """The catalogue side of one write transaction.

    Buckets are read (and checked against the authenticated top) once, changed in memory, and
    written once at commit with the new top.  A savepoint rolled back inside a batch undoes its
    changes here too (:meth:`mark` / :meth:`undo`), exactly as SQLite undoes its rows."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._top: Top | None = None
        self._buckets: dict[int, dict[Key, bytes]] = {}
        self._journal: list[tuple[int, Key, bytes | None]] = []

    def _bucket(self, conn: Any, bucket: int) -> dict[Key, bytes]:
        items = self._buckets.get(bucket)
        if items is not None:
            return items
        if self._top is None:
            self._top = read_top(conn, self._key)
        row = conn.execute("SELECT content FROM catalogue WHERE bucket=?", (bucket,)).fetchone()
        content = row[0] if row is not None else b""
        if not isinstance(content, bytes) or (
            hashlib.sha256(content).digest() != self._top.digests[bucket]
        ):
            raise CatalogueBroken("bucket digest mismatch")
        items = self._buckets[bucket] = decode_bucket(content)
        return items

    def put(self, conn: Any, kind: str, rid: str, version: bytes) -> None:
        bucket = bucket_of(kind, rid)
        items = self._bucket(conn, bucket)
        self._journal.append((bucket, (kind, rid), items.get((kind, rid))))
        items[(kind, rid)] = version

    def delete(self, conn: Any, keys: Iterable[Key]) -> None:
        for key in keys:
            bucket = bucket_of(*key)
            items = self._bucket(conn, bucket)
            if key in items:
                self._journal.append((bucket, key, items.pop(key)))

    def mark(self) -> int:
        return len(self._journal)

    def undo(self, mark: int) -> None:
        while len(self._journal) > mark:
            bucket, key, old = self._journal.pop()
            if old is None:
                self._buckets[bucket].pop(key, None)
            else:
                self._buckets[bucket][key] = old

    def commit(self, conn: Any) -> int | None:
        """Write the changed buckets and seal the new top (counter + 1); the new counter, or
        None when nothing changed."""
        if self._top is None or not self._journal:
            return None
        for bucket in {b for b, _key, _old in self._journal}:
            content = encode_bucket(self._buckets[bucket])
            conn.execute(
                "INSERT OR REPLACE INTO catalogue (bucket, content) VALUES (?, ?)",
                (bucket, content),
            )
            self._top.digests[bucket] = hashlib.sha256(content).digest()
        self._top.counter += 1
        conn.execute("UPDATE meta SET value=? WHERE key='catalogue'", (self._top.seal(self._key),))
        return self._top.counter
