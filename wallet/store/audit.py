"""Reading the wallet as a whole and checking it: the index listing (cached while nothing
changed), the catalogue comparison, and the damage report (store.md §5).

Apart from :mod:`wallet.store.wallet` so that what is damaged, and how that is found without
decrypting everything, reads in one place.
"""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from wallet.errors import WalletDamaged
from wallet.model import PortfolioEntry
from wallet.store import catalogue
from wallet.store.damage import DamageReport, Finding, merge
from wallet.store.records import SealedRecords, audit_records, catalogue_damaged
from wallet.store.vault import Tampered


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


class AuditedRecords(SealedRecords):
    """The listing and the damage checks every kind of record relies on."""

    _listed: tuple[tuple[int, int], EntryList] | None = None
    """The last :meth:`list_entries` and the read version it was made at."""
    _checked: tuple[tuple[int, int], tuple[int, tuple[Finding, ...], int]] | None = None
    """The last catalogue comparison and the read version it was made at."""
    rolled_back: tuple[int, int] | None = None
    """(this file's write counter, the highest seen on this computer) when the file is older."""

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

    def verify_integrity(self) -> list[str]:
        """Authenticate every record; return what fails: credential ids for a credential's own
        records (credential, entry, reports), ``kind:id`` for the others.  Also reports an entry
        without its credential (or the reverse): a deleted row is tampering too."""
        names = {f.credential or f"{f.kind}:{f.id}" for f in self.scan().findings}
        return sorted(names)
