"""The OAuth pieces on their own: the loopback redirect, registration and token checks, discovery
of hosts that say something else than they should."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest

from tests.conftest import FIXED_NOW
from tests.connect.conftest import Browser, run
from wallet.connect import oauth
from wallet.connect.service import ConnectService
from wallet.demo.host import OB3_BASE, EarningHost, Request
from wallet.errors import BlockedURL, HostError, UsageError


def get(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False, timeout=5)


def test_the_redirect_listener_takes_only_its_path_and_state() -> None:
    async def scenario() -> dict[str, str]:
        with oauth.LoopbackRedirect() as redirect:
            redirect.expected_state = "s3cret-state"
            base = redirect.redirect_uri
            assert base.startswith("http://127.0.0.1:") and base.endswith("/callback")
            wrong_path = await asyncio.to_thread(
                get, base.replace("/callback", "/other?state=s3cret-state&code=1")
            )
            wrong_state = await asyncio.to_thread(get, base + "?state=guess&code=1")
            assert (wrong_path.status_code, wrong_state.status_code) == (400, 400)
            right = await asyncio.to_thread(get, base + "?state=s3cret-state&code=the-code")
            assert right.status_code == 200
            assert "close this window" in right.text
            return await redirect.wait(5)

    assert run(scenario()) == {"state": "s3cret-state", "code": "the-code"}


def test_no_answer_from_the_browser_is_a_clear_error() -> None:
    async def scenario() -> None:
        with oauth.LoopbackRedirect() as redirect:
            redirect.expected_state = "x"
            await redirect.wait(0.05)

    with pytest.raises(UsageError, match="No answer came from the browser"):
        run(scenario())


def test_pkce_is_s256_of_a_long_verifier() -> None:
    import base64
    import hashlib

    pkce = oauth.Pkce.fresh()
    assert 43 <= len(pkce.verifier) <= 128
    digest = hashlib.sha256(pkce.verifier.encode()).digest()
    assert pkce.challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert pkce.verifier not in repr(pkce)


def test_tokens_and_secrets_stay_out_of_repr() -> None:
    tokens = oauth.Tokens("access-123", "refresh-456", FIXED_NOW, "scope")
    client = oauth.Client("id", "secret-789", "http://127.0.0.1:1/callback")
    assert not {"access-123", "refresh-456"} & set(repr(tokens).split("'"))
    assert "secret-789" not in repr(client)


def test_a_refused_authorization_is_reported(
    connect_service: ConnectService, host: EarningHost
) -> None:
    def refuse(request: Request) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import urlencode

        query = {"error": "access_denied", "state": request.query["state"]}
        return 302, {"Location": request.query["redirect_uri"] + "?" + urlencode(query)}, b""

    host.overrides["/oauth/authorize"] = refuse
    with pytest.raises(HostError, match=r"refused \(access_denied\)"):
        run(connect_service.connect(host.base))
    assert connect_service.list() == []


def test_a_registration_with_other_redirect_uris_is_refused(
    connect_service: ConnectService, host: EarningHost
) -> None:
    original = host.answer

    def tamper(request: Request) -> tuple[int, dict[str, str], bytes]:
        host.overrides.pop("/oauth/register")
        status, headers, body = original(request)
        data = json.loads(body)
        data["redirect_uris"] = ["http://127.0.0.1:1/elsewhere"]
        return status, headers, json.dumps(data).encode()

    host.overrides["/oauth/register"] = tamper
    with pytest.raises(HostError, match="other redirect addresses"):
        run(connect_service.connect(host.base))


def test_a_token_without_the_read_scope_is_refused(
    connect_service: ConnectService, host: EarningHost
) -> None:
    original = host.answer

    def narrow(request: Request) -> tuple[int, dict[str, str], bytes]:
        host.overrides.pop("/oauth/token")
        status, headers, body = original(request)
        data = json.loads(body)
        data["scope"] = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
        return status, headers, json.dumps(data).encode()

    host.overrides["/oauth/token"] = narrow
    with pytest.raises(HostError, match="permission to read your credentials"):
        run(connect_service.connect(host.base))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"not": "openapi"}, "not an OpenAPI document"),
        ({"openapi": "3.0.1", "servers": []}, "no servers entry"),
        (
            {"openapi": "3.0.1", "servers": [{"url": "/api"}], "components": {}},
            "no OAuth 2.0 authorization code scheme",
        ),
    ],
    ids=["not-openapi", "no-servers", "no-oauth-scheme"],
)
def test_an_unusable_service_description_is_a_clear_error(
    connect_service: ConnectService, host: EarningHost, document: object, message: str
) -> None:
    body = json.dumps(document).encode()
    host.overrides[OB3_BASE + "/discovery"] = lambda r: (
        200,
        {"Content-Type": "application/json"},
        body,
    )
    with pytest.raises(HostError, match=message):
        run(connect_service.connect(host.base))


def test_plain_http_endpoints_of_a_public_host_are_refused(
    connect_service: ConnectService, host: EarningHost
) -> None:
    document = host.service_description()
    flows = document["components"]["securitySchemes"]["OAuth2ACG"]["flows"]
    flows["authorizationCode"]["tokenUrl"] = "http://tokens.example.org/token"
    body = json.dumps(document).encode()
    host.overrides[OB3_BASE + "/discovery"] = lambda r: (
        200,
        {"Content-Type": "application/json"},
        body,
    )
    with pytest.raises(BlockedURL, match="must use https"):
        run(connect_service.connect(host.base))


def test_a_host_offering_neither_protocol_says_so(
    connect_service: ConnectService, host: EarningHost
) -> None:
    host.protocols = ()
    with pytest.raises(HostError, match=r"neither the Open Badges 3\.0 API nor Badge Connect"):
        run(connect_service.connect(host.base))


def test_an_expired_token_is_refreshed_before_the_request(
    connect_service: ConnectService, host: EarningHost
) -> None:
    connection = run(connect_service.connect(host.base, "academy"))
    assert connection.tokens.expires_at == FIXED_NOW + timedelta(hours=1)
    clock = connect_service.service.clock
    connect_service.service.clock = lambda: clock() + timedelta(hours=2)
    refreshes = sum(1 for r in host.log if r.path == "/oauth/token")
    run(connect_service.sync("academy"))
    assert sum(1 for r in host.log if r.path == "/oauth/token") == refreshes + 1
    credential_requests = [r for r in host.log if r.path == OB3_BASE + "/credentials"]
    assert len(credential_requests) == 1  # no 401 round trip: refreshed first


def test_secrets_never_reach_the_output(
    home: object, host: EarningHost, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.cli import run_cli

    assert run_cli(capsys, "init")[0] == 0
    seen = ""
    for args in (
        ("--debug", "connect", host.base, "--json"),
        ("--debug", "sync", "--json"),
        ("connection", "list", "--json"),
        ("connection", "list"),
        ("disconnect", "127-0-0-1", "--yes"),
    ):
        code, out, err = run_cli(capsys, *args)
        assert code == 0, err
        seen += out + err
    secrets = [*host.state.revoked]
    secrets += [c["client_secret"] for c in host.state.clients.values()]
    assert secrets
    for secret in secrets:
        assert secret not in seen
