"""Credentials, reports and evidence built in code for the store tests and the store benchmark.

Every text field can carry a ``marker``: a distinctive string the no-plaintext scan looks for on
disk.  Images are real PNG bytes (a minimal valid PNG with the marker in a tEXt chunk).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from datetime import UTC, datetime, timedelta

from wallet.model import (
    Achievement,
    Alignment,
    CheckResult,
    CheckStatus,
    Credential,
    Credit,
    Criteria,
    ElementState,
    EUElement,
    Evidence,
    FetchRecord,
    Format,
    Image,
    Issuer,
    Level,
    Original,
    Recipient,
    RecipientMatch,
    Result,
    Status,
    VerificationReport,
)

WHEN = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def png(text: str, pixels: int = 4) -> bytes:
    """A small valid PNG (grey square) with ``text`` in a tEXt chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes([128]) * pixels for _ in range(pixels))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", pixels, pixels, 8, 0, 0, 0, 0))
        + chunk(b"tEXt", b"openbadges\x00" + text.encode())
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def credential(n: int = 0, marker: str = "", *, image_bytes: int = 0) -> Credential:
    """A rich OB 3.0-shaped credential, numbered ``n``, with ``marker`` in every text field."""
    # long: every field of the model filled in, spelled out as one literal
    tag = f"{marker}{n}"
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:uuid:cred-{tag}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Badge {tag}",
        "credentialSubject": {"id": f"mailto:learner-{tag}@example.org", "grade": "A"},
        "weird": {"$b64": "AAAA"},
        "dates": [{"$dt": "2020-01-01T00:00:00+00:00"}],
        "nested": {"$map": {"x": 1}},
        "float": 2.5,
        "unicode": "zażółć gęślą jaźń",
    }
    payload = json.dumps(doc).encode()
    picture = png(f"image-{tag}", 4) + (b"\x00" * image_bytes)
    issuer = Issuer(
        id=f"https://issuer.example/{tag}",
        name=f"Issuer {tag}",
        url="https://issuer.example",
        email=f"issuer-{tag}@example.org",
        description=f"Issuer description {tag}",
        image=Image(url=f"https://issuer.example/{tag}.png", media_type="image/png"),
        country="PL",
    )
    achievement = Achievement(
        id=f"https://issuer.example/achievements/{tag}",
        name=f"Achievement {tag}",
        description=f"What {tag} proves",
        achievement_type="Certificate",
        criteria=Criteria(id="https://issuer.example/criteria", narrative=f"Do {tag}"),
        image=Image(data=picture, media_type="image/png", caption=f"caption {tag}"),
        tags=(f"skill-{tag}", "python"),
        alignments=(
            Alignment(target_name=f"ESCO {tag}", target_url="http://data.europa.eu/esco/s/1"),
        ),
        credits=(Credit(amount=5, unit="ECTS", source="/credentialSubject/credits"),),
        levels=(Level(framework="EQF", value="6"),),
        in_language="pl",
        issuer=issuer,
        related=(f"urn:related:{tag}",),
    )
    return Credential(
        format=Format.OB3_DATA_INTEGRITY,
        original=Original(data=payload, media_type="application/json", source=f"/tmp/{tag}.json"),
        payload=payload,
        document=doc,
        credential_id=f"urn:uuid:cred-{tag}",
        spec_version="3.0",
        title=f"Title {tag}",
        description=f"Description {tag}",
        image=Image(data=picture, media_type="image/png"),
        issuer=issuer,
        achievement=achievement,
        recipient=Recipient(identity=f"learner-{tag}@example.org", name=f"Learner {tag}"),
        issued=WHEN - timedelta(days=n % 1000),
        expires=WHEN + timedelta(days=365),
        valid_from=WHEN - timedelta(days=n % 1000),
        evidence=(Evidence(id="https://portfolio.example/1", narrative=f"evidence {tag}"),),
        results=(Result(value="A", result_type="LetterGrade", description=f"grade {tag}"),),
        eu_elements=(
            EUElement(
                key="title", state=ElementState.PRESENT, value=f"Title {tag}", pointer="/name"
            ),
            EUElement(key="workload", state=ElementState.MISSING),
        ),
        endorsements=({"type": "EndorsementCredential", "comment": f"endorsed {tag}"},),
        children=(
            Credential(
                format=Format.OB2_HOSTED,
                original=Original(data=b"{}", media_type="application/json"),
                payload=b"{}",
                document={},
                title=f"Child {tag}",
            ),
        ),
        associations=({"sourceId": "a", "targetId": "b", "associationType": "isParentOf"},),
        hosted_url=None,
    )


def evidence_body(n: int = 0, marker: str = "") -> tuple[str, bytes]:
    body = json.dumps({"id": "https://issuer.example/profile", "name": f"Profile {marker}{n}"})
    data = body.encode()
    return hashlib.sha256(data).hexdigest(), data


def report(
    n: int = 0,
    marker: str = "",
    status: Status = Status.VALID,
    when: datetime = WHEN,
    sha256: str | None = None,
) -> VerificationReport:
    tag = f"{marker}{n}"
    records: tuple[FetchRecord, ...] = ()
    if sha256:
        records = (
            FetchRecord(
                url="https://issuer.example/profile",
                final_url="https://issuer.example/profile",
                status=200,
                content_type="application/json",
                sha256=sha256,
                fetched_at=when,
                size=10,
            ),
        )
    return VerificationReport(
        status=status,
        checks=(
            CheckResult(
                id="proof",
                status=CheckStatus.PASS,
                message=f"proof ok {tag}",
                detail=f"key {tag}",
                step=1,
            ),
            CheckResult(
                id="revocation",
                status=CheckStatus.FAIL if status is Status.REVOKED else CheckStatus.PASS,
                message=f"status {tag}",
                step=2,
                outcome=Status.REVOKED,
            ),
        ),
        checked_at=when,
        format=Format.OB3_DATA_INTEGRITY,
        credential_id=f"urn:uuid:cred-{tag}",
        recipient=RecipientMatch(checked=True, matched=True, identity=f"learner-{tag}@example.org"),
        evidence=records,
        mode="online",
    )
