"""``plecak receive``: the authorization code flow, SD-JWT VCs bound to the wallet's key, deferred
issuance and QR-code images, against the loopback demo issuer (tests/connect/vci_more.py)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import segno

from tests.connect.conftest import Browser, Sleeps, run
from tests.connect.test_receive import lines, part
from tests.connect.vci_more import SDJWT_CONFIG, MoreVci
from tests.support.cli import run_cli
from wallet.connect.service import ConnectService
from wallet.demo.host import EarningHost


@pytest.fixture
def wallet_home(home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "init")[0] == 0
    return home


def credential_requests(host: EarningHost) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in host.log if r.path == "/oid4vci/credential"]


def test_authorization_code_flow_with_pkce_and_issuer_state(
    wallet_home: Path,
    more: MoreVci,
    host: EarningHost,
    browser: Browser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    offer = more.offer(["Signed-in Badge"])
    state = next(iter(more.states))
    code, out, err = run_cli(capsys, "receive", offer, "--json")
    assert code == 0, err
    assert [(i["state"], i["status"]) for i in lines(out)] == [("stored", "valid")]
    (asked,) = more.authorize_requests
    assert asked["issuer_state"] == state
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert asked["redirect_uri"].startswith("http://127.0.0.1:")
    assert asked["redirect_uri"].endswith("/callback")
    assert json.loads(asked["authorization_details"]) == [
        {"type": "openid_credential", "credential_configuration_id": "OpenBadgeCredential_jwt"}
    ]
    token = next(r for r in host.log if r.path == "/oid4vci/token")
    form = {k: v[0] for k, v in parse_qs(token.body.decode()).items()}
    assert form["grant_type"] == "authorization_code" and len(form["code_verifier"]) == 64
    assert form["redirect_uri"] == asked["redirect_uri"]
    (request,) = credential_requests(host)
    (proof,) = request["proofs"]["jwt"]  # type: ignore[index]
    assert json.loads(part(proof, 1))["iss"] == "plecak"  # the client, not anonymous
    assert "Opening your browser" in err
    assert form["code"] not in err + out and form["code_verifier"] not in err + out


def test_an_offer_without_grants_means_the_authorization_code_flow(
    wallet_home: Path, more: MoreVci, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "receive", more.offer(["X"], grants=False), "--json")
    assert code == 0, err
    assert [i["state"] for i in lines(out)] == ["stored"]
    assert "issuer_state" not in more.authorize_requests[0]


def test_a_refused_sign_in_is_a_clear_error_and_nothing_is_stored(
    wallet_home: Path,
    more: MoreVci,
    host: EarningHost,
    browser: Browser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse(request):  # type: ignore[no-untyped-def]
        redirect = request.query["redirect_uri"]
        state = request.query["state"]
        return 302, {"Location": f"{redirect}?error=access_denied&state={state}"}, b""

    host.routes[("GET", "/oid4vci/authorize")] = refuse
    code, _out, err = run_cli(capsys, "receive", more.offer(["X"]))
    assert code != 0
    assert "authorization was refused (access_denied)" in err
    assert "Traceback" not in err
    assert run_cli(capsys, "list", "--json")[1].strip() in ("", "[]")


def test_an_authorization_endpoint_off_https_is_refused(
    wallet_home: Path, more: MoreVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    def plain_http(request):  # type: ignore[no-untyped-def]
        status, headers, body = more.server_metadata(request)
        data = json.loads(body)
        data["authorization_endpoint"] = "http://issuer.example/authorize"
        return status, headers, json.dumps(data).encode()

    host.routes[("GET", "/.well-known/oauth-authorization-server")] = plain_http
    code, _out, err = run_cli(capsys, "receive", more.offer(["X"]))
    assert code != 0
    assert "authorization endpoint" in err and "Traceback" not in err


def test_the_authorization_answer_must_come_from_the_issuers_server(
    wallet_home: Path,
    more: MoreVci,
    host: EarningHost,
    browser: Browser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    more.answer_iss = host.base
    code, _out, err = run_cli(capsys, "receive", more.offer(["X"]))
    assert code == 0, err  # RFC 9207: the right iss is accepted
    more.answer_iss = "https://mix-up.example"
    code, _out, err = run_cli(capsys, "receive", more.offer(["X"]))
    assert code != 0
    assert "another authorization server (iss)" in err
    assert not [r for r in host.log if r.path == "/oid4vci/token"][1:]  # no second code exchange


def test_server_metadata_for_another_issuer_is_refused(
    wallet_home: Path, more: MoreVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    def other(request):  # type: ignore[no-untyped-def]
        status, headers, body = more.server_metadata(request)
        return status, headers, body.replace(host.base.encode(), b"https://other.example", 1)

    host.routes[("GET", "/.well-known/oauth-authorization-server")] = other
    code, _out, err = run_cli(capsys, "receive", more.vci.offer(["X"]))
    assert code != 0
    assert "metadata names another issuer" in err


def test_receive_a_dc_sd_jwt_bound_to_the_wallets_key(
    wallet_home: Path, more: MoreVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = more.vci.offer(["SD Badge"], config=SDJWT_CONFIG)
    code, out, err = run_cli(capsys, "receive", offer, "--json")
    assert code == 0, err
    (item,) = lines(out)
    assert (item["state"], item["format"]) == ("stored", "sd-jwt-vc")
    assert item["status"] == "valid"
    (request,) = credential_requests(host)
    (proof,) = request["proofs"]["jwt"]  # type: ignore[index]
    header = json.loads(part(proof, 0))
    assert header["alg"] == "ES256"
    (token,) = more.vci.issued
    cnf = json.loads(part(str(token).split("~")[0], 1))["cnf"]["jwk"]
    did_jwk = json.loads(part("x." + header["kid"].split("#")[0][len("did:jwk:") :], 1))
    assert (cnf["x"], cnf["y"]) == (did_jwk["x"], did_jwk["y"])


def test_an_sd_jwt_bound_to_another_key_is_refused(
    wallet_home: Path, more: MoreVci, capsys: pytest.CaptureFixture[str]
) -> None:
    more.bind_to_other_key = True
    offer = more.vci.offer(["SD Badge"], config=SDJWT_CONFIG)
    code, out, _err = run_cli(capsys, "receive", offer, "--json")
    assert code == 1
    (item,) = lines(out)
    assert item["state"] == "failed"
    assert "bound to another key" in out
    assert run_cli(capsys, "list", "--json")[1].strip() in ("", "[]")


def test_deferred_issuance_is_kept_and_resumed(
    wallet_home: Path, more: MoreVci, host: EarningHost, capsys: pytest.CaptureFixture[str]
) -> None:
    more.defer, more.interval = True, 0
    code, out, err = run_cli(capsys, "receive", more.vci.offer(["Later Badge"]), "--json")
    assert code == 0, err
    (item,) = lines(out)
    assert item["state"] == "pending" and "plecak receive --resume" in err
    code, out, err = run_cli(capsys, "receive", "--resume", "--json")  # not ready yet
    assert code == 0, err
    assert [i["state"] for i in lines(out)] == ["pending"]
    more.ready = True
    code, out, err = run_cli(capsys, "receive", "--resume", "--json")
    assert code == 0, err
    assert [(i["state"], i["status"]) for i in lines(out)] == [("stored", "valid")]
    assert "Received 1, failed 0." in err
    (access,) = {t for t, _c in more.transactions.values()} or {""}
    assert access == ""  # delivered once, the transaction is gone
    code, _out, err = run_cli(capsys, "receive", "--resume")
    assert code == 2 and "No credential is waiting" in err
    for request in host.log:
        if request.path == "/oid4vci/deferred":
            assert request.headers["authorization"].startswith("Bearer ")


def test_resume_waits_the_interval_with_the_injected_sleeper(
    connect_service: ConnectService, more: MoreVci, sleeps: Sleeps
) -> None:
    more.defer = True
    pending: list[object] = []
    outcomes = run(
        connect_service.receive(
            more.vci.offer(["Later"]), tx_code=lambda _spec: "", on_pending=pending.append
        )
    )
    assert outcomes == [] and len(pending) == 1
    more.ready = True
    outcomes = run(connect_service.resume())
    assert sleeps.waited == [5.0]  # the fixed clock: exactly the issuer's interval
    assert [o.state for o in outcomes] == ["stored"]
    assert connect_service.pending() == []


def test_resume_leaves_what_is_due_much_later(
    connect_service: ConnectService, more: MoreVci, sleeps: Sleeps
) -> None:
    more.defer, more.interval = True, 3600
    run(connect_service.receive(more.vci.offer(["Later"]), tx_code=lambda _spec: ""))
    waiting: list[object] = []
    assert run(connect_service.resume(on_pending=waiting.append)) == []
    assert sleeps.waited == [] and len(waiting) == 1
    assert len(connect_service.pending()) == 1
    assert not [r for r in more.host.log if r.path == "/oid4vci/deferred"]


def test_a_forgotten_transaction_is_reported_and_dropped(
    connect_service: ConnectService, more: MoreVci
) -> None:
    more.defer, more.interval = True, 0
    run(connect_service.receive(more.vci.offer(["Later"]), tx_code=lambda _spec: ""))
    more.transactions.clear()  # the issuer lost it
    (outcome,) = run(connect_service.resume())
    assert outcome.state == "failed" and outcome.error is not None
    assert "no longer has it waiting" in outcome.error.user_message()
    assert connect_service.pending() == []


def test_a_hostile_deferred_endpoint_is_an_error_and_the_credential_still_waits(
    connect_service: ConnectService, more: MoreVci, host: EarningHost
) -> None:
    more.defer, more.interval = True, 0
    run(connect_service.receive(more.vci.offer(["Later"]), tx_code=lambda _spec: ""))
    host.overrides["/oid4vci/deferred"] = lambda _request: (200, {}, b"{not json")
    (outcome,) = run(connect_service.resume())
    assert outcome.state == "failed" and outcome.error is not None
    assert "not valid JSON" in outcome.error.user_message()
    assert len(connect_service.pending()) == 1  # nothing half-done: it is asked again next time
    del host.overrides["/oid4vci/deferred"]
    more.ready = True
    assert [o.state for o in run(connect_service.resume())] == ["stored"]


def test_receive_an_offer_from_a_qr_code_image(
    wallet_home: Path, more: MoreVci, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "offer.png"
    segno.make(more.vci.offer(["QR Badge"], by_reference=True), error="m").save(
        str(image), kind="png", scale=4
    )
    code, out, err = run_cli(capsys, "receive", str(image), "--json")
    assert code == 0, err
    assert [i["state"] for i in lines(out)] == ["stored"]


def test_images_that_hold_no_offer_are_clear_errors(
    wallet_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import png

    blank = tmp_path / "blank.png"
    png.from_array([[255] * 64] * 64, "L").save(str(blank))
    huge = tmp_path / "huge.png"  # a few kB that would inflate to 100 million pixels
    writer = png.Writer(10000, 10000, greyscale=True)
    with huge.open("wb") as handle:
        writer.write(handle, ([255] * 10000 for _ in range(10000)))
    jpeg = tmp_path / "offer.jpg"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    for path, reason in (
        (blank, "no readable QR code"),
        (huge, "10000×10000 pixels"),
        (jpeg, "only PNG"),
    ):
        code, _out, err = run_cli(capsys, "receive", str(path))
        assert code == 2, err
        assert reason in err and "Traceback" not in err
