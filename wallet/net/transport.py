"""The httpx transport that enforces the address policy at connect time (imports httpx: lazy).

How DNS rebinding is handled, and why this way: checking a host name's addresses and then letting
httpx resolve the name again to connect leaves a gap: a hostile DNS server answers a public address
to the check and 127.0.0.1 to the connection (TTL 0).  So plecak never lets anything else resolve:
:class:`GuardedBackend` is the httpcore *network backend*, the one place where a TCP connection is
opened.  It resolves the host itself (asyncio getaddrinfo, or an injected resolver), refuses the
host if ANY of the addresses is refused by the :class:`~wallet.net.policy.AddressPolicy`, and then
connects to those checked addresses (the IP, not the name), trying them in order.  TLS still
verifies the certificate against the host name (httpcore passes the name as SNI/server_hostname),
so pinning the IP costs nothing in security.  Every new connection, including each redirect hop and
each reconnect of the pool, goes through the same check; kept-alive connections are reused only for
the same origin, which was checked when they were opened.

Other hardening here: no proxies from the environment (a proxy would make the check meaningless
and could leak URLs), no cookies are ever stored, HTTP/1.1 only.

The one private detail of httpx relied on is ``AsyncHTTPTransport._pool`` (replaced by a pool with
our backend), so that httpx's own request/response and exception mapping stays in use; a test
fetching ``localhost`` without ``allow_loopback`` proves the guard is wired in.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpcore
import httpx

from wallet.net.describe import technical
from wallet.net.policy import AddressPolicy, IPAddress, Resolver, parse_ip, system_resolver

_NO_ANSWER = "the resolver gave no answer in time"

USER_AGENT = "plecak (Open Badges wallet; +https://pypi.org/project/plecak/)"


class AddressRefused(Exception):
    """Raised inside the transport; the Fetcher turns it into BlockedURL with the URL."""

    def __init__(self, host: str, address: IPAddress, reason: str) -> None:
        super().__init__(f"{host} -> {address}: {reason}")
        self.host = host
        self.address = address
        self.reason = reason


class ResolveFailed(Exception):
    """The host name could not be resolved (no such host, resolver down, timeout)."""

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address against the policy, connects to a checked address."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver | None = None) -> None:
        self._policy = policy
        self._resolver = resolver or system_resolver
        self._inner = httpcore.AnyIOBackend()

    async def _checked_addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        literal = parse_ip(host)
        if literal is not None:
            candidates = [str(literal)]
        else:
            try:
                candidates = await asyncio.wait_for(self._resolver(host, port), timeout)
            except (OSError, UnicodeError, TimeoutError) as exc:
                raise ResolveFailed(host, technical(exc) or _NO_ANSWER) from exc
        if not candidates:
            raise ResolveFailed(host, "no addresses")
        checked: list[str] = []
        for text in candidates:
            address = parse_ip(text)
            if address is None:
                raise ResolveFailed(host, f"resolver gave {text!r}, not an address")
            reason = self._policy.problem(address)
            if reason is not None:
                raise AddressRefused(host, address, reason)
            checked.append(str(address))
        return checked

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._checked_addresses(host, port, timeout)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by plecak")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the pool rebuilt on :class:`GuardedBackend`."""

    def __init__(
        self, policy: AddressPolicy, *, resolver: Resolver | None = None, max_connections: int = 10
    ) -> None:
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=10)
        super().__init__(trust_env=False, limits=limits, retries=0)
        if not hasattr(self, "_pool"):  # pragma: no cover - guards an httpx upgrade
            raise RuntimeError("httpx.AsyncHTTPTransport changed: cannot install the address guard")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(policy, resolver),
        )


def _ssl_context() -> ssl.SSLContext:
    context = httpx.create_ssl_context(trust_env=False)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def make_client(
    policy: AddressPolicy, *, timeout: float, resolver: Resolver | None, max_connections: int
) -> httpx.AsyncClient:
    """An AsyncClient that never follows redirects itself, trusts no environment, keeps no
    cookies, and connects only through the guard."""
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        transport=GuardedTransport(policy, resolver=resolver, max_connections=max_connections),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        cookies=no_cookies,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
    )
