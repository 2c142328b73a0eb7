"""`plecak --offline --mirror INDEX verify --json SOURCE` over every conformance case.

The verifier suites test the verifier; this one tests what a user runs: argument parsing, the
service's input handling (URL, file, baked image), the Fetcher built from the global options, the
JSON line of cli.md and the exit code (0 only for valid).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.lines import load_cases, verify_json
from tests.conftest import FIXED_NOW
from tests.support.mirror import mirror_from_serve
from tests.verify_ob2.test_conformance import _expected as ob2_expected
from tests.verify_ob3.conformance import expected_status as ob3_expected


@pytest.fixture(autouse=True)
def _fixed_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, contexts_dir: Path) -> None:
    monkeypatch.setattr("wallet.factory.system_clock", lambda: FIXED_NOW)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "no-wallet"))
    monkeypatch.setenv("PLECAK_CONTEXTS", str(contexts_dir))
    monkeypatch.delenv("PLECAK_MIRROR", raising=False)
    monkeypatch.delenv("PLECAK_LANG", raising=False)


@pytest.mark.parametrize("case", load_cases("ob2"), ids=lambda c: c["id"])
def test_ob2_case_through_the_cli(
    case: dict[str, Any], conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = conformance_dir / "ob2"
    index = mirror_from_serve(tmp_path, base, case["serve"], case.get("serve_meta"))
    source = case["input"] if case["input_kind"] == "url" else str(base / case["input"])
    args = ["--offline", "--mirror", str(index), "verify", "--json", source]
    for value in (case.get("recipient_profile") or {}).values():
        for item in value if isinstance(value, list) else [value]:
            args[-1:-1] = ["--recipient", item]
    code, records = verify_json(capsys, args)
    assert records, "no JSON line printed"
    statuses = {r.get("status", "import-error") for r in records}
    assert statuses <= ob2_expected(case), records
    assert (code == 0) == (case["expect"] == "valid" and statuses == {"valid"})
    assert code in (0, 1)


@pytest.mark.parametrize("case", load_cases("ob3"), ids=lambda c: c["id"])
def test_ob3_case_through_the_cli(
    case: dict[str, Any], conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = conformance_dir / "ob3"
    args = ["--offline"]
    if case.get("needs"):
        args += ["--mirror", str(mirror_from_serve(tmp_path, base, case["needs"]))]
    assert_ob3_verdict(
        case, base, *verify_json(capsys, [*args, "verify", "--json", str(base / case["file"])])
    )


def assert_ob3_verdict(
    case: dict[str, Any], base: Path, code: int, records: list[dict[str, Any]]
) -> None:
    """One JSON line with the case's expected status (an import error counts as not valid)."""
    assert len(records) == 1
    expected = ob3_expected(case, base).value
    assert records[0].get("status", "import-error") in (
        {expected} if expected == "valid" else {expected, "import-error"}
    ), records[0]
    assert (code == 0) == (expected == "valid")


def _real_params() -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in load_cases("real")]


@pytest.mark.parametrize("case", _real_params())
def test_real_case_through_the_cli(
    case: dict[str, Any], conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Published third-party credentials: only the ``serve`` documents exist (an offline mirror),
    and the verdict is one the case accepts."""
    from tests.verify_real.conformance import accepted

    base = conformance_dir / "real"
    args = ["--offline"]
    if case["serve"]:
        args += ["--mirror", str(mirror_from_serve(tmp_path, base, case["serve"]))]
    command = ["verify", "--json"]
    if case.get("recipient"):
        command += ["--recipient", case["recipient"]]
    code, records = verify_json(capsys, [*args, *command, str(base / case["file"])])
    assert len(records) == 1
    assert records[0].get("status", "import-error") in accepted(case), records[0]
    assert (code == 0) == (records[0].get("status") == "valid")
