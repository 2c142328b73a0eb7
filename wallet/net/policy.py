"""Which URLs and addresses plecak may fetch from (pure checks, no I/O except name resolution).

Why a policy at all: a badge is untrusted input, and every URL in it (issuer profile, key, status
list, image) makes plecak send a request.  Without a policy a crafted badge could make the wallet
probe the learner's home router, a cloud metadata service (169.254.169.254) or a service bound to
localhost, and leak the answers into a share bundle.  So:

* only ``http`` and ``https`` URLs, without user names or passwords in them;
* every address a host name resolves to must be a public (globally routable) unicast address; one
  bad address refuses the whole host, because mixing a public and a private answer is exactly what
  DNS rebinding attacks do;
* IPv6 forms that embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``,
  6to4 ``2002::/16``, Teredo) are judged by the embedded address as well;
* :class:`AddressPolicy` ``allow_loopback`` opens 127.0.0.0/8 and ::1 only (tests and the demo
  issuer); ``allow_private`` opens everything (an explicit, trusted, local setup).

The check runs where the connection is made (see :mod:`wallet.net.transport`), on the very address
that is connected to, so a second DNS answer cannot slip past it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from wallet.errors import BlockedURL
from wallet.i18n import N_, _, tr

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> addresses`` (strings); the default uses the event loop's getaddrinfo."""

ALLOWED_SCHEMES = ("http", "https")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

# Reasons (msgids); translated when the error is raised.
LOOPBACK = N_("a loopback address")
UNSPECIFIED = N_("an unspecified address")
LINK_LOCAL = N_("a link-local address")
MULTICAST = N_("a multicast address")
PRIVATE = N_("a private network address")
RESERVED = N_("a reserved address")
NON_PUBLIC = N_("not a public internet address")


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What may be connected to.  The default refuses everything but public unicast addresses."""

    allow_loopback: bool = False
    """127.0.0.0/8 and ::1 (tests, ``plecak demo``); never the IPv4-mapped form."""
    allow_private: bool = False
    """Everything, including private networks and link-local: a trusted local setup only."""

    def problem(self, address: IPAddress) -> str | None:
        """``None`` when ``address`` may be connected to, else the reason (a msgid)."""
        if self.allow_private:
            return None
        if address.is_loopback and self.allow_loopback:
            return None
        for candidate in _with_embedded(address):
            reason = _classify(candidate)
            if reason is not None:
                return reason
        return None


def _with_embedded(address: IPAddress) -> list[IPAddress]:
    """``address`` plus every IPv4 address it embeds (mapped, NAT64, 6to4, Teredo)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return [address]
    found: list[IPAddress] = []
    if address.ipv4_mapped is not None:
        # Judged by its IPv4 address only (::ffff:0:0/96 itself counts as "private" in some
        # Python versions, which would hide the real reason).  allow_loopback does not open
        # ::ffff:127.0.0.1: AddressPolicy.problem only lets the plain forms through.
        return [address.ipv4_mapped]
    found.append(address)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def _classify(address: IPAddress) -> str | None:
    if address.is_unspecified:
        return UNSPECIFIED
    if address.is_loopback:
        return LOOPBACK
    if address.is_link_local:
        return LINK_LOCAL
    if address.is_multicast:
        return MULTICAST
    if address.is_private:
        return PRIVATE
    if address.is_reserved:
        return RESERVED
    if not address.is_global:
        return NON_PUBLIC
    return None


def parse_ip(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal (``[::1]`` brackets allowed), else ``None``."""
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def check_url(url: str) -> SplitResult:
    """Refuse what is never fetched: other schemes, credentials in the URL, no host.

    Returns the split URL.  Raises :class:`BlockedURL` with a readable reason.
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        _port = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as exc:
        raise BlockedURL(
            url=url, reason=_("it is not a valid web address."), detail=repr(exc)
        ) from exc
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURL(
            url=url,
            reason=_("only http and https addresses are fetched, not {scheme}.").format(
                scheme=(scheme or "?") + ":"
            ),
        )
    if parts.username is not None or parts.password is not None:
        raise BlockedURL(url=redact(url), reason=_("the address contains a user name or password."))
    if not host:
        raise BlockedURL(url=url, reason=_("the address has no host name."))
    return parts


def redact(url: str) -> str:
    """``url`` without a user-info part (never show or log a password); unchanged otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rsplit("@", 1)[-1] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl()


def refuse_address(url: str, host: str, address: IPAddress, reason: str) -> BlockedURL:
    """The error for an address the policy refused (``reason`` is a msgid)."""
    shown = str(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        shown = f"{address} ({address.ipv4_mapped})"
    if parse_ip(host) is not None:
        text = _("{address} is {kind}.").format(address=shown, kind=tr(reason))
    else:
        text = _("{host} resolves to {address}, {kind}.").format(
            host=host, address=shown, kind=tr(reason)
        )
    return BlockedURL(
        url=redact(url),
        reason=text,
        hint=N_("plecak only fetches from public internet addresses."),
    )


def check_literal(url: str, policy: AddressPolicy) -> None:
    """Refuse an IP-literal host before any connection is attempted (clearer, and no SYN sent)."""
    parts = check_url(url)
    address = parse_ip(parts.hostname or "")
    if address is not None:
        reason = policy.problem(address)
        if reason is not None:
            raise refuse_address(url, parts.hostname or "", address, reason)


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the order the system prefers (TCP only)."""
    import asyncio
    import socket

    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0])
        if text not in seen:
            seen.append(text)
    return seen
