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

import gc
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from wallet.errors import (
    RecordTampered,
    StoreError,
    UsageError,
    WalletDamaged,
    WalletExists,
    WalletNotFound,
)
from wallet.i18n import N_
from wallet.model import Credential, PortfolioEntry, Status, VerificationReport
from wallet.store import catalogue, codec, db, vault
from wallet.store.damage import DamageReport, Finding, merge
from wallet.store.records import (
    DECODE_ERRORS,
    Clock,
    SealedRecords,
    audit_records,
    catalogue_damaged,
    unknown_id,
    utcnow,
)
from wallet.store.seen import SeenCounter
from wallet.store.vault import RecordCipher, Tampered

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
ID_LENGTH = 8
_ID_RE = re.compile(f"^[{ID_ALPHABET}]+$")
_NO_EVIDENCE: Mapping[str, bytes] = MappingProxyType({})


class EntryList(list[PortfolioEntry]):
    """The index as listed: the entries that authenticated, and the ids of those that did not.

    Why not raise: one flipped byte must not hide the other 9,999 credentials (store.md §5); the
    service reports ``tampered`` ids so the learner knows what to restore.
    """

    tampered: tuple[str, ...] = ()


def _copy(entries: EntryList) -> EntryList:
    result = EntryList(entries)
    result.tampered = entries.tampered
    return result


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


class Wallet(SealedRecords):
    """An unlocked wallet.  Use as a context manager, or call :meth:`close`.

    Thread-safe (the TUI calls it from worker threads): one lock serialises the connection.
    Every write is one SQLite transaction; :meth:`batch` groups many into one.
    """

    _listed: tuple[tuple[int, int], EntryList] | None = None
    """The last :meth:`list_entries` and the read version it was made at."""
    _checked: tuple[tuple[int, int], tuple[int, tuple[Finding, ...], int]] | None = None
    """The last catalogue comparison and the read version it was made at."""
    rolled_back: tuple[int, int] | None = None
    """(this file's write counter, the highest seen on this computer) when the file is older."""
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
        evidence: Mapping[str, bytes] = _NO_EVIDENCE,
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

    def list_entries(self) -> EntryList:
        """Every index entry, decrypting only the compact index (never records or images).

        The last listing is kept while the database is unchanged (no write here, the same SQLite
        ``data_version``: no commit by another process), so the list, counts and tags views of one
        screen or command decrypt the index once.  Each call returns a new list.
        """
        with self._reading() as conn:
            version = self._read_version(conn)
            listed = self._listed
            if listed is not None and listed[0] == version:
                return _copy(listed[1])
            rows = conn.execute("SELECT id, nonce, ciphertext FROM entries ORDER BY id").fetchall()
        good = EntryList()
        tampered: list[str] = []
        # Every object made here survives (10,000 entries, ~100,000 objects) and none is in a
        # cycle: the cyclic collector would only walk them (and the rest of the heap) again and
        # again, a fifth of the listing's time.  It runs as usual right after.
        paused = gc.isenabled()
        gc.disable()
        try:
            for row in rows:
                try:
                    good.append(self._open_entry(row))
                except Tampered:
                    tampered.append(row[0])
        finally:
            if paused:
                gc.enable()
        good.sort(key=lambda e: (e.added_at or datetime.min.replace(tzinfo=UTC), e.id))
        good.tampered = tuple(tampered)
        with self._mutex:
            if self._conn is not None:
                self._listed = (version, good)
        return _copy(good)

    def _forget_reads(self) -> None:
        self._listed = None
        self._checked = None

    def _compare_catalogue(self) -> tuple[int, tuple[Finding, ...], int]:
        """The stored rows against the authenticated catalogue (cached like the listing);
        WalletDamaged when the catalogue itself fails its check."""
        if not self._has_catalogue:
            return 0, (), 0
        with self._reading() as conn:
            version = self._read_version(conn)
            checked = self._checked
            if checked is not None and checked[0] == version:
                return checked[1]
            try:
                counter, findings, garbled = catalogue.compare(conn, self._catalogue_key)
            except catalogue.CatalogueBroken as exc:
                raise catalogue_damaged(self.home, str(exc)) from None
            result = (counter, tuple(findings), garbled)
            self._checked = (version, result)
            return result

    def damage(self) -> DamageReport:
        """What the catalogue and the index say is damaged, without decrypting full records:
        missing, added or replaced rows of any kind, and index entries that fail to open.  (A flip
        inside a credential's own ciphertext shows when it is opened, and in :meth:`scan`.)"""
        counter, findings, garbled = self._compare_catalogue()
        index = tuple(Finding("entry", rid, "unreadable") for rid in self.list_entries().tampered)
        return DamageReport(
            merge(findings, index), counter=counter, rolled_back=self.rolled_back, garbled=garbled
        )

    def scan(self) -> DamageReport:
        """Everything, read-only: the catalogue, and every record of every kind opened and
        decoded.  A catalogue that fails its own check is reported, not raised: the records
        are still scanned one by one."""
        broken = False
        try:
            counter: int | None
            counter, findings, garbled = self._compare_catalogue()
        except WalletDamaged:
            counter, findings, garbled, broken = None, (), 0, True
        with self._reading() as conn:
            opened = audit_records(conn, self._cipher)
        return DamageReport(
            merge(findings, opened),
            counter=counter,
            rolled_back=self.rolled_back,
            garbled=garbled,
            catalogue_broken=broken,
        )

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

    # ------------------------------------------------------------------ history and evidence

    def add_report(
        self,
        id: str,
        report: VerificationReport,
        evidence: Mapping[str, bytes] = _NO_EVIDENCE,
        display: Credential | None = None,
    ) -> None:
        """Append a report to the history; the index entry takes its status and time.

        ``display``: the same credential with display data the verifier could only now resolve
        (an OB 2.0 badge whose linked BadgeClass was unreachable at import); its title, issuer,
        description, image, achievement and dates replace the stored ones.  Payload, original and
        fingerprint never change.
        """
        with self._writing() as conn:
            entry = replace(
                self._entry(conn, id), status=report.status, checked_at=report.checked_at
            )
            self._append_report(conn, id, report)
            self._store_evidence(conn, id, evidence)
            if display is not None:
                entry = self._redisplay(conn, id, entry, display)
            self._put_entry(conn, entry)

    def _redisplay(
        self, conn: Any, cid: str, entry: PortfolioEntry, display: Credential
    ) -> PortfolioEntry:
        plaintext = self._get(conn, "credential", cid, tamper_name=cid)
        if plaintext is None:
            return entry
        stored = self._decode(Credential, plaintext, cid)
        updated = replace(
            stored,
            title=display.title,
            description=display.description,
            image=display.image,
            issuer=display.issuer,
            achievement=display.achievement,
            issued=stored.issued or display.issued,
            expires=stored.expires or display.expires,
        )
        self._put(conn, "credential", cid, None, codec.encode(updated))
        issuer = updated.issuer
        return replace(
            entry,
            title=updated.title,
            issuer_name=issuer.name if issuer else None,
            issuer_id=issuer.id if issuer else entry.issuer_id,
            issued=entry.issued or updated.issued,
            expires=entry.expires or updated.expires,
        )

    def _append_report(self, conn: Any, cid: str, report: VerificationReport) -> None:
        last = conn.execute(
            "SELECT id FROM records WHERE kind='report' AND owner=? ORDER BY id DESC LIMIT 1",
            (cid,),
        ).fetchone()
        seq = int(str(last[0]).rsplit(".", 1)[1]) + 1 if last else 1
        self._put(conn, "report", f"{cid}.{seq:06d}", cid, codec.encode(report))

    def history(self, id: str) -> list[VerificationReport]:
        """Every report of a credential, oldest first (RecordTampered if one fails to open)."""
        reports, damaged = self.checked_history(id)
        if damaged:
            raise RecordTampered(record=id, detail=f"report/{damaged[0]}")
        return reports

    def checked_history(self, id: str) -> tuple[list[VerificationReport], list[str]]:
        """The reports of a credential that open, oldest first, and the ids of those that do not
        (damaged, or listed in the catalogue but gone)."""
        good, damaged = self._history_rows(id)
        return [report for _rid, report in good], damaged

    def _history_rows(self, id: str) -> tuple[list[tuple[str, VerificationReport]], list[str]]:
        with self._reading() as conn:
            self._entry(conn, id)
            rows = conn.execute(
                "SELECT id, nonce, ciphertext FROM records WHERE kind='report' AND owner=?"
                " ORDER BY id",
                (id,),
            ).fetchall()
        _counter, findings, _garbled = self._compare_catalogue()
        damaged = [
            f.id
            for f in findings
            if f.kind == "report" and f.problem in ("missing", "replaced") and f.credential == id
        ]
        good: list[tuple[str, VerificationReport]] = []
        for rid, nonce, ciphertext in rows:
            if type(rid) is not str:
                continue
            try:
                plaintext = self._cipher.open("report", rid, id, nonce, ciphertext)
                good.append((rid, codec.decode(VerificationReport, plaintext)))
            except (Tampered, *DECODE_ERRORS):
                damaged.append(rid)
        return good, sorted(set(damaged))

    def newest_report(self, id: str) -> tuple[VerificationReport | None, list[str]]:
        """The newest report that is trustworthy as the last known status, and the damaged ones.

        When the newest record of the history is damaged, the older report before it is *not* the
        previous status (comparing with it would invent a change): None is returned then."""
        good, damaged = self._history_rows(id)
        if not good or (damaged and max(damaged) > good[-1][0]):
            return None, damaged
        return good[-1][1], damaged

    def _store_evidence(self, conn: Any, cid: str, evidence: Mapping[str, bytes]) -> None:
        for sha256, body in evidence.items():
            actual = hashlib.sha256(body).hexdigest()
            if actual != sha256.lower():
                raise StoreError(
                    N_("A fetched document does not match its digest {sha256}."),
                    detail=f"body hashes to {actual}",
                    sha256=sha256,
                )
            digest = self._cipher.lookup("evidence", actual)
            exists = conn.execute(
                "SELECT 1 FROM records WHERE kind='evidence' AND id=?", (digest,)
            ).fetchone()
            if exists is None:
                self._put(conn, "evidence", digest, None, bytes(body))
            conn.execute(
                "INSERT OR IGNORE INTO lookup (namespace, digest, id) VALUES ('evidence-ref', ?, ?)",
                (digest, cid),
            )

    def evidence_body(self, sha256: str) -> bytes | None:
        """A stored document body by its sha256 (hex), or None when the wallet does not hold it."""
        digest = self._cipher.lookup("evidence", sha256.strip().lower())
        with self._reading() as conn:
            body = self._get(conn, "evidence", digest, tamper_name=f"evidence:{sha256}")
        if body is not None and hashlib.sha256(body).hexdigest() != sha256.strip().lower():
            raise RecordTampered(record=f"evidence:{sha256}", detail="digest mismatch")
        return body

    # ------------------------------------------------------------------ identities, key, shares

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

    # ------------------------------------------------------------------ other sealed records

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

    # ------------------------------------------------------------------ integrity

    def verify_integrity(self) -> list[str]:
        """Authenticate every record; return what fails: credential ids for a credential's own
        records (credential, entry, reports), ``kind:id`` for the others.  Also reports an entry
        without its credential (or the reverse): a deleted row is tampering too."""
        names = {f.credential or f"{f.kind}:{f.id}" for f in self.scan().findings}
        return sorted(names)
