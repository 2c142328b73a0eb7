"""A CLR 2.0 ``ClrCredential`` the learner assembles from their own OB 3.0 credentials.

Signatures::

    class ClrExporter: name = "clr"; media_type = "application/vc+ld+json"; export(request) -> bytes

Why marked self-issued: a CLR is normally issued by an institution that vouches for the whole
record.  Here the learner is both issuer and subject (the same did:key), the name and description
say so in both senses, and each nested credential keeps its own issuer's proof, unchanged.  A
reader must trust the parts, not the wrapper.

Associations (CLR 2.0 ``Association``) are only those stated by the credentials themselves: CLR
associations of nested CLRs, OB 3.0 ``related`` links between achievements (``isRelatedTo``), ELM
``isPartOf``/``hasPart`` (``isPartOf``/``isParentOf``).  Nothing is inferred from titles.
"""

from __future__ import annotations

from typing import Any

from exporters.common import (
    VC_FORMATS,
    credential_for,
    dumps_with_raw,
    embeddable,
    parsed_with_raw,
    require_vcs,
)
from exporters.vp import presentation_id
from wallet.codecs import holder
from wallet.codecs.dates import format_date
from wallet.codecs.eu import describe
from wallet.errors import ExportError
from wallet.i18n import _
from wallet.model import Credential, Json
from wallet.ports import ExportRequest

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_RELATION = {
    "related": "isRelatedTo",
    "isPartOf": "isPartOf",
    "hasPart": "isParentOf",
}
CLR_ASSOCIATION_TYPES = frozenset(
    {
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    }
)


def associations(credentials: list[Credential]) -> list[dict[str, Json]]:
    """CLR associations between the achievements of ``credentials`` (explicit links only)."""
    found: dict[tuple[str, str, str], dict[str, Json]] = {}
    for credential in credentials:
        facts = describe(credential)
        own = facts.achievement_ids[0] if facts.achievement_ids else None
        for link in facts.links:
            kind = _RELATION.get(link.relation, link.relation)
            source = link.source or own
            if kind not in CLR_ASSOCIATION_TYPES or not source:
                continue
            found.setdefault(
                (kind, source, link.target),
                {
                    "type": "Association",
                    "associationType": kind,
                    "sourceId": source,
                    "targetId": link.target,
                },
            )
    return [found[key] for key in sorted(found)]


class ClrExporter:
    name = "clr"
    media_type = "application/vc+ld+json"

    def export(self, request: ExportRequest) -> bytes:
        if request.holder_key is None:
            raise ExportError(reason=_("the wallet's signing key is needed to sign the record"))
        credentials = [credential_for(request, wid) for wid in request.ids]
        require_vcs(credentials, VC_FORMATS)
        did = holder.did_key_from_private(request.holder_key)
        seed = "clr|" + did + "|" + "|".join(c.fingerprint for c in credentials)
        name = request.options.get("name")
        title = name if isinstance(name, str) and name else _("Learner-assembled record")
        subject: dict[str, Any] = {
            "id": did,
            "type": ["ClrSubject"],
            "verifiableCredential": [embeddable(c) for c in credentials],
        }
        links = associations(credentials)
        if links:
            subject["association"] = links
        document: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT, OB_CONTEXT],
            "id": presentation_id(request, seed),
            "type": ["VerifiableCredential", "ClrCredential"],
            "name": f"{title} (self-issued)",
            "description": (
                "Self-issued: assembled and signed by the learner, who is both issuer and subject. "
                "Each nested credential carries its own issuer's proof, unchanged."
            ),
            "issuer": {
                "id": did,
                "type": ["Profile"],
                "name": "Self-issued by the learner",
            },
            "validFrom": format_date(request.created),
            "credentialSubject": subject,
        }
        signed = holder.sign_jcs(
            parsed_with_raw(document), request.holder_key, created=request.created
        )
        return dumps_with_raw({**document, "proof": signed["proof"]})
