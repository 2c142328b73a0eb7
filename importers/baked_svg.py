"""Baked SVG importer: ``<openbadges:assertion verify="URL-or-JWS">`` with optional CDATA JSON
(OB 1.x/2.0) and ``<openbadges:credential>`` holding JSON or a VC-JWT as text or ``verify``
(OB 3.0).  Parsed with the hardened lxml parser of wallet.codecs.baking."""

from __future__ import annotations

from collections.abc import Sequence

from importers import sniff
from importers.parse import document, jose
from wallet.codecs import baking
from wallet.errors import MalformedInput, UnsupportedInput
from wallet.i18n import N_
from wallet.model import Original
from wallet.ports import Blob, Found


class BakedSvgImporter:
    name = "svg"

    def sniff(self, blob: Blob) -> bool:
        return sniff.svg(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        badge = baking.unbake_svg(blob.data, source=blob.source)
        if badge is None:
            raise UnsupportedInput(
                source=blob.source,
                hint=N_(
                    "This SVG image has no badge baked into it. Ask the issuer for the baked "
                    "badge image, or import the badge's URL or JSON instead."
                ),
            )
        original = Original(data=blob.data, media_type="image/svg+xml", source=blob.source)
        verify = (badge.verify or "").encode("utf-8")
        if badge.kind == "assertion" and verify and jose.looks_like_compact(verify):
            return [document.from_jws(jose.strip_token(verify), original=original)]
        if badge.text:
            try:
                return document.from_text(badge.text, original=original)
            except (UnsupportedInput, MalformedInput):
                # A hosted assertion's embedded copy is a convenience; its verify URL is canonical.
                if not verify:
                    raise
        if verify:
            return document.from_text(verify, original=original)
        raise UnsupportedInput(
            source=blob.source,
            hint=N_("The badge element in this SVG is empty."),
        )
