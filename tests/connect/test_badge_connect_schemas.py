"""Every Badge Connect request and response of a connect + sync validates against the published
OpenAPI document and JSON Schemas in ../shared/specs/badge-connect-2.1 (read, never copied).

One published file, the getAssertions 200 schema, is not valid JSON (a trailing comma); its
content is the same as the OpenAPI document's ``AssertionsResponseDType``, which is used instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import jsonschema
import pytest

from tests.connect.conftest import run
from wallet.connect.service import ConnectService
from wallet.demo.host import BC_BASE, EarningHost

SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs" / "badge-connect-2.1"
PREFIX = "imsob_v2p1v2p1-"


def openapi() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads((SPECS / "imsob_v2p1.json").read_text()))


def component(name: str) -> jsonschema.Draft7Validator:
    document = openapi()
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft7Validator(schema)


def published(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SPECS / f"{PREFIX}{name}").read_text()))


def query_schema(path: str) -> dict[str, Any]:
    parameters = openapi()["paths"][path]["get"].get("parameters", [])
    return {p["name"]: p["schema"] for p in parameters if p["in"] == "query"}


@pytest.fixture(scope="module", autouse=True)
def _specs_present() -> None:
    if not (SPECS / "imsob_v2p1.json").is_file():
        pytest.fail(f"{SPECS} is missing: the tests need ../shared/specs")


def test_connect_and_sync_speak_badge_connect_as_published(
    connect_service: ConnectService, host: EarningHost
) -> None:
    host.protocols = ("badge-connect",)
    run(connect_service.connect(host.base, "academy"))
    (result,) = run(connect_service.sync("academy"))
    assert [o.state for o in result.outcomes] == ["stored"] * 3
    run(connect_service.sync("academy"))  # a second sync sends ``since``

    seen: dict[str, int] = {}
    params = query_schema("/assertions")
    for request, (status, headers, body) in host.answers:
        if request.path == "/.well-known/badgeconnect.json":
            published("getmanifest-200-responsepayload-schemav1p0.json").validate(json.loads(body))
        elif request.path == BC_BASE + "/assertions":
            assert request.method == "GET"
            assert request.headers["authorization"].startswith("Bearer ")
            assert set(request.query) <= set(params)
            for name, value in request.query.items():
                typed: object = int(value) if params[name]["type"] == "integer" else value
                jsonschema.Draft7Validator(
                    params[name], format_checker=jsonschema.FormatChecker()
                ).validate(typed)
            assert status == 200
            assert headers["X-Total-Count"].isdigit()
            component("AssertionsResponseDType").validate(json.loads(body))
        elif request.path == BC_BASE + "/profile":
            published("getprofile-200-responsepayload-schemav1p0.json").validate(json.loads(body))
        else:
            continue
        seen[request.path] = seen.get(request.path, 0) + 1
    assert seen == {
        "/.well-known/badgeconnect.json": 1,
        BC_BASE + "/profile": 1,
        BC_BASE + "/assertions": 2,
    }


def test_the_scopes_asked_are_the_least_badge_connect_needs(
    connect_service: ConnectService, host: EarningHost
) -> None:
    host.protocols = ("badge-connect",)
    connection = run(connect_service.connect(host.base, "academy"))
    security = openapi()["paths"]["/assertions"]["get"]["security"][0]["OAuth2ACG"]
    assert connection.profile.scopes[0] in security
    assert all(scope.endswith(".readonly") for scope in connection.profile.scopes)
    authorize = next(r for r in host.log if r.path == "/oauth/authorize")
    assert authorize.query["code_challenge_method"] == "S256"
    assert set(authorize.query["scope"].split()) == set(connection.profile.scopes)


def test_the_registration_asks_for_a_native_client_with_one_exact_loopback_redirect(
    connect_service: ConnectService, host: EarningHost
) -> None:
    connection = run(connect_service.connect(host.base, "academy"))
    (request,) = [r for r in host.log if r.path == "/oauth/register"]
    body = json.loads(request.body)
    assert body["redirect_uris"] == [connection.client.redirect_uri]
    assert body["redirect_uris"][0].startswith("http://127.0.0.1:")
    assert body["grant_types"] == ["authorization_code", "refresh_token"]
    assert body["response_types"] == ["code"]
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert body["scope"].split() == list(connection.profile.scopes)
    (authorize,) = [r for r in host.log if r.path == "/oauth/authorize"]
    assert authorize.query["redirect_uri"] == connection.client.redirect_uri
    (token,) = [r for r in host.log if r.path == "/oauth/token"]
    assert token.headers["authorization"].startswith("Basic ")
    assert b"code_verifier=" in token.body and b"client_secret" not in token.body
