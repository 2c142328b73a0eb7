"""Open Badges 2.0 RevocationList: is a signed assertion listed, and why.

A signed badge cannot be "taken down" like a hosted one, so its issuer publishes a RevocationList
(linked from the issuer Profile's ``revocationList``).  ``revokedAssertions`` entries are IRIs,
``{"id": IRI, "revocationReason": ...}`` objects, or ``{"uid": ...}`` objects for assertions that
have only a uid (OB 1.x).  Parsing is strict: a list we cannot read must not pass as "not revoked".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wallet.codecs.nodes import types_of
from wallet.i18n import _
from wallet.verify.ob2.values import is_iri

MAX_ENTRIES = 1_000_000


@dataclass(frozen=True, slots=True)
class RevocationEntry:
    id: str | None
    uid: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class RevocationList:
    id: str | None
    entries: tuple[RevocationEntry, ...]

    def find(self, assertion_id: str | None, uid: str | None = None) -> RevocationEntry | None:
        """The entry revoking this assertion (by id, or by uid), if any."""
        for entry in self.entries:
            if assertion_id and entry.id == assertion_id:
                return entry
            if uid and entry.uid is not None and entry.uid == uid:
                return entry
        return None


class RevocationListError(ValueError):
    """The document is not a usable RevocationList (message is user-facing)."""


def parse_revocation_list(node: Any, *, expected_id: str | None = None) -> RevocationList:
    """Validate and read a (compacted, 2.0-shaped) RevocationList node."""
    if not isinstance(node, dict):
        raise RevocationListError(_("the revocation list is not a JSON object"))
    if "RevocationList" not in types_of(node):
        raise RevocationListError(
            _("the document at the revocation list address is not a RevocationList")
        )
    list_id = _list_id(node.get("id"), expected_id)
    if "revokedAssertions" not in node:
        raise RevocationListError(_("the revocation list has no revokedAssertions"))
    raw = node["revokedAssertions"]
    items: Sequence[Any] = raw if isinstance(raw, list) else [raw]
    if len(items) > MAX_ENTRIES:
        raise RevocationListError(_("the revocation list is too long"))
    return RevocationList(id=list_id, entries=tuple(_entry(item) for item in items))


def _list_id(list_id: Any, expected_id: str | None) -> str | None:
    """The list's declared id: an IRI, and the address it was fetched from when that is known."""
    if list_id is not None and not is_iri(list_id):
        raise RevocationListError(_("the revocation list id is not an IRI"))
    if expected_id and isinstance(list_id, str) and list_id != expected_id:
        raise RevocationListError(
            _("the revocation list declares the id {declared} instead of {expected}").format(
                declared=list_id[:120], expected=expected_id[:120]
            )
        )
    return list_id if isinstance(list_id, str) else None


def _entry(item: Any) -> RevocationEntry:
    """One ``revokedAssertions`` item: an assertion IRI, or an object with an id or a uid."""
    if isinstance(item, str):
        if not is_iri(item):
            raise RevocationListError(
                _("the revocation list entry {value} is not an IRI").format(value=item[:120])
            )
        return RevocationEntry(id=item, uid=None, reason=None)
    if not isinstance(item, dict):
        raise RevocationListError(_("a revocation list entry is neither an IRI nor an object"))
    entry_id = item.get("id")
    uid = item.get("uid")
    reason = item.get("revocationReason")
    if entry_id is not None and not is_iri(entry_id):
        raise RevocationListError(
            _("the revocation list entry id {value} is not an IRI").format(
                value=repr(entry_id)[:120]
            )
        )
    if entry_id is None and not isinstance(uid, str):
        raise RevocationListError(_("a revocation list entry has neither an id nor a uid"))
    return RevocationEntry(
        id=entry_id,
        uid=uid if isinstance(uid, str) else None,
        reason=reason if isinstance(reason, str) else None,
    )
