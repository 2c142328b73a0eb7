"""Fetching the Open Badges 2.0 node graph: assertion, badge class, issuer, keys, lists, contexts.

Every document comes through ``ctx.fetcher`` and is remembered in ``ctx.cache`` for the run, as an
asyncio task: when 200 badges of one issuer are verified concurrently, the first one to need the
issuer starts the fetch and the other 199 await the same task — each document is fetched once.

A node is *interpreted* here: its version detected, its contexts checked against the pins
(ob2_context), compacted to 2.0 terms and upgraded (ob2_upgrade).  A node that declares an id other
than the URL it came from is handled as the reference validator does: a warning, then the declared
id is fetched and used (once; a second mismatch is an error).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from wallet.codecs import safejson
from wallet.codecs.nodes import as_list
from wallet.errors import NetworkError, WalletError
from wallet.i18n import _
from wallet.ports import Response
from wallet.verify.context import VerifyContext
from wallet.verify.ob2.context import (
    LEGACY_V1_CONTEXT,
    MAX_CONTEXT_BYTES,
    OB2_CONTEXT,
    PINNED,
    TermMap,
    V2Terms,
    canonical_url,
    compact,
    context_objects,
    context_references,
    json_digest,
)
from wallet.verify.ob2.upgrade import (
    UpgradeError,
    detect_version,
    finish_1_1,
    upgrade_0_5,
    upgrade_1_0,
)

JSON_ACCEPT = (
    "application/ld+json, application/json;q=0.9, application/jwt;q=0.8, "
    "image/png;q=0.7, image/svg+xml;q=0.7, text/html;q=0.5"
)
"""The same Accept the URL importer sends: the Fetcher caches by (URL, Accept), so the hosted
assertion a user imported by URL a moment ago is not downloaded a second time."""
IMAGE_ACCEPT = "image/png, image/svg+xml, image/*;q=0.8"
MAX_NODE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 8 * 1024 * 1024

T = TypeVar("T")


class NodeError(Exception):
    """A node could not be had.  ``kind``: unreachable | http | gone | malformed | context.

    ``unreachable``/``http``/``context-unavailable``/``context-mismatch`` mean "could not check"
    (unverified: a context that differs from the pinned ones may be a newer revision or a bad
    mirror, and is never used); the others mean the issuer's documents are wrong (invalid).
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        url: str = "",
        status: int = 0,
        detail: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.url = url
        self.status = status
        self.detail = detail
        self.body = body

    @property
    def could_not_check(self) -> bool:
        return self.kind in ("unreachable", "http", "context-unavailable", "context-mismatch")


@dataclass(slots=True)
class Node:
    """One interpreted document of the graph."""

    url: str
    """The URL the document was finally taken from (its declared id)."""
    node: dict[str, Any]
    version: str
    status: int = 200
    notes: list[str] = field(default_factory=list)
    """User-facing remarks (id mismatch followed, properties the context did not define)."""
    contexts: list[tuple[str, str]] = field(default_factory=list)
    """(context URL, pinned revision) for each context the document used."""
    raw: Any = None
    final_url: str = ""
    """Where the document really came from after HTTP redirects (empty when not fetched)."""


# --------------------------------------------------------------------------- per-run memo


async def memo(ctx: VerifyContext, key: tuple[str, ...], make: Callable[[], Awaitable[T]]) -> T:
    """Run ``make`` once per run for ``key``; concurrent callers await the same task."""
    loop = asyncio.get_running_loop()
    slot = "\x1f".join(key)
    entry = ctx.cache.get(slot)
    if entry is not None and entry[0] is loop:
        task: asyncio.Task[T] = entry[1]
    else:
        task = loop.create_task(_call(make))
        ctx.cache[slot] = (loop, task)
    return await asyncio.shield(task)


async def _call(make: Callable[[], Awaitable[T]]) -> T:
    return await make()


async def get(
    ctx: VerifyContext, url: str, *, accept: str = JSON_ACCEPT, max_bytes: int = MAX_NODE_BYTES
) -> Response:
    """One GET through the Fetcher, memoised for the run; NetworkError -> NodeError."""

    async def make() -> Response:
        try:
            return await ctx.fetcher.get(url, accept=accept, max_bytes=max_bytes)
        except NetworkError as exc:
            raise NodeError(
                "unreachable",
                _("{url} could not be fetched: {reason}").format(
                    url=url[:160], reason=exc.user_message()
                ),
                url=url,
                detail=exc.diagnostics(),
            ) from exc
        except WalletError as exc:
            raise NodeError(
                "unreachable", exc.user_message(), url=url, detail=exc.diagnostics()
            ) from exc

    return await memo(ctx, ("ob2-get", url, accept), make)


# --------------------------------------------------------------------------- contexts

_TERM_MAPS: dict[str, TermMap] = {}
"""Digest -> term map: a pure function of pinned bytes, so shared across runs."""


async def _load_context(ctx: VerifyContext, url: str, canon: str) -> tuple[TermMap, str]:
    """Fetch a pinned context, refuse any copy whose digest is not pinned, build its term map."""
    try:
        response = await get(ctx, url, max_bytes=MAX_CONTEXT_BYTES)
    except NodeError as exc:
        raise NodeError(
            "context-unavailable",
            _(
                "The JSON-LD context {url} could not be fetched; provide it with "
                "PLECAK_CONTEXTS or a mirror."
            ).format(url=url),
            url=url,
            detail=exc.detail,
        ) from exc
    if not response.ok:
        raise NodeError(
            "context-unavailable",
            _("The JSON-LD context {url} answered HTTP {status}.").format(
                url=url, status=response.status
            ),
            url=url,
            status=response.status,
        )
    try:
        document = safejson.loads(response.body, source=url, max_bytes=MAX_CONTEXT_BYTES)
    except WalletError as exc:
        raise NodeError(
            "context", _("The JSON-LD context {url} is not JSON.").format(url=url), url=url
        ) from exc
    digest = json_digest(document)
    revision = PINNED[canon].get(digest)
    if revision is None:
        raise NodeError(
            "context-mismatch",
            _(
                "The JSON-LD context {url} differs from the published Open Badges context: "
                "it was refused."
            ).format(url=url),
            url=url,
            detail=f"sha256 of canonical JSON {digest}",
        )
    cached = _TERM_MAPS.get(digest)
    if cached is None:
        cached = TermMap()
        for ref in context_references(document):
            if canonical_url(ref) == LEGACY_V1_CONTEXT:
                inner, _rev = await context_terms(ctx, ref)
                cached.extend(inner.raw)
        for item in context_objects(document):
            cached.extend(item)
        _TERM_MAPS[digest] = cached
    return cached, revision


async def context_terms(ctx: VerifyContext, url: str) -> tuple[TermMap, str]:
    """The term map of a pinned context URL, fetched through the Fetcher and digest-checked."""
    canon = canonical_url(url)
    if canon is None:
        raise NodeError(
            "context",
            _("{url} is not a known Open Badges context; it was not fetched.").format(
                url=url[:160]
            ),
            url=url,
        )

    async def make() -> tuple[TermMap, str]:
        return await _load_context(ctx, url, canon)

    return await memo(ctx, ("ob2-context", canon, url), make)


async def v2_terms(ctx: VerifyContext) -> V2Terms:
    async def make() -> V2Terms:
        terms, _rev = await context_terms(ctx, OB2_CONTEXT)
        return V2Terms.build(terms)

    return await memo(ctx, ("ob2-v2terms",), make)


# --------------------------------------------------------------------------- interpretation


async def _active_terms(
    ctx: VerifyContext, context: Any
) -> tuple[TermMap, list[tuple[str, str]], list[str]]:
    """The active context of a document: pinned URLs (fetched, checked) and inline objects.

    URL-only context lists are memoised per run (most badges say just the v2 URL), so the term
    map is built once and not per document.
    """
    items = as_list(context)
    urls_only = all(isinstance(i, str) for i in items)
    key = ("ob2-active", *[str(i) for i in items])

    async def make() -> tuple[TermMap, list[tuple[str, str]], list[str]]:
        active = TermMap()
        used: list[tuple[str, str]] = []
        notes: list[str] = []
        for item in items:
            if isinstance(item, str):
                if canonical_url(item) is None:
                    notes.append(
                        _(
                            "The context {url} is not a pinned Open Badges context; "
                            "the terms it defines were ignored."
                        ).format(url=item[:160])
                    )
                    continue
                terms, revision = await context_terms(ctx, item)
                active.extend(terms.raw)
                used.append((item, revision))
            elif isinstance(item, dict):
                active.extend(item)
                used.append(("(inline)", "inline"))
        return active, used, notes

    if urls_only:
        active, used, notes = await memo(ctx, key, make)
        return active, list(used), list(notes)
    return await make()


async def interpret(
    ctx: VerifyContext,
    doc: Any,
    *,
    source_url: str | None,
    expected_class: str | None,
) -> Node:
    """Detect the version of ``doc`` and return it as a 2.0 node (contexts checked)."""
    if not isinstance(doc, dict):
        raise NodeError("malformed", _("The document is not a JSON object."), url=source_url or "")
    try:
        version = detect_version(doc)
    except UpgradeError as exc:
        raise NodeError("context", str(exc), url=source_url or "") from exc
    notes: list[str] = []
    contexts: list[tuple[str, str]] = []
    try:
        if version in ("0.5", "1.0"):
            node = (
                upgrade_0_5(doc)
                if version == "0.5"
                else upgrade_1_0(doc, source_url, expected_class)
            )
        else:
            v2 = await v2_terms(ctx)
            active, contexts, ignored = await _active_terms(ctx, doc.get("@context"))
            notes.extend(ignored)
            result = compact(doc, active, v2)
            node = result.node
            if result.dropped:
                notes.append(
                    _(
                        "Properties not defined by the document's context were ignored: {names}."
                    ).format(names=", ".join(result.dropped[:8]))
                )
            if version == "1.1":
                node = finish_1_1(node, expected_class)
    except UpgradeError as exc:
        raise NodeError("malformed", str(exc), url=source_url or "") from exc
    except (ValueError, RecursionError) as exc:
        raise NodeError(
            "malformed",
            _("The document cannot be interpreted: {reason}").format(reason=str(exc)[:160]),
            url=source_url or "",
        ) from exc
    return Node(
        url=source_url or str(node.get("id") or ""),
        node=node,
        version=version,
        notes=notes,
        contexts=contexts,
        raw=doc,
    )


def parse_json_body(response: Response, url: str) -> Any:
    try:
        return safejson.loads(response.body, source=url, max_bytes=MAX_NODE_BYTES)
    except WalletError as exc:
        raise NodeError(
            "malformed",
            _("{url} did not answer with JSON: {reason}").format(
                url=url[:160], reason=exc.user_message()
            ),
            url=url,
            status=response.status,
        ) from exc


async def fetch_node(
    ctx: VerifyContext, url: str, expected_class: str | None, *, follow_declared: bool = True
) -> Node:
    """Fetch, interpret and (once) follow a declared id that differs from ``url``."""

    async def make() -> Node:
        response = await get(ctx, url)
        if response.status == 410:
            body = None
            try:
                body = safejson.loads(response.body, source=url, max_bytes=MAX_NODE_BYTES)
            except WalletError:
                body = None
            raise NodeError(
                "gone",
                _("{url} answered HTTP 410 Gone.").format(url=url[:160]),
                url=url,
                status=410,
                body=body,
            )
        if not response.ok:
            raise NodeError(
                "http",
                _("{url} answered HTTP {status}.").format(url=url[:160], status=response.status),
                url=url,
                status=response.status,
            )
        doc = parse_json_body(response, url)
        node = await interpret(ctx, doc, source_url=url, expected_class=expected_class)
        node.status = response.status
        node.final_url = response.final_url or url
        declared = node.node.get("id")
        if isinstance(declared, str) and declared != url and node.version not in ("0.5", "1.0"):
            if not follow_declared:
                raise NodeError(
                    "malformed",
                    _("{url} declares its id as {declared}, which again differs.").format(
                        url=url[:160], declared=declared[:160]
                    ),
                    url=url,
                )
            if not declared.lower().startswith(("http://", "https://")):
                return node
            moved = await fetch_node(ctx, declared, expected_class, follow_declared=False)
            note = _(
                "The document fetched from {url} declared its id as {declared}; "
                "the declared id was fetched and used."
            ).format(url=url[:160], declared=declared[:160])
            return replace(moved, notes=[note, *moved.notes])
        return node

    return await memo(ctx, ("ob2-node", url, expected_class or "", str(follow_declared)), make)
