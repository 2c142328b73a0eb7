"""The Open Badges JSON-LD contexts, pinned by digest, and compaction of documents to OB 2.0 terms.

Why pinned: a JSON-LD context decides what every property *means*.  A verifier that fetches
``https://w3id.org/openbadges/v2`` blindly lets whoever answers that URL (a hijacked redirect, a
hostile mirror) rename ``recipient`` or ``verification``.  So the contexts are fetched only through
the Fetcher (cache, mirror, ``PLECAK_CONTEXTS``, then the network) and accepted only when the SHA-256
of their *parsed* JSON (canonical form: keys sorted, no whitespace, UTF-8) is one we computed from
the public specification repository (github 1EdTech/openbadges-specification):

* v2 as published until November 2020 (``schema:targetFramework``; commit f7ddb9c, also what
  validator-core ships) and as published since (``schema:educationalFramework``; commit 9b39fce);
* v1 as published (an array naming ``legacy-v1``) and with ``legacy-v1`` inlined; ``legacy-v1``.

Why our own compaction: the reference validator runs full JSON-LD compaction (pyld) on every node,
which is most of its run time.  OB documents use flat term definitions, so mapping each key through
the document's context to an IRI and back to the v2 term gives the same result for what we read,
including the JSON-LD rule that a key the context does not define is dropped (an OB 1.1 document
using the 2.0 word ``verification`` loses it, exactly as in the reference).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB1_CONTEXT = "https://w3id.org/openbadges/v1"
LEGACY_V1_CONTEXT = "https://w3id.org/openbadges/legacy-v1"

PINNED: dict[str, dict[str, str]] = {
    OB2_CONTEXT: {
        "4b5f71314b9fef23264b05bab6a03811e8fc1e5e7506b79b092aec91865e7e07": "v2 (2017-2020)",
        "5f063cc07234984e99d3fe24abdb084a0de95ac073c30580b4d31f4d9c3e1d94": "v2 (since 2020-11)",
    },
    OB1_CONTEXT: {
        "b89b3e6b57d3ec343cded9bb0a1d0611ec77d91f4b81f0d50f124c94113c8356": "v1 (published)",
        "4ed40deaba3459888417bd886b7f17fce7d7bb26f9dec2c211618382288ce402": "v1 (legacy-v1 inlined)",
    },
    LEGACY_V1_CONTEXT: {
        "115af5d18eddab160d929ed85bae6b7f79cd4550b6a6a4b2668f3a191eb60337": "legacy-v1",
    },
}
"""Canonical URL -> {sha256 of canonical JSON: which published revision}."""

ALIASES: dict[str, str] = {
    "https://w3id.org/openbadges/v2/": OB2_CONTEXT,
    "https://openbadgespec.org/v2/context.json": OB2_CONTEXT,
    "http://w3id.org/openbadges/v2": OB2_CONTEXT,
    "https://w3id.org/openbadges/v1/": OB1_CONTEXT,
    "https://openbadgespec.org/v1/context.json": OB1_CONTEXT,
    "http://w3id.org/openbadges/v1": OB1_CONTEXT,
}
"""Other spellings of the pinned contexts seen in issued badges (same pins apply)."""

MAX_CONTEXT_BYTES = 256 * 1024
_MAX_ALIAS_DEPTH = 8
_MAX_NODES = 20_000


def canonical_url(url: str) -> str | None:
    """The pinned context a URL denotes, or ``None`` when it is not one we know."""
    if url in PINNED:
        return url
    return ALIASES.get(url)


def json_digest(value: Any) -> str:
    """SHA-256 of a parsed JSON value in canonical form (sorted keys, compact, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pinned_revision(url: str, document: Any) -> str | None:
    """Which published revision ``document`` is, or ``None`` when it matches no pin."""
    canon = canonical_url(url)
    if canon is None:
        return None
    return PINNED[canon].get(json_digest(document))


# --------------------------------------------------------------------------- term maps


@dataclass(slots=True)
class TermMap:
    """Term -> expanded IRI (or JSON-LD keyword) for one active context."""

    terms: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def extend(self, definitions: dict[str, Any]) -> None:
        """Add the definitions of one context object (later definitions win, as in JSON-LD)."""
        for term, definition in definitions.items():
            if term.startswith("@") and term != "@vocab":
                continue
            self.raw[term] = definition
        self.terms = {}
        for term in self.raw:
            expanded = self._expand_definition(term, 0)
            if expanded:
                self.terms[term] = expanded

    def _expand_definition(self, term: str, depth: int) -> str | None:
        if depth > _MAX_ALIAS_DEPTH:
            return None
        definition = self.raw.get(term)
        target = definition.get("@id") if isinstance(definition, dict) else definition
        if not isinstance(target, str):
            return None
        return self._expand_iri(target, depth + 1, avoid=term)

    def _expand_iri(self, value: str, depth: int, avoid: str | None = None) -> str | None:
        if value.startswith("@"):
            return value
        if value in self.raw and value != avoid:
            return self._expand_definition(value, depth)
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if suffix.startswith("//"):
                return value
            if prefix in self.raw and prefix != avoid:
                base = self._expand_definition(prefix, depth)
                if base and not base.startswith("@"):
                    return base + suffix
            return value
        return None

    def expand(self, key: str) -> str | None:
        """The IRI (or keyword) a key denotes in this context; ``None`` = undefined (dropped)."""
        if key.startswith("@"):
            return key
        found = self.terms.get(key)
        if found is not None:
            return found
        if ":" in key:
            return self._expand_iri(key, 0)
        return None


@dataclass(frozen=True, slots=True)
class V2Terms:
    """The reverse of the v2 context: IRI -> the v2 term(s) naming it."""

    forward: TermMap
    reverse: dict[str, tuple[str, ...]]

    @staticmethod
    def build(v2: TermMap) -> V2Terms:
        reverse: dict[str, list[str]] = {}
        for term, iri in v2.terms.items():
            reverse.setdefault(iri, []).append(term)
        return V2Terms(forward=v2, reverse={k: tuple(v) for k, v in reverse.items()})

    def term_for(self, iri: str, value: Any) -> str:
        names = self.reverse.get(iri)
        if not names:
            return iri
        if len(names) == 1:
            return names[0]
        for preferred in _PREFERRED:
            if preferred in names:
                if preferred == "revoked" and not isinstance(value, bool):
                    continue
                return preferred
        return sorted(names, key=lambda n: (len(n), n))[0]


_PREFERRED = (
    "verification",
    "HostedBadge",
    "SignedBadge",
    "revoked",
    "revokedAssertions",
    "id",
    "type",
)


def term_map_from(definitions: Iterable[dict[str, Any]]) -> TermMap:
    result = TermMap()
    for item in definitions:
        result.extend(item)
    return result


def context_objects(document: Any) -> list[dict[str, Any]]:
    """The context definition objects of a fetched context document (``@context`` value)."""
    if not isinstance(document, dict):
        return []
    value = document.get("@context")
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, dict)]


def context_references(document: Any) -> list[str]:
    """URLs a context document (or a badge's ``@context``) refers to, in order."""
    if not isinstance(document, dict):
        return []
    value = document.get("@context")
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, str)]


# --------------------------------------------------------------------------- compaction


@dataclass(slots=True)
class Compaction:
    """The result of compacting a document to v2 terms, with what was dropped (for messages)."""

    node: dict[str, Any]
    dropped: list[str] = field(default_factory=list)


def compact(document: dict[str, Any], active: TermMap, v2: V2Terms) -> Compaction:
    """Rewrite ``document`` (interpreted with ``active``) using OB 2.0 terms."""
    dropped: list[str] = []
    budget = [_MAX_NODES]
    node = _compact_node(document, active, v2, dropped, "", budget)
    return Compaction(node=node, dropped=dropped)


def _compact_node(
    node: dict[str, Any],
    active: TermMap,
    v2: V2Terms,
    dropped: list[str],
    path: str,
    budget: list[int],
) -> dict[str, Any]:
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("document has too many nodes")
    local = _scoped_terms(node.get("@context"), active) if path else active
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            continue
        iri = local.expand(key)
        if iri is None:
            dropped.append(f"{path}{key}")
            continue
        name = _KEYWORD_NAMES.get(iri) or (iri if iri.startswith("@") else v2.term_for(iri, value))
        if name in out and name != key:
            continue
        if name == "type":
            out[name] = _compact_types(value, local, v2)
        else:
            out[name] = _compact_value(value, local, v2, dropped, f"{path}{key}.", budget)
    return out


_KEYWORD_NAMES = {"@id": "id", "@type": "type"}
"""The JSON-LD keywords the v2 context aliases; other keywords keep their ``@`` names."""


def _scoped_terms(inner: Any, active: TermMap) -> TermMap:
    """The terms in force inside a nested node: ``active`` extended by its own ``@context``."""
    if not isinstance(inner, dict | list):
        return active
    local = TermMap(terms=dict(active.terms), raw=dict(active.raw))
    for item in inner if isinstance(inner, list) else [inner]:
        if isinstance(item, dict):
            local.extend(item)
    return local


def _compact_types(value: Any, active: TermMap, v2: V2Terms) -> Any:
    def one(item: Any) -> Any:
        if not isinstance(item, str):
            return item
        iri = active.terms.get(item)
        if iri is None and ":" in item:
            iri = active.expand(item)
        if iri is None:
            return item
        return v2.term_for(iri, item)

    if isinstance(value, list):
        return [one(v) for v in value]
    return one(value)


def _compact_value(
    value: Any,
    active: TermMap,
    v2: V2Terms,
    dropped: list[str],
    path: str,
    budget: list[int],
) -> Any:
    if isinstance(value, dict):
        if "@value" in value:
            return value.get("@value")
        return _compact_node(value, active, v2, dropped, path, budget)
    if isinstance(value, list):
        return [_compact_value(v, active, v2, dropped, path, budget) for v in value]
    return value
