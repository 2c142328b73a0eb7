"""JSON importer: OB 0.5–2.0 assertions and objects, OB 3.0 credentials, CLR, VP, ELM v3, JAdES.

Sniffs by content (the first non-blank byte opens an object or array), never by file name.
"""

from __future__ import annotations

from collections.abc import Sequence

from importers import sniff
from importers.parse import document
from wallet.model import Original
from wallet.ports import Blob, Found

JSON_MEDIA_TYPES = ("application/ld+json", "application/json", "application/vc+ld+json")


class JsonImporter:
    name = "json"

    def sniff(self, blob: Blob) -> bool:
        return sniff.json(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        media_type = blob.media_type if blob.media_type in JSON_MEDIA_TYPES else "application/json"
        original = Original(data=blob.data, media_type=media_type, source=blob.source)
        return document.from_json_bytes(blob.data, original=original)
