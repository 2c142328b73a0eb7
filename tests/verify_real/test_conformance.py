"""Every case of conformance/real gets a verdict within its ``accept`` list, offline.

The corpus was judged on 2026-12-03; the fixed clock (2026-11-23) is close enough for its dates
(2010, 2022, 2040).  Two worlds: an offline mirror of the ``serve`` documents, and the same
documents with HTTP 404 for every other URL.  A credential whose key only a fragment of an https
URL carries, or that a stranger's key signed, is never ``valid``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.verify_real.conformance import accepted, load_cases, run_case


def _ids() -> list[str]:
    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        return ["corpus-missing"]
    return [c["id"] for c in load_cases(Path(root))]


def _params() -> list[object]:
    return list(_ids())


@pytest.mark.parametrize("not_found", [False, True], ids=["offline-mirror", "404-elsewhere"])
@pytest.mark.parametrize("case_id", _params())
def test_verdict_within_accept(
    case_id: str, not_found: bool, conformance_dir: Path, contexts_dir: Path, tmp_path: Path
) -> None:
    case = next(c for c in load_cases(conformance_dir) if c["id"] == case_id)
    status, report = asyncio.run(
        run_case(
            case, conformance_dir, contexts_dir, tmp_path, FIXED_NOW, not_found_elsewhere=not_found
        )
    )
    summary = [(c.id, c.status.value, c.message) for c in report.checks] if report else []
    assert status in accepted(case), f"{case_id}: {case['why']}: {summary}"
    if case["expect"] != "valid":
        assert status != "valid"


def test_the_corpus_is_all_there(conformance_dir: Path) -> None:
    cases = load_cases(conformance_dir)
    assert len(cases) == 41
    assert all(case["accept"] for case in cases)
