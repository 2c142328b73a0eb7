"""Sealed records over SQLite: the transaction and encryption plumbing under :class:`Wallet`.

Why a base class of its own: every public operation of the wallet is "take the lock, open a
transaction (or a savepoint inside a batch), seal or open records, map errors"; keeping that here
leaves wallet.py with what the wallet *does*.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from wallet.errors import RecordTampered, StoreError, UsageError, WalletDamaged
from wallet.i18n import N_
from wallet.model import PortfolioEntry
from wallet.store import catalogue, codec, db
from wallet.store.damage import Finding
from wallet.store.vault import RecordCipher, Tampered

T = TypeVar("T")
Clock = Callable[[], datetime]
MAX_RECORD_BYTES = 256 * 1024 * 1024
"""A sanity cap on one sealed record (a credential with its image, or one evidence body)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class SealedRecords:
    """An open wallet database and its data key; the base of :class:`Wallet`."""

    def __init__(
        self,
        home: Path,
        conn: Any,
        cipher: RecordCipher,
        folder_lock: db.FolderLock,
        *,
        clock: Clock = utcnow,
        lock_timeout: float = db.DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        """Not for callers: use :meth:`create` or :meth:`open`."""
        self.home = home
        self._conn = conn
        self._cipher = cipher
        self._folder_lock = folder_lock
        self._clock = clock
        self.lock_timeout = lock_timeout
        self._mutex = threading.RLock()
        self._depth = 0
        self._catalogue_key = catalogue.derive_key(cipher.data_key)
        self._catalogue: catalogue.Writer | None = None
        self._has_catalogue = int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 2
        """False only for a wallet of an older schema that this run did not upgrade (tests)."""
        """The catalogue side of the write transaction under way (None outside one)."""
        self.counter: int | None = None
        """The catalogue's write counter as last read or written by this process."""
        self._writes = 0
        """Bumped when a write starts and ends: with SQLite's ``data_version`` (commits of other
        connections) it tells whether what was read before may have changed since."""

    def close(self) -> None:
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._forget_reads()
            self._folder_lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._mutex, db.guarded(self.home):
            if self._conn is None:
                raise StoreError(N_("The wallet is closed."))
            yield self._conn

    def _forget_reads(self) -> None:
        """Drop what was kept from earlier reads (the wallet closes or locks)."""

    def _read_version(self, conn: Any) -> tuple[int, int]:
        """Changes whenever the database may have changed (here or in another process)."""
        return int(conn.execute("PRAGMA data_version").fetchone()[0]), self._writes

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """One transaction; inside :meth:`batch`, a savepoint (a failed step leaves no trace)."""
        with self._reading() as conn:
            self._writes += 1
            try:
                with self._transaction(conn) as inner:
                    yield inner
            finally:
                self._writes += 1

    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        """The transaction (or the savepoint inside :meth:`batch`) of :meth:`_writing`."""
        if self._depth:
            name = f"step{self._depth}"
            conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            mark = self._catalogue.mark() if self._catalogue is not None else 0
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                if self._catalogue is not None:
                    self._catalogue.undo(mark)
                raise
            finally:
                self._depth -= 1
            conn.execute(f"RELEASE {name}")
            return
        counter = None
        with db.write_transaction(conn):
            self._depth += 1
            if self._has_catalogue:
                self._catalogue = catalogue.Writer(self._catalogue_key)
            try:
                yield conn
                if self._catalogue is not None:
                    counter = self._catalogue.commit(conn)
            finally:
                self._depth -= 1
                self._catalogue = None
        if counter is not None:
            self.counter = counter
            self._committed(counter)

    def _committed(self, counter: int) -> None:
        """Called after a write transaction committed with the catalogue's new counter."""

    def _catalogued(self, conn: Any, kind: str, record_id: str, nonce: bytes) -> None:
        """Every sealed row written goes into the catalogue, in the same transaction."""
        if self._catalogue is None:
            return
        try:
            self._catalogue.put(conn, kind, record_id, nonce)
        except catalogue.CatalogueBroken as exc:
            raise catalogue_damaged(self.home, str(exc)) from None

    def _uncatalogue(self, conn: Any, keys: list[tuple[str, str]]) -> None:
        if self._catalogue is None:
            return
        try:
            self._catalogue.delete(conn, keys)
        except catalogue.CatalogueBroken as exc:
            raise catalogue_damaged(self.home, str(exc)) from None

    def _delete_records(self, conn: Any, where: str, params: tuple[Any, ...]) -> int:
        """Delete rows of ``records`` (``where`` is our own SQL) and drop them from the catalogue."""
        keys = [
            (str(k), str(i))
            for k, i in conn.execute(f"SELECT kind, id FROM records WHERE {where}", params)  # noqa: S608 - our SQL
        ]
        cursor = conn.execute(f"DELETE FROM records WHERE {where}", params)  # noqa: S608 - our SQL
        self._uncatalogue(conn, keys)
        return int(cursor.rowcount)

    @contextmanager
    def batch(self) -> Iterator[Self]:
        """Group many writes into one transaction (one fsync): an import batch, a recheck run.

        Holds the write lock until the block ends; other writers wait, then get WalletInUse.
        """
        with self._writing():
            yield self

    # ------------------------------------------------------------------ sealed records

    def _seal(
        self, kind: str, record_id: str, owner: str | None, plaintext: bytes
    ) -> tuple[bytes, bytes]:
        if len(plaintext) > MAX_RECORD_BYTES:
            raise StoreError(
                N_("This item is too large to store ({size} bytes)."),
                size=len(plaintext),
            )
        return self._cipher.seal(kind, record_id, owner, plaintext)

    def _put(
        self, conn: Any, kind: str, record_id: str, owner: str | None, plaintext: bytes
    ) -> None:
        nonce, ciphertext = self._seal(kind, record_id, owner, plaintext)
        conn.execute(
            "INSERT OR REPLACE INTO records (kind, id, owner, nonce, ciphertext) VALUES (?,?,?,?,?)",
            (kind, record_id, owner, nonce, ciphertext),
        )
        self._catalogued(conn, kind, record_id, nonce)

    def _get(self, conn: Any, kind: str, record_id: str, *, tamper_name: str) -> bytes | None:
        try:
            row = conn.execute(
                "SELECT owner, nonce, ciphertext FROM records WHERE kind=? AND id=?",
                (kind, record_id),
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise  # busy, locked, disk full: not this record's damage
            raise RecordTampered(record=tamper_name, detail=f"{kind}/{record_id}: {exc}") from None
        if row is None:
            return None
        try:
            return self._cipher.open(kind, record_id, row[0], row[1], row[2])
        except Tampered:
            raise RecordTampered(record=tamper_name, detail=f"{kind}/{record_id}") from None

    def _decode(self, cls: type[T], plaintext: bytes, record: str) -> T:
        """JSON of an authenticated record back into a model object.  The bytes are ours, so a
        failure means a bug or a format we do not know: that one record is reported, never the
        whole wallet."""
        try:
            return codec.decode(cls, plaintext)
        except DECODE_ERRORS as exc:
            raise RecordTampered(record=record, detail=f"cannot be decoded: {exc!r}") from None

    def _put_entry(self, conn: Any, entry: PortfolioEntry) -> None:
        nonce, ciphertext = self._seal("entry", entry.id, None, codec.encode(entry))
        conn.execute(
            "INSERT OR REPLACE INTO entries (id, nonce, ciphertext) VALUES (?,?,?)",
            (entry.id, nonce, ciphertext),
        )
        self._catalogued(conn, "entry", entry.id, nonce)

    def _open_entry(self, row: tuple[str, bytes, bytes]) -> PortfolioEntry:
        """One index entry, or Tampered (it fails authentication or does not decode)."""
        if type(row[0]) is not str:
            raise Tampered(str(row[0]))
        plaintext = self._cipher.open("entry", row[0], None, row[1], row[2])
        try:
            return codec.decode(PortfolioEntry, plaintext)
        except DECODE_ERRORS:
            raise Tampered(row[0]) from None

    def _entry(self, conn: Any, cid: str) -> PortfolioEntry:
        row = conn.execute(
            "SELECT id, nonce, ciphertext FROM entries WHERE id=?", (cid,)
        ).fetchone()
        if row is None:
            raise unknown_id(cid)
        try:
            return self._open_entry(row)
        except Tampered:
            raise RecordTampered(record=cid, detail=f"entry/{cid}") from None


DECODE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)
"""What decoding the JSON of a record can raise (UnicodeDecodeError is a ValueError)."""


def catalogue_damaged(home: Path | str, reason: str) -> WalletDamaged:
    return WalletDamaged(
        N_(
            "The list of records of the wallet in {home} failed its check: records may have been"
            " removed, added or replaced outside plecak."
        ),
        hint=N_(
            "Run 'plecak doctor' to see what is damaged; 'plecak doctor --salvage NEW_FOLDER'"
            " copies every intact record into a new wallet."
        ),
        detail=reason,
        home=str(home),
    )


def audit_records(conn: Any, cipher: RecordCipher, *, decode: bool = True) -> tuple[Finding, ...]:
    """Open (and with ``decode``, decode) every record of every kind: what fails, as findings.
    Also an index entry without its credential or the reverse (a deleted row is tampering too).
    Read-only.  Decoding every credential is the slow part (about 1 ms each, images included):
    ``plecak doctor`` does it; restore checks authentication, which is what a backup can break."""
    from wallet.model import Credential, VerificationReport

    models: dict[str, type[Any]] = {"credential": Credential, "report": VerificationReport}
    found: list[Finding] = []
    credentials: set[str] = set()
    for row in _rows(conn, "records", "kind, id, owner, nonce, ciphertext"):
        kind, rid = row[1], row[2]
        if type(kind) is not str or type(rid) is not str:
            continue  # cannot be keyed: the catalogue counts it, its twin shows as missing
        if kind == "credential":
            credentials.add(rid)
        try:
            if row[3] is _DAMAGED_PAGE:
                raise Tampered(rid)
            plaintext = cipher.open(kind, rid, row[3], row[4], row[5])
            if decode and kind in models:
                codec.decode(models[kind], plaintext)
        except (Tampered, *DECODE_ERRORS):
            found.append(Finding(kind, rid, "unreadable"))
            continue
        if (
            kind == "evidence"
            and cipher.lookup("evidence", hashlib.sha256(plaintext).hexdigest()) != rid
        ):
            found.append(Finding(kind, rid, "unreadable"))
    entries: set[str] = set()
    for row in _rows(conn, "entries", "id, nonce, ciphertext"):
        rid = row[1]
        if type(rid) is not str:
            continue
        entries.add(rid)
        try:
            if row[2] is _DAMAGED_PAGE:
                raise Tampered(rid)
            codec.decode(PortfolioEntry, cipher.open("entry", rid, None, row[2], row[3]))
        except (Tampered, *DECODE_ERRORS):
            found.append(Finding("entry", rid, "unreadable"))
    found.extend(Finding("credential", rid, "missing") for rid in entries - credentials)
    found.extend(Finding("entry", rid, "missing") for rid in credentials - entries)
    return tuple(found)


_DAMAGED_PAGE = object()
"""Stands for the values of a row that SQLite cannot read (a damaged page under it)."""
_CHUNK = 256


def _rows(conn: Any, table: str, columns: str) -> Iterator[tuple[Any, ...]]:
    """``(rowid, *columns)`` of every row, a chunk at a time; a chunk on a damaged page is read
    again row by row, and a row that still fails comes with its keys (read from an index) and
    :data:`_DAMAGED_PAGE` for its values: a damaged page costs the records on it, not the scan."""
    keys = columns.split(", ")[:2] if table == "records" else columns.split(", ")[:1]
    # From an index (no ORDER BY: that would walk the table, damaged pages included).
    key_sql = f"SELECT rowid, {', '.join(keys)} FROM {table}"  # noqa: S608
    index = sorted(conn.execute(key_sql).fetchall(), key=lambda key: int(key[0]))
    row_sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid=?"  # noqa: S608
    chunk_sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid BETWEEN ? AND ?"  # noqa: S608
    for start in range(0, len(index), _CHUNK):
        part = index[start : start + _CHUNK]
        try:
            yield from conn.execute(chunk_sql, (part[0][0], part[-1][0])).fetchall()
            continue
        except sqlite3.DatabaseError:
            pass
        for key in part:
            try:
                row = conn.execute(row_sql, (key[0],)).fetchone()
            except sqlite3.DatabaseError:
                row = None
            if row is None:
                pad = len(columns.split(", ")) - len(keys)
                yield (*key, _DAMAGED_PAGE, *([None] * (pad - 1)))
            else:
                yield row


def audit(conn: Any, cipher: RecordCipher) -> set[str]:
    """The names of records that fail (credential ids for a credential's own records, ``kind:id``
    for the others); shared by verify_integrity and restore."""
    names = set()
    for finding in audit_records(conn, cipher):
        names.add(finding.credential or f"{finding.kind}:{finding.id}")
    return names


def unknown_id(value: str) -> UsageError:
    return UsageError(
        N_("No credential has the id {id}."),
        hint=N_("Run 'plecak list' to see the ids."),
        id=value,
    )
