"""URL importer: fetch through the Fetcher with content negotiation, then parse what came back.

Why the Fetcher is passed in: importers never touch the network themselves; the one Fetcher
enforces http(s), address policy, size caps and records the evidence.  An image answer is unbaked,
a JSON/JWT answer parsed, and an HTML page is searched for ``<link rel="alternate">`` to JSON
(followed once) and for embedded ``<script type="application/ld+json">``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from wallet.errors import (
    HTTPStatusError,
    InputError,
    NetworkError,
    UnsafeInput,
    UnsupportedInput,
)
from wallet.i18n import N_, _
from wallet.ports import Blob, Fetcher, ImportBatch, ImportFailure, UrlReference

ACCEPT = (
    "application/ld+json, application/json;q=0.9, application/jwt;q=0.8, "
    "image/png;q=0.7, image/svg+xml;q=0.7, text/html;q=0.5"
)
MAX_HOPS = 2
"""A baked image may hold a URL whose answer is another pointer; beyond two hops we stop."""
JSON_TYPES = ("application/ld+json", "application/json")
MAX_SCRIPTS = 50

Parse = Callable[[Blob], ImportBatch]


def check_url(url: str) -> None:
    """Only absolute http(s) URLs are fetched; anything else is refused clearly."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or too large
    except ValueError:
        raise UnsafeInput(
            source=url[:200],
            reason=_("the address is not a valid web address"),
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UnsafeInput(
            source=url[:200],
            reason=_("only http and https addresses can be fetched"),
        )


async def fetch(url: str, fetcher: Fetcher, parse: Parse) -> ImportBatch:
    """Everything importable at ``url``; failures are reported in the batch, never raised."""
    batch = ImportBatch()
    try:
        await _fetch_into(batch, url.strip(), fetcher, parse, hops=0, html_allowed=True)
    except (InputError, NetworkError) as exc:
        batch.failures.append(ImportFailure(source=url, error=exc))
    return batch


def _is_html(content_type: str, body: bytes) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:256].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


async def _fetch_into(
    batch: ImportBatch,
    url: str,
    fetcher: Fetcher,
    parse: Parse,
    *,
    hops: int,
    html_allowed: bool,
) -> None:
    check_url(url)
    response = await fetcher.get(url, accept=ACCEPT)
    blob = Blob(data=response.body, source=url, media_type=response.content_type)
    if not response.ok:
        # 410 Gone is how a hosted badge says "revoked": keep the credential so that the verifier
        # can say so, instead of a bare HTTP error.
        if response.status == 410 and response.body.strip():
            gone = parse(blob)
            if gone.found:
                batch.found.extend(f for f in gone.found if not isinstance(f, UrlReference))
                if len(batch.found):
                    return
        raise HTTPStatusError(url=url, status=response.status)
    if _is_html(response.content_type, response.body):
        if not html_allowed:
            raise UnsupportedInput(
                source=url, hint=N_("The linked document is another web page, not badge data.")
            )
        await _html_into(batch, response.final_url or url, response.body, fetcher, parse, hops)
        return
    result = parse(blob)
    batch.failures.extend(result.failures)
    for found in result.found:
        if isinstance(found, UrlReference):
            if hops >= MAX_HOPS:
                batch.failures.append(
                    ImportFailure(
                        source=url,
                        error=UnsupportedInput(
                            source=url, hint=N_("It only points to further addresses.")
                        ),
                    )
                )
                continue
            await _fetch_into(batch, found.url, fetcher, parse, hops=hops + 1, html_allowed=True)
        else:
            batch.found.append(found)


def page_links_and_scripts(body: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """``(alternate JSON links, embedded JSON-LD texts)`` of an HTML page (no network)."""
    parser = lxml_html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml_html.document_fromstring(body, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return [], []
    links: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and media_type in JSON_TYPES and href:
            try:
                links.append(urljoin(base_url, href))
            except ValueError:  # "http://[bad": an unusable link is no link
                continue
    scripts: list[str] = []
    for script in root.iter("script"):
        media_type = (script.get("type") or "").split(";")[0].strip().lower()
        if media_type == "application/ld+json" and script.text and script.text.strip():
            scripts.append(script.text.strip())
        if len(scripts) >= MAX_SCRIPTS:
            break
    return links, scripts


async def _html_into(
    batch: ImportBatch, url: str, body: bytes, fetcher: Fetcher, parse: Parse, hops: int
) -> None:
    links, scripts = page_links_and_scripts(body, url)
    for link in links[:1]:
        linked = ImportBatch()
        try:
            await _fetch_into(linked, link, fetcher, parse, hops=hops + 1, html_allowed=False)
        except (InputError, NetworkError) as exc:
            linked.failures.append(ImportFailure(source=link, error=exc))
        if linked.found:
            batch.found.extend(linked.found)
            return
        batch.failures.extend(linked.failures)
    embedded = ImportBatch()
    for index, script in enumerate(scripts, start=1):
        result = parse(
            Blob(
                data=script.encode("utf-8"),
                source=f"{url}#ld+json-{index}",
                media_type="application/ld+json",
            )
        )
        embedded.found.extend(f for f in result.found if not isinstance(f, UrlReference))
        embedded.failures.extend(
            f for f in result.failures if not isinstance(f.error, UnsupportedInput)
        )
    if embedded.found:
        batch.found.extend(embedded.found)
        batch.failures.extend(embedded.failures)
        return
    if embedded.failures:
        batch.failures.extend(embedded.failures)
        return
    if not batch.failures:
        raise UnsupportedInput(
            source=url,
            hint=N_("The web page links to no badge data and embeds none."),
        )
