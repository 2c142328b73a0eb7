"""Every run records the contexts it used, even when an earlier run in the process parsed them.

Regression: a process-wide cache of pinned contexts answered later runs without the Fetcher, so
their reports carried no context evidence, and a share bundle of such a credential could not be
checked offline by an employer without the contexts provisioned.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from importers.registry import default_registry
from tests.conftest import FIXED_NOW
from tests.verify_ob3.conformance import load_cases, offline_fetcher
from wallet.model import Credential, Status
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify


def test_second_run_in_a_process_still_records_its_contexts(
    conformance_dir: Path, contexts_dir: Path, tmp_path: Path
) -> None:
    case = next(c for c in load_cases(conformance_dir) if c["id"] == "gen-v2-eddsa-valid")
    (credential,) = [
        c
        for c in default_registry().read_path(conformance_dir / "ob3" / case["file"]).found
        if isinstance(c, Credential)
    ]

    async def one_run() -> set[str]:
        fetcher = offline_fetcher(tmp_path, conformance_dir, contexts_dir, case, lambda: FIXED_NOW)
        async with fetcher:
            report = await verify(credential, VerifyContext(fetcher, lambda: FIXED_NOW))
        assert report.status is Status.VALID
        return {r.url for r in report.evidence}

    first = asyncio.run(one_run())
    second = asyncio.run(one_run())
    assert "https://www.w3.org/ns/credentials/v2" in first
    assert second == first
