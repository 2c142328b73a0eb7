"""The demo *earning platform*: a host on 127.0.0.1 that speaks the OB 3.0 API, Badge Connect and
an OAuth 2.0 authorization server, so ``plecak demo`` (and the tests) can show a real connect/sync.

What it implements, each as the specifications say a host must:

* discovery: ``/ims/ob/v3p0/discovery`` (an OpenAPI service description with
  ``x-imssf-registrationUrl``) and ``/.well-known/badgeconnect.json`` (a Badge Connect manifest);
* the OAuth 2.0 authorization server of :mod:`wallet.demo.oauth_server` under ``/oauth/``;
* ``GET /ims/ob/v3p0/credentials`` and ``GET /bc/v2p1/assertions`` with ``limit``, ``offset``,
  ``since``, ``X-Total-Count`` and ``Link``; ``/profile`` for both.

``overrides`` maps a path to a handler returning ``(status, headers, body)``, which is how tests
make it hostile (huge pages, endless paging, redirect loops, bad JSON, Retry-After).  ``log``
keeps every request (method, path, headers, body) so tests can check them against the published
Badge Connect schemas.  It keeps everything in memory and listens on loopback only
(:mod:`wallet.demo.loopback`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from wallet.demo.loopback import (
    Answer,
    LoopbackServer,
    Override,
    Request,
    error,
    json_bytes,
    ok,
)
from wallet.demo.oauth_server import AuthorizationServer, HostState

__all__ = [
    "BC_BASE",
    "OB3_BASE",
    "Answer",
    "EarningHost",
    "HostState",
    "Override",
    "Request",
    "stock",
]

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
        self._lock = threading.Lock()
        self.oauth = AuthorizationServer(HostState(), clock, token_ttl, self._lock)
        self._server = LoopbackServer(self.serve, "plecak-demo-host")

    # ------------------------------------------------------------------ lifecycle

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def state(self) -> HostState:
        return self.oauth.state

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.oauth.clock

    def start(self) -> EarningHost:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> EarningHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve(self, request: Request) -> Answer:
        """Answer one request, keeping it (and the answer) in ``log`` and ``answers``."""
        with self._lock:
            self.log.append(request)
        answer = self.answer(request)
        with self._lock:
            self.answers.append((request, answer))
        return answer

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
            ("POST", "/oauth/register"): self.oauth.register,
            ("GET", "/oauth/authorize"): self.oauth.authorize,
            ("POST", "/oauth/token"): self.oauth.token,
            ("POST", "/oauth/revoke"): self.oauth.revoke,
            ("GET", OB3_BASE + "/credentials"): lambda r: self._page(r, "ob3"),
            ("GET", OB3_BASE + "/profile"): lambda r: self._profile(r, "ob3"),
            ("GET", BC_BASE + "/assertions"): lambda r: self._page(r, "badge-connect"),
            ("GET", BC_BASE + "/profile"): lambda r: self._profile(r, "badge-connect"),
        }
        if "ob3" in self.protocols:
            table["GET", OB3_BASE + "/discovery"] = lambda r: ok(self.service_description())
        if "badge-connect" in self.protocols:
            table["GET", "/.well-known/badgeconnect.json"] = lambda r: ok(self.manifest())
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

    # ------------------------------------------------------------------ resources

    def _profile(self, request: Request, kind: str) -> Answer:
        scope = self.oauth.bearer_scope(request)
        needed = "ob/v3p0/scope/profile.readonly" if kind == "ob3" else "ob/v2p1/scope/profile"
        if scope is None or needed not in scope:
            return error(401, "invalid_token")
        if kind == "ob3":
            return ok(
                {
                    "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                    "type": ["Profile"],
                    "id": self.base + "/learners/1",
                    "name": self.learner,
                }
            )
        return ok(
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
        scope = self.oauth.bearer_scope(request)
        needed = "credential.readonly" if kind == "ob3" else "assertion.readonly"
        if scope is None or needed not in scope:
            if kind == "badge-connect":
                return (
                    401,
                    {"Content-Type": "application/json"},
                    json_bytes({"status": {"statusCode": 401, "statusText": "UNAUTHENTICATED"}}),
                )
            return error(401, "invalid_token")
        items = self.ob3 if kind == "ob3" else self.badge_connect
        since_text = request.query.get("since")
        if since_text:
            since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
            items = [(when, item) for when, item in items if when > since]
        try:
            limit = max(1, min(int(request.query.get("limit", "50")), 500))
            offset = max(0, int(request.query.get("offset", "0")))
        except ValueError:
            return error(400, "invalid_request")
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
            return ok(body, headers)
        return ok(
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
