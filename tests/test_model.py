"""The domain model: verdict precedence of cli.md, and the store's JSON form round-trips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
    Format,
    Image,
    Issuer,
    Level,
    Original,
    Recipient,
    Result,
    Status,
    VerificationReport,
    worst_status,
)
from wallet.model.json_form import from_dict, to_dict

WHEN = datetime(2025, 5, 1, tzinfo=UTC)


def check(cid: str, status: CheckStatus, outcome: Status | None = None) -> CheckResult:
    return CheckResult(id=cid, status=status, message=cid, outcome=outcome)


def test_precedence_is_the_one_of_cli_md() -> None:
    assert [s.value for s in Status] == [
        "invalid",
        "revoked",
        "suspended",
        "expired",
        "not-yet-valid",
        "unverified",
        "valid",
    ]
    assert worst_status([Status.VALID, Status.EXPIRED, Status.REVOKED]) is Status.REVOKED
    assert worst_status([Status.SUSPENDED, Status.INVALID]) is Status.INVALID


def test_nothing_checked_is_never_valid() -> None:
    assert worst_status([]) is Status.UNVERIFIED
    assert VerificationReport.verdict([]) is Status.UNVERIFIED


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        ([check("proof", CheckStatus.PASS)], Status.VALID),
        (
            [check("proof", CheckStatus.PASS), check("status", CheckStatus.UNKNOWN)],
            Status.UNVERIFIED,
        ),
        ([check("proof", CheckStatus.FAIL), check("status", CheckStatus.UNKNOWN)], Status.INVALID),
        (
            [
                check("status", CheckStatus.FAIL, Status.REVOKED),
                check("dates", CheckStatus.FAIL, Status.EXPIRED),
            ],
            Status.REVOKED,
        ),
        (
            [check("dates", CheckStatus.FAIL, Status.NOT_YET_VALID), check("x", CheckStatus.WARN)],
            Status.NOT_YET_VALID,
        ),
        ([check("refresh", CheckStatus.SKIP), check("proof", CheckStatus.PASS)], Status.VALID),
    ],
)
def test_verdict_from_checks(checks: list[CheckResult], expected: Status) -> None:
    assert VerificationReport.verdict(checks) is expected


def rich_credential() -> Credential:
    child = Credential(
        format=Format.OB3_DATA_INTEGRITY,
        original=Original(data=b'{"id":"urn:uuid:2"}', media_type="application/json"),
        payload=b'{"id":"urn:uuid:2"}',
        document={"id": "urn:uuid:2"},
        credential_id="urn:uuid:2",
    )
    return Credential(
        format=Format.CLR,
        original=Original(
            data=b"\x89PNG\r\n\x1a\n" + "zażółć".encode(), media_type="image/png", source="a.png"
        ),
        payload=b'{"id":"urn:uuid:1"}',
        document={"id": "urn:uuid:1", "nested": [1, {"a": None}]},
        credential_id="urn:uuid:1",
        spec_version="3.0",
        title="Programowanie w Pythonie",
        description="Mikropoświadczenie",
        image=Image(url="https://example.org/i.png", media_type="image/png", data=b"\x00\x01"),
        issuer=Issuer(id="did:web:uni.example.pl", name="Uniwersytet", country="PL"),
        achievement=Achievement(
            id="https://uni.example.pl/a/1",
            name="Python",
            criteria=Criteria(narrative="Egzamin"),
            alignments=(Alignment(target_name="ESCO: Python", target_framework="ESCO"),),
            credits=(Credit(amount=5.0, unit="ECTS", source="/credentialSubject/x"),),
            levels=(Level(framework="EQF", value="6"),),
            tags=("python",),
        ),
        recipient=Recipient(identity="sha256$abc", hashed=True, salt="s"),
        issued=WHEN,
        valid_until=datetime(2030, 1, 1, tzinfo=UTC),
        evidence=(Evidence(narrative="repo"),),
        results=(Result(value="5.0"),),
        eu_elements=(EUElement(key="title", state=ElementState.PRESENT, value="Python"),),
        children=(child,),
        associations=({"associationType": "isPartOf"},),
    )


def test_store_form_round_trips_every_field() -> None:
    credential = rich_credential()
    assert from_dict(Credential, to_dict(credential)) == credential


def test_report_round_trips() -> None:
    report = VerificationReport(
        status=Status.REVOKED,
        checks=(check("status", CheckStatus.FAIL, Status.REVOKED),),
        checked_at=WHEN,
        format=Format.OB2_HOSTED,
        as_of=WHEN,
    )
    assert from_dict(VerificationReport, to_dict(report)) == report


def test_fingerprint_prefers_the_id_then_the_bytes() -> None:
    credential = rich_credential()
    assert credential.fingerprint == "id:urn:uuid:1"
    anonymous = Credential(
        format=Format.OB3_UNSIGNED,
        original=Original(data=b"{}", media_type="application/json"),
        payload=b"{}",
    )
    assert anonymous.fingerprint.startswith("sha256:")


def test_issuer_domain_or_did() -> None:
    assert Issuer(id="https://user@uni.example.pl/issuer").domain_or_did == "uni.example.pl"
    assert Issuer(id="did:web:uni.example.pl").domain_or_did == "did:web:uni.example.pl"
