"""The SQLite side of the wallet: files, pragmas, schema, migrations, transactions, locks.

Why SQLite in WAL mode with ``synchronous=FULL``: a committed transaction survives a crash or a
power cut, an interrupted one leaves no trace, and readers never block the one writer.  Every
write goes through :func:`write_transaction` (``BEGIN IMMEDIATE``), so a second process that
wants to write waits ``lock_timeout`` seconds for the first to commit and is then told the wallet
is in use — SQLite's own locks, so nothing can be half-written by two writers.

Nothing here ever sees plaintext: tables hold ids, kinds, nonces and ciphertexts (see vault.py).
``temp_store=MEMORY`` keeps SQLite's sort/temporary tables out of the temp directory.

Files in the wallet folder (``home``): ``wallet.db`` (+ ``-wal``/``-shm`` while open) and
``wallet.lock``, an empty file every open wallet holds a shared ``flock`` on, so that ``restore``
(which replaces ``wallet.db``) can make sure no process has the wallet open.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wallet.errors import StoreError, WalletDamaged, WalletInUse
from wallet.i18n import N_

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: restore cannot check for other processes
    fcntl = None  # type: ignore[assignment]

DB_NAME = "wallet.db"
LOCK_NAME = "wallet.lock"
APPLICATION_ID = 0x504C434B  # "PLCK" in the SQLite header: this file is a plecak wallet
DEFAULT_LOCK_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: ``version`` it brings the database to, a name, and the function to run.

    Why functions and not SQL strings: a later step may need to re-encrypt records, so it gets the
    open connection inside the migration's transaction (and may get more context later).
    """

    version: int
    name: str
    apply: Callable[[sqlite3.Connection, bytes], None]
    """Called with the connection and the data key (a step may have to seal or MAC something)."""


def _schema_1(conn: sqlite3.Connection, data_key: bytes) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    conn.execute(
        "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    # Everything a credential is made of, and the wallet's own secrets: one row per record.
    # owner links a report to its credential (a random id, no content).
    conn.execute(
        "CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, owner TEXT,"
        " nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, PRIMARY KEY (kind, id))"
    )
    conn.execute("CREATE INDEX records_by_owner ON records (owner, kind, id)")
    # The compact index the list view reads: one small sealed PortfolioEntry per credential, in
    # its own table so that listing never walks the pages of big records (images, originals).
    conn.execute(
        "CREATE TABLE entries (id TEXT PRIMARY KEY, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL)"
    )
    # Keyed digests (HMAC under the data key) -> ids: duplicate fingerprints, and which
    # credential's reports refer to which stored evidence body (for garbage collection).
    conn.execute(
        "CREATE TABLE lookup (namespace TEXT NOT NULL, digest TEXT NOT NULL, id TEXT NOT NULL,"
        " PRIMARY KEY (namespace, digest, id))"
    )
    conn.execute("CREATE INDEX lookup_by_id ON lookup (namespace, id)")


def _schema_2(conn: sqlite3.Connection, data_key: bytes) -> None:
    """The authenticated catalogue (catalogue.py), built from the rows as they are at upgrade."""
    from wallet.store import catalogue

    conn.execute("CREATE TABLE catalogue (bucket INTEGER PRIMARY KEY, content BLOB NOT NULL)")
    # Lets the catalogue check read every (kind, id, nonce) without walking the big records.
    conn.execute("CREATE INDEX records_versions ON records (kind, id, nonce)")
    catalogue.build(conn, catalogue.derive_key(data_key))


MIGRATIONS: list[Migration] = [
    Migration(1, "initial schema", _schema_1),
    Migration(2, "authenticated catalogue", _schema_2),
]
"""Every schema step since the first release, in order.  Never edit a released step: add one."""


def latest_version() -> int:
    return MIGRATIONS[-1].version if MIGRATIONS else 0


# --------------------------------------------------------------------------- errors


def damaged(home: Path | str, reason: str) -> WalletDamaged:
    return WalletDamaged(home=str(home), reason=reason, detail=reason)


def in_use(detail: str = "") -> WalletInUse:
    return WalletInUse(detail=detail)


@contextlib.contextmanager
def guarded(home: Path | str) -> Iterator[None]:
    """Turn sqlite3/OS failures into the wallet's errors: busy -> in use, corrupt -> damaged."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise in_use(str(exc)) from None
        if "disk" in text and "full" in text:
            raise StoreError(
                N_("The disk is full: the wallet in {home} was not changed."),
                hint=N_("Free some space and try again."),
                detail=str(exc),
                home=str(home),
            ) from None
        if "malformed" in text or "not a database" in text or "no such" in text:
            raise damaged(home, str(exc)) from None
        raise StoreError(
            N_("The wallet in {home} could not be read or written: {reason}"),
            detail=str(exc),
            home=str(home),
            reason=str(exc),
        ) from None
    except sqlite3.DatabaseError as exc:
        raise damaged(home, str(exc)) from None
    except UnicodeDecodeError:
        # SQLite's own message quoting a damaged schema is not UTF-8: the structure is damaged
        raise damaged(home, "the database structure is unreadable") from None
    except OSError as exc:
        raise StoreError(
            N_("The wallet in {home} could not be read or written: {reason}"),
            detail=repr(exc),
            home=str(home),
            reason=exc.strerror or str(exc),
        ) from None


# --------------------------------------------------------------------------- connections


def lenient_text(raw: bytes) -> str:
    """How TEXT values are read: a value that is not UTF-8 any more (a flipped byte, or a ciphertext
    whose SQLite type was changed to TEXT) must damage that one record, not raise for the whole
    query with its raw bytes in the message.  Our own text values are all ASCII ids and kinds."""
    return raw.decode("utf-8", "replace")


def connect(path: Path, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> sqlite3.Connection:
    """Open ``path`` with the wallet's pragmas.  Autocommit: transactions are explicit."""
    conn = sqlite3.connect(
        str(path), timeout=lock_timeout, isolation_level=None, check_same_thread=False
    )
    conn.text_factory = lenient_text
    try:
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA cell_size_check=ON")
        conn.execute("PRAGMA trusted_schema=OFF")
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL (got {mode!r})")
        conn.execute("PRAGMA synchronous=FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def check_identity(conn: sqlite3.Connection, home: Path | str) -> int:
    """Make sure this is a plecak wallet of a version we understand; return its schema version."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if app != APPLICATION_ID:
        raise damaged(home, "not a plecak wallet (application id mismatch)")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > latest_version():
        raise damaged(
            home, f"made by a newer plecak (schema {version}, this one knows {latest_version()})"
        )
    if version < 1:
        raise damaged(home, "the schema was never created")
    return version


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock is taken up front (or WalletInUse)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, now: str, home: Path | str, data_key: bytes) -> list[int]:
    """Apply pending migrations, each in its own transaction; returns the versions applied.

    A step that fails is rolled back whole: the wallet stays at the version it had (and this
    plecak refuses it as damaged rather than running on a half-upgraded schema)."""
    applied: list[int] = []
    for step in MIGRATIONS:
        with write_transaction(conn):
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if step.version <= current:
                continue
            try:
                step.apply(conn, data_key)
            except sqlite3.Error as exc:
                text = str(exc).lower()
                if "locked" in text or "busy" in text:
                    raise
                raise damaged(home, f"upgrade {step.version} ({step.name}) failed: {exc}") from None
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, now),
            )
            conn.execute(f"PRAGMA user_version={int(step.version)}")
        applied.append(step.version)
    return applied


def needs_migration(conn: sqlite3.Connection) -> bool:
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) < latest_version()


# --------------------------------------------------------------------------- files


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def private_dir(path: Path) -> None:
    """Create the wallet folder readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


class FolderLock:
    """A ``flock`` on ``wallet.lock``: shared while a wallet is open, exclusive for restore."""

    def __init__(self, home: Path) -> None:
        self._path = home / LOCK_NAME
        self._fh: IO[bytes] | None = None

    def acquire(self, *, exclusive: bool, timeout: float) -> None:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+b")
        if fcntl is not None:
            mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh.fileno(), mode)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        fh.close()
                        raise in_use("another process holds wallet.lock") from None
                    time.sleep(0.05)
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # closing drops the flock
            self._fh = None
