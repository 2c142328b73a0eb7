"""An Open Badges 3.0 Verifiable Presentation of the learner's credentials, signed by the learner.

Signatures::

    class VpExporter: name = "vp"; media_type = "application/vp+ld+json"; export(request) -> bytes

The credentials go in unchanged: JSON credentials as their exact original text (spliced, never
re-dumped), VC-JWTs as ``EnvelopedVerifiableCredential`` (VC Data Model 2.0) holding the compact
token.  The proof is eddsa-jcs-2022 by the learner's did:key (:mod:`wallet.codecs.holder`), purpose
``authentication``; ``options["challenge"]`` / ``options["domain"]`` are carried when a verifier
asked for them.  It checks with no network at all.
"""

from __future__ import annotations

import uuid
from typing import Any

from exporters.common import (
    VC_FORMATS,
    credential_for,
    dumps_with_raw,
    embeddable,
    parsed_with_raw,
    require_vcs,
)
from wallet.codecs import holder
from wallet.errors import ExportError
from wallet.i18n import _
from wallet.ports import ExportRequest


def _opt(request: ExportRequest, key: str) -> str | None:
    value = request.options.get(key)
    return value if isinstance(value, str) and value else None


def presentation_id(request: ExportRequest, seed: str) -> str:
    """``options["id"]``, else a stable id for the same holder, time and credentials."""
    given = _opt(request, "id")
    if given:
        return given
    created = request.created.isoformat()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'plecak:{seed}:{created}')}"


class VpExporter:
    name = "vp"
    media_type = "application/vp+ld+json"

    def export(self, request: ExportRequest) -> bytes:
        if request.holder_key is None:
            raise ExportError(
                reason=_("the wallet's signing key is needed to sign the presentation")
            )
        credentials = [credential_for(request, wid) for wid in request.ids]
        require_vcs(credentials, VC_FORMATS)
        did = holder.did_key_from_private(request.holder_key)
        seed = did + "|" + "|".join(c.fingerprint for c in credentials)
        document: dict[str, Any] = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": presentation_id(request, seed),
            "type": ["VerifiablePresentation"],
            "holder": did,
            "verifiableCredential": [embeddable(c) for c in credentials],
        }
        signed = holder.sign_jcs(
            parsed_with_raw(document),
            request.holder_key,
            created=request.created,
            proof_purpose="authentication",
            challenge=_opt(request, "challenge"),
            domain=_opt(request, "domain"),
        )
        return dumps_with_raw({**document, "proof": signed["proof"]})
