"""Interop with software nobody here wrote: an OpenID4VCI 1.0 issuer built on the oid4vc-ts
libraries (@openid4vc/openid4vci, @openid4vc/oauth2, @openid4vc/utils 0.4.6, pinned in
tests/interop/node/package-lock.json), behind our small glue server (tests/interop/node/issuer.mjs)
on 127.0.0.1.  plecak receives with the pre-authorized code flow, with and without a transaction
code, by value and by reference, and with the authorization code flow (PKCE S256, issuer_state,
the library checking the code and the verifier), and verifies what it got.

.ci/run installs the packages (``npm ci``); locally the test skips, saying how, when they are not
installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.cli import cli_env, run_cli

NODE_DIR = Path(__file__).resolve().parent / "node"
LIBRARY = NODE_DIR / "node_modules" / "@openid4vc" / "openid4vci" / "package.json"


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class NodeIssuer:
    def __init__(self, process: subprocess.Popen[str], base: str) -> None:
        self.process = process
        self.base = base

    def offer(
        self,
        *,
        tx_code: bool = False,
        by_reference: bool = False,
        es256: bool = False,
        authorization_code: bool = False,
    ) -> tuple[str, str | None]:
        options = {
            "tx_code": tx_code,
            "by_reference": by_reference,
            "es256": es256,
            "authorization_code": authorization_code,
        }
        answer = httpx.post(self.base + "/_test/offer", json=options, trust_env=False)
        data = answer.json()
        return data["offer"], data.get("tx_code")

    def issued(self) -> list[str]:
        return list(httpx.post(self.base + "/_test/issued", trust_env=False).json()["issued"])


@pytest.fixture(scope="module")
def node_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeIssuer]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (.ci/run needs Node.js for the OpenID4VCI interop test)")
    if not LIBRARY.is_file():
        pytest.skip(
            "the oid4vc-ts issuer libraries are not installed: "
            "run 'npm ci --prefix tests/interop/node' (.ci/run does)"
        )
    log = tmp_path_factory.mktemp("node-issuer") / "stderr.txt"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [node, str(NODE_DIR / "issuer.mjs")],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first:
            pytest.fail("the node issuer did not start: " + log.read_text()[-2000:])
        yield NodeIssuer(process, json.loads(first)["base"])
    finally:
        if process.stdin is not None:
            process.stdin.close()  # the glue stops at EOF
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def wallet_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    contexts_dir: Path,
) -> Path:
    home = tmp_path / "wallet"
    monkeypatch.setenv("PLECAK_HOME", str(home))
    cli_env(monkeypatch)
    monkeypatch.delenv("PLECAK_OFFLINE")
    monkeypatch.setenv("PLECAK_ALLOW_LOOPBACK", "1")
    assert run_cli(capsys, "init")[0] == 0
    return home


@pytest.mark.parametrize(
    ("tx_code", "by_reference", "es256"),
    [
        (False, False, False),
        (True, False, False),
        (False, True, False),
        (True, True, False),
        (True, False, True),
    ],
    ids=["plain", "tx-code", "by-reference", "tx-code-by-reference", "tx-code-es256-did-jwk"],
)
def test_receive_from_the_oid4vc_ts_issuer_and_verify(
    node_issuer: NodeIssuer,
    wallet_home: Path,
    capsys: pytest.CaptureFixture[str],
    tx_code: bool,
    by_reference: bool,
    es256: bool,
) -> None:
    offer, code = node_issuer.offer(tx_code=tx_code, by_reference=by_reference, es256=es256)
    assert ("credential_offer_uri=" in offer) is by_reference
    args = ["receive", offer, "--json"] + (["--tx-code", code] if code else [])
    exit_code, out, err = run_cli(capsys, *args)
    assert exit_code == 0, err
    (item,) = lines(out)
    assert item["state"] == "stored"
    assert item["format"] == "ob3-vc-jwt"
    assert item["status"] == "valid", item
    assert item["title"] == "Interoperability Badge"
    checks = item["checks"]
    assert isinstance(checks, list)
    assert any(check["id"] == "proof" and check["status"] == "pass" for check in checks)
    # What was stored is exactly what the issuer signed.
    stored = run_cli(
        capsys, "export", "json", str(item["id"]), "-o", str(wallet_home.parent / "x.json")
    )
    assert stored[0] == 0
    assert (wallet_home.parent / "x.json").read_text().strip() in node_issuer.issued()


def test_a_wrong_transaction_code_is_refused_by_the_library(
    node_issuer: NodeIssuer, wallet_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    offer, code = node_issuer.offer(tx_code=True)
    assert code is not None
    wrong = str((int(code) + 1) % 1_000_000).zfill(len(code))
    exit_code, _out, err = run_cli(capsys, "receive", offer, "--tx-code", wrong)
    assert exit_code == 2
    assert "refused the offer" in err
    # The code was single use: the right code no longer works either.
    exit_code, _out, err = run_cli(capsys, "receive", offer, "--tx-code", code)
    assert exit_code == 2


@pytest.mark.parametrize("es256", [False, True], ids=["eddsa-did-key", "es256-did-jwk"])
def test_receive_with_the_authorization_code_flow(
    node_issuer: NodeIssuer,
    wallet_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    es256: bool,
) -> None:
    from tests.connect.conftest import Browser

    browser = Browser()
    monkeypatch.setattr("wallet.connect.oauth.open_system_browser", browser)
    offer, _code = node_issuer.offer(authorization_code=True, es256=es256)
    exit_code, out, err = run_cli(capsys, "receive", offer, "--json")
    assert exit_code == 0, err
    (item,) = lines(out)
    assert (item["state"], item["status"]) == ("stored", "valid"), item
    (opened,) = browser.opened
    assert "issuer_state=" in opened and "code_challenge_method=S256" in opened
    assert browser.final[0].status_code == 200  # the wallet's loopback page after the 302
    stored = run_cli(
        capsys, "export", "json", str(item["id"]), "-o", str(wallet_home.parent / "x.json")
    )
    assert stored[0] == 0
    assert (wallet_home.parent / "x.json").read_text().strip() in node_issuer.issued()
