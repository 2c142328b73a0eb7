"""HttpFetcher against a real HTTP server on 127.0.0.1: policy, redirects, caps, timeouts."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from tests.net.conftest import run
from tests.support.server import Body, LoopbackServer
from wallet.errors import BlockedURL, NetworkError, ResponseTooLarge
from wallet.net import HttpFetcher

MakeFetcher = Callable[..., HttpFetcher]
JSON = "application/ld+json"


def redirect_to(target: str, status: int = 302) -> Callable[..., tuple[int, dict[str, str], Body]]:
    def answer(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        return status, {"Location": target}, b""

    return answer


def test_plain_fetch_returns_body_type_and_final_url(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/badge.json"] = (200, "application/ld+json; charset=utf-8", b'{"a": 1}')

    async def go() -> None:
        async with make_fetcher() as fetcher:
            response = await fetcher.get(loopback.url("/badge.json"))
            assert response.ok and response.status == 200
            assert response.body == b'{"a": 1}'
            assert response.content_type == JSON
            assert response.final_url == loopback.url("/badge.json")
            assert response.record.origin == "network"

    run(go())


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,hi", "javascript:alert(1)"],
)
def test_other_schemes_are_refused(make_fetcher: MakeFetcher, url: str) -> None:
    async def go() -> None:
        async with make_fetcher(allow_private=True) as fetcher:
            with pytest.raises(BlockedURL):
                await fetcher.get(url)
            assert fetcher.records == ()
            assert fetcher.network_requests == 0

    run(go())


def test_loopback_refused_by_default_and_allowed_when_asked(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/x"] = (200, "text/plain", b"x")

    async def go() -> None:
        async with make_fetcher(allow_loopback=False) as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get(loopback.url("/x"))
            assert "loopback" in str(caught.value)
        assert loopback.hits("/x") == 0
        async with make_fetcher(allow_loopback=True) as fetcher:
            assert (await fetcher.get(loopback.url("/x"))).body == b"x"
        assert loopback.hits("/x") == 1

    run(go())


def test_host_name_resolving_to_loopback_is_refused(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """The name is resolved and checked where the connection is made (no request leaves)."""
    loopback.routes["/x"] = (200, "text/plain", b"x")

    async def go() -> None:
        async with make_fetcher(allow_loopback=False) as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get(loopback.url("/x", host="localhost"))
            message = str(caught.value)
            assert "localhost resolves to" in message and "loopback" in message
        async with make_fetcher(allow_loopback=True) as fetcher:
            assert (await fetcher.get(loopback.url("/x", host="localhost"))).body == b"x"

    run(go())
    assert loopback.hits("/x") == 1


@pytest.mark.parametrize(
    "host", ["10.0.0.1", "192.168.0.10", "169.254.169.254", "[fe80::1]", "[::ffff:127.0.0.1]"]
)
def test_private_literal_addresses_refused_even_with_loopback_allowed(
    make_fetcher: MakeFetcher, host: str
) -> None:
    async def go() -> None:
        async with make_fetcher(allow_loopback=True, timeout=0.5) as fetcher:
            with pytest.raises(BlockedURL):
                await fetcher.get(f"http://{host}/latest/meta-data")
            assert fetcher.network_requests == 0

    run(go())


def test_pinned_resolution_connects_to_the_checked_address(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """DNS rebinding: the connection goes to the address that was checked, resolved once by
    our own resolver (a name only our resolver knows still reaches the server)."""
    loopback.routes["/doc"] = (200, "text/plain", b"pinned")
    asked: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    async def go() -> None:
        async with make_fetcher(resolver=resolver) as fetcher:
            response = await fetcher.get(loopback.url("/doc", host="issuer.test"))
            assert response.body == b"pinned"

    run(go())
    assert asked == ["issuer.test"]
    assert loopback.requests[0][2]["Host"] == f"issuer.test:{loopback.port}"


def test_one_bad_address_among_good_ones_refuses_the_host(make_fetcher: MakeFetcher) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1", "10.0.0.7"]

    async def go() -> None:
        async with make_fetcher(resolver=resolver) as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get("http://rebind.test/badge.json")
            assert "10.0.0.7" in str(caught.value)

    run(go())


def test_unknown_host_name_is_a_readable_network_error(make_fetcher: MakeFetcher) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    async def go() -> None:
        async with make_fetcher(resolver=resolver) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get("https://nowhere.test/badge.json")
            assert not isinstance(caught.value, BlockedURL)
            assert "nowhere.test could not be found" in str(caught.value)

    run(go())


def test_redirects_are_followed_and_recorded(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/old"] = redirect_to("/middle", 301)
    loopback.routes["/middle"] = redirect_to(loopback.url("/new"), 307)
    loopback.routes["/new"] = (200, JSON, b"{}")

    async def go() -> None:
        async with make_fetcher() as fetcher:
            response = await fetcher.get(loopback.url("/old"), accept=JSON)
            assert response.url == loopback.url("/old")
            assert response.final_url == loopback.url("/new")
            assert response.record.final_url == loopback.url("/new")
            assert fetcher.network_requests == 3

    run(go())
    assert [path for _m, path, _h in loopback.requests] == ["/old", "/middle", "/new"]
    assert all(headers["Accept"] == JSON for _m, _p, headers in loopback.requests)


def test_redirect_limit(loopback: LoopbackServer, make_fetcher: MakeFetcher) -> None:
    for n in range(10):
        loopback.routes[f"/r{n}"] = redirect_to(f"/r{n + 1}")

    async def go() -> None:
        async with make_fetcher(max_redirects=3) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get(loopback.url("/r0"))
            assert "more than 3 redirects" in str(caught.value)
            assert fetcher.records == ()

    run(go())
    assert loopback.hits("/r3") == 1 and loopback.hits("/r4") == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/internal",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
    ],
)
def test_redirect_to_refused_target(
    loopback: LoopbackServer, make_fetcher: MakeFetcher, target: str
) -> None:
    loopback.routes["/hop"] = redirect_to(target)

    async def go() -> None:
        async with make_fetcher() as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get(loopback.url("/hop"))
            assert "redirects to" in str(caught.value)

    run(go())


def test_redirect_to_a_name_resolving_to_a_private_address(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """Each hop's host is resolved and checked at connect time, not only the first one."""
    loopback.routes["/hop"] = redirect_to("http://internal.test/admin")
    resolved: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["10.0.0.8"] if host == "internal.test" else ["127.0.0.1"]

    async def go() -> None:
        async with make_fetcher(resolver=resolver) as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get(loopback.url("/hop", host="issuer.test"))
            message = str(caught.value)
            assert "redirects to http://internal.test/admin" in message
            assert "internal.test resolves to 10.0.0.8" in message

    run(go())
    assert resolved == ["issuer.test", "internal.test"]


def test_size_cap_declared_content_length(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/big"] = (200, "image/png", b"x" * 5000)

    async def go() -> None:
        async with make_fetcher(max_bytes=1000) as fetcher:
            with pytest.raises(ResponseTooLarge) as caught:
                await fetcher.get(loopback.url("/big"))
            assert "Content-Length" in caught.value.detail
            # a per-call cap larger than the default lets it through
            response = await fetcher.get(loopback.url("/big"), max_bytes=10_000)
            assert response.record.size == 5000

    run(go())


def test_size_cap_streamed_body_without_length(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    def endless(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        def chunks() -> Iterator[bytes]:
            for _ in range(64):
                yield b"y" * 1024

        return 200, {"Content-Type": "application/json"}, chunks()

    loopback.routes["/stream"] = endless
    loopback.routes["/small-stream"] = lambda _h: (200, {}, iter([b"ab", b"cd"]))

    async def go() -> None:
        async with make_fetcher() as fetcher:
            with pytest.raises(ResponseTooLarge) as caught:
                await fetcher.get(loopback.url("/stream"), max_bytes=4096)
            assert "streamed" in caught.value.detail
            small = await fetcher.get(loopback.url("/small-stream"), max_bytes=4)
            assert small.body == b"abcd"
            assert small.content_type == "application/octet-stream"

    run(go())


def test_stalled_server_times_out(loopback: LoopbackServer, make_fetcher: MakeFetcher) -> None:
    release = threading.Event()

    def stall(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        release.wait(timeout=10)
        return 200, {"Content-Type": "text/plain"}, b"late"

    def stall_mid_body(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        def chunks() -> Iterator[bytes]:
            yield b"first"
            release.wait(timeout=10)
            yield b"rest"

        return 200, {"Content-Type": "text/plain"}, chunks()

    loopback.routes["/stall"] = stall
    loopback.routes["/drip"] = stall_mid_body

    async def go() -> None:
        async with make_fetcher(timeout=0.2) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get(loopback.url("/stall"))
            assert "did not answer within 0.2 seconds" in str(caught.value)
            with pytest.raises(NetworkError):
                await fetcher.get(loopback.url("/drip"))
            assert fetcher.records == ()

    try:
        run(go())
    finally:
        release.set()


def test_total_deadline_bounds_a_dripping_body(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    """Each chunk arrives within the read timeout, yet the whole answer takes too long."""
    stop = threading.Event()

    def drip(_handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        def chunks() -> Iterator[bytes]:
            for _ in range(1000):
                if stop.wait(timeout=0.05):
                    return
                yield b"."

        return 200, {"Content-Type": "text/plain"}, chunks()

    loopback.routes["/drip"] = drip

    async def go() -> None:
        async with make_fetcher(timeout=1.0, total_timeout=0.3) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get(loopback.url("/drip"))
            assert "no complete answer within 0.3 seconds" in str(caught.value)

    try:
        run(go())
    finally:
        stop.set()


def test_connection_refused_is_a_readable_network_error(make_fetcher: MakeFetcher) -> None:
    with LoopbackServer() as server:
        url = server.url("/gone")
    # the server is closed now: nothing listens on that port

    async def go() -> None:
        async with make_fetcher() as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get(url)
            assert not isinstance(caught.value, BlockedURL)
            assert "refused the connection" in str(caught.value)

    run(go())


def test_non_2xx_are_responses_not_errors(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/revoked"] = (410, "application/json", b'{"revoked": true}')

    async def go() -> None:
        async with make_fetcher() as fetcher:
            gone = await fetcher.get(loopback.url("/revoked"))
            assert gone.status == 410 and not gone.ok
            missing = await fetcher.get(loopback.url("/nothing-here"))
            assert missing.status == 404
            assert [r.status for r in fetcher.records] == [410, 404]

    run(go())


def test_accept_header_is_passed_for_content_negotiation(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    def negotiate(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Body]:
        if "application/ld+json" in (handler.headers.get("Accept") or ""):
            return 200, {"Content-Type": JSON}, b'{"id": "urn:x"}'
        return 200, {"Content-Type": "text/html"}, b"<html>profile</html>"

    loopback.routes["/issuer"] = negotiate

    async def go() -> None:
        async with make_fetcher() as fetcher:
            as_json = await fetcher.get(loopback.url("/issuer"), accept=JSON)
            as_html = await fetcher.get(loopback.url("/issuer"), accept="text/html")
            default = await fetcher.get(loopback.url("/issuer"))
            assert as_json.content_type == JSON and as_json.body.startswith(b"{")
            assert as_html.content_type == "text/html"
            assert default.content_type == "text/html"
            # two different documents at one URL: both are evidence
            assert {r.content_type for r in fetcher.records} == {JSON, "text/html"}
            assert len(fetcher.records) == 2

    run(go())
    accepts = [headers.get("Accept") for _m, _p, headers in loopback.requests]
    assert accepts == [JSON, "text/html", "*/*"]


def test_no_cookies_are_kept(loopback: LoopbackServer, make_fetcher: MakeFetcher) -> None:
    loopback.routes["/set"] = lambda _h: (200, {"Set-Cookie": "track=me; Path=/"}, b"")
    loopback.routes["/next"] = (200, "text/plain", b"")

    async def go() -> None:
        async with make_fetcher() as fetcher:
            await fetcher.get(loopback.url("/set"))
            await fetcher.get(loopback.url("/next"))

    run(go())
    assert "Cookie" not in loopback.requests[1][2]


def test_redirect_carrying_credentials_is_refused_without_showing_them(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    loopback.routes["/hop"] = redirect_to(loopback.url("/x").replace("//", "//admin:hunter2@"))

    async def go() -> None:
        async with make_fetcher() as fetcher:
            with pytest.raises(BlockedURL) as caught:
                await fetcher.get(loopback.url("/hop"))
            assert "hunter2" not in caught.value.diagnostics()
            assert "user name or password" in str(caught.value)

    run(go())
    assert loopback.hits("/x") == 0
