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
    """Entries plus search text and tag sets, built on the first query that needs them.

    Why lazily: the first screen after unlock shows every badge unfiltered, and building 10,000
    haystacks up front delayed it by ~30 ms; the first keystroke pays ~20 ms instead.
    """

    def __init__(self, entries: Sequence[PortfolioEntry]) -> None:
        self.entries: list[PortfolioEntry] = list(entries)
        self._hay_list: list[str] | None = None
        self._tag_sets: list[frozenset[str]] | None = None

    @property
    def _hay(self) -> list[str]:
        if self._hay_list is None:
            words = {s: f"{s.value}\x1f{status_word(s)}" for s in Status}
            self._hay_list = [
                "\x1f".join(
                    (
                        e.id,
                        e.title or "",
                        e.issuer_name or "",
                        e.issuer_id or "",
                        e.format.value,
                        words[e.status],
                        " ".join(["#" + t for t in e.tags]),
                    )
                ).casefold()
                for e in self.entries
            ]
        return self._hay_list

    @property
    def _tags(self) -> list[frozenset[str]]:
        if self._tag_sets is None:
            self._tag_sets = [frozenset(t.casefold() for t in e.tags) for e in self.entries]
        return self._tag_sets

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

        if scope.status is None and scope_tag is None and not (tag_words or plain or exclude):
            rows = list(self.entries)
            rows.sort(key=_sort_key(sort), reverse=reverse)
            return rows
        hay_list = self._hay if plain or exclude else None
        tag_sets = self._tags if scope_tag is not None or tag_words else None
        picked: list[int] = []
        for i, entry in enumerate(self.entries):
            if scope.status is not None and entry.status is not scope.status:
                continue
            if tag_sets is not None:
                tags = tag_sets[i]
                if scope_tag is not None and scope_tag not in tags:
                    continue
                if tag_words and not all(any(t.startswith(w) for t in tags) for w in tag_words):
                    continue
            if hay_list is not None:
                hay = hay_list[i]
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
