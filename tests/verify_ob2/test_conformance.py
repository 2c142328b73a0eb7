"""All 59 cases of conformance/ob2, with exact statuses, through importers + offline mirrors.

The corpus says only valid/invalid; cli.md statuses are finer.  Where a case is finer than
"invalid", its ``why`` says so and the table below names the status (with the reason):
revoked (410 / ``revoked: true`` / RevocationList), expired (past ``expires``), unverified (the
verifier could not get an answer: HTTP 5xx, or a URL nobody serves — cli.md's "issuer
unreachable / offline with no cached copy").  Not a badge at all: an import error (exit 1).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.verify_ob2.conformance import run_case

FINER = {
    "hosted-2.0-revoked-410": "revoked",  # why: "SHOULD return HTTP 410 Gone ... Must be invalid"
    "hosted-2.0-revoked-200": "revoked",  # why: 'body has "revoked": true'
    "signed-2.0-revoked": "revoked",  # why: "RevocationList lists the assertion id"
    "hosted-2.0-expired": "expired",  # why: "expires is in the past"
    "signed-2.0-expired": "expired",  # why: "Correctly signed but expired assertion"
    "hosted-2.0-assertion-500": "unverified",  # why: "Assertion URL answers HTTP 500"
    "hosted-2.0-badgeclass-unreachable": "unverified",  # why: "BadgeClass URL not served"
    "bakery-baked-heart-png-unserved": "unverified",  # why: "verify.url ... is not served"
    "bakery-baked-svg-unserved": "unverified",  # why: "... not served"
    "unbaked-png": "import-error",  # why: "Plain PNG with no openbadges chunk"
    "unbaked-svg": "import-error",  # why: "Plain SVG with no openbadges:assertion element"
}
REFUSED_OR_INVALID = {"signed-2.0-alg-none"}
"""The importer may refuse an alg-none JWS outright (UnsafeInput) or hand it on; both must fail."""


def _cases(conformance: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((conformance / "ob2" / "cases.json").read_text())
    return data


def _expected(case: dict[str, Any]) -> set[str]:
    if case["id"] in REFUSED_OR_INVALID:
        return {"invalid", "import-error"}
    if case["id"] in FINER:
        assert case["expect"] == "invalid", case["id"]
        return {FINER[case["id"]]}
    return {case["expect"]}


def test_corpus_has_59_cases_and_the_table_names_real_ones(conformance_dir: Path) -> None:
    ids = {c["id"] for c in _cases(conformance_dir)}
    assert len(ids) == 59
    assert set(FINER) | REFUSED_OR_INVALID <= ids


def _ids() -> list[str]:
    import os

    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        return ["(PLECAK_CONFORMANCE unset)"]
    return [c["id"] for c in _cases(Path(root))]


@pytest.mark.parametrize("case_id", _ids())
def test_case_gives_the_expected_status(
    case_id: str, conformance_dir: Path, tmp_path: Path
) -> None:
    case = next(c for c in _cases(conformance_dir) if c["id"] == case_id)
    outcome = asyncio.run(run_case(case, conformance_dir / "ob2", tmp_path, FIXED_NOW))
    checks = (
        [(c.id, c.status.value, c.message) for c in outcome.report.checks]
        if outcome.report
        else outcome.errors
    )
    assert outcome.status in _expected(case), (case["why"], checks)
    if case["expect"] == "invalid":
        assert outcome.status != "valid"
    if outcome.report is not None:
        assert [c.step for c in outcome.report.checks] == list(
            range(1, len(outcome.report.checks) + 1)
        )
