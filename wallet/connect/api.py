"""JSON requests to a connected host, through the one Fetcher.

Why a layer over :meth:`wallet.net.HttpFetcher.send`: every host request must obey the same rules
(HTTPS except loopback when loopback is allowed, a size cap, JSON within depth limits, an error
that names the host and never echoes a token), and OAuth, Badge Connect, the OB 3.0 API and
OpenID4VCI all need them.  Secrets go in headers or bodies only, never in the messages raised.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from wallet.errors import BlockedURL, HostError, WalletError
from wallet.i18n import N_, _
from wallet.net.exchange import ApiResponse
from wallet.net.fetcher import HttpFetcher
from wallet.net.policy import check_url, parse_ip
from wallet.ports import Blob

MAX_JSON = 8 * 1024 * 1024
"""The largest JSON answer taken from a host (one page of credentials included)."""
JSON_TYPES = ("application/json", "application/ld+json")


def host_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (what errors name)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def is_loopback_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    address = parse_ip(host)
    return host == "localhost" or (address is not None and address.is_loopback)


def clean_text(value: object, limit: int = 120) -> str:
    """A host's error code or description, safe to show: printable, one line, short."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return " ".join(text.split())[:limit]


class HostApi:
    """Requests to hosts with the wallet's rules.  ``fetcher`` decides the address policy."""

    def __init__(self, fetcher: HttpFetcher) -> None:
        self.fetcher = fetcher

    @property
    def allow_loopback(self) -> bool:
        return self.fetcher.policy.allow_loopback or self.fetcher.policy.allow_private

    def require_secure(self, url: object, what: str) -> str:
        """``url`` when it is an https URL (or http on loopback while loopback is allowed)."""
        if not isinstance(url, str) or not url:
            raise HostError(
                url=what, reason=_("the address of {what} is missing.").format(what=what)
            )
        parts = check_url(url)
        if parts.scheme.lower() == "https":
            return url
        if self.allow_loopback and is_loopback_host(url):
            return url
        raise BlockedURL(
            url=url,
            reason=_("{what} must use https.").format(what=what),
            hint=_("plecak sends tokens and credentials only over encrypted connections."),
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        basic: tuple[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        json_body: object = None,
        accept: str = "application/json",
        max_bytes: int = MAX_JSON,
    ) -> ApiResponse:
        headers = {"Accept": accept}
        content: bytes | None = None
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        elif basic is not None:
            headers["Authorization"] = "Basic " + _basic(*basic)
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = urlencode(dict(form)).encode("ascii")
        elif json_body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(json_body, separators=(",", ":")).encode("utf-8")
        return await self.fetcher.send(
            method, url, headers=headers, content=content, max_bytes=max_bytes
        )

    async def json(self, method: str, url: str, **options: Any) -> tuple[ApiResponse, Any]:
        """The request, which must answer 2xx with JSON; else HostError saying what came."""
        answer = await self.request(method, url, **options)
        if not answer.ok:
            raise status_error(answer)
        return answer, parse_json(answer)


def _basic(user: str, password: str) -> str:
    """RFC 6749 §2.3.1: both parts form-urlencoded before base64."""
    from urllib.parse import quote_plus

    raw = f"{quote_plus(user)}:{quote_plus(password)}".encode()
    return base64.b64encode(raw).decode("ascii")


def parse_json(answer: ApiResponse) -> Any:
    from wallet.codecs.safejson import loads

    try:
        return loads(answer.body, source=host_of(answer.url), max_bytes=MAX_JSON)
    except WalletError as exc:
        raise HostError(
            url=host_of(answer.url),
            reason=_("its answer is not valid JSON."),
            detail=f"{answer.url}: {exc.detail or exc}",
        ) from None


def error_code(answer: ApiResponse) -> str:
    """The OAuth ``error`` (or Badge Connect ``statusText``) of an error answer, cleaned; or ""."""
    if answer.content_type not in JSON_TYPES or len(answer.body) > 65536:
        return ""
    try:
        data = json.loads(answer.body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    status = data.get("status")
    found = data.get("error") or (status.get("statusText") if isinstance(status, dict) else "")
    return clean_text(found or "", 60)


def status_error(answer: ApiResponse) -> HostError:
    """HostError for a non-2xx answer, with the OAuth/host error code when one was given."""
    code = error_code(answer)
    reason = _("it answered HTTP {status}").format(status=answer.status)
    if code:
        reason += f" ({code})"
    reason += "."
    if answer.status in (401, 403):
        reason += " " + _("The connection is no longer authorised; connect again.")
    return HostError(url=host_of(answer.url), reason=reason, status=answer.status)


def item_blob(item: object, source: str) -> Blob | None:
    """A delivered credential as the importers' input: a string (JWS, VC-JWT) as its bytes, an
    object as its JSON; None for anything else (the caller reports it, never skips it)."""
    if isinstance(item, str):
        return Blob(data=item.strip().encode("utf-8"), source=source)
    if isinstance(item, dict):
        body = json.dumps(item, ensure_ascii=False).encode("utf-8")
        return Blob(data=body, source=source, media_type="application/json")
    return None


NOT_A_CREDENTIAL = N_("not a credential (neither text nor an object)")
