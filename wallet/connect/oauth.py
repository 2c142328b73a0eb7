"""OAuth 2.0 for a native app: registration, authorization code + PKCE, refresh, revocation.

What the wallet does, and why each piece:

* dynamic client registration (RFC 7591) per connection: a terminal app has no pre-shared client;
  the host gives a ``client_id`` (and usually a ``client_secret``, kept sealed in the wallet);
* authorization code with PKCE S256 (RFC 7636) in the *system browser* (RFC 8252 §4: never an
  embedded view, so the learner's password is typed only into the host's own page);
* a loopback redirect ``http://127.0.0.1:PORT/callback`` (RFC 8252 §7.3) on a port the OS picks,
  registered exactly as used; the listener accepts only that path, only one answer, and only with
  the ``state`` it sent (compared in constant time), then stops;
* refresh (RFC 6749 §6) when the access token has expired or the host says 401;
* revocation (RFC 7009) of the refresh and access tokens when the learner disconnects.

Tokens and secrets are never printed or logged: they live in :class:`Tokens` / :class:`Client`
fields that are left out of ``repr``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from wallet.connect.api import HostApi, clean_text, host_of
from wallet.connect.discovery import HostProfile
from wallet.errors import HostError, NetworkError, UsageError
from wallet.i18n import _

CLIENT_NAME = "plecak"
CLIENT_URI = "https://pypi.org/project/plecak/"
CALLBACK = "/callback"
BROWSER_TIMEOUT = 300.0

OpenBrowser = Callable[[str], object]
"""Opens a URL in the learner's browser (``webbrowser.open``; tests inject an HTTP client)."""


def open_system_browser(url: str) -> object:
    import webbrowser

    return webbrowser.open(url)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class Pkce:
    verifier: str = field(repr=False)
    challenge: str

    @classmethod
    def fresh(cls) -> Pkce:
        verifier = b64url(secrets.token_bytes(48))  # 64 characters of [A-Za-z0-9_-]
        return cls(verifier, b64url(hashlib.sha256(verifier.encode("ascii")).digest()))


@dataclass(frozen=True, slots=True)
class Client:
    """What registration gave: the client's id and (for confidential clients) its secret."""

    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    redirect_uri: str = ""


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scope: str = ""

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at - timedelta(seconds=30)


def client_auth(client: Client) -> dict[str, Any]:
    """client_secret_basic when there is a secret, else the public client's id in the form."""
    if client.client_secret:
        return {"basic": (client.client_id, client.client_secret)}
    return {}


# ---------------------------------------------------------------------------- registration


async def register(api: HostApi, profile: HostProfile, redirect_uri: str) -> Client:
    """RFC 7591 registration of this wallet for one connection."""
    return await register_client(
        api, profile.registration_url, " ".join(profile.scopes), redirect_uri
    )


async def register_client(api: HostApi, url: str, scope: str, redirect_uri: str) -> Client:
    """RFC 7591: a client of its own at ``url`` for ``redirect_uri`` (refused if the host
    registers any other redirect address)."""
    request = {
        "client_name": CLIENT_NAME,
        "client_uri": CLIENT_URI,
        "software_id": "plecak",
        "software_version": _version(),
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "application_type": "native",
    }
    if scope:
        request["scope"] = scope
    _answer, data = await api.json("POST", url, json_body=request)
    if not isinstance(data, dict) or not isinstance(data.get("client_id"), str):
        raise HostError(url=host_of(url), reason=_("its registration answer has no client_id."))
    uris = data.get("redirect_uris", [redirect_uri])
    if uris != [redirect_uri]:
        raise HostError(
            url=host_of(url),
            reason=_("it registered other redirect addresses than the one asked for."),
        )
    secret = data.get("client_secret")
    return Client(
        client_id=data["client_id"],
        client_secret=secret if isinstance(secret, str) and secret else None,
        redirect_uri=redirect_uri,
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plecak")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


# ---------------------------------------------------------------------------- the browser step


class LoopbackRedirect:
    """The one-shot listener on 127.0.0.1 that receives the authorization response."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.params: dict[str, str] = {}
        self.expected_state = ""
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return  # the query holds the code: never logged

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items() if v}
                state = query.get("state", "")
                if (
                    parts.path != CALLBACK
                    or listener._event.is_set()
                    or not hmac.compare_digest(state.encode(), listener.expected_state.encode())
                ):
                    self._reply(400, _("This is not the answer plecak is waiting for."))
                    return
                listener.params = query
                listener._event.set()
                if "code" in query:
                    self._reply(200, _("plecak is connected. You can close this window."))
                else:
                    self._reply(
                        200, _("The connection was not authorised. You can close this window.")
                    )

            def _reply(self, status: int, text: str) -> None:
                body = (
                    "<!doctype html><meta charset='utf-8'><title>plecak</title>"
                    f"<p>{_escape(text)}</p>"
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._server.timeout = 0.2
        self._thread = threading.Thread(
            target=self._serve, name="plecak-oauth-redirect", daemon=True
        )
        self._stop = threading.Event()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK}"

    def _serve(self) -> None:
        while not self._stop.is_set() and not self._event.is_set():
            self._server.handle_request()

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._server.server_close()

    async def wait(self, timeout: float) -> dict[str, str]:
        """Polls rather than blocking a worker thread: Ctrl-C must end the command at once."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._event.is_set() and loop.time() < deadline:
            await asyncio.sleep(0.05)
        if not self._event.is_set():
            raise UsageError(
                _("No answer came from the browser within {seconds} seconds.").format(
                    seconds=int(timeout)
                ),
                hint=_("Run the command again and finish the sign-in in the browser."),
            )
        return self.params


def _escape(text: str) -> str:
    import html

    return html.escape(text)


@dataclass(frozen=True, slots=True)
class SignIn:
    """How the browser step reaches the learner: injected, so tests drive it with an HTTP client."""

    open_browser: OpenBrowser
    timeout: float = BROWSER_TIMEOUT
    announce: Callable[[str], None] | None = None


async def browser_code(
    redirect: LoopbackRedirect,
    authorize_url: str,
    params: dict[str, str],
    sign_in: SignIn,
    origin: str,
    *,
    issuer: str | None = None,
    issuer_required: bool = False,
) -> tuple[str, Pkce]:
    """The browser step of an authorization code grant with PKCE S256 (RFC 7636, RFC 8252).

    ``params`` are the request's own (client_id, scope, authorization_details, issuer_state...);
    the redirect URI, a fresh ``state`` and the S256 challenge are added here.  Returns the code
    and the PKCE pair whose verifier the token request must carry.  When the authorization
    server's ``issuer`` is known, an ``iss`` in the answer must be it (RFC 9207, against mix-up
    attacks); ``issuer_required`` when the server said it always sends one."""
    state = b64url(secrets.token_bytes(24))
    pkce = Pkce.fresh()
    redirect.expected_state = state
    query = {
        "response_type": "code",
        **params,
        "redirect_uri": redirect.redirect_uri,
        "state": state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    separator = "&" if urlsplit(authorize_url).query else "?"
    url = authorize_url + separator + urlencode(query)
    if sign_in.announce is not None:
        sign_in.announce(url)
    await asyncio.to_thread(sign_in.open_browser, url)
    answer = await redirect.wait(sign_in.timeout)
    if issuer is not None and ("iss" in answer or issuer_required) and answer.get("iss") != issuer:
        raise HostError(
            url=origin, reason=_("the sign-in answer names another authorization server (iss).")
        )
    if "code" not in answer:
        raise HostError(
            url=origin,
            reason=_("the authorization was refused ({error}).").format(
                error=clean_text(answer.get("error", "?"), 60)
            ),
        )
    return answer["code"], pkce


async def authorize(
    api: HostApi,
    profile: HostProfile,
    redirect: LoopbackRedirect,
    client: Client,
    *,
    sign_in: SignIn,
    now: datetime,
) -> Tokens:
    """The browser step and the code exchange; returns the first tokens."""
    params = {"client_id": client.client_id, "scope": " ".join(profile.scopes)}
    code, pkce = await browser_code(
        redirect, profile.authorize_url, params, sign_in, profile.origin
    )
    form = code_form(code, pkce, client)
    return await _token_request(api, profile, client, form, now, profile.scopes[0])


def code_form(code: str, pkce: Pkce, client: Client) -> dict[str, str]:
    """The token request of an authorization code (RFC 6749 §4.1.3 with the PKCE verifier); a
    public client names itself, a confidential one authenticates by client_secret_basic."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": pkce.verifier,
    }
    if not client.client_secret:
        form["client_id"] = client.client_id
    return form


async def refresh(
    api: HostApi, profile: HostProfile, client: Client, tokens: Tokens, now: datetime
) -> Tokens:
    if not tokens.refresh_token:
        raise HostError(
            url=profile.origin,
            reason=_("the access has expired and cannot be renewed. Connect again."),
        )
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
    if not client.client_secret:
        form["client_id"] = client.client_id
    try:
        fresh = await _token_request(api, profile, client, form, now, profile.scopes[0])
    except HostError as error:
        if int(error.params.get("status", 0)) in (400, 401):
            raise HostError(
                url=profile.origin,
                reason=_(
                    "it no longer accepts this connection (the access was withdrawn or has "
                    "expired). Remove it and connect again."
                ),
                detail=error.render_english(),
            ) from None
        raise
    if fresh.refresh_token is None:  # RFC 6749 §6: the old refresh token stays valid
        fresh = Tokens(fresh.access_token, tokens.refresh_token, fresh.expires_at, fresh.scope)
    return fresh


async def _token_request(
    api: HostApi,
    profile: HostProfile,
    client: Client,
    form: dict[str, str],
    now: datetime,
    needed_scope: str,
) -> Tokens:
    _answer, data = await api.json("POST", profile.token_url, form=form, **client_auth(client))
    return parse_tokens(data, profile.token_url, now, needed_scope, " ".join(profile.scopes))


def parse_tokens(
    data: Any, token_url: str, now: datetime, needed_scope: str | None, asked: str
) -> Tokens:
    """A token response (RFC 6749 §5.1), checked: bearer, an access token, the scope we need."""
    host = host_of(token_url)
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        raise HostError(url=host, reason=_("its token answer has no access token."))
    if str(data.get("token_type", "")).lower() != "bearer":
        raise HostError(url=host, reason=_("it issued a token that is not a bearer token."))
    granted = data.get("scope")
    scope = granted if isinstance(granted, str) else asked
    if needed_scope and needed_scope not in scope.split():
        raise HostError(
            url=host,
            reason=_("it did not grant the permission to read your credentials."),
        )
    expires_in = data.get("expires_in")
    expires_at = None
    if isinstance(expires_in, int) and not isinstance(expires_in, bool) and expires_in > 0:
        expires_at = now + timedelta(seconds=min(expires_in, 10 * 365 * 86400))
    refresh_token = data.get("refresh_token")
    return Tokens(
        access_token=data["access_token"],
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        expires_at=expires_at,
        scope=scope,
    )


async def revoke(api: HostApi, revocation_url: str, client: Client, tokens: Tokens) -> bool:
    """RFC 7009: revoke the refresh token (which ends the grant) and the access token.

    True when the host confirmed; False when it could not be reached or refused (the caller
    forgets the tokens anyway and says so)."""
    confirmed = True
    for token, hint in (
        (tokens.refresh_token, "refresh_token"),
        (tokens.access_token, "access_token"),
    ):
        if not token:
            continue
        form = {"token": token, "token_type_hint": hint}
        if not client.client_secret:
            form["client_id"] = client.client_id
        try:
            answer = await api.request("POST", revocation_url, form=form, **client_auth(client))
        except NetworkError:
            return False
        confirmed = confirmed and answer.ok
    return confirmed
