"""The demo *earning platform*: a host on 127.0.0.1 that speaks the OB 3.0 API, Badge Connect and
an OAuth 2.0 authorization server, so ``plecak demo`` (and the tests) can show a real connect/sync.

What it implements, each as the specifications say a host must:

* discovery: ``/ims/ob/v3p0/discovery`` (an OpenAPI service description with
  ``x-imssf-registrationUrl``) and ``/.well-known/badgeconnect.json`` (a Badge Connect manifest);
* ``POST /oauth/register`` (RFC 7591; one loopback ``http`` redirect URI), ``GET /oauth/authorize``
  (auto-approves: the learner is "signed in" at the demo; checks client, exact redirect URI, scope
  and the S256 challenge, answers a 302 with ``code`` and ``state``), ``POST /oauth/token``
  (``client_secret_basic``; single-use codes bound to client, redirect URI and PKCE verifier;
  refresh), ``POST /oauth/revoke`` (RFC 7009);
* ``GET /ims/ob/v3p0/credentials`` and ``GET /bc/v2p1/assertions`` with ``limit``, ``offset``,
  ``since``, ``X-Total-Count`` and ``Link``; ``/profile`` for both.

``overrides`` maps a path to a handler returning ``(status, headers, body)``, which is how tests
make it hostile (huge pages, endless paging, redirect loops, bad JSON, Retry-After).  ``log``
keeps every request (method, path, headers, body) so tests can check them against the published
Badge Connect schemas.  It keeps everything in memory and listens on loopback only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

OB3_SCOPES = {
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly": "Read credentials",
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert": "Write credentials",
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly": "Read the profile",
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update": "Update the profile",
}
BC_SCOPES = [
    "https://purl.imsglobal.org/spec/ob/v2p1/scope/assertion.readonly",
    "https://purl.imsglobal.org/spec/ob/v2p1/scope/assertion.create",
    "https://purl.imsglobal.org/spec/ob/v2p1/scope/profile.readonly",
]
BC_BASE = "/bc/v2p1"
OB3_BASE = "/ims/ob/v3p0"
Answer = tuple[int, dict[str, str], bytes]
Override = Callable[["Request"], Answer]


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True)
class _Grant:
    client_id: str
    redirect_uri: str
    scope: str
    challenge: str


@dataclass(slots=True)
class HostState:
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, _Grant] = field(default_factory=dict)
    access: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    """access token -> (client id, scope, expiry as a timestamp)."""
    refresh: dict[str, tuple[str, str]] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _ok(value: Any, headers: dict[str, str] | None = None) -> Answer:
    return 200, {"Content-Type": "application/json", **(headers or {})}, _json(value)


def _error(status: int, code: str) -> Answer:
    return status, {"Content-Type": "application/json"}, _json({"error": code})


class EarningHost:
    """The demo host.  ``ob3`` / ``badge_connect`` are the items served (issued time, item)."""

    def __init__(
        self,
        *,
        name: str = "Plecak Demo Academy",
        learner: str = "Ala Kowalska",
        protocols: tuple[str, ...] = ("ob3", "badge-connect"),
        token_ttl: int = 3600,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.name = name
        self.learner = learner
        self.protocols = protocols
        self.token_ttl = token_ttl
        self.clock = clock
        self.ob3: list[tuple[datetime, str | dict[str, Any]]] = []
        self.badge_connect: list[tuple[datetime, str | dict[str, Any]]] = []
        self.documents: dict[str, tuple[str, bytes]] = {}
        self.overrides: dict[str, Override] = {}
        self.routes: dict[tuple[str, str], Override] = {}
        """Further (method, path) handlers: the OpenID4VCI issuer adds its endpoints here."""
        self.prefix_routes: dict[tuple[str, str], Override] = {}
        """Handlers for every path under a (method, prefix)."""
        self.log: list[Request] = []
        self.answers: list[tuple[Request, Answer]] = []
        """Every request with the answer it got (tests check both against the published schemas)."""
        self.state = HostState()
        self._lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 1024 * 1024)) if length else b""
                parts = urlsplit(self.path)
                request = Request(
                    method,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with host._lock:
                    host.log.append(request)
                status, headers, payload = host.answer(request)
                with host._lock:
                    host.answers.append((request, (status, headers, payload)))
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="plecak-demo-host",
            daemon=True,
        )

    # ------------------------------------------------------------------ lifecycle

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> EarningHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> EarningHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ routing

    def answer(self, request: Request) -> Answer:
        override = self.overrides.get(request.path)
        if override is not None:
            return override(request)
        route = self.routes.get((request.method, request.path))
        if route is not None:
            return route(request)
        for (method, prefix), handler in self.prefix_routes.items():
            if request.method == method and request.path.startswith(prefix):
                return handler(request)
        table: dict[tuple[str, str], Callable[[Request], Answer]] = {
            ("POST", "/oauth/register"): self._register,
            ("GET", "/oauth/authorize"): self._authorize,
            ("POST", "/oauth/token"): self._token,
            ("POST", "/oauth/revoke"): self._revoke,
            ("GET", OB3_BASE + "/credentials"): lambda r: self._page(r, "ob3"),
            ("GET", OB3_BASE + "/profile"): lambda r: self._profile(r, "ob3"),
            ("GET", BC_BASE + "/assertions"): lambda r: self._page(r, "badge-connect"),
            ("GET", BC_BASE + "/profile"): lambda r: self._profile(r, "badge-connect"),
        }
        if "ob3" in self.protocols:
            table["GET", OB3_BASE + "/discovery"] = lambda r: _ok(self.service_description())
        if "badge-connect" in self.protocols:
            table["GET", "/.well-known/badgeconnect.json"] = lambda r: _ok(self.manifest())
        found = table.get((request.method, request.path))
        if found is not None:
            return found(request)
        document = self.documents.get(request.path)
        if request.method == "GET" and document is not None:
            return 200, {"Content-Type": document[0]}, document[1]
        return 404, {"Content-Type": "text/plain"}, b"not found"

    # ------------------------------------------------------------------ discovery

    def service_description(self) -> dict[str, Any]:
        base = self.base
        return {
            "openapi": "3.0.1",
            "info": {
                "title": self.name,
                "version": "1.0",
                "termsOfService": base + "/terms",
                "x-imssf-privacyPolicyUrl": base + "/privacy",
            },
            "servers": [{"url": base + OB3_BASE, "description": "OB 3.0 API"}],
            "paths": {},
            "components": {
                "securitySchemes": {
                    "OAuth2ACG": {
                        "type": "oauth2",
                        "description": "OAuth 2.0 Authorization Code Grant authorization",
                        "x-imssf-name": self.name,
                        "x-imssf-privacyPolicyUrl": base + "/privacy",
                        "x-imssf-registrationUrl": base + "/oauth/register",
                        "x-imssf-termsOfServiceUrl": base + "/terms",
                        "flows": {
                            "authorizationCode": {
                                "tokenUrl": base + "/oauth/token",
                                "authorizationUrl": base + "/oauth/authorize",
                                "refreshUrl": base + "/oauth/token",
                                "x-imssf-revocationUrl": base + "/oauth/revoke",
                                "scopes": OB3_SCOPES,
                            }
                        },
                    }
                }
            },
        }

    def manifest(self) -> dict[str, Any]:
        base = self.base
        return {
            "id": base + "/.well-known/badgeconnect.json",
            "type": "Manifest",
            "badgeConnectAPI": [
                {
                    "type": "BadgeConnectAPI",
                    "id": base + "/bc",
                    "name": self.name,
                    "image": base + "/logo.png",
                    "apiBase": base + BC_BASE,
                    "version": "v1p0",
                    "termsOfServiceUrl": base + "/terms",
                    "privacyPolicyUrl": base + "/privacy",
                    "scopesOffered": BC_SCOPES,
                    "registrationUrl": base + "/oauth/register",
                    "authorizationUrl": base + "/oauth/authorize",
                    "tokenUrl": base + "/oauth/token",
                    "tokenRevocationUrl": base + "/oauth/revoke",
                }
            ],
        }

    # ------------------------------------------------------------------ OAuth

    def _register(self, request: Request) -> Answer:
        try:
            data = json.loads(request.body)
        except ValueError:
            return _error(400, "invalid_client_metadata")
        uris = data.get("redirect_uris") if isinstance(data, dict) else None
        if (
            not isinstance(uris, list)
            or len(uris) != 1
            or not str(uris[0]).startswith("http://127.0.0.1:")
        ):
            return _error(400, "invalid_redirect_uri")
        client_id = "client-" + secrets.token_hex(8)
        answer = {
            "client_id": client_id,
            "client_secret": secrets.token_urlsafe(24),
            "client_id_issued_at": int(self.clock().timestamp()),
            "client_secret_expires_at": 0,
            "client_name": data.get("client_name"),
            "redirect_uris": uris,
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "scope": data.get("scope", ""),
        }
        with self._lock:
            self.state.clients[client_id] = answer
        return 201, {"Content-Type": "application/json"}, _json(answer)

    def _authorize(self, request: Request) -> Answer:
        q = request.query
        client = self.state.clients.get(q.get("client_id", ""))
        if client is None or q.get("redirect_uri") not in client["redirect_uris"]:
            return 400, {"Content-Type": "text/plain"}, b"unknown client or redirect_uri"
        redirect = q["redirect_uri"]
        state = q.get("state", "")
        if (
            q.get("response_type") != "code"
            or q.get("code_challenge_method") != "S256"
            or not q.get("code_challenge")
        ):
            target = redirect + "?" + urlencode({"error": "invalid_request", "state": state})
            return 302, {"Location": target}, b""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.state.codes[code] = _Grant(
                client["client_id"], redirect, q.get("scope", ""), q["code_challenge"]
            )
        target = redirect + "?" + urlencode({"code": code, "state": state})
        return 302, {"Location": target, "Content-Type": "text/plain"}, b""

    def _client(self, request: Request) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            user, _sep, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        from urllib.parse import unquote_plus

        client = self.state.clients.get(unquote_plus(user))
        if client is None or not hmac.compare_digest(
            client["client_secret"], unquote_plus(password)
        ):
            return None
        return client

    def _token(self, request: Request) -> Answer:
        client = self._client(request)
        if client is None:
            return _error(401, "invalid_client")
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") == "authorization_code":
            with self._lock:
                grant = self.state.codes.pop(form.get("code", ""), None)  # single use
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if (
                grant is None
                or grant.client_id != client["client_id"]
                or grant.redirect_uri != form.get("redirect_uri")
                or digest.rstrip(b"=").decode() != grant.challenge
            ):
                return _error(400, "invalid_grant")
            return _ok(self._issue(client["client_id"], grant.scope), {"Cache-Control": "no-store"})
        if form.get("grant_type") == "refresh_token":
            with self._lock:
                found = self.state.refresh.pop(form.get("refresh_token", ""), None)
            if found is None or found[0] != client["client_id"]:
                return _error(400, "invalid_grant")
            return _ok(self._issue(found[0], found[1]), {"Cache-Control": "no-store"})
        return _error(400, "unsupported_grant_type")

    def _issue(self, client_id: str, scope: str) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        expires = self.clock().timestamp() + self.token_ttl
        with self._lock:
            self.state.access[access] = (client_id, scope, expires)
            self.state.refresh[refresh] = (client_id, scope)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
            "refresh_token": refresh,
            "scope": scope,
        }

    def _revoke(self, request: Request) -> Answer:
        if self._client(request) is None:
            return _error(401, "invalid_client")
        token = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}.get("token", "")
        with self._lock:
            self.state.access.pop(token, None)
            self.state.refresh.pop(token, None)
            self.state.revoked.append(token)
        return 200, {}, b""

    def bearer_scope(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return None
        found = self.state.access.get(header[7:])
        if found is None or found[2] < self.clock().timestamp():
            return None
        return found[1]

    # ------------------------------------------------------------------ resources

    def _profile(self, request: Request, kind: str) -> Answer:
        scope = self.bearer_scope(request)
        needed = "ob/v3p0/scope/profile.readonly" if kind == "ob3" else "ob/v2p1/scope/profile"
        if scope is None or needed not in scope:
            return _error(401, "invalid_token")
        if kind == "ob3":
            return _ok(
                {
                    "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                    "type": ["Profile"],
                    "id": self.base + "/learners/1",
                    "name": self.learner,
                }
            )
        return _ok(
            {
                "status": {"statusCode": 200, "statusText": "OK"},
                "profile": {
                    "@context": "https://w3id.org/openbadges/v2",
                    "id": self.base + "/learners/1",
                    "type": "Profile",
                    "name": self.learner,
                },
            }
        )

    def _page(self, request: Request, kind: str) -> Answer:
        scope = self.bearer_scope(request)
        needed = "credential.readonly" if kind == "ob3" else "assertion.readonly"
        if scope is None or needed not in scope:
            if kind == "badge-connect":
                return (
                    401,
                    {"Content-Type": "application/json"},
                    _json({"status": {"statusCode": 401, "statusText": "UNAUTHENTICATED"}}),
                )
            return _error(401, "invalid_token")
        items = self.ob3 if kind == "ob3" else self.badge_connect
        since_text = request.query.get("since")
        if since_text:
            since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
            items = [(when, item) for when, item in items if when > since]
        try:
            limit = max(1, min(int(request.query.get("limit", "50")), 500))
            offset = max(0, int(request.query.get("offset", "0")))
        except ValueError:
            return _error(400, "invalid_request")
        chunk = [item for _when, item in items[offset : offset + limit]]
        path = request.path
        query = {"limit": str(limit)}
        if since_text:
            query["since"] = since_text

        def link(at: int) -> str:
            return f"<{self.base}{path}?{urlencode({**query, 'offset': str(at)})}>"

        last = max(0, (len(items) - 1) // limit * limit)
        links = [f'{link(0)}; rel="first"', f'{link(last)}; rel="last"']
        if offset + limit < len(items):
            links.append(f'{link(offset + limit)}; rel="next"')
        if offset > 0:
            links.append(f'{link(max(0, offset - limit))}; rel="prev"')
        headers = {"X-Total-Count": str(len(items)), "Link": ", ".join(links)}
        strings = [i for i in chunk if isinstance(i, str)]
        objects = [i for i in chunk if isinstance(i, dict)]
        if kind == "ob3":
            body: dict[str, Any] = {}
            if strings:
                body["compactJwsStrings"] = strings
            if objects:
                body["credential"] = objects
            return _ok(body, headers)
        return _ok(
            {
                "status": {"statusCode": 200, "statusText": "OK"},
                "assertions": objects,
                "signedAssertions": strings,
            },
            headers,
        )


def stock(host: EarningHost, now: datetime, *, ob3: int = 3, badge_connect: int = 2) -> None:
    """Fill ``host`` with credentials signed by a fresh demo issuer served by the host itself:
    ``ob3`` OB 3.0 VC-JWTs (EdDSA, did:key) and ``badge_connect`` signed OB 2.0 assertions
    (RS256, hosted issuer profile and key), issued one day apart up to ``now``."""
    from datetime import timedelta

    from wallet.demo.issuer import DemoIssuer

    issuer = DemoIssuer(host.base, now)
    day = timedelta(days=1)
    topics = ("Cloud", "Data", "Design", "Ethics", "Python", "Rust", "Statistics", "Writing")
    for index in range(ob3):
        topic = topics[index % len(topics)]
        issued = now - (ob3 - index) * day
        credential = issuer.ob3_credential(
            f"host-{index}", f"{topic} Workshop {index + 1}", issued=issued
        )
        host.ob3.append((issued, issuer.vc_jwt(credential)))
    badge = issuer.ob2_badge_class("teamwork", "Teamwork", "Works well in a team.", ["soft-skills"])
    for index in range(badge_connect):
        issued = now - (badge_connect - index) * day
        assertion = issuer.ob2_assertion(f"bc-{index}", badge, signed=True, issued=issued)
        host.badge_connect.append((issued, issuer.jws_rs256(assertion)))
    issuer.ob2_issuer(revoked=[])
    host.documents.update(issuer.documents)
