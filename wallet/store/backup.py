"""Backup and restore: one self-contained encrypted file, checked before anything is replaced.

Why a backup is just a wallet database: it carries its own header (KDF parameters, salt, wrapped
data key), so it opens with the passphrase it was made under, on any machine, and every property
of the wallet (confidentiality, per-record authentication) holds for it as well.  It is written
with SQLite's online backup API (a consistent snapshot even while the TUI keeps the wallet open)
into a temporary file next to the target, which is fsynced and renamed into place: a crash leaves
the old backup or the new one, and no plaintext ever touches the disk (the pages are ciphertext).

Restore copies the file into the wallet folder, proves it (SQLite integrity check, plecak
identity and schema, the passphrase unwraps its data key, every record authenticates), and only
then, holding the folder lock exclusively, renames it over ``wallet.db``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from wallet.errors import StoreError, UsageError, WalletDamaged
from wallet.i18n import N_
from wallet.store import db, vault
from wallet.store.vault import RecordCipher


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


@contextmanager
def _temporary(folder: Path, prefix: str) -> Iterator[Path]:
    """A temporary database path in ``folder`` (same filesystem: the rename is atomic); whatever
    is left of it (and of its SQLite side files) is removed at the end."""
    tmp = folder / f".{prefix}-{secrets.token_hex(6)}.tmp"
    try:
        yield tmp
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            leftover.unlink(missing_ok=True)


def write_backup(conn: sqlite3.Connection, path: Path, *, overwrite: bool = False) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        with _temporary(folder, "plecak-backup") as tmp:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                dest.execute("PRAGMA temp_store=MEMORY")
                conn.backup(dest)  # all pages in one step: one consistent snapshot
                # A single file, no -wal beside it: the backup travels alone.
                dest.execute("PRAGMA journal_mode=DELETE")
                dest.execute("PRAGMA synchronous=FULL")
            finally:
                dest.close()
            tmp.chmod(0o600)
            db.fsync_file(tmp)
            if overwrite:
                tmp.replace(path)
            else:
                try:
                    os.link(tmp, path)  # atomic, and never over a file that is there
                except FileExistsError:
                    raise _exists(path) from None
            db.fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            N_("Could not write the backup {path}: {reason}"),
            detail=repr(exc),
            path=str(path),
            reason=getattr(exc, "strerror", None) or str(exc),
        ) from None


def _exists(path: Path) -> UsageError:
    return UsageError(
        N_("The file {path} already exists; the backup was not written."),
        hint=N_("Choose another name, or add --force to replace that file."),
        path=str(path),
    )


def _bad_backup(path: Path, reason: str) -> WalletDamaged:
    return WalletDamaged(
        N_("The backup {path} is damaged or is not a plecak backup: {reason}"),
        hint=N_("Nothing was changed. Try another backup file."),
        detail=reason,
        path=str(path),
        reason=reason,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """What a wallet file holds, as far as it shows without the passphrase (row counts) and, for a
    checked backup, its write counter."""

    credentials: int
    records: int
    last_change: datetime | None
    counter: int | None = None


def describe(path: Path) -> Summary | None:
    """The existing wallet at ``path`` (read-only, no passphrase): counts and last change.  None
    when it cannot be read at all (it will be replaced anyway, and the prompt says so)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        credentials = int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
        records = int(conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    changed = max((p.stat().st_mtime for p in (path, *_sidecars(path)) if p.exists()), default=None)
    return Summary(
        credentials,
        records + credentials,
        datetime.fromtimestamp(changed, UTC) if changed is not None else None,
    )


def check_backup(candidate: Path, passphrase: str, *, shown_as: Path) -> tuple[Summary, bytes]:
    """Prove a backup copy: structure, identity, passphrase, the catalogue (no record missing or
    added), every record.  Raises otherwise; returns what it holds and its data key."""
    try:
        conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _bad_backup(shown_as, str(exc)) from None
    conn.text_factory = db.lenient_text
    try:
        conn.execute("PRAGMA temp_store=MEMORY")
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise _bad_backup(shown_as, "; ".join(str(r[0]) for r in result[:3]))
        try:
            db.check_identity(conn, shown_as)
        except WalletDamaged as exc:
            raise _bad_backup(shown_as, exc.detail) from None
        row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
        if row is None or not isinstance(row[0], bytes):
            raise _bad_backup(shown_as, "the header is missing")
        try:
            data_key = vault.unwrap_data_key(bytes(row[0]), passphrase)
        except vault.HeaderError as exc:
            raise _bad_backup(shown_as, str(exc)) from None
        from wallet.store import catalogue
        from wallet.store.damage import merge, shown_id
        from wallet.store.records import audit_records

        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 2:
            try:
                _counter, listed, garbled = catalogue.compare(conn, catalogue.derive_key(data_key))
            except catalogue.CatalogueBroken:
                raise _bad_backup(shown_as, "its list of records fails its check") from None
        else:  # made before the catalogue: every record must still authenticate
            _counter, listed, garbled = 0, [], 0
        failed = merge(tuple(listed), audit_records(conn, RecordCipher(data_key), decode=False))
        if failed or garbled:
            names = ", ".join(f"{f.kind} {shown_id(f.id)} ({f.problem})" for f in failed[:5])
            raise _bad_backup(
                shown_as, f"{len(failed) + garbled} record(s) missing, added or damaged: {names}"
            )
        credentials = int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
        records = int(conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
        return Summary(credentials, records + credentials, None, _counter), data_key
    except sqlite3.DatabaseError as exc:
        raise _bad_backup(shown_as, str(exc)) from None
    finally:
        conn.close()


Confirm = Callable[[Summary, "Summary | None"], bool]
"""Asked, when a wallet file is there, with (the backup, that wallet's summary or None when it
cannot be read) after the backup was proved and before anything is replaced; False leaves
everything as it was.  Not asked when there is no wallet to replace."""


def restore_backup(
    home: Path,
    source: Path,
    passphrase: str,
    *,
    lock_timeout: float,
    confirm: Confirm | None = None,
) -> bool:
    """Prove the backup, ask ``confirm`` when a wallet is there, then replace it atomically.
    Returns False (nothing changed) when ``confirm`` said no."""
    vault.normalise_passphrase(passphrase)
    if not source.is_file():
        raise StoreError(
            N_("Cannot read the backup {path}: {reason}"),
            hint=N_("Check the path of the backup file."),
            path=str(source),
            reason="not a file",
        )
    target = home / db.DB_NAME
    with db.guarded(home):
        db.private_dir(home)
        with _temporary(home, "restore") as tmp:
            try:
                shutil.copyfile(source, tmp)
            except OSError as exc:
                raise StoreError(
                    N_("Cannot read the backup {path}: {reason}"),
                    path=str(source),
                    reason=exc.strerror or str(exc),
                ) from None
            tmp.chmod(0o600)
            summary, data_key = check_backup(tmp, passphrase, shown_as=source)
            if confirm is not None and target.exists() and not confirm(summary, describe(target)):
                return False
            db.fsync_file(tmp)
            lock = db.FolderLock(home)
            lock.acquire(exclusive=True, timeout=lock_timeout)
            try:
                _retire(target)
                tmp.replace(target)
                db.fsync_dir(home)
            finally:
                lock.release()
    if summary.counter is not None:
        # Restoring is the learner's own choice: this copy is now the newest one seen.
        from wallet.store.seen import SeenCounter

        SeenCounter(data_key).write(summary.counter)
    return True


def _retire(target: Path) -> None:
    """Fold the old wallet's WAL into it and remove its side files before the rename.

    Why: a ``-wal`` left beside the new ``wallet.db`` would be replayed into it.  We hold the
    folder lock exclusively, so no plecak process has the old wallet open.  If the old wallet is
    too damaged to checkpoint, its WAL goes with it (it is being replaced anyway); a crash between
    these steps leaves the old wallet complete (checkpointed) and the backup untouched.
    """
    if target.exists():
        try:
            conn = sqlite3.connect(str(target), isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    for side in _sidecars(target):
        side.unlink(missing_ok=True)
