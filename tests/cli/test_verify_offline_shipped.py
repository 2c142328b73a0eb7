"""`plecak --offline verify` with nothing beside the package: no PLECAK_CONTEXTS, no context cache.

Every shared OB 3.0 case keeps its verdict when the contexts and the 1EdTech schemas come from the
package alone; the case's own documents that no package could ship (status lists, issuer keys, DID
documents) are given as a mirror, and the shipped ones are left out of it, so the test fails if the
package stops carrying them.  The schema-violation case runs with no mirror at all (issue 10).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.lines import load_cases, verify_json
from tests.cli.test_verify_end_to_end import assert_ob3_verdict
from tests.conftest import FIXED_NOW
from tests.support.mirror import mirror_from_serve
from wallet.pinned import pinned_mirror


@pytest.fixture(autouse=True)
def _nothing_beside_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("wallet.factory.system_clock", lambda: FIXED_NOW)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "no-wallet"))
    monkeypatch.setenv("PLECAK_CACHE_DIR", str(tmp_path / "empty-cache"))
    for var in ("PLECAK_CONTEXTS", "PLECAK_MIRROR", "PLECAK_LANG"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize("case", load_cases("ob3"), ids=lambda c: c["id"])
def test_ob3_case_keeps_its_verdict_with_only_the_package(
    case: dict[str, Any], conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = conformance_dir / "ob3"
    shipped = pinned_mirror().entries
    needs = {url: rel for url, rel in (case.get("needs") or {}).items() if url not in shipped}
    args = ["--offline"]
    if needs:
        args += ["--mirror", str(mirror_from_serve(tmp_path, base, needs))]
    assert_ob3_verdict(
        case, base, *verify_json(capsys, [*args, "verify", "--json", str(base / case["file"])])
    )


def test_schema_violation_is_invalid_with_no_mirror_and_no_contexts(
    conformance_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = next(c for c in load_cases("ob3") if c["id"] == "gen-v2-eddsa-schema-violation")
    assert set(case["needs"]) <= set(pinned_mirror().entries)
    code, records = verify_json(
        capsys, ["--offline", "verify", "--json", str(conformance_dir / "ob3" / case["file"])]
    )
    assert code == 1
    assert records[0]["status"] == "invalid", json.dumps(records[0])[:2000]
    schema = next(c for c in records[0]["checks"] if c["id"] == "schema")
    assert schema["status"] == "fail"
