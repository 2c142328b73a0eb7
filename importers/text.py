"""Plain-text importer: a pasted or saved URL or JWS/JWT (the registry splits several lines).

Why: learners paste what a portal shows them ("here is your badge link"), sometimes several at
once; the registry gives each line to this importer as its own item, so one bad line is one clear
failure and does not hide the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from importers import sniff
from importers.parse import document, jose
from wallet.errors import UnsupportedInput
from wallet.model import Original
from wallet.ports import Blob, Found


class TextImporter:
    name = "text"

    def sniff(self, blob: Blob) -> bool:
        return sniff.text(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        token = jose.strip_token(blob.data)
        if not token:
            raise UnsupportedInput(source=blob.source)
        media_type = blob.media_type or (
            "application/jwt" if jose.looks_like_compact(token) else "text/plain"
        )
        original = Original(data=blob.data, media_type=media_type, source=blob.source)
        return document.from_text(token, original=original)
