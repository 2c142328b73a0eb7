"""JWS/JWT importer: OB 2.0 signed assertions, OB 3.0 VC-JWT (credential as payload or ``vc``
claim), and CLR/VP carried as JWTs; from files, stdin or pasted text.  Never verifies."""

from __future__ import annotations

from collections.abc import Sequence

from importers import sniff
from importers.parse import document, jose
from wallet.model import Original
from wallet.ports import Blob, Found


class JwsImporter:
    name = "jws"

    def sniff(self, blob: Blob) -> bool:
        return sniff.jws(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        media_type = (
            blob.media_type
            if blob.media_type in ("application/jwt", "application/vc+jwt")
            else "application/jwt"
        )
        original = Original(data=blob.data, media_type=media_type, source=blob.source)
        return [document.from_jws(jose.strip_token(blob.data), original=original)]
