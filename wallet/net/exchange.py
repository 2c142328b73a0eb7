"""The network half of HttpFetcher: one HTTP exchange, redirects followed by hand, every hop
checked against the address policy, the body read under its cap, failures said in words.

Why apart from :mod:`wallet.net.fetcher`: that module decides *where* a document comes from
(cache, evidence, contexts, pinned, mirrors, network); this one is how the network is asked,
for documents (:meth:`NetworkExchange._download`) and for API calls (:meth:`~NetworkExchange.send`,
which carries secrets and is never cached or recorded).  httpx is imported here on first use only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wallet.errors import BlockedURL, NetworkError, OfflineMiss, ResponseTooLarge, WalletError
from wallet.i18n import _
from wallet.net.describe import technical
from wallet.net.mirror import OCTET_STREAM
from wallet.net.policy import (
    AddressPolicy,
    Resolver,
    check_literal,
    check_url,
    redact,
    refuse_address,
)

if TYPE_CHECKING:
    import asyncio

    import httpx

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """The answer to :meth:`HttpFetcher.send`: like a Response, with its headers, no record."""

    url: str
    final_url: str
    status: int
    content_type: str
    headers: Mapping[str, str]
    """Lower-case names (``link``, ``x-total-count``, ``retry-after``)."""
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def origin_of(url: str) -> tuple[str, str, int | None]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower() or OCTET_STREAM


@dataclass(slots=True)
class _Hops:
    """Where a request is on its way through redirects (the failure names the hop)."""

    url: str
    current: str


class NetworkExchange:
    """Mixed into HttpFetcher, which sets these attributes in its constructor."""

    offline: bool
    policy: AddressPolicy
    network_requests: int
    _client: httpx.AsyncClient | None
    _semaphore: asyncio.Semaphore | None
    _timeout: float
    _total_timeout: float
    _max_redirects: int
    _max_bytes: int
    _concurrency: int
    _resolver: Resolver | None

    def _bind_loop(self) -> None:
        raise NotImplementedError

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            from wallet.net.transport import make_client

            self._client = make_client(
                self.policy,
                timeout=self._timeout,
                resolver=self._resolver,
                max_connections=self._concurrency,
            )
        return self._client

    async def _download(
        self, url: str, accept: str | None, cap: int
    ) -> tuple[str, int, str, bytes]:
        """GET ``url`` following redirects by hand; returns (final_url, status, type, body)."""
        answer = await self._transfer("GET", url, {"Accept": accept or "*/*"}, None, cap, True)
        return answer.final_url, answer.status, answer.content_type, answer.body

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
    ) -> ApiResponse:
        """One API request (OAuth and credential endpoints): never cached, never recorded as
        evidence, never answered from a mirror, and refused offline.

        The same address policy, timeouts and size caps as :meth:`get`.  Why apart from ``get``:
        these requests carry secrets (tokens, client secrets, codes) in headers or bodies, so
        they must not be shared between callers or kept.  A GET follows redirects only within
        its origin (an ``Authorization`` header never travels to another host); any other
        method does not follow redirects at all (the 3xx comes back to the caller).
        """
        check_url(url)
        if self.offline:
            raise OfflineMiss(url=url)
        self._bind_loop()
        check_literal(url, self.policy)
        cap = self._max_bytes if max_bytes is None else max_bytes
        follow = method.upper() == "GET"
        assert self._semaphore is not None  # set by _bind_loop
        async with self._semaphore:
            return await self._transfer(
                method.upper(), url, dict(headers or {}), content, cap, follow, same_origin=True
            )

    async def _transfer(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
        cap: int,
        follow: bool,
        *,
        same_origin: bool = False,
    ) -> ApiResponse:
        """One request, redirects followed by hand when ``follow`` (each hop checked)."""
        import asyncio

        import httpx

        from wallet.net.transport import AddressRefused, ResolveFailed

        hops = _Hops(url, url)
        try:
            async with asyncio.timeout(self._total_timeout):
                return await self._follow(method, hops, headers, content, cap, follow, same_origin)
        except WalletError:
            raise
        except (
            AddressRefused,
            ResolveFailed,
            TimeoutError,
            httpx.HTTPError,
            httpx.InvalidURL,
            OSError,
        ) as exc:
            raise self._failure(exc, hops) from None

    async def _follow(
        self,
        method: str,
        hops: _Hops,
        headers: dict[str, str],
        content: bytes | None,
        cap: int,
        follow: bool,
        same_origin: bool,
    ) -> ApiResponse:
        client = self._http()
        url = hops.url
        for _hop in range(self._max_redirects + 1):
            self._check_hop(url, hops.current)
            self.network_requests += 1
            async with client.stream(
                method, hops.current, headers=headers, content=content
            ) as answer:
                location = answer.headers.get("location")
                if follow and answer.status_code in _REDIRECTS and location:
                    target = str(answer.url.join(location))
                    if same_origin and origin_of(target) != origin_of(url):
                        raise BlockedURL(
                            url=redact(url),
                            reason=_("it redirects to another host ({target}).").format(
                                target=redact(target)
                            ),
                        )
                    hops.current = target
                    continue
                body = await _read_capped(answer, url, cap)
                return ApiResponse(
                    url=url,
                    final_url=str(answer.url),
                    status=answer.status_code,
                    content_type=media_type(answer.headers.get("content-type")),
                    headers={k.lower(): v for k, v in answer.headers.items()},
                    body=body,
                )
        raise NetworkError(
            url=url,
            reason=_("more than {limit} redirects.").format(limit=self._max_redirects),
            detail=f"last: {redact(hops.current)}",
        )

    def _failure(self, exc: BaseException, hops: _Hops) -> WalletError:
        """What went wrong on the way, in words (the cases in the order they must be tested)."""
        import httpx

        from wallet.net.transport import AddressRefused, ResolveFailed

        url, current = hops.url, hops.current
        if isinstance(exc, AddressRefused):
            blocked = refuse_address(current, exc.host, exc.address, exc.reason)
            return self._via_redirect(url, current, blocked)
        if isinstance(exc, ResolveFailed):
            reason = _("the host name {host} could not be found.").format(host=exc.host)
            return NetworkError(url=url, reason=reason, detail=exc.detail)
        if isinstance(exc, TimeoutError):
            reason = _("no complete answer within {seconds} seconds.").format(
                seconds=self._total_timeout
            )
            return NetworkError(url=url, reason=reason)
        if isinstance(exc, httpx.TimeoutException):
            reason = _("the server did not answer within {seconds} seconds.").format(
                seconds=self._timeout
            )
            return NetworkError(url=url, reason=reason, detail=technical(exc))
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            reason = _("it is not a valid web address.")
            return BlockedURL(url=redact(current), reason=reason, detail=technical(exc))
        if isinstance(exc, httpx.ConnectError):
            return NetworkError(url=url, reason=_connect_reason(exc), detail=technical(exc))
        reason = _("the connection broke off before the answer was complete.")
        return NetworkError(url=url, reason=reason, detail=technical(exc))

    def _check_hop(self, url: str, current: str) -> None:
        try:
            check_literal(current, self.policy)
        except BlockedURL as blocked:
            raise self._via_redirect(url, current, blocked) from None

    @staticmethod
    def _via_redirect(url: str, current: str, blocked: BlockedURL) -> BlockedURL:
        if current == url:
            return blocked
        return BlockedURL(
            url=url,
            reason=_("it redirects to {target}, and {reason}").format(
                target=redact(current), reason=blocked.params.get("reason", "")
            ),
            hint=blocked.hint,
        )


async def _read_capped(answer: httpx.Response, url: str, cap: int) -> bytes:
    declared = answer.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise ResponseTooLarge(url=url, limit=cap, detail=f"Content-Length: {declared}")
    from wallet.net.decoding import read_body

    # Raw bytes, decoded by us under the cap (httpx would inflate each chunk without a limit).
    return await read_body(answer.aiter_raw(), answer.headers.get("content-encoding"), url, cap)


def _connect_reason(exc: BaseException) -> str:
    """A readable reason from the chain of causes (anyio wraps the OSError it got)."""
    import ssl

    seen: BaseException | None = exc
    texts: list[str] = []
    for _depth in range(10):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLError):
            return _("the secure connection (TLS) could not be established.")
        if isinstance(seen, ConnectionRefusedError):
            return _("the server refused the connection.")
        texts.append(repr(seen).lower())
        seen = seen.__cause__ or seen.__context__
    if any("ssl" in text or "certificate" in text for text in texts):
        return _("the secure connection (TLS) could not be established.")
    return _("could not connect to the server.")
