"""``plecak doctor --salvage NEW_HOME``: every intact record of a damaged wallet, into a new one.

Why a new wallet and not a repair in place: the damaged file stays exactly as it was (evidence of
what happened, and a second chance with other tools), and the new wallet is made by the ordinary
write paths, so its catalogue, index and lookups are right by construction.  The new wallet has
a new data key under the same passphrase; credential ids stay the same (the learner may have
written them down); keyed ids (identities, evidence) are derived again under the new key.

Generic over kinds: a record of a kind this module does not know (a newer kind, e.g. issue 15's
"connection") is copied as it is, with its id and owner, when it authenticates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wallet.model import Credential, PortfolioEntry, Status, VerificationReport
from wallet.store import codec
from wallet.store.damage import Finding
from wallet.store.records import DECODE_ERRORS
from wallet.store.vault import Tampered
from wallet.store.wallet import Wallet

_OWN_KINDS = ("credential", "report", "evidence", "identity")
"""Kinds copied with their own logic below; every other kind is copied as it is."""


@dataclass(slots=True)
class Salvaged:
    credentials: int = 0
    records: int = 0
    lost: list[Finding] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    """Credentials kept whose index entry was damaged or gone: made again from the credential
    (its tags and the date it was added are lost)."""


def salvage(old: Wallet, new_home: Path, passphrase: str) -> Salvaged:
    """Copy every intact record of ``old`` into a new wallet at ``new_home`` (WalletExists if one
    is there).  What could not be copied is listed in ``lost``."""
    result = Salvaged()
    with old._reading() as conn:
        rows = conn.execute("SELECT kind, id, owner, nonce, ciphertext FROM records").fetchall()
        entries = {
            r[0]: r for r in conn.execute("SELECT id, nonce, ciphertext FROM entries") if r[0]
        }
    plain: dict[tuple[str, str], tuple[str | None, bytes]] = {}
    for kind, rid, owner, nonce, ciphertext in rows:
        if type(kind) is not str or type(rid) is not str:
            continue
        try:
            plain[(kind, rid)] = (owner, old._cipher.open(kind, rid, owner, nonce, ciphertext))
        except Tampered:
            result.lost.append(Finding(kind, rid, "unreadable"))
    with Wallet.create(new_home, passphrase) as new, new._writing() as out:
        for (kind, rid), (owner, data) in sorted(plain.items()):
            if kind == "credential":
                _credential(old, new, out, rid, data, entries.get(rid), plain, result)
            elif kind == "identity":
                try:
                    value = json.loads(data)["value"]
                except (*DECODE_ERRORS, json.JSONDecodeError):
                    result.lost.append(Finding(kind, rid, "unreadable"))
                    continue
                new._put(out, kind, new._cipher.lookup("identity", value), None, data)
                result.records += 1
            elif kind not in _OWN_KINDS:
                new._put(out, kind, rid, owner, data)
                result.records += 1
        copied = {rid.split(".")[0] for kind, rid in plain if kind == "credential"}
        for (kind, rid), _value in plain.items():
            if kind == "report" and rid.split(".")[0] not in copied:
                result.lost.append(Finding(kind, rid, "missing"))
    for rid in entries.keys() - {rid for kind, rid in plain if kind == "credential"}:
        result.lost.append(Finding("credential", str(rid), "missing"))
    result.lost.sort(key=lambda f: (f.kind, f.id))
    return result


def _credential(
    old: Wallet,
    new: Wallet,
    out: Any,
    cid: str,
    data: bytes,
    entry_row: Any,
    plain: dict[tuple[str, str], tuple[str | None, bytes]],
    result: Salvaged,
) -> None:
    """One credential with its entry (rebuilt when damaged), its intact reports and evidence."""
    try:
        credential = codec.decode(Credential, data)
    except DECODE_ERRORS:
        result.lost.append(Finding("credential", cid, "unreadable"))
        return
    reports: list[tuple[str, VerificationReport]] = []
    for (kind, rid), (_owner, body) in sorted(plain.items()):
        if kind == "report" and rid.split(".")[0] == cid:
            try:
                reports.append((rid, codec.decode(VerificationReport, body)))
            except DECODE_ERRORS:
                result.lost.append(Finding(kind, rid, "unreadable"))
    entry = None
    if entry_row is not None:
        try:
            entry = old._open_entry(entry_row)
        except Tampered:
            result.rebuilt.append(cid)
    else:
        result.rebuilt.append(cid)
    if entry is None:  # the index entry is derived data: made again from the credential
        entry = _rebuilt_entry(cid, credential, reports[-1][1] if reports else None)
    new._put(out, "credential", cid, None, data)
    new._put_entry(out, entry)
    out.execute(
        "INSERT INTO lookup (namespace, digest, id) VALUES ('fingerprint', ?, ?)",
        (new._cipher.lookup("fingerprint", credential.fingerprint), cid),
    )
    for rid, report in reports:
        new._put(out, "report", rid, cid, plain[("report", rid)][1])
        bodies = {}
        for record in report.evidence:
            digest = old._cipher.lookup("evidence", record.sha256.lower())
            found = plain.get(("evidence", digest))
            if found is not None and hashlib.sha256(found[1]).hexdigest() == record.sha256.lower():
                bodies[record.sha256.lower()] = found[1]
        new._store_evidence(out, cid, bodies)
    result.credentials += 1
    result.records += 2 + len(reports)


def _rebuilt_entry(
    cid: str, credential: Credential, newest: VerificationReport | None
) -> PortfolioEntry:
    """A damaged or missing index entry made again from its credential and newest report."""
    achievement = credential.achievement
    issuer = credential.issuer or (achievement.issuer if achievement else None)
    return PortfolioEntry(
        id=cid,
        fingerprint=credential.fingerprint,
        format=credential.format,
        status=newest.status if newest else Status.UNVERIFIED,
        checked_at=newest.checked_at if newest else None,
        issuer_name=issuer.name if issuer else None,
        issuer_id=issuer.id if issuer else None,
        title=credential.title or (achievement.name if achievement else None),
        issued=credential.issued or credential.valid_from,
        expires=credential.expires or credential.valid_until,
        source=credential.original.source,
        credential_id=credential.credential_id,
    )
