"""JSON-LD for Data Integrity proofs: contexts only from pinned sources, and checked expansion.

Why this module exists: a Data Integrity signature covers the RDF a credential *means*, not its
bytes.  That meaning comes from its ``@context`` documents, so two safety rules apply:

1. Contexts come only from the digest-pinned known contexts (:mod:`known_contexts`), from the
   per-run cache (``ctx.cache["jsonld-context:<url>"]``, e.g. recorded evidence) or, when offline,
   from a mirror the user gave.  Never from an arbitrary fetch: an unknown context URL is not
   fetched over the network at all.  Every document is obtained through the one Fetcher (so it is
   recorded as evidence) *before* pyld runs, because pyld's document loader is synchronous; pyld
   is then served from memory only.
2. A term that no context defines is silently dropped by JSON-LD expansion, and a relative
   ``@type``/``@id`` silently disappears from the RDF: the signature would then not cover it, and an
   attacker could add or change such data freely.  pyld has no "safe mode", so we watch what it
   drops (its ``on_property_dropped`` hook) and walk the expanded form for relative IRIs ourselves.

Processed contexts are cached across credentials in module-level LRUs keyed by the digests of the
context documents in use: the OB 3.0 context is large and re-processing it would dominate the cost.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from frozendict import frozendict

from wallet.errors import VerificationError
from wallet.i18n import N_, _
from wallet.model import Json
from wallet.verify import documents, rdfc
from wallet.verify.context import VerifyContext
from wallet.verify.known_contexts import canonical_digest, pinned_digest
from wallet.verify.pyld_quiet import ContextResolver, JsonLdProcessor, ResolvedContext
from wallet.verify.pyld_quiet import jsonld as pyld_jsonld

MAX_CONTEXTS = 32
"""Context documents one credential may pull in (nested ones included)."""
MAX_CONTEXT_BYTES = 512 * 1024
ACCEPT_JSONLD = "application/ld+json, application/json;q=0.9"
CACHE_PREFIX = "jsonld-context:"

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S*$")


class ContextUnavailable(VerificationError):
    """A context could not be had from a trusted source: the check cannot complete."""

    code = "context-unavailable"
    default_message = N_("The JSON-LD context {url} is not available: {reason}")


class JsonLdInvalid(VerificationError):
    """The document is not valid JSON-LD (or uses contexts in a broken way)."""

    code = "jsonld-invalid"
    default_message = N_("The credential is not valid JSON-LD: {reason}")


# --------------------------------------------------------------------------- loading contexts

_PARSED: LRUCache[str, tuple[Json, str]] = LRUCache(maxsize=128)
"""Context documents parsed before, by the sha256 of the bytes the Fetcher handed out: every run
still gets each context through its Fetcher (so it is recorded as evidence and can travel in a
share bundle), but parsing and digesting the large OB 3.0 context happens once per process."""


@dataclass(frozen=True, slots=True)
class ContextSet:
    """The context documents one canonicalisation may use, all already in memory."""

    documents: Mapping[str, Json]
    unpinned: frozenset[tuple[str, str]] = frozenset()
    """(url, digest) of contexts that came from the cache or a mirror rather than the pins."""
    origins: Mapping[str, str] = field(default_factory=dict)

    def loader(self) -> Callable[..., dict[str, Any]]:
        documents = self.documents

        def load(url: str, options: Any = None) -> dict[str, Any]:
            doc = documents.get(url)
            if doc is None:
                raise pyld_jsonld.JsonLdError(
                    f"context {url} was not prefetched",
                    "jsonld.LoadDocumentError",
                    code="loading remote context failed",
                )
            # pyld rewrites relative URLs inside what it is given: hand it a copy.  The tag makes
            # pyld keep the processed context in its shared (cross-document) cache.
            return {
                "contextUrl": None,
                "documentUrl": url,
                "document": copy.deepcopy(doc),
                "tag": "static",
            }

        return load


def context_urls(value: Json) -> Iterator[str]:
    """Every context URL referenced by ``@context`` anywhere inside ``value``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, sub in item.items():
                if key == "@context":
                    yield from _urls_of(sub)
                if isinstance(sub, dict | list):
                    stack.append(sub)
        elif isinstance(item, list):
            stack.extend(sub for sub in item if isinstance(sub, dict | list))


def _urls_of(ctx_value: Json) -> Iterator[str]:
    values = ctx_value if isinstance(ctx_value, list) else [ctx_value]
    for entry in values:
        if isinstance(entry, str):
            yield entry
        # inline objects are walked by context_urls itself (they may hold scoped @context URLs)


async def load_contexts(document: Json, ctx: VerifyContext) -> ContextSet:
    """Fetch (through the Fetcher) every context ``document`` needs, checking pins.

    Raises :class:`ContextUnavailable` when a context cannot be had from a trusted source or does
    not match its pin.
    """
    documents: dict[str, Json] = {}
    origins: dict[str, str] = {}
    unpinned: set[tuple[str, str]] = set()
    pending = list(dict.fromkeys(context_urls(document)))
    while pending:
        url = pending.pop(0)
        if url in documents:
            continue
        if len(documents) >= MAX_CONTEXTS:
            raise ContextUnavailable(url=url, reason=_("too many contexts"))
        doc, origin, digest = await _load_one(url, ctx)
        documents[url] = doc
        origins[url] = origin
        if origin != "pinned":
            unpinned.add((url, digest))
        pending.extend(u for u in _nested_urls(doc, digest) if u not in documents)
    return ContextSet(documents=documents, unpinned=frozenset(unpinned), origins=origins)


def _nested_urls(doc: Json, digest: str) -> tuple[str, ...]:
    """The context URLs a context document refers to, remembered by its digest (the OB 3.0
    context is large, and walking it again for every credential cost a millisecond each)."""
    urls = _NESTED_URLS.get(digest)
    if urls is None:
        urls = tuple(dict.fromkeys(context_urls(doc)))
        _NESTED_URLS[digest] = urls
    return urls


_NESTED_URLS: LRUCache[str, tuple[str, ...]] = LRUCache(maxsize=256)


async def _load_one(url: str, ctx: VerifyContext) -> tuple[Json, str, str]:
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ContextUnavailable(url=url, reason=_("only http(s) context URLs are supported"))
    pin = pinned_digest(url)
    if pin is not None:
        doc, digest = await _fetch_context(url, ctx)
        if digest != pin:
            raise ContextUnavailable(
                url=url,
                reason=_("its content does not match the pinned digest"),
                detail=f"got sha256 {digest}, pinned {pin}",
            )
        return doc, "pinned", pin
    cached_run = ctx.cache.get(CACHE_PREFIX + url)
    if cached_run is not None:
        return cached_run, "cache", canonical_digest(cached_run)
    if not ctx.offline:
        # Online, the Fetcher would go to the network for an unknown URL: that is exactly the
        # arbitrary fetch we refuse.  Offline it answers only from its cache and mirrors.
        raise ContextUnavailable(
            url=url,
            reason=_("it is not a known context; provide it through a mirror to verify offline"),
        )
    doc, digest = await _fetch_context(url, ctx)
    ctx.cache[CACHE_PREFIX + url] = doc
    return doc, "mirror", digest


async def _fetch_context(url: str, ctx: VerifyContext) -> tuple[Json, str]:
    """A context document through the Fetcher, parsed, with its canonical digest."""
    try:
        response = await documents.fetch_ok(
            ctx.fetcher, url, accept=ACCEPT_JSONLD, max_bytes=MAX_CONTEXT_BYTES
        )
        known = _PARSED.get(response.record.sha256)
        if known is not None:
            return known
        doc = documents.parse_object(response.body, url, max_bytes=MAX_CONTEXT_BYTES)
    except documents.DocumentError as exc:
        raise ContextUnavailable(url=url, reason=_context_reason(exc), detail=exc.detail) from exc
    if "@context" not in doc:
        raise ContextUnavailable(url=url, reason=_("it is not a JSON-LD context document"))
    parsed = (doc, canonical_digest(doc))
    _PARSED[response.record.sha256] = parsed
    return parsed


def _context_reason(exc: documents.DocumentError) -> str:
    if exc.failure is documents.Failure.HTTP:
        return _("HTTP status {status}").format(status=exc.status)
    if exc.failure is documents.Failure.NOT_OBJECT:
        return _("it is not a JSON-LD context document")
    return exc.reason


# --------------------------------------------------------------------------- canonicalisation


@dataclass(frozen=True, slots=True)
class _Caches:
    """What pyld may reuse across credentials, for one set of context documents (by digest).

    ``resolved``: pyld's resolved-context cache, keyed by URL (hence one per set of digests).
    ``processed``: the active context that processing a local context produced, keyed by the
    active context it was processed against (its ``_uuid``) and the local context — see
    :meth:`_WatchingProcessor._process_context`.
    """

    resolved: LRUCache[str, Any] = field(default_factory=lambda: LRUCache(maxsize=256))
    processed: LRUCache[Any, tuple[Any, Any]] = field(
        default_factory=lambda: LRUCache(maxsize=4096)
    )


_PINNED_CACHES = _Caches()
_OTHER_CACHES: LRUCache[frozenset[tuple[str, str]], _Caches] = LRUCache(maxsize=16)


def _caches(contexts: ContextSet) -> _Caches:
    if not contexts.unpinned:
        return _PINNED_CACHES
    caches = _OTHER_CACHES.get(contexts.unpinned)
    if caches is None:
        caches = _Caches()
        _OTHER_CACHES[contexts.unpinned] = caches
    return caches


class _Resolver(ContextResolver):  # type: ignore[misc]
    """pyld's resolver, remembering inline (type-scoped) context objects by identity.

    pyld keys every inline context by its JCS serialisation, recomputed on each use: the OB 3.0
    context's type-scoped contexts cost ~1 ms per credential that way, and the first credential a
    process verifies paid ~6 ms for the 34 of them.  That key only lets equal objects share pyld's
    resolved-context cache; the objects here live inside the cached processed contexts and never
    change, so the same object (checked with ``is``; the entry keeps it alive, so its id cannot be
    reused) is wrapped once, exactly as pyld would wrap it, and reused.
    """

    def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
        if not isinstance(context, dict) or "@context" in context:
            return super().resolve(active_ctx, context, base, cycles)
        hit = _INLINE_RESOLVED.get(id(context))
        if hit is None or hit[0] is not context:
            hit = (context, ResolvedContext(context))
            _INLINE_RESOLVED[id(context)] = hit
        return [hit[1]]


_INLINE_RESOLVED: LRUCache[int, tuple[Any, Any]] = LRUCache(maxsize=2048)


@dataclass(frozen=True, slots=True)
class Canonical:
    """RDFC-1.0 canonical N-Quads of a document, with what expansion silently lost."""

    nquads: str
    dropped: tuple[str, ...] = ()
    """Properties expansion dropped (no context defines them)."""
    relative: tuple[str, ...] = ()
    """Relative IRIs used as ``@id``/``@type`` (they vanish from the RDF)."""

    @property
    def lossless(self) -> bool:
        return not self.dropped and not self.relative


class _WatchingProcessor(JsonLdProcessor):  # type: ignore[misc]
    """A pyld processor that remembers what it dropped and what its expansion produced."""

    def __init__(self, processed: LRUCache[Any, tuple[Any, Any]]) -> None:
        self.dropped: list[str] = []
        self.expanded: Json = None
        self.processed = processed
        super().__init__(on_property_dropped=self._dropped)

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        """pyld's context processing, remembered across credentials.

        Why: pyld caches a processed context per *active context* (by its ``_uuid``), but a
        type-scoped context (``@propagate: false``, all over the OB 3.0 context) is processed
        against a fresh clone of the active context, with a fresh ``_uuid``, every time: so every
        typed node of every credential processed its scoped context again (two thirds of the
        cost of canonicalising an OB 3.0 credential).  Processing is a function of the active
        context, the local context, the flags and the context documents (one memo per set of
        documents, by digest), so its frozen result is reused for the same inputs; the same
        object coming back also keeps pyld's own per-``_uuid`` caches hitting below it.
        """
        key = _memo_key(active_ctx, local_ctx, override_protected, propagate, validate_scoped)
        if key is not None and cycles is None:
            hit = self.processed.get(key)
            if hit is not None and (hit[0] is None or hit[0] is local_ctx):
                return hit[1]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )
        if key is not None and cycles is None and isinstance(result, frozendict):
            anchor = local_ctx if isinstance(key[2], int) else None  # keyed by id: keep it alive
            self.processed[key] = (anchor, result)
        return result

    def _dropped(self, expanded_property: str | None) -> None:
        self.dropped.append(expanded_property or "(null)")

    def expand(self, input_: Json, options: Any) -> Json:
        result = super().expand(input_, options)
        self.expanded = result
        return result


def _memo_key(
    active_ctx: Any, local_ctx: Any, override_protected: bool, propagate: bool, validate: bool
) -> tuple[Any, ...] | None:
    """The inputs of one context processing, or None when they have no stable identity.

    The active context counts only when pyld froze it (its ``_uuid`` then names its content for
    good); a local context is its URL(s), or the object itself, kept alive by the memo entry and
    checked with ``is`` (an inline context inside a frozen processed context never changes).
    """
    uid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
    if uid is None:
        return None
    if isinstance(local_ctx, str):
        local: Any = local_ctx
    elif isinstance(local_ctx, list) and all(isinstance(c, str) for c in local_ctx):
        local = tuple(local_ctx)
    else:
        local = id(local_ctx)
    return (uid, type(local_ctx).__name__, local, override_protected, propagate, validate)


def canonicalize(document: Json, contexts: ContextSet) -> Canonical:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of ``document``; raises :class:`JsonLdInvalid`."""
    loader = contexts.loader()
    caches = _caches(contexts)
    processor = _WatchingProcessor(caches.processed)
    # pyld's normalize() options, less the algorithm: the dataset is canonicalised by _rdfc
    options = {
        "base": None,
        "documentLoader": loader,
        "contextResolver": _Resolver(caches.resolved, loader),
        "extractAllScripts": True,
        "processingMode": "json-ld-1.1",
        "produceGeneralizedRdf": False,
    }
    try:
        nquads = rdfc.canonical_nquads(_to_dataset(processor, document, options))
    except pyld_jsonld.JsonLdError as exc:
        raise JsonLdInvalid(reason=_jsonld_reason(exc), detail=str(exc)[:2000]) from exc
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise JsonLdInvalid(reason=type(exc).__name__, detail=repr(exc)[:2000]) from exc
    if not isinstance(nquads, str):
        raise JsonLdInvalid(reason=_("no canonical form was produced"))
    relative = tuple(dict.fromkeys(_relative_iris(processor.expanded)))
    return Canonical(
        nquads=nquads, dropped=tuple(dict.fromkeys(processor.dropped)), relative=relative
    )


def _to_dataset(processor: _WatchingProcessor, document: Json, options: dict[str, Any]) -> Any:
    """The RDF dataset of ``document`` — the first half of pyld's ``normalize()``, with its error
    wrapping, so a document that cannot be converted is refused in the same words as before."""
    try:
        return processor.to_rdf(document, options)
    except pyld_jsonld.JsonLdError as cause:
        raise pyld_jsonld.JsonLdError(
            "Could not convert input to RDF dataset before normalization.",
            "jsonld.NormalizeError",
        ) from cause


def _jsonld_reason(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    return f"{text} ({code})" if code else text


def _is_absolute(value: str) -> bool:
    return value.startswith("_:") or bool(_ABSOLUTE_IRI.match(value))


def _relative_iris(expanded: Json) -> Iterator[str]:
    """Relative IRIs in ``@id``/``@type`` positions of an expanded document."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@id" and isinstance(value, str) and not _is_absolute(value):
                    yield value
                elif key == "@type":
                    for t in value if isinstance(value, list) else [value]:
                        if isinstance(t, str) and not _is_absolute(t) and t != "@json":
                            yield t
                elif key == "@value":
                    continue
                elif isinstance(value, dict | list):
                    stack.append(value)
