"""``sd-jwt``: an SD-JWT VC with only the claims the learner chooses to reveal.

Selective disclosure is what SD-JWT is for: the issuer signed digests, not values, so the learner
can leave any disclosure out and the rest still verifies.  ``options["reveal"]`` lists the claim
paths to show (``name``, ``credentialSubject/achievement``, ``nationalities/0``); none given keeps
every disclosure held.  Nothing is re-signed: the issuer's JWT and the kept disclosures are copied
byte for byte (:func:`wallet.codecs.sd_jwt.select`).
"""

from __future__ import annotations

from wallet.codecs import sd_jwt
from wallet.errors import ExportError
from wallet.i18n import _
from wallet.model import Format
from wallet.ports import ExportRequest


class SdJwtExporter:
    name = "sd-jwt"
    media_type = "application/dc+sd-jwt"

    def export(self, request: ExportRequest) -> bytes:
        if len(request.ids) != 1:
            raise ExportError(reason=_("this format exports exactly one credential"))
        credential = request.credentials[request.ids[0]]
        if credential.format is not Format.SD_JWT_VC:
            raise ExportError(
                reason=_(
                    "only an SD-JWT VC can be shared with chosen claims (this is {format})"
                ).format(format=credential.format.value)
            )
        reveal = request.options.get("reveal")
        try:
            if not isinstance(reveal, list) or not reveal:
                return credential.payload
            return sd_jwt.select(credential.payload, [str(p) for p in reveal]).encode("ascii")
        except sd_jwt.SdJwtError as exc:
            raise ExportError(reason=str(exc)) from exc
