"""URL import over a real loopback HTTP server, through the real Fetcher (wallet.net)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from importers.registry import default_registry
from importers.url import ACCEPT
from tests.importers import make
from tests.support.server import LoopbackServer
from wallet.codecs import baking
from wallet.errors import BlockedURL, HTTPStatusError, UnsafeInput, UnsupportedInput
from wallet.model import Credential, Format
from wallet.net import HttpFetcher
from wallet.ports import ImportBatch

JSON = "application/ld+json"


def _fetch(server: LoopbackServer, path_or_url: str, **options: Any) -> ImportBatch:
    url = (
        server.url(path_or_url)
        if path_or_url.startswith("/") and not path_or_url.startswith("//")
        else path_or_url
    )

    async def run() -> ImportBatch:
        async with HttpFetcher(allow_loopback=True, **options) as fetcher:
            return await default_registry().fetch_url(url, fetcher)

    return asyncio.run(run())


def _ids(batch: ImportBatch) -> list[str | None]:
    return [c.credential_id for c in batch.found if isinstance(c, Credential)]


def test_json_answer_with_content_negotiation() -> None:
    body = json.dumps(make.ob2_assertion(id="https://i.example/a/1")).encode()
    with LoopbackServer({"/a/1": (200, JSON, body)}) as server:
        batch = _fetch(server, "/a/1")
        headers = server.requests[0][2]
    assert headers.get("Accept") == ACCEPT
    (cred,) = batch.found
    assert isinstance(cred, Credential) and cred.format is Format.OB2_HOSTED
    assert cred.payload == body and cred.original.source == server.url("/a/1")
    assert cred.original.media_type == JSON


def test_image_answer_is_unbaked_and_a_baked_url_is_followed() -> None:
    assertion = json.dumps(make.ob2_assertion(id="https://i.example/a/2")).encode()
    with LoopbackServer({"/a/2.json": (200, JSON, assertion)}) as server:
        pointer = baking.bake_png(make.png(), server.url("/a/2.json"))
        server.routes["/img.png"] = (200, "image/png", pointer)
        batch = _fetch(server, "/img.png")
        assert [r[1] for r in server.requests] == ["/img.png", "/a/2.json"]
    assert _ids(batch) == ["https://i.example/a/2"] and not batch.failures


def test_pointer_loops_stop() -> None:
    with LoopbackServer() as server:
        loop = baking.bake_png(make.png(), server.url("/loop.png"))
        server.routes["/loop.png"] = (200, "image/png", loop)
        batch = _fetch(server, "/loop.png")
        assert 1 <= len(server.requests) <= 3  # the Fetcher may answer repeats from its run cache
    assert not batch.found and isinstance(batch.failures[0].error, UnsupportedInput)


def test_html_link_alternate_is_followed_once() -> None:
    cred_json = json.dumps(make.ob3_credential("urn:uuid:linked")).encode()
    page = b"""<!doctype html><html><head><title>My badge</title>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/ld+json" href="badge.json">
      </head><body>Congratulations</body></html>"""
    with LoopbackServer(
        {
            "/p/page": (200, "text/html; charset=utf-8", page),
            "/p/badge.json": (200, JSON, cred_json),
        }
    ) as server:
        batch = _fetch(server, "/p/page")
        assert [r[1] for r in server.requests] == ["/p/page", "/p/badge.json"]
    assert _ids(batch) == ["urn:uuid:linked"]


def test_html_embedded_json_ld_is_read_and_other_json_ld_ignored() -> None:
    cred = json.dumps(make.ob3_credential("urn:uuid:embedded"))
    page = f"""<html><head>
      <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Organization"}}</script>
      <script type="application/ld+json">{cred}</script>
      <script>var x = 1;</script></head><body></body></html>""".encode()
    with LoopbackServer({"/page": (200, "text/html", page)}) as server:
        batch = _fetch(server, "/page")
    assert _ids(batch) == ["urn:uuid:embedded"] and not batch.failures


def test_html_linking_to_html_and_pages_without_badges_fail_clearly() -> None:
    page = b'<html><head><link rel="alternate" type="application/json" href="/page"></head></html>'
    with LoopbackServer(
        {"/page": (200, "text/html", page), "/plain": (200, "text/html", b"<html>hi</html>")}
    ) as server:
        batch = _fetch(server, "/page")
        assert 1 <= len(server.requests) <= 2
        assert not batch.found and isinstance(batch.failures[0].error, UnsupportedInput)
        batch = _fetch(server, "/plain")
        assert isinstance(batch.failures[0].error, UnsupportedInput)


def test_http_errors_and_gone() -> None:
    revoked = json.dumps(make.ob2_assertion(id="https://i.example/gone", revoked=True)).encode()
    with LoopbackServer(
        {"/gone": (410, JSON, revoked), "/empty-gone": (410, "text/plain", b"")}
    ) as server:
        batch = _fetch(server, "/missing")
        error = batch.failures[0].error
        assert isinstance(error, HTTPStatusError) and error.status == 404
        batch = _fetch(server, "/gone")
        assert _ids(batch) == ["https://i.example/gone"]
        batch = _fetch(server, "/empty-gone")
        assert isinstance(batch.failures[0].error, HTTPStatusError)


def test_non_http_schemes_are_refused_without_fetching() -> None:
    with LoopbackServer() as server:
        for url in (
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://x.example/a",
            "//no-scheme",
        ):
            batch = _fetch(server, url)
            assert isinstance(batch.failures[0].error, UnsafeInput), url
        assert server.requests == []


def test_private_addresses_are_blocked_by_the_fetcher_policy() -> None:
    with LoopbackServer({"/a": (200, JSON, b"{}")}) as server:

        async def run() -> ImportBatch:
            async with HttpFetcher() as fetcher:  # no allow_loopback
                return await default_registry().fetch_url(server.url("/a"), fetcher)

        batch = asyncio.run(run())
        assert server.requests == []
    assert isinstance(batch.failures[0].error, BlockedURL)


def test_jwt_answer() -> None:
    token = make.jws(make.ob3_credential("urn:uuid:jwt")).encode()
    route: Callable[..., tuple[int, dict[str, str], bytes]] = lambda handler: (  # noqa: E731
        200,
        {"Content-Type": "application/jwt"},
        token,
    )
    with LoopbackServer({"/t": route}) as server:
        batch = _fetch(server, "/t")
    (cred,) = batch.found
    assert (
        isinstance(cred, Credential) and cred.format is Format.OB3_VC_JWT and cred.payload == token
    )


def test_malformed_url_value_error_does_not_escape() -> None:
    """Defect: urlsplit's ValueError ("Invalid IPv6 URL", a port out of range) escaped the URL
    importer as a traceback: from the command line, a baked image's pointer and an HTML link."""
    page = (
        b'<html><head><link rel="alternate" type="application/json" href="http://[x"></head></html>'
    )
    with LoopbackServer({"/page": (200, "text/html", page)}) as server:
        for url in ("http://[::1", "https://a.example:99999/b.json", "http://[v1.x]/"):
            batch = _fetch(server, url)
            assert isinstance(batch.failures[0].error, (UnsafeInput, BlockedURL)), url
            assert "not a valid web address" in str(batch.failures[0].error)
        server.routes["/img.png"] = (200, "image/png", baking.bake_png(make.png(), "http://[::1"))
        batch = _fetch(server, "/img.png")
        assert not batch.found and batch.failures
        batch = _fetch(server, "/page")
        assert not batch.found and isinstance(batch.failures[0].error, UnsupportedInput)
