"""The trusted-list snapshot the seal verifier consults: services, their certificates, their history.

Why a reduced snapshot: the full EU lists are tens of megabytes of XML and their signatures take
time to check; a verifier needs only the CA and time-stamping services with their status history.
The snapshot is made from lists whose signatures were verified (``trustlist.build_snapshot``), is
dated by the lists' issue times, and is pinned: the one shipped in the package is checked against
the sha256 beside it before use.  Trust anchors come only from here, never from a credential.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet.errors import VerificationError
from wallet.i18n import N_, _

ETSI = "http://uri.etsi.org/TrstSvc/"
CA_QC = ETSI + "Svctype/CA/QC"
CA_PKC = ETSI + "Svctype/CA/PKC"
TSA_QTST = ETSI + "Svctype/TSA/QTST"
TSA = ETSI + "Svctype/TSA"
KEPT_TYPES = frozenset({CA_QC, CA_PKC, TSA_QTST, TSA})

GRANTED = ETSI + "TrustedList/Svcstatus/granted"
NATIONAL = ETSI + "TrustedList/Svcstatus/recognisedatnationallevel"
_LEGACY = ETSI + "eSigDir-1999-93-EC-TrustedList/Svcstatus/"
ACTIVE = frozenset({GRANTED, _LEGACY + "undersupervision", _LEGACY + "accredited"})
"""Statuses that grant (the pre-eIDAS ones for times before 1 July 2016)."""
FOR_ESEALS = ETSI + "TrustedList/SvcInfoExt/ForeSeals"
FOR_ESIGNATURES = ETSI + "TrustedList/SvcInfoExt/ForeSignatures"

FILE_NAME = "trusted-lists.json"
DIGEST_NAME = FILE_NAME + ".sha256"
SNAPSHOT_DIR = Path(__file__).with_name("data")
SNAPSHOT_FILE = SNAPSHOT_DIR / FILE_NAME
SNAPSHOT_SHA256 = SNAPSHOT_DIR / DIGEST_NAME


class TrustListError(VerificationError):
    code = "edc-trusted-list"
    default_message = N_("The trusted list cannot be used: {reason}")


@dataclass(frozen=True, slots=True)
class StatusPeriod:
    """From ``start`` on, the service had ``status`` (and this type and these extensions)."""

    start: datetime
    status: str
    service_type: str
    additional: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TrustService:
    country: str
    provider: str
    name: str
    certificates: tuple[bytes, ...]
    history: tuple[StatusPeriod, ...]
    """Newest first, as the lists give it."""

    def period_at(self, moment: datetime) -> StatusPeriod | None:
        """The status in force at ``moment`` (None: the service was not listed yet)."""
        for period in sorted(self.history, key=lambda p: p.start, reverse=True):
            if period.start <= moment:
                return period
        return None


@dataclass(frozen=True, slots=True)
class ListInfo:
    country: str
    issued: datetime
    next_update: datetime | None
    sequence: int
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class TrustSnapshot:
    lists: tuple[ListInfo, ...]
    services: tuple[TrustService, ...]
    source: str = ""
    _by_key: dict[bytes, list[TrustService]] = field(default_factory=dict, compare=False)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Derived data (parsed anchors) kept with the snapshot it was derived from."""

    @property
    def as_of(self) -> datetime | None:
        """The snapshot's date: the newest issue time of its lists."""
        return max((item.issued for item in self.lists), default=None)

    def list_for(self, country: str) -> ListInfo | None:
        return next((item for item in self.lists if item.country == country), None)

    def services_for_subject(self, subject_der: bytes, key_der: bytes) -> list[TrustService]:
        """Services whose listed certificate has this subject and public key."""
        if not self._by_key:
            index: dict[bytes, list[TrustService]] = {}
            for service in self.services:
                for cert in service.certificates:
                    index.setdefault(_identity(cert), []).append(service)
            self._by_key.update(index)
        return self._by_key.get(hashlib.sha256(subject_der + key_der).digest(), [])

    def to_json(self) -> dict[str, Any]:
        import base64

        return {
            "format": 1,
            "source": self.source,
            "lists": [
                {
                    "country": i.country,
                    "issued": i.issued.isoformat(),
                    "next_update": i.next_update.isoformat() if i.next_update else None,
                    "sequence": i.sequence,
                    "sha256": i.sha256,
                }
                for i in self.lists
            ],
            "services": [
                {
                    "country": s.country,
                    "provider": s.provider,
                    "name": s.name,
                    "certificates": [base64.b64encode(c).decode() for c in s.certificates],
                    "history": [
                        {
                            "start": p.start.isoformat(),
                            "status": p.status,
                            "type": p.service_type,
                            "additional": list(p.additional),
                        }
                        for p in s.history
                    ],
                }
                for s in self.services
            ],
        }


def _identity(cert_der: bytes) -> bytes:
    """Subject + public key: how a listed CA is matched (a re-issued CA cert keeps both)."""
    from asn1crypto import x509

    cert = x509.Certificate.load(cert_der)
    tbs = cert["tbs_certificate"]
    return hashlib.sha256(tbs["subject"].dump() + tbs["subject_public_key_info"].dump()).digest()


def from_json(doc: Any) -> TrustSnapshot:
    import base64

    try:
        if doc.get("format") != 1:
            raise TrustListError(reason=_("the snapshot has an unknown format"))
        lists = tuple(
            ListInfo(
                country=i["country"],
                issued=datetime.fromisoformat(i["issued"]),
                next_update=datetime.fromisoformat(i["next_update"]) if i["next_update"] else None,
                sequence=int(i["sequence"]),
                sha256=i.get("sha256", ""),
            )
            for i in doc["lists"]
        )
        services = tuple(
            TrustService(
                country=s["country"],
                provider=s["provider"],
                name=s["name"],
                certificates=tuple(base64.b64decode(c) for c in s["certificates"]),
                history=tuple(
                    StatusPeriod(
                        start=datetime.fromisoformat(p["start"]),
                        status=p["status"],
                        service_type=p["type"],
                        additional=tuple(p["additional"]),
                    )
                    for p in s["history"]
                ),
            )
            for s in doc["services"]
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TrustListError(reason=_("the snapshot is damaged"), detail=repr(exc)) from exc
    return TrustSnapshot(lists=lists, services=services, source=str(doc.get("source", "")))


def write_pinned(snapshot: TrustSnapshot, folder: Path) -> Path:
    """Write ``trusted-lists.json`` and its ``.sha256`` into ``folder`` (each atomically, the
    digest last, so a crash leaves either the old pair or a file that is refused, never trusted).
    """
    from wallet.files import write_atomic

    raw = json.dumps(
        snapshot.to_json(), separators=(",", ":"), ensure_ascii=False, sort_keys=True
    ).encode()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    digest = f"{hashlib.sha256(raw).hexdigest()}  {FILE_NAME}\n".encode("ascii")
    for path, data in ((target, raw), (folder / DIGEST_NAME, digest)):
        write_atomic(path, data)
    return target


def load_pinned(path: Path = SNAPSHOT_FILE, digest_path: Path = SNAPSHOT_SHA256) -> TrustSnapshot:
    """A snapshot file (the shipped one by default), refused unless its bytes have the sha256
    written beside it; any damage is a :class:`TrustListError`."""
    try:
        raw = path.read_bytes()
        expected = digest_path.read_text(encoding="ascii").split()[0]
        if hashlib.sha256(raw).hexdigest() != expected:
            raise TrustListError(reason=_("the snapshot file does not match its sha256"))
        return from_json(json.loads(raw))
    except (OSError, IndexError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise TrustListError(reason=_("the snapshot is damaged"), detail=repr(exc)) from exc
