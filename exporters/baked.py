"""One credential as a file: its original bytes, its signed payload as JSON/JWS text, or baked.

Signatures::

    class JsonExporter:  name = "json"; export(request) -> bytes   # the payload, byte-for-byte
    class PngExporter:   name = "png";  export(request) -> bytes   # baked PNG
    class SvgExporter:   name = "svg";  export(request) -> bytes   # baked SVG
    suggested_extension(credential) -> str

``json`` gives exactly what the issuer's proof covers (``credential.payload``): the JSON document,
or for signed OB 2.0 / VC-JWT the compact JWS text (``.jws``/``.jwt``) — never a re-dump.

``png``/``svg``: when the original already is such an image it is returned unchanged; otherwise
the payload is baked (OB 2.0: iTXt ``openbadges`` / ``<openbadges:assertion>``; OB 3.0: iTXt
``openbadgecredential`` / ``<openbadges:credential>``) into the badge image we hold — the one
fetched when the credential was verified, inline image data, or ``options["image"]`` (bytes).
Baking uses :mod:`wallet.codecs.baking` (importers' codec, the same one that unbakes on import).
"""

from __future__ import annotations

from exporters.common import credential_for, extension_for, image_of, is_compact_jws
from wallet.codecs import baking
from wallet.errors import ExportError, WalletError
from wallet.i18n import _
from wallet.model import Credential, Format
from wallet.ports import ExportRequest

OB3_FORMATS = (
    Format.OB3_DATA_INTEGRITY,
    Format.OB3_VC_JWT,
    Format.OB3_UNSIGNED,
    Format.CLR,
)


def _one(request: ExportRequest) -> Credential:
    if len(request.ids) != 1:
        raise ExportError(reason=_("this format holds exactly one credential"))
    return credential_for(request, request.ids[0])


def suggested_extension(credential: Credential) -> str:
    """For ``json`` exports: ``json``, or ``jws``/``jwt`` when the payload is a compact JWS."""
    if is_compact_jws(credential.payload):
        return "jwt" if credential.format is Format.OB3_VC_JWT else "jws"
    return "json"


class JsonExporter:
    name = "json"
    media_type = "application/json"

    def export(self, request: ExportRequest) -> bytes:
        return _one(request).payload


def _base_image(request: ExportRequest, credential: Credential, media: str) -> bytes:
    given = request.options.get("image")
    if isinstance(given, bytes):
        return given
    found = image_of(credential, request.reports.get(request.ids[0]), request.evidence)
    if found is not None and found[0] == media:
        return found[1]
    raise ExportError(
        reason=_("there is no {kind} image of this badge to bake it into").format(
            kind=media.split("/")[1].split("+", maxsplit=1)[0].upper()
        ),
        hint=_("Export the original instead: plecak export json ID."),
    )


class PngExporter:
    name = "png"
    media_type = "image/png"

    def export(self, request: ExportRequest) -> bytes:
        credential = _one(request)
        if extension_for(credential) == "png":
            return credential.original.data
        image = _base_image(request, credential, "image/png")
        keyword = baking.OB3_KEYWORD if credential.format in OB3_FORMATS else baking.OB2_KEYWORD
        try:
            return baking.bake_png(image, credential.payload, keyword=keyword)
        except (WalletError, ValueError) as exc:
            raise ExportError(reason=_("the image is not a usable PNG"), detail=str(exc)) from exc


class SvgExporter:
    name = "svg"
    media_type = "image/svg+xml"

    def export(self, request: ExportRequest) -> bytes:
        credential = _one(request)
        if extension_for(credential) == "svg":
            return credential.original.data
        image = _base_image(request, credential, "image/svg+xml")
        ob3 = credential.format in OB3_FORMATS
        payload = credential.payload.decode("utf-8", errors="strict")
        compact = is_compact_jws(credential.payload)
        try:
            if ob3:
                return baking.bake_svg(
                    image,
                    kind="credential",
                    verify=payload.strip() if compact else None,
                    text=None if compact else payload,
                )
            verify = (
                payload.strip() if compact else (credential.hosted_url or credential.credential_id)
            )
            return baking.bake_svg(
                image, kind="assertion", verify=verify, text=None if compact else payload
            )
        except (WalletError, ValueError) as exc:
            raise ExportError(reason=_("the image is not a usable SVG"), detail=str(exc)) from exc
