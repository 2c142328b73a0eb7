"""The fixed, hand-made portfolio the TUI fake serves: eight badges in every status, their
reports and histories, on a fixed clock (screenshots are identical on every machine)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import png

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
    PortfolioEntry,
    Recipient,
    RecipientMatch,
    Status,
    VerificationReport,
)

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
PASSPHRASE = "correct horse battery staple"


def badge_png(size: int = 32) -> bytes:
    """A small round badge: a blue disc with a yellow star-ish centre, transparent corners."""
    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row: list[int] = []
        for x in range(size):
            d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if d > size / 2:
                row += [0, 0, 0, 0]
            elif d < size / 5:
                row += [250, 200, 40, 255]
            else:
                row += [30, 90, 200, 255]
        rows.append(row)
    out = io.BytesIO()
    png.Writer(size, size, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def checks_of(*items: tuple[str, CheckStatus, str, Status | None]) -> tuple[CheckResult, ...]:
    return tuple(
        CheckResult(id=cid, status=st, message=msg, step=i + 1, outcome=outcome)
        for i, (cid, st, msg, outcome) in enumerate(items)
    )


def make_report(
    status: Status, when: datetime, checks: tuple[CheckResult, ...]
) -> VerificationReport:
    return VerificationReport(
        status=status,
        checks=checks,
        checked_at=when,
        recipient=RecipientMatch(
            checked=True, matched=True, identity="ala@example.org", message="Recipient matches."
        ),
        evidence=(
            FetchRecord(
                url="https://badges.example.edu/issuer.json",
                final_url="https://badges.example.edu/issuer.json",
                status=200,
                content_type="application/ld+json",
                sha256="ab" * 32,
                fetched_at=when,
                size=812,
            ),
        ),
    )


PASS = CheckStatus.PASS
FAIL = CheckStatus.FAIL
UNKNOWN = CheckStatus.UNKNOWN


def base_checks(
    revocation: CheckStatus = PASS, expiry: CheckStatus = PASS
) -> tuple[CheckResult, ...]:
    return checks_of(
        ("format", PASS, "A signed Open Badges 2.0 assertion.", None),
        ("proof", PASS, "The signature is valid (RS256, key of the issuer).", None),
        ("issuer", PASS, "The key belongs to the issuer's profile.", None),
        (
            "revocation",
            revocation,
            "Not revoked." if revocation is PASS else "The issuer revoked this badge.",
            Status.REVOKED,
        ),
        (
            "expiry",
            expiry,
            "Not expired." if expiry is PASS else "Expired on 2025-06-30.",
            Status.EXPIRED,
        ),
        ("recipient", PASS, "Issued to ala@example.org.", None),
    )


@dataclass
class Item:
    entry: PortfolioEntry
    credential: Credential
    history: list[VerificationReport] = field(default_factory=list)


SPECS: list[tuple[str, str, str, str, Status, tuple[str, ...], int]] = [
    ("a1b2c3", "Python Programming Basics", "Akademia Kodu", "akademiakodu.pl", Status.VALID, ("python", "it"), 400),
    ("b2c3d4", "Data Analysis with pandas", "Uniwersytet Warszawski", "uw.edu.pl", Status.VALID, ("python", "data"), 300),
    ("c3d4e5", "First Aid Certificate", "Czerwony Krzyż", "pck.pl", Status.EXPIRED, ("health",), 900),
    ("d4e5f6", "Team Leadership", "Open Leadership Lab", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Status.REVOKED, ("soft-skills",), 200),
    ("e5f6a7", "Cloud Fundamentals", "Cloud Academy EU", "did:web:cloud.example.eu", Status.SUSPENDED, ("it",), 120),
    ("f6a7b8", "Summer School 2027", "Politechnika Gdańska", "pg.edu.pl", Status.NOT_YET_VALID, (), 10),
    ("a7b8c9", "Community Volunteer", "Fundacja Dobra", "dobra.example.org", Status.UNVERIFIED, ("volunteering",), 60),
    ("b8c9d0", "Tampered Certificate", "Unknown Issuer", "evil.example.com", Status.INVALID, (), 30),
]  # fmt: skip


def _make_item(spec: tuple[str, str, str, str, Status, tuple[str, ...], int], image: bytes) -> Item:
    # long: one hand-made badge field by field, like a row of test data spelled out
    sid, title, issuer_name, where, status, tags, days = spec
    issuer_id = where if where.startswith("did:") else f"https://{where}/issuer.json"
    issued = NOW - timedelta(days=days)
    expires = datetime(2025, 6, 30, tzinfo=UTC) if status is Status.EXPIRED else None
    issuer = Issuer(
        id=issuer_id, name=issuer_name, url=None if where.startswith("did:") else f"https://{where}"
    )
    achievement = Achievement(
        id=f"https://{sid}.example/achievement",
        name=title,
        description=f"The holder of {title} has shown the skills the course teaches.",
        achievement_type="Course",
        criteria=Criteria(narrative="Completed all assignments and passed the final exam."),
        alignments=(
            Alignment(
                target_name="Use a programming language",
                target_framework="ESCO",
                target_code="S1.2",
            ),
        ),
        credits=(Credit(amount=5, unit="ECTS"),),
        levels=(Level(framework="EQF", value="5"),),
        issuer=issuer,
    )
    document = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://{sid}.example/assertion",
        "badge": {"name": title, "issuer": {"name": issuer_name, "id": issuer_id}},
        "recipient": {"type": "email", "identity": "ala@example.org", "hashed": False},
        "issuedOn": issued.isoformat(),
    }
    payload = json.dumps(document).encode()
    original = (
        Original(data=image, media_type="image/png", source=f"{sid}.png")
        if sid == "a1b2c3"
        else Original(data=payload, media_type="application/json", source=f"{sid}.json")
    )
    credential = Credential(
        format=Format.OB2_SIGNED if not where.startswith("did:") else Format.OB3_VC_JWT,
        original=original,
        payload=payload,
        document=document,
        credential_id=f"https://{sid}.example/assertion",
        spec_version="2.0",
        title=title,
        description=achievement.description,
        image=Image(data=image, media_type="image/png") if sid == "a1b2c3" else None,
        issuer=issuer,
        achievement=achievement,
        recipient=Recipient(identity="ala@example.org"),
        issued=issued,
        expires=expires,
        evidence=(Evidence(id="https://portfolio.example/ala/project", name="Final project"),),
        eu_elements=(
            EUElement(key="title", state=ElementState.PRESENT, value=title),
            EUElement(key="awarding_body", state=ElementState.PRESENT, value=issuer_name),
            EUElement(key="workload", state=ElementState.PRESENT, value="5 ECTS"),
            EUElement(key="eqf_level", state=ElementState.DERIVED, value="5"),
            EUElement(key="assessment_type", state=ElementState.MISSING),
            EUElement(key="grade", state=ElementState.MISSING, mandatory=False),
        ),
    )
    entry = PortfolioEntry(
        id=sid,
        fingerprint=credential.fingerprint,
        format=credential.format,
        status=status,
        title=title,
        issuer_name=issuer_name,
        issuer_id=issuer_id,
        issued=issued,
        expires=expires,
        tags=tags,
        added_at=NOW - timedelta(days=1),
        checked_at=NOW - timedelta(hours=1),
        source=original.source,
        credential_id=credential.credential_id,
    )
    first = make_report(Status.VALID, NOW - timedelta(days=30), base_checks())
    revocation = FAIL if status is Status.REVOKED else PASS
    expiry = FAIL if status is Status.EXPIRED else PASS
    last = make_report(status, NOW - timedelta(hours=1), base_checks(revocation, expiry))
    return Item(entry=entry, credential=credential, history=[first, last])


def sample_items() -> list[Item]:
    image = badge_png()
    return [_make_item(spec, image) for spec in SPECS]
