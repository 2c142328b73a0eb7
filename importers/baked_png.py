"""Baked PNG importer: the ``openbadges`` (OB 1.x/2.0) or ``openbadgecredential`` (OB 3.0) text
chunk holds a URL, JSON or a JWS.  Pixels are never decoded (see wallet.codecs.baking)."""

from __future__ import annotations

from collections.abc import Sequence

from importers import sniff
from importers.parse import document
from wallet.codecs import baking
from wallet.errors import UnsupportedInput
from wallet.i18n import N_
from wallet.model import Original
from wallet.ports import Blob, Found


class BakedPngImporter:
    name = "png"

    def sniff(self, blob: Blob) -> bool:
        return sniff.png(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        badge = baking.unbake_png(blob.data, source=blob.source)
        if badge is None:
            raise UnsupportedInput(
                source=blob.source,
                hint=N_(
                    "This PNG image has no badge baked into it. Ask the issuer for the baked "
                    "badge image, or import the badge's URL or JSON instead."
                ),
            )
        original = Original(data=blob.data, media_type="image/png", source=blob.source)
        return document.from_text(badge.text, original=original)
