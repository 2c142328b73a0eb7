"""Live filter and sort of the portfolio, in memory, over the entries already listed.

Why in memory and not through the store: the filter runs on every keystroke and must answer within
100 ms for 10,000 badges; asking the encrypted store each time would not.  The entries come from
``service.list()`` once (and again after an import, recheck, tag or removal); this index builds one
case-folded haystack string per entry, so a keystroke costs a substring test per row.

Query language (typed into the search box): words must all occur (in title, issuer name or id,
tags, status word, format, short id); ``#tag`` requires that tag; ``-word`` excludes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from wallet.model import PortfolioEntry, Status
from wallet.tui.view import status_word

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SortKey(StrEnum):
    STATUS = "status"
    TITLE = "title"
    ISSUER = "issuer"
    DATE = "date"
    ADDED = "added"


@dataclass(frozen=True, slots=True)
class Scope:
    """What the sidebar selected: everything, one status, or one tag (a collection)."""

    status: Status | None = None
    tag: str | None = None


class PortfolioIndex:
    """Entries plus precomputed search text and sort keys."""

    def __init__(self, entries: Sequence[PortfolioEntry]) -> None:
        self.entries: list[PortfolioEntry] = list(entries)
        self._hay: list[str] = [self._haystack(e) for e in self.entries]
        self._tags: list[frozenset[str]] = [
            frozenset(t.casefold() for t in e.tags) for e in self.entries
        ]

    @staticmethod
    def _haystack(entry: PortfolioEntry) -> str:
        parts = [
            entry.id,
            entry.title or "",
            entry.issuer_name or "",
            entry.issuer_id or "",
            entry.format.value,
            entry.status.value,
            status_word(entry.status),
            " ".join("#" + t for t in entry.tags),
        ]
        return "\x1f".join(parts).casefold()

    def select(
        self,
        query: str = "",
        scope: Scope = Scope(),
        sort: SortKey = SortKey.DATE,
        reverse: bool = False,
    ) -> list[PortfolioEntry]:
        """The entries matching ``query`` within ``scope``, sorted."""
        words = query.casefold().split()
        include = [w for w in words if not (w.startswith("-") and len(w) > 1)]
        exclude = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
        tag_words = [w[1:] for w in include if w.startswith("#") and len(w) > 1]
        plain = [w for w in include if not (w.startswith("#") and len(w) > 1)]
        scope_tag = scope.tag.casefold() if scope.tag else None

        picked: list[int] = []
        for i, hay in enumerate(self._hay):
            entry = self.entries[i]
            if scope.status is not None and entry.status is not scope.status:
                continue
            if scope_tag is not None and scope_tag not in self._tags[i]:
                continue
            if tag_words and not all(
                any(t.startswith(w) for t in self._tags[i]) for w in tag_words
            ):
                continue
            if plain and not all(w in hay for w in plain):
                continue
            if exclude and any(w in hay for w in exclude):
                continue
            picked.append(i)
        rows = [self.entries[i] for i in picked]
        rows.sort(key=_sort_key(sort), reverse=reverse)
        return rows


def _sort_key(sort: SortKey) -> Callable[[PortfolioEntry], Any]:
    if sort is SortKey.STATUS:
        return lambda e: (e.status.rank, (e.title or "").casefold())
    if sort is SortKey.TITLE:
        return lambda e: ((e.title or "").casefold(), e.id)
    if sort is SortKey.ISSUER:
        return lambda e: (
            (e.issuer_name or e.issuer_id or "").casefold(),
            (e.title or "").casefold(),
        )
    if sort is SortKey.ADDED:
        return lambda e: (e.added_at or _EPOCH, e.id)
    # Newest first reads naturally for a portfolio: DATE sorts descending unless reversed.
    return lambda e: (-(e.issued or _EPOCH).timestamp(), (e.title or "").casefold())
