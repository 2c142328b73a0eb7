"""The provenance rule (wallet.verify.provenance): which documents a result may rest on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import FIXED_NOW
from wallet.demo.images import badge_png
from wallet.model import CheckResult, CheckStatus, FetchRecord, Status, VerificationReport
from wallet.verify import provenance

VC2 = "https://www.w3.org/ns/credentials/v2"


class _Fetched:
    """What apply_rule reads of a fetcher: its records and their bodies."""

    def __init__(self, documents: Sequence[tuple[str, str, bytes, str]]) -> None:
        self.bodies = {hashlib.sha256(body).hexdigest(): body for _u, _t, body, _o in documents}
        self.records = tuple(
            FetchRecord(
                url, url, 200, ctype, hashlib.sha256(body).hexdigest(), FIXED_NOW, len(body), origin
            )
            for url, ctype, body, origin in documents
        )

    def body_of(self, sha256: str) -> bytes | None:
        return self.bodies.get(sha256)


def _valid() -> VerificationReport:
    check = CheckResult("proof", CheckStatus.PASS, "ok")
    return VerificationReport(Status.VALID, (check,), FIXED_NOW)


def _apply(
    documents: Sequence[tuple[str, str, bytes, str]], vouched: set[str] | None = None
) -> VerificationReport:
    fetched = _Fetched(documents)
    return provenance.apply_rule(_valid(), fetched, vouched or set(), FIXED_NOW)  # type: ignore[arg-type]


def _evidence(report: VerificationReport) -> CheckResult:
    (check,) = [c for c in report.checks if c.id == "evidence"]
    return check


def test_a_carried_document_makes_the_result_unverified_naming_it_and_when() -> None:
    key = "https://uni.example/key.json"
    report = _apply([(key, "application/json", b'{"publicKeyPem": "x"}', "evidence")])
    assert report.status is Status.UNVERIFIED
    check = _evidence(report)
    assert check.status is CheckStatus.UNKNOWN
    assert key in check.message and "2026-11-23 12:00 UTC" in check.message
    assert "confirm online" in check.message
    assert [r.origin for r in report.evidence] == ["carried"]


def test_documents_fetched_now_mirrored_or_captured_are_grounds() -> None:
    for origin in ("network", "mirror", "contexts", "captured"):
        report = _apply([("https://uni.example/key.json", "application/json", b"{}", origin)])
        assert report.status is Status.VALID, origin
        assert _evidence(report).status is CheckStatus.PASS


def test_a_carried_document_signed_by_the_issuer_itself_is_a_ground() -> None:
    url = "https://uni.example/status/1"
    vouched: set[str] = set()
    provenance.vouch(vouched, url, "did:key:zAttacker", "did:key:zIssuer")  # someone else's key
    assert (
        _apply([(url, "application/json", b"{}", "evidence")], vouched).status is Status.UNVERIFIED
    )
    provenance.vouch(vouched, url + "#list", "did:key:zIssuer", "did:key:zIssuer")
    report = _apply([(url, "application/json", b"{}", "evidence")], vouched)
    assert report.status is Status.VALID
    assert [r.origin for r in report.evidence] == ["issuer-signed"]


def test_a_carried_context_counts_only_when_its_bytes_match_the_pin(contexts_dir: Path) -> None:
    index = json.loads((contexts_dir / "mirror.json").read_text())
    body = (contexts_dir / index[VC2]["file"]).read_bytes()
    assert _apply([(VC2, "application/ld+json", body, "evidence")]).status is Status.VALID
    changed = json.dumps({**json.loads(body), "x": 1}).encode()
    assert _apply([(VC2, "application/ld+json", changed, "evidence")]).status is Status.UNVERIFIED


def test_a_key_document_cannot_hide_from_the_rule_by_calling_itself_an_image() -> None:
    shown = ("https://uni.example/badge.png", "image/png", badge_png("x"), "evidence")
    assert _apply([shown]).status is Status.VALID  # a real image decides nothing
    disguised = ("https://uni.example/key.json", "image/png", b'{"publicKeyPem": "x"}', "evidence")
    assert _apply([shown, disguised]).status is Status.UNVERIFIED


def test_handed_in_documents_are_carried_unless_relabelled_as_the_wallets_own() -> None:
    record = FetchRecord(
        "https://u.example/a",
        "https://u.example/a",
        200,
        "application/json",
        "0",
        FIXED_NOW,
        0,
        "evidence",
    )
    report = VerificationReport(Status.VALID, (), FIXED_NOW, evidence=(record,))
    assert [r.origin for r in provenance.as_captured(report).evidence] == ["captured"]
