"""Paging through a host's credentials: OB 3.0 ``getCredentials`` and Badge Connect ``getAssertions``.

Both APIs page with ``limit``/``offset``, announce the total in ``X-Total-Count`` and link pages
with an RFC 8288 ``Link`` header (``rel="next"``); ``since`` asks only for what changed after a
time; ``Retry-After`` asks the client to wait.  The wallet:

* follows ``next`` only within the API's own origin, never a page twice (a loop ends in an error);
* stops with an error past :data:`MAX_PAGES` pages or :data:`MAX_ITEMS` items, or when a host
  sends more items than its own ``X-Total-Count`` (endless paging is a hostile host);
* takes each page under the JSON size cap of :mod:`wallet.connect.api` (huge pages end in an
  error);
* waits for ``Retry-After`` up to :data:`MAX_WAIT` seconds, at most :data:`MAX_RETRIES` times;
* downloads *everything* before anything is stored, so a failure half-way stores nothing.

OB 3.0 items are compact JWS strings (VC-JWT) or JSON credentials; Badge Connect items are
assertions (JSON) or signed assertions (JWS).  Each becomes a :class:`~wallet.ports.Blob` for the
importers, exactly like a file.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from wallet.codecs.dates import format_date
from wallet.connect.api import (
    NOT_A_CREDENTIAL,
    HostApi,
    host_of,
    item_blob,
    parse_json,
    status_error,
)
from wallet.connect.discovery import OB3
from wallet.errors import HostError
from wallet.i18n import _, tr
from wallet.net.exchange import ApiResponse
from wallet.ports import Blob

PAGE_SIZE = 100
MAX_PAGES = 500
MAX_ITEMS = 20_000
MAX_WAIT = 60.0
MAX_RETRIES = 3
_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[A-Za-z]+\s*=\s*(?:"[^"]*"|[^;,]*)\s*)*)')
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))', re.IGNORECASE)

Sleep = Callable[[float], Awaitable[None]]
PageProgress = Callable[[int, int | None], None]
"""page_progress(items so far, total announced or None)."""


@dataclass(slots=True)
class Pulled:
    """Everything a host gave in one sync, before anything is stored."""

    blobs: list[Blob] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(source, reason) of items that are neither a string nor an object."""
    total: int | None = None
    pages: int = 0


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` target of a Link header, or None."""
    for match in _LINK.finditer(header or ""):
        for rel in _REL.finditer(match.group(2)):
            names = (rel.group(1) or rel.group(2) or "").lower().split()
            if "next" in names:
                return match.group(1).strip()
    return None


def first_page(kind: str, api_base: str, since: datetime | None, limit: int) -> str:
    path = "/credentials" if kind == OB3 else "/assertions"
    query: dict[str, str] = {"limit": str(limit), "offset": "0"}
    if since is not None:
        query["since"] = format_date(since)
    return f"{api_base}{path}?{urlencode(query)}"


def _items(kind: str, data: Any, where: str) -> list[Any]:
    if not isinstance(data, dict):
        raise HostError(url=host_of(where), reason=_("a page of credentials is not an object."))
    keys = (
        ("compactJwsStrings", "credential") if kind == OB3 else ("signedAssertions", "assertions")
    )
    found: list[Any] = []
    for key in keys:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise HostError(
                url=host_of(where),
                reason=_("{key} in a page of credentials is not a list.").format(key=key),
            )
        found.extend(value)
    return found


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def pull(
    api: HostApi,
    kind: str,
    api_base: str,
    token: Callable[[], Awaitable[str]],
    *,
    since: datetime | None,
    source: str,
    sleep: Sleep,
    renew: Callable[[], Awaitable[str]] | None = None,
    limit: int = PAGE_SIZE,
    progress: PageProgress | None = None,
) -> Pulled:
    """Every item the host has for this connection (since ``since``), as blobs."""
    pulled = Pulled()
    url: str | None = first_page(kind, api_base, since, limit)
    seen: set[str] = set()
    origin = host_of(api_base)
    access = _Access(token, renew)
    while url is not None:
        if url in seen:
            raise HostError(url=origin, reason=_("its pages link back to a page already read."))
        if len(seen) >= MAX_PAGES:
            raise HostError(
                url=origin,
                reason=_("it sent more than {limit} pages.").format(limit=MAX_PAGES),
            )
        seen.add(url)
        answer = await _page(api, url, access, sleep, origin)
        items = _items(kind, parse_json(answer), url)
        _take(pulled, items, answer, source, origin)
        if progress is not None:
            progress(len(pulled.blobs) + len(pulled.refused), pulled.total)
        target = next_link(answer.headers.get("link"))
        if target is None or not items:
            break
        url = urljoin(url, target)
        if host_of(url) != origin or urlsplit(url).scheme != urlsplit(api_base).scheme:
            raise HostError(
                url=origin, reason=_("its next page is on another host ({url}).").format(url=url)
            )
    return pulled


class _Access:
    """The access token, renewed once when the host says 401."""

    def __init__(
        self, token: Callable[[], Awaitable[str]], renew: Callable[[], Awaitable[str]] | None
    ) -> None:
        self.token = token
        self.renew = renew


async def _page(api: HostApi, url: str, access: _Access, sleep: Sleep, origin: str) -> ApiResponse:
    """One page, renewing the token on 401 and waiting out a short Retry-After."""
    retries = 0
    while True:
        answer = await api.request("GET", url, token=await access.token())
        if answer.status == 401 and access.renew is not None:
            access.token, access.renew = access.renew, None
            continue
        if answer.status in (429, 503) and retries < MAX_RETRIES:
            wait = _retry_after(answer.headers.get("retry-after"))
            if wait is not None and wait <= MAX_WAIT:
                retries += 1
                await sleep(wait)
                continue
            if wait is not None:
                raise HostError(
                    url=origin,
                    reason=_("it asks to wait {seconds} seconds; try again later.").format(
                        seconds=int(wait)
                    ),
                )
        if not answer.ok:
            raise status_error(answer)
        return answer


def _take(pulled: Pulled, items: list[Any], answer: ApiResponse, source: str, origin: str) -> None:
    """A page's items as blobs (or refusals), within the caps and the announced total."""
    pulled.pages += 1
    total = answer.headers.get("x-total-count", "").strip()
    if total.isdigit():
        pulled.total = int(total)
    for item in items:
        number = len(pulled.blobs) + len(pulled.refused) + 1
        name = f"{source}#{number}"
        blob = item_blob(item, name)
        if blob is None:
            pulled.refused.append((name, tr(NOT_A_CREDENTIAL)))
        else:
            pulled.blobs.append(blob)
    count = len(pulled.blobs) + len(pulled.refused)
    if count > MAX_ITEMS:
        raise HostError(
            url=origin,
            reason=_("it sent more than {limit} credentials.").format(limit=MAX_ITEMS),
        )
    if pulled.total is not None and count > pulled.total:
        raise HostError(
            url=origin,
            reason=_("it sent more credentials than the {total} it announced.").format(
                total=pulled.total
            ),
        )
