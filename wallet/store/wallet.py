"""The encrypted portfolio: :class:`Wallet`, the only code that reads or writes the wallet files.

What a wallet holds, each as one sealed record (vault.py) in SQLite (db.py):

==========  ===========================  =================================================
kind        id                           content
==========  ===========================  =================================================
credential  8-char random id             the whole Credential (original bytes included)
entry       same id (table ``entries``)  its PortfolioEntry: what the list view shows
report      ``<id>.<seq>`` (owner=id)    one VerificationReport of its history
evidence    HMAC of the sha256           a fetched document's body, stored once per digest
identity    HMAC of the value            one of the learner's emails/URLs/DIDs
secret      ``ed25519``                  the learner's signing key
share       ``<seq>``                    one entry of the share ledger
==========  ===========================  =================================================

What the file still reveals to someone who has it but not the passphrase (by design, and
the same for a backup): how many credentials, reports, identities and shares it holds, the rough
size of each record, which reports belong to which (random) credential id, and which credentials
share a fetched document (equal keyed digests) — never what any of them says.

Why ids are random and short: they are shown and typed (``plecak show k3x9``), must stay stable,
and must say nothing about the credential.  A unique prefix is accepted (:meth:`resolve_id`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from wallet.errors import (
    RecordTampered,
    UsageError,
    WalletExists,
    WalletNotFound,
)
from wallet.i18n import N_
from wallet.model import Credential, PortfolioEntry, Status, VerificationReport
from wallet.store import catalogue, codec, db, vault
from wallet.store.history import NO_EVIDENCE, HistoryRecords
from wallet.store.learner import LearnerRecords
from wallet.store.records import (
    Clock,
    unknown_id,
    utcnow,
)
from wallet.store.seen import SeenCounter
from wallet.store.vault import RecordCipher

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
ID_LENGTH = 8
_ID_RE = re.compile(f"^[{ID_ALPHABET}]+$")


def new_id() -> str:
    """8 characters of lowercase base32: 40 random bits, easy to read aloud and to copy."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _normalise_tags(tags: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in tags:
        clean = " ".join(str(tag).split())
        if clean:
            seen.setdefault(clean, None)
    return tuple(seen)


class Wallet(HistoryRecords, LearnerRecords):
    """An unlocked wallet.  Use as a context manager, or call :meth:`close`.

    Thread-safe (the TUI calls it from worker threads): one lock serialises the connection.
    Every write is one SQLite transaction; :meth:`batch` groups many into one.
    """

    _seen: SeenCounter | None = None

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(home: Path) -> bool:
        return (Path(home) / db.DB_NAME).is_file()

    @classmethod
    def create(
        cls,
        home: Path,
        passphrase: str,
        *,
        kdf: str = "default",
        clock: Clock = utcnow,
        lock_timeout: float = db.DEFAULT_LOCK_TIMEOUT,
    ) -> Wallet:
        """Create a new wallet in ``home`` (WalletExists if there is one) and return it unlocked.

        Built in a temporary file and linked into place only when complete, so a crash during
        ``init`` never leaves a half-made wallet, and two ``init`` at once cannot both win.
        """
        home = Path(home)
        profile = vault.resolve_profile(kdf)
        vault.normalise_passphrase(passphrase)
        if cls.exists(home):
            raise WalletExists(home=str(home))
        data_key = secrets.token_bytes(vault.KEY_BYTES)
        header = vault.seal_header(data_key, passphrase, vault.new_kdf_params(profile))
        path = home / db.DB_NAME
        with db.guarded(home):
            db.private_dir(home)
            tmp = home / f".wallet-{secrets.token_hex(6)}.tmp"
            try:
                conn = db.connect(tmp, lock_timeout)
                try:
                    conn.execute(f"PRAGMA application_id={db.APPLICATION_ID}")
                    db.migrate(conn, clock().isoformat(), home, data_key)
                    with db.write_transaction(conn):
                        conn.execute(
                            "INSERT INTO meta (key, value) VALUES ('header', ?)", (header,)
                        )
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    conn.close()
                tmp.chmod(0o600)
                db.fsync_file(tmp)
                try:
                    os.link(tmp, path)  # atomic, and never over an existing wallet
                except FileExistsError:
                    raise WalletExists(home=str(home)) from None
                db.fsync_dir(home)
            finally:
                for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)
        return cls._attach(home, lambda _header: data_key, clock=clock, lock_timeout=lock_timeout)

    @classmethod
    def open(
        cls,
        home: Path,
        passphrase: str,
        *,
        clock: Clock = utcnow,
        lock_timeout: float = db.DEFAULT_LOCK_TIMEOUT,
    ) -> Wallet:
        """Unlock the wallet in ``home``: one KDF run, then the data key unwraps or it is the wrong
        passphrase.  Never returns a partially opened wallet."""
        home = Path(home)
        if not cls.exists(home):
            raise WalletNotFound(home=str(home))
        return cls._attach(
            home,
            lambda header: vault.unwrap_data_key(header, passphrase),
            clock=clock,
            lock_timeout=lock_timeout,
        )

    @classmethod
    def _attach(
        cls,
        home: Path,
        unlock: Callable[[bytes], bytes],
        *,
        clock: Clock,
        lock_timeout: float,
    ) -> Wallet:
        """Take the folder lock (shared), read the header, get the data key from ``unlock``,
        run pending migrations.  Everything is released again on any failure."""
        folder_lock = db.FolderLock(home)
        conn = None
        try:
            with db.guarded(home):
                # First the lock: a restore cannot swap the file between header and records.
                folder_lock.acquire(exclusive=False, timeout=lock_timeout)
                conn = db.connect(home / db.DB_NAME, lock_timeout)
                db.check_identity(conn, home)
                row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
            if row is None or not isinstance(row[0], bytes):
                raise db.damaged(home, "the header is missing")
            try:
                data_key = unlock(bytes(row[0]))
            except vault.HeaderError as exc:
                raise db.damaged(home, str(exc)) from None
            with db.guarded(home):
                if db.needs_migration(conn):
                    db.migrate(conn, clock().isoformat(), home, data_key)
        except BaseException:
            if conn is not None:
                conn.close()
            folder_lock.release()
            raise
        wallet = cls(
            home,
            conn,
            RecordCipher(data_key),
            folder_lock,
            clock=clock,
            lock_timeout=lock_timeout,
        )
        wallet._check_rollback()
        return wallet

    def _check_rollback(self) -> None:
        """Compare the file's write counter with the highest this computer has seen (seen.py)."""
        self._seen = SeenCounter(self._cipher.data_key)
        with self._reading() as conn:
            try:
                self.counter = catalogue.read_top(conn, self._catalogue_key).counter
            except catalogue.CatalogueBroken:
                return  # damage() says so; nothing trustworthy to compare
        seen = self._seen.read()
        if seen is not None and self.counter < seen:
            self.rolled_back = (self.counter, seen)
        else:
            self._seen.raise_to(self.counter)

    def accept_rollback(self) -> None:
        """The learner put an older copy back on purpose: from now on this file is the newest."""
        if self._seen is not None and self.counter is not None:
            self._seen.write(self.counter)
        self.rolled_back = None

    def _committed(self, counter: int) -> None:
        """Every committed write raises the marker outside the wallet (no fsync: a marker lost
        in a crash is older than the file, which only costs a warning never a false one)."""
        if self._seen is not None and self.rolled_back is None:
            self._seen.raise_to(counter)

    # ------------------------------------------------------------------ credentials

    def add_credential(
        self,
        credential: Credential,
        report: VerificationReport | None,
        evidence: Mapping[str, bytes] = NO_EVIDENCE,
        tags: Sequence[str] = (),
        source: str = "",
    ) -> tuple[str, bool]:
        """Store a credential, its index entry, first report and evidence in one transaction.

        Returns ``(id, True)``, or ``(existing_id, False)`` without storing anything when a
        credential with the same fingerprint is already in the wallet.
        """
        fingerprint = self._cipher.lookup("fingerprint", credential.fingerprint)
        with self._writing() as conn:
            row = conn.execute(
                "SELECT id FROM lookup WHERE namespace='fingerprint' AND digest=?", (fingerprint,)
            ).fetchone()
            if row is not None:
                return str(row[0]), False
            cid = self._unused_id(conn)
            achievement = credential.achievement
            issuer = credential.issuer or (achievement.issuer if achievement else None)
            entry = PortfolioEntry(
                id=cid,
                fingerprint=credential.fingerprint,
                format=credential.format,
                status=report.status if report else Status.UNVERIFIED,
                title=credential.title or (achievement.name if achievement else None),
                issuer_name=issuer.name if issuer else None,
                issuer_id=issuer.id if issuer else None,
                issued=credential.issued or credential.valid_from,
                expires=credential.expires or credential.valid_until,
                tags=_normalise_tags(tags),
                added_at=self._clock(),
                checked_at=report.checked_at if report else None,
                source=source or credential.original.source,
                credential_id=credential.credential_id,
            )
            self._put(conn, "credential", cid, None, codec.encode(credential))
            self._put_entry(conn, entry)
            conn.execute(
                "INSERT INTO lookup (namespace, digest, id) VALUES ('fingerprint', ?, ?)",
                (fingerprint, cid),
            )
            if report is not None:
                self._append_report(conn, cid, report)
            self._store_evidence(conn, cid, evidence)
        return cid, True

    def _unused_id(self, conn: Any) -> str:
        while True:
            cid = new_id()
            if conn.execute("SELECT 1 FROM entries WHERE id=?", (cid,)).fetchone() is None:
                return cid

    def find_fingerprint(self, fingerprint: str) -> str | None:
        digest = self._cipher.lookup("fingerprint", fingerprint)
        with self._reading() as conn:
            row = conn.execute(
                "SELECT id FROM lookup WHERE namespace='fingerprint' AND digest=?", (digest,)
            ).fetchone()
        return None if row is None else str(row[0])

    def resolve_id(self, prefix: str) -> str:
        """The one credential id that starts with ``prefix`` (case-insensitive), else UsageError."""
        wanted = prefix.strip().lower()
        if not wanted or len(wanted) > ID_LENGTH or not _ID_RE.match(wanted):
            raise unknown_id(prefix)
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                (wanted, wanted + "\x7f"),
            ).fetchall()
        if not rows:
            raise unknown_id(prefix)
        if len(rows) > 1:
            shown = ", ".join(str(r[0]) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
            raise UsageError(
                N_("The id {prefix} matches several credentials: {ids}."),
                hint=N_("Type more characters of the id."),
                prefix=prefix,
                ids=shown,
            )
        return str(rows[0][0])

    def get_credential(self, id: str) -> Credential:
        with self._reading() as conn:
            plaintext = self._get(conn, "credential", id, tamper_name=id)
            if plaintext is None:
                if conn.execute("SELECT 1 FROM entries WHERE id=?", (id,)).fetchone():
                    # Listed but gone: a deleted row is tampering too, not a typo of the id.
                    raise RecordTampered(record=id, detail=f"credential/{id} missing")
                raise unknown_id(id)
        return self._decode(Credential, plaintext, id)

    def get_entry(self, id: str) -> PortfolioEntry:
        with self._reading() as conn:
            return self._entry(conn, id)

    def set_tags(self, id: str, tags: Sequence[str]) -> None:
        with self._writing() as conn:
            entry = self._entry(conn, id)
            self._put_entry(conn, replace(entry, tags=_normalise_tags(tags)))

    def remove(self, id: str) -> None:
        """Remove a credential with its index entry and history; evidence no report uses goes too."""
        with self._writing() as conn:
            if conn.execute("SELECT 1 FROM entries WHERE id=?", (id,)).fetchone() is None:
                raise unknown_id(id)
            used = [
                str(row[0])
                for row in conn.execute(
                    "SELECT digest FROM lookup WHERE namespace='evidence-ref' AND id=?", (id,)
                )
            ]
            conn.execute("DELETE FROM entries WHERE id=?", (id,))
            self._delete_records(conn, "kind='credential' AND id=?", (id,))
            self._delete_records(conn, "owner=?", (id,))
            self._uncatalogue(conn, [("entry", id)])
            conn.execute(
                "DELETE FROM lookup WHERE namespace IN ('fingerprint', 'evidence-ref') AND id=?",
                (id,),
            )
            for digest in used:  # evidence no other credential's history refers to
                self._delete_records(
                    conn,
                    "kind='evidence' AND id=? AND NOT EXISTS"
                    " (SELECT 1 FROM lookup WHERE namespace='evidence-ref' AND digest=?)",
                    (digest, digest),
                )

    # ------------------------------------------------------------------ passphrase, backup

    def change_passphrase(self, new_passphrase: str, *, kdf: str = "default") -> None:
        """Re-wrap the data key under a new passphrase (and the current KDF profile's cost).

        One UPDATE of the header row in one transaction: after a crash either the old or the new
        passphrase opens the wallet, never neither.  Records are not touched.
        """
        params = vault.new_kdf_params(vault.resolve_profile(kdf))
        header = vault.seal_header(self._data_key(), new_passphrase, params)
        with self._writing() as conn:
            conn.execute("UPDATE meta SET value=? WHERE key='header'", (header,))

    def _data_key(self) -> bytes:
        return self._cipher.data_key

    def kdf_params(self) -> vault.KdfParams:
        """The KDF setting in the header (for ``plecak doctor``-style reports and tests)."""
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
        try:
            return vault.header_kdf(bytes(row[0]))
        except vault.HeaderError as exc:
            raise db.damaged(self.home, str(exc)) from None

    def schema_version(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def backup(self, path: Path, *, overwrite: bool = False) -> None:
        """Write a consistent, self-contained, still-encrypted copy of the wallet to ``path``
        (never over an existing file unless ``overwrite``)."""
        from wallet.store import backup

        with self._reading() as conn:
            backup.write_backup(conn, Path(path), overwrite=overwrite)

    @classmethod
    def restore(
        cls,
        home: Path,
        path: Path,
        passphrase: str,
        *,
        lock_timeout: float = db.DEFAULT_LOCK_TIMEOUT,
        confirm: Any = None,
    ) -> bool:
        """Replace the wallet in ``home`` by the backup at ``path`` — only after the backup proved
        its passphrase, its catalogue and the integrity of every record, and ``confirm`` (see
        backup.Confirm) agreed; atomically (rename).  False when nothing was replaced."""
        from wallet.store import backup

        return backup.restore_backup(
            Path(home), Path(path), passphrase, lock_timeout=lock_timeout, confirm=confirm
        )
