"""What the time and trust steps need from a seal, whatever its syntax (JAdES or XAdES)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wallet.verify.edc.path import Revinfo


@dataclass(frozen=True, slots=True)
class SealEvidence:
    """What the time and trust steps need from a seal, whatever its syntax (JAdES, XAdES)."""

    certificates: tuple[bytes, ...]
    claimed_time: datetime | None
    signature_tokens: tuple[bytes, ...]
    signature_covered: bytes
    archive_tokens: tuple[bytes, ...]
    archive_covered: bytes
    revinfo: Revinfo
