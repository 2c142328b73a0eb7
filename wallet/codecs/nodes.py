"""The JSON-LD value helpers every reader of badges needs: a value as a list, a node's types, an id.

One copy for the importers, the verifiers and the codecs: JSON-LD lets a property hold one value or
an array of them, and a reference be an IRI string or an embedded node with an ``id``, so each of
these is easy to get subtly different in three places.  They read compacted JSON as written, they
never expand it; what a term means is the verifier's business (:mod:`wallet.verify.jsonld`).
"""

from __future__ import annotations

from wallet.model import Json


def as_list(value: Json) -> list[Json]:
    """A JSON-LD value as a new list: ``None`` -> ``[]``, an array -> a copy, anything else -> ``[it]``."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def types_of(node: Json) -> list[str]:
    """The ``type`` values of a node, strings only, in order (``[]`` for anything but an object)."""
    if not isinstance(node, dict):
        return []
    return [t for t in as_list(node.get("type")) if isinstance(t, str)]


def id_of(value: Json) -> str | None:
    """The id of a reference: a non-empty IRI string itself, or an embedded object's ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def to_number(value: Json) -> float | None:
    """A number from a JSON number or a numeric string (``"2,5"`` too); None for anything else
    (booleans included, though Python counts them as numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None
