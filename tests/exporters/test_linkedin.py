"""``plecak export linkedin``: LinkedIn's add-to-profile address, filled from the credential."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from exporters.linkedin import ADD_TO_PROFILE, LinkedInExporter
from tests.exporters.support import Portfolio
from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run
from wallet.errors import ExportError


def _query(url: bytes) -> dict[str, str]:
    text = url.decode().strip()
    assert text.startswith(ADD_TO_PROFILE + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(text).query).items()}


def test_a_hosted_badge_links_to_its_assertion(portfolio: Portfolio) -> None:
    query = _query(LinkedInExporter().export(portfolio.request(["ob2hosted"])))
    credential = portfolio.credentials["ob2hosted"]
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Awesome Robotics Badge"  # from the BadgeClass the wallet fetched
    assert query["organizationName"] == "An Example Badge Issuer"
    issued = credential.issued or credential.valid_from
    assert issued is not None
    assert (query["issueYear"], query["issueMonth"]) == (str(issued.year), str(issued.month))
    assert query["certUrl"] == credential.credential_id == query["certId"]


def test_a_credential_without_a_public_address_gives_only_its_id(portfolio: Portfolio) -> None:
    query = _query(LinkedInExporter().export(portfolio.request(["ob3di"])))
    assert "certUrl" not in query
    assert query["certId"] == portfolio.credentials["ob3di"].credential_id
    assert query["name"] == portfolio.credentials["ob3di"].title


def test_more_than_one_credential_is_refused(portfolio: Portfolio) -> None:
    with pytest.raises(ExportError):
        LinkedInExporter().export(portfolio.request(["ob2hosted", "ob3di"]))


def test_the_cli_prints_and_opens_the_address(
    tmp_path: Path,
    conformance_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli_env(monkeypatch)
    opened: list[str] = []

    def open_in_browser(url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr("webbrowser.open", open_in_browser)
    home = str(tmp_path / "home")
    assert _run(capsys, "--home", home, "init")[0] == 0
    source = conformance_dir / "ob3" / "generated" / "v2-eddsa-valid.json"
    if not source.is_file():
        pytest.skip("corpus file moved")
    assert _run(capsys, "--home", home, "import", str(source))[0] in (0, 1)
    code, out, _err = _run(capsys, "--home", home, "list", "--json")
    wallet_id = json.loads(out.splitlines()[0])["id"]
    code, out, err = _run(capsys, "--home", home, "export", "linkedin", wallet_id, "--open")
    assert code == 0, err
    assert out.strip().startswith(ADD_TO_PROFILE) and opened == [out.strip()]
    code, out, err = _run(capsys, "--home", home, "export", "pdf", wallet_id)
    assert code == 2 and "-o" in err
