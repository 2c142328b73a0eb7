"""SD-JWT VC importer (IETF ``dc+sd-jwt``, formerly ``vc+sd-jwt``; the EU wallet format):
``<issuer-signed JWT>~<disclosure>~…~[<key-binding JWT>]``.  Never verifies.

The disclosed claims are rebuilt (the digests tell where each disclosure goes) so that the badge
can be shown; the exact text is kept as the payload, because the verifier checks the issuer's
signature, the digests and the key binding over those bytes.  An OB 3.0 payload inside (name,
credentialSubject.achievement, …) is read like any OB 3.0 credential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from importers import sniff
from importers.parse import fields as f
from importers.parse import jose, ob3
from wallet.codecs import sd_jwt
from wallet.errors import MalformedInput
from wallet.i18n import _
from wallet.model import Credential, Format, Issuer, Original
from wallet.ports import Blob, Found

MEDIA_TYPE = "application/dc+sd-jwt"


class SdJwtImporter:
    name = "sd-jwt"

    def sniff(self, blob: Blob) -> bool:
        return sniff.sd_jwt(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        token = jose.strip_token(blob.data)
        try:
            parsed = sd_jwt.parse(token)
            rebuilt = sd_jwt.rebuild(parsed)
        except sd_jwt.SdJwtError as exc:
            raise MalformedInput(
                source=blob.source,
                reason=_("the SD-JWT is malformed: {error}").format(error=str(exc)[:200]),
            ) from exc
        jose.check_algorithm(parsed.header, source=blob.source)
        original = Original(
            data=blob.data, media_type=blob.media_type or MEDIA_TYPE, source=blob.source
        )
        return [to_credential(rebuilt.claims, token, original)]


def to_credential(claims: dict[str, object], token: bytes, original: Original) -> Credential:
    """The disclosed claims as a credential (``document`` = the claims, as disclosed)."""
    base = ob3.to_credential(
        claims, payload=token, original=original, fmt=Format.SD_JWT_VC, claims=claims
    )
    issuer = base.issuer
    iss = claims.get("iss")
    if isinstance(iss, str) and (issuer is None or issuer.id != iss):
        issuer = Issuer(id=iss, name=issuer.name if issuer else None)
    vct = f.text(claims.get("vct"))
    return replace(
        base,
        spec_version="sd-jwt-vc",
        title=base.title or vct,
        issuer=issuer,
        credential_id=base.credential_id,
    )
