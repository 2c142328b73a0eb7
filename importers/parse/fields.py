"""Small, forgiving readers for JSON-LD-ish values found in badges.

Why forgiving: issuers write ``"tags": "x"`` for ``["x"]``, language maps (``{"en": "…"}``) where a
string is expected, objects where a URL is expected and vice versa.  Display fields must survive
all of that; the verifier, not the importer, decides what is acceptable.
"""

from __future__ import annotations

import base64
import binascii
import re

from wallet.codecs.nodes import as_list, to_number
from wallet.model import Alignment, Criteria, Evidence, Image, Json

MAX_DATA_URI_BYTES = 4 * 1024 * 1024
PREFERRED_LANGUAGES = ("en", "pl")
_DATA_URI = re.compile(r"^data:([\w.+/-]*)((?:;[\w=.+-]+)*?)(;base64)?,(.*)$", re.DOTALL)


def obj(value: Json) -> dict[str, Json]:
    """The value when it is an object, else an empty one (for chained lookups)."""
    return value if isinstance(value, dict) else {}


def text(value: Json) -> str | None:
    """A display string from a string, a language map, ``{"@value": …}`` or a list of those."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return _first_text(value)
    if isinstance(value, dict):
        return _text_of_object(value)
    return None


def _first_text(items: list[Json]) -> str | None:
    for item in items:
        found = text(item)
        if found:
            return found
    return None


def _text_of_object(value: dict[str, Json]) -> str | None:
    """``{"@value": …}``, or a language map: the preferred languages first, then any."""
    if "@value" in value:
        return text(value["@value"])
    for lang in PREFERRED_LANGUAGES:
        if lang in value:
            found = text(value[lang])
            if found:
                return found
    if value and all(isinstance(k, str) and len(k) <= 8 for k in value):
        return _first_text(list(value.values()))
    return None


def ident(value: Json) -> str | None:
    """An id: the string itself, or the ``id``/``@id`` of an object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("id", "@id"):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return found.strip()
    return None


def types_of(doc: Json) -> set[str]:
    """Every type name of an object (``type`` or ``@type``, string or list), prefixes kept."""
    found: set[str] = set()
    if isinstance(doc, dict):
        for key in ("type", "@type"):
            for item in as_list(doc.get(key)):
                if isinstance(item, str):
                    found.add(item)
                    found.add(item.rsplit(":", 1)[-1].rsplit("#", 1)[-1].rsplit("/", 1)[-1])
    return found


def contexts(doc: Json) -> list[str]:
    """The context URLs of a document (inline context objects are skipped)."""
    if not isinstance(doc, dict):
        return []
    return [c for c in as_list(doc.get("@context")) if isinstance(c, str)]


def tags(value: Json) -> tuple[str, ...]:
    return tuple(t for t in (text(item) for item in as_list(value)) if t)


def image(value: Json, caption: Json = None) -> Image | None:
    """An image from a URL string, a ``data:`` URI, or an Image object ``{id, caption}``."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return image(value.get("id") or value.get("@id") or value.get("url"), value.get("caption"))
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    cap = text(caption)
    if url.startswith("data:"):
        decoded = decode_data_uri(url)
        if decoded is None:
            return None
        media_type, data = decoded
        return Image(media_type=media_type, data=data, caption=cap)
    return Image(url=url, caption=cap)


def decode_data_uri(uri: str) -> tuple[str, bytes] | None:
    """``(media type, bytes)`` of a ``data:`` URI; ``None`` when malformed or over the cap."""
    if len(uri) > MAX_DATA_URI_BYTES * 4 // 3 + 256:
        return None
    match = _DATA_URI.match(uri)
    if not match:
        return None
    media_type = match.group(1) or "text/plain"
    body = match.group(4)
    if match.group(3):
        try:
            return media_type, base64.b64decode("".join(body.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
    from urllib.parse import unquote_to_bytes

    return media_type, unquote_to_bytes(body)


def criteria(value: Json) -> Criteria | None:
    if isinstance(value, str):
        return Criteria(id=value.strip() or None)
    if isinstance(value, dict):
        found = Criteria(id=ident(value), narrative=text(value.get("narrative")))
        return found if found.id or found.narrative else None
    return None


def alignments(value: Json) -> tuple[Alignment, ...]:
    found: list[Alignment] = []
    for item in as_list(value):
        if not isinstance(item, dict):
            continue
        found.append(
            Alignment(
                target_name=text(item.get("targetName")),
                target_url=text(item.get("targetUrl")) or ident(item),
                target_description=text(item.get("targetDescription")),
                target_framework=text(item.get("targetFramework")),
                target_code=text(item.get("targetCode")),
                target_type=text(item.get("targetType")),
            )
        )
    return tuple(found)


def evidence(value: Json) -> tuple[Evidence, ...]:
    found: list[Evidence] = []
    for item in as_list(value):
        if isinstance(item, str):
            found.append(Evidence(id=item.strip() or None))
        elif isinstance(item, dict):
            found.append(
                Evidence(
                    id=ident(item),
                    name=text(item.get("name")),
                    description=text(item.get("description")),
                    narrative=text(item.get("narrative")),
                    genre=text(item.get("genre")),
                    audience=text(item.get("audience")),
                )
            )
    return tuple(found)


number = to_number
"""A number from a JSON number or a numeric string (``"2,5"`` too): the EU codec's reader, so
credits and workloads read the same in the importer and in the EU mapping."""


def is_edc(doc: Json) -> bool:
    """Is ``doc`` a European Digital Credential (ELM v3), by its type or its context?"""
    if not isinstance(doc, dict):
        return False
    if "EuropeanDigitalCredential" in types_of(doc):
        return True
    return any("data.europa.eu/snb/model/context" in c for c in contexts(doc))
