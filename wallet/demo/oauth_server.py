"""The demo host's OAuth 2.0 authorization server, as the OB 3.0 API and Badge Connect ask of one.

``POST /oauth/register`` (RFC 7591; one loopback ``http`` redirect URI), ``GET /oauth/authorize``
(auto-approves: the learner is "signed in" at the demo; checks client, exact redirect URI, scope
and the S256 challenge, answers a 302 with ``code`` and ``state``), ``POST /oauth/token``
(``client_secret_basic``; single-use codes bound to client, redirect URI and PKCE verifier;
refresh), ``POST /oauth/revoke`` (RFC 7009).  Everything is kept in memory in :class:`HostState`,
which tests read to see what the wallet was granted and what it gave back.
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
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode

from wallet.demo.loopback import Answer, Request, error, json_bytes, ok


@dataclass(slots=True)
class Grant:
    """What an authorization code stands for (single use)."""

    client_id: str
    redirect_uri: str
    scope: str
    challenge: str


@dataclass(slots=True)
class HostState:
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    """access token -> (client id, scope, expiry as a timestamp)."""
    refresh: dict[str, tuple[str, str]] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)


def _form(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


class AuthorizationServer:
    """Registration, authorization codes with PKCE, tokens and revocation over one state."""

    def __init__(
        self, state: HostState, clock: Callable[[], datetime], token_ttl: int, lock: threading.Lock
    ) -> None:
        self.state = state
        self.clock = clock
        self.token_ttl = token_ttl
        self._lock = lock

    def register(self, request: Request) -> Answer:
        try:
            data = json.loads(request.body)
        except ValueError:
            return error(400, "invalid_client_metadata")
        uris = data.get("redirect_uris") if isinstance(data, dict) else None
        if (
            not isinstance(uris, list)
            or len(uris) != 1
            or not str(uris[0]).startswith("http://127.0.0.1:")
        ):
            return error(400, "invalid_redirect_uri")
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
        return 201, {"Content-Type": "application/json"}, json_bytes(answer)

    def authorize(self, request: Request) -> Answer:
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
            self.state.codes[code] = Grant(
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
        client = self.state.clients.get(unquote_plus(user))
        if client is None or not hmac.compare_digest(
            client["client_secret"], unquote_plus(password)
        ):
            return None
        return client

    def token(self, request: Request) -> Answer:
        client = self._client(request)
        if client is None:
            return error(401, "invalid_client")
        form = _form(request)
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
                return error(400, "invalid_grant")
            return ok(self._issue(client["client_id"], grant.scope), {"Cache-Control": "no-store"})
        if form.get("grant_type") == "refresh_token":
            with self._lock:
                found = self.state.refresh.pop(form.get("refresh_token", ""), None)
            if found is None or found[0] != client["client_id"]:
                return error(400, "invalid_grant")
            return ok(self._issue(found[0], found[1]), {"Cache-Control": "no-store"})
        return error(400, "unsupported_grant_type")

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

    def revoke(self, request: Request) -> Answer:
        if self._client(request) is None:
            return error(401, "invalid_client")
        token = _form(request).get("token", "")
        with self._lock:
            self.state.access.pop(token, None)
            self.state.refresh.pop(token, None)
            self.state.revoked.append(token)
        return 200, {}, b""

    def bearer_scope(self, request: Request) -> str | None:
        """The scope of the request's live bearer token, or None."""
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return None
        found = self.state.access.get(header[7:])
        if found is None or found[2] < self.clock().timestamp():
            return None
        return found[1]
