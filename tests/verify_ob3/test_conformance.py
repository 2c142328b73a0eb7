"""Every case of conformance/ob3 gets its exact expected status, offline, at a fixed time.

The corpus dates were chosen far from its build time (2010/2024 vs 2056/2099) and the fixed clock
(tests/conftest.py FIXED_NOW, 2026-11-23) sits between them, so the expired / not-yet-valid
verdicts hold.  Inputs go through the importers' registry exactly as ``plecak verify`` does: an
input the importer rejects (an unbaked PNG, a duplicated iTXt chunk) counts as not valid.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from importers.registry import default_registry
from tests.conftest import FIXED_NOW
from tests.verify_ob3.conformance import expected_status, load_cases, offline_fetcher
from wallet.model import Credential, Status
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify


def _ids() -> list[str]:
    import os

    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        return ["corpus-missing"]
    return [c["id"] for c in load_cases(Path(root))]


async def _run(case: dict[str, Any], credential: Credential, fetcher: Any) -> Any:
    async with fetcher:
        ctx = VerifyContext(fetcher=fetcher, clock=lambda: FIXED_NOW, offline=True)
        return await verify(credential, ctx)


@pytest.mark.parametrize("case_id", _ids())
def test_case_gets_expected_status(
    case_id: str, conformance_dir: Path, contexts_dir: Path, tmp_path: Path
) -> None:
    case = next(c for c in load_cases(conformance_dir) if c["id"] == case_id)
    expected = expected_status(case, conformance_dir / "ob3")
    batch = default_registry().read_path(conformance_dir / "ob3" / case["file"])
    credentials = [c for c in batch.found if isinstance(c, Credential)]
    if not credentials:
        assert expected is not Status.VALID, f"{case_id}: import failed: {batch.failures}"
        return
    assert len(credentials) == 1
    fetcher = offline_fetcher(tmp_path, conformance_dir, contexts_dir, case, lambda: FIXED_NOW)
    report = asyncio.run(_run(case, credentials[0], fetcher))
    summary = [(c.id, c.status.value, c.message) for c in report.checks]
    assert report.status is expected, f"{case_id}: {case['why']}: {summary}"
    if expected is not Status.VALID:
        assert report.status is not Status.VALID
    else:
        # valid means every check that matters ran and passed
        assert all(c.status.value in ("pass", "skip", "warn") for c in report.checks), summary
