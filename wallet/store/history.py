"""A credential's verification history and the documents it rests on, sealed like every record.

Apart from :mod:`wallet.store.wallet` so that the wallet class stays the list of what a
portfolio is; a report's sequence, the evidence stored once per digest, and which report is
trustworthy as the last known status are decided here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from wallet.errors import RecordTampered, StoreError
from wallet.i18n import N_
from wallet.model import Credential, PortfolioEntry, VerificationReport
from wallet.store import codec
from wallet.store.audit import AuditedRecords
from wallet.store.records import DECODE_ERRORS
from wallet.store.vault import Tampered

NO_EVIDENCE: Mapping[str, bytes] = MappingProxyType({})


class HistoryRecords(AuditedRecords):
    """Reports (kind ``report``, owner = the credential) and evidence bodies (kind ``evidence``)."""

    def add_report(
        self,
        id: str,
        report: VerificationReport,
        evidence: Mapping[str, bytes] = NO_EVIDENCE,
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
