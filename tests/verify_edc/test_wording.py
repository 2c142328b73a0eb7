""" "Sealed by ORGANISATION (qualified electronic seal, QTSP, country), as of the trusted list of
DATE" — one sentence, rendered from the seal-trust check's facts by show, the TUI and
summary.html (in Polish and English), shown here on the real VeloCert EDC."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.support.cli import cli_env, run_cli
from wallet.codecs.edc_seal import SealFacts, seal_facts, sentence
from wallet.i18n import translation_for
from wallet.model import CheckResult, CheckStatus

VELOCERT = "europass/third-party/velocert-edc-mc-signed.jades.json"
EN = (
    "Sealed by VELOCERT OU (qualified electronic seal, HALCOM D.D., SI), as of the trusted list "
    "of 2026-07-07T10:21:12Z."
)
PL = (
    "Opieczętowane przez VELOCERT OU (kwalifikowana pieczęć elektroniczna, HALCOM D.D., SI), "
    "według listy zaufanej z 2026-07-07T10:21:12Z."
)
FACTS = SealFacts("VELOCERT OU", True, "HALCOM D.D.", "SI", "2026-07-07T10:21:12Z", "CN=x")


def test_the_sentence_in_both_languages_from_the_facts() -> None:
    assert sentence(FACTS) == EN
    assert sentence(FACTS, translation_for("pl").gettext) == PL
    advanced = SealFacts("Uni", False, "QTSP", "PL", "2026-02-01T00:00:00Z")
    assert "(advanced electronic seal, QTSP, PL)" in sentence(advanced)


def test_facts_come_only_from_a_passed_seal_trust_check() -> None:
    passed = CheckResult("seal-trust", CheckStatus.PASS, EN, detail=FACTS.to_detail())
    assert seal_facts([passed]) == FACTS
    as_json = {"id": "seal-trust", "status": "pass", "message": EN, "detail": FACTS.to_detail()}
    assert seal_facts([as_json]) == FACTS
    unknown = CheckResult("seal-trust", CheckStatus.UNKNOWN, "stale", detail=FACTS.to_detail())
    assert seal_facts([unknown]) is None
    older_report = CheckResult("seal-trust", CheckStatus.PASS, EN, detail="CN=VELOCERT OU")
    assert seal_facts([older_report]) is None
    forged_shape = {"id": "seal-trust", "status": "pass", "detail": '{"sealed_by": [1]}'}
    assert seal_facts([forged_shape]) is None


@pytest.fixture()
def wallet_with_velocert(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    conformance_dir: Path,
) -> str:
    cli_env(monkeypatch)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "wallet"))
    assert run_cli(capsys, "init")[0] == 0
    code, out, err = run_cli(capsys, "import", "--json", str(conformance_dir / VELOCERT))
    assert code == 0, err  # stored (unverified: its status lists need the network)
    return str(json.loads(out.splitlines()[0])["id"])


def test_show_says_who_sealed_it_in_the_interface_language(
    wallet_with_velocert: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli(capsys, "show", wallet_with_velocert)[1]
    assert out.splitlines()[3] == EN  # under the issuer
    assert PL in run_cli(capsys, "--lang", "pl", "show", wallet_with_velocert)[1]


def test_summary_html_says_it_in_both_languages_and_the_bundle_verifies_it(
    wallet_with_velocert: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "velocert.zip"
    code, _out, err = run_cli(capsys, "export", "bundle", wallet_with_velocert, "-o", str(bundle))
    assert code == 0, err
    page = zipfile.ZipFile(bundle).read("summary.html").decode()
    assert re.findall(r'<p class="seal">([^<]*)</p>', page) == [EN, PL]
    code, out, _err = run_cli(capsys, "verify", str(bundle))
    assert "✓ 7. summary.html shows exactly what the verified credentials say" in out
    assert code == 1  # the status lists, offline: not for the seal


def test_the_tui_detail_view_has_a_seal_row(wallet_with_velocert: str, tmp_path: Path) -> None:
    from rich.console import Console

    from tests.support.cli import PASS
    from wallet.factory import make_service
    from wallet.tui.detail_parts import overview

    service = make_service(tmp_path / "wallet", offline=True)
    service.unlock(PASS)
    view = service.show(wallet_with_velocert)
    console = Console(width=200, record=True)
    console.print(overview(view.entry, view.credential, view.report))
    text = console.export_text()
    (row,) = [line for line in text.splitlines() if "Sealed by" in line]
    assert row.split()[0] == "Seal" and EN in " ".join(row.split())
