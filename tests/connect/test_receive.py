"""``plecak receive``: OpenID4VCI 1.0 pre-authorized flow against the demo issuer on loopback."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.support.cli import run_cli
from wallet.codecs import holder
from wallet.demo.host import EarningHost
from wallet.demo.vci import ES256_CONFIG, LDP_CONFIG, DemoVci, add_issuer


def part(jwt: str, index: int) -> bytes:
    text = jwt.split(".")[index]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def vci(host: EarningHost) -> DemoVci:
    return add_issuer(host, FIXED_NOW)


@pytest.fixture
def wallet_home(home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "init")[0] == 0
    return home


def test_receive_by_value_stores_a_valid_bound_credential(
    wallet_home: Path, vci: DemoVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = vci.offer(["Open Science Badge"])
    code, out, err = run_cli(capsys, "receive", offer, "--json")
    assert code == 0, err
    (item,) = lines(out)
    assert item["state"] == "stored"
    assert item["status"] == "valid"
    assert item["title"] == "Open Science Badge"
    assert "Received 1, failed 0." in err
    (token,) = vci.issued
    assert isinstance(token, str)  # the JWT configuration issues a compact VC-JWT
    (request,) = [r for r in host.log if r.path == "/oid4vci/credential"]
    body = json.loads(request.body)
    assert body["credential_configuration_id"] == "OpenBadgeCredential_jwt"
    (proof,) = body["proofs"]["jwt"]
    header, claims = (json.loads(part(proof, i)) for i in (0, 1))
    assert header["typ"] == "openid4vci-proof+jwt"
    assert claims["aud"] == host.base and "iss" not in claims  # anonymous pre-authorized access
    did = header["kid"].split("#")[0]
    holder.public_key_from_did_key(did)  # a did:key the wallet holds
    assert json.loads(part(token, 1))["credentialSubject"]["id"] == did  # bound to it


def test_receive_with_a_transaction_code_by_reference(
    wallet_home: Path, vci: DemoVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = vci.offer(["Data Stewardship"], tx_code="493536", by_reference=True)
    code, out, err = run_cli(capsys, "receive", offer, "--tx-code", "493536", "--json")
    assert code == 0, err
    assert [item["state"] for item in lines(out)] == ["stored"]
    token_request = next(r for r in host.log if r.path == "/oid4vci/token")
    assert b"tx_code=493536" in token_request.body


def test_a_wrong_transaction_code_is_a_clear_error(
    wallet_home: Path, vci: DemoVci, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = vci.offer(["Data Stewardship"], tx_code="493536")
    code, _out, err = run_cli(capsys, "receive", offer, "--tx-code", "111111")
    assert code == 2
    assert "refused the offer (invalid_grant)" in err
    assert "Traceback" not in err
    code, _out, err = run_cli(
        capsys, "receive", vci.offer(["X"], tx_code="1234"), "--tx-code", "12a4"
    )
    assert code == 2
    assert "digits only" in err


def test_a_transaction_code_is_asked_for_and_scripts_are_told_how(
    wallet_home: Path, vci: DemoVci, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(capsys, "receive", vci.offer(["X"], tx_code="1234"))
    assert code == 2
    assert "--tx-code" in err


def test_a_stale_nonce_is_retried_once(
    wallet_home: Path, vci: DemoVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    original = vci.nonce
    calls: list[int] = []

    def forgetful(request):  # type: ignore[no-untyped-def]
        calls.append(1)
        answer = original(request)
        if len(calls) == 1:
            vci.nonces.clear()  # the issuer restarted: the first nonce is no longer known
        return answer

    host.routes[("POST", "/oid4vci/nonce")] = forgetful
    code, _out, err = run_cli(capsys, "receive", vci.offer(["Retry Badge"]), "--json")
    assert code == 0, err
    assert len(calls) == 2


def test_an_offer_for_another_issuer_is_refused(
    wallet_home: Path, vci: DemoVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = {
        "credential_issuer": host.base + "/other",
        "credential_configuration_ids": ["OpenBadgeCredential_jwt"],
        "grants": {
            "urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "x"}
        },
    }
    host.routes[("GET", "/.well-known/openid-credential-issuer/other")] = vci.metadata
    code, _out, err = run_cli(capsys, "receive", json.dumps(offer))
    assert code == 2
    assert "another issuer" in err


def test_an_offer_with_no_known_grant_says_so(
    wallet_home: Path, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = {
        "credential_issuer": host.base,
        "credential_configuration_ids": ["x"],
        "grants": {"urn:example:grant": {}},
    }
    code, _out, err = run_cli(capsys, "receive", json.dumps(offer))
    assert code == 2
    assert "offers no grant plecak knows" in err


def test_receive_an_ldp_vc_data_integrity_credential(
    wallet_home: Path, vci: DemoVci, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = vci.offer(["Linked Data Badge"], config=LDP_CONFIG)
    code, out, err = run_cli(capsys, "receive", offer, "--json")
    assert code == 0, err
    (item,) = lines(out)
    assert (item["state"], item["status"], item["format"]) == (
        "stored",
        "valid",
        "ob3-data-integrity",
    )
    (document,) = vci.issued
    assert isinstance(document, dict) and document["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def test_an_es256_only_issuer_gets_a_proof_by_the_wallets_did_jwk(
    wallet_home: Path, vci: DemoVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    for _attempt in range(2):  # the P-256 key is made once, then kept
        code, out, err = run_cli(
            capsys, "receive", vci.offer(["EU Wallet Badge"], config=ES256_CONFIG), "--json"
        )
        assert code == 0, err
        assert [i["status"] for i in lines(out)] == ["valid"]
    requests = [r for r in host.log if r.path == "/oid4vci/credential"]
    kids = set()
    for request in requests:
        (proof,) = json.loads(request.body)["proofs"]["jwt"]
        header = json.loads(part(proof, 0))
        assert header["alg"] == "ES256" and header["kid"].startswith("did:jwk:")
        kids.add(header["kid"])
    assert len(kids) == 1
    subject = json.loads(part(vci.issued[-1], 1))["credentialSubject"]["id"]  # type: ignore[arg-type]
    assert subject == next(iter(kids)).split("#")[0]
