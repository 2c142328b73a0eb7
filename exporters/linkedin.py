"""``plecak export linkedin ID``: LinkedIn's add-to-profile address for one credential.

LinkedIn's "Add to Profile" for certifications opens the member's certification form pre-filled
from the query (``startTask=CERTIFICATION_NAME``, ``name``, ``organizationName``, ``issueYear``,
``issueMonth``, ``expirationYear``, ``expirationMonth``, ``certUrl``, ``certId``).  Nothing is
sent anywhere by plecak: the learner opens the address in a browser (``--open``) and saves the form
on LinkedIn.  ``certUrl`` is given only when the credential has a public http(s) address, which
is where a reader of the profile can check it.

Signatures::

    class LinkedInExporter: name = "linkedin"; media_type = "text/uri-list"
        export(request: ExportRequest) -> bytes      # the URL and a newline
    linkedin_url(credential, facts) -> str
"""

from __future__ import annotations

from urllib.parse import urlencode

from exporters.common import credential_for, linked_documents
from wallet.codecs.eu import Facts, describe
from wallet.errors import ExportError
from wallet.i18n import _
from wallet.model import Credential
from wallet.ports import ExportRequest

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def _element(facts: Facts, key: str) -> str | None:
    for element in facts.elements:
        if element.key == key and isinstance(element.value, str) and element.value.strip():
            return element.value
    return None


def linkedin_url(credential: Credential, facts: Facts) -> str:
    title = credential.title or _element(facts, "title")
    if not title:
        raise ExportError(reason=_("the credential has no title to show on LinkedIn"))
    issuer = credential.issuer
    organisation = (issuer.name if issuer else None) or _element(facts, "awarding_body")
    params: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", title)]
    if organisation:
        params.append(("organizationName", organisation))
    issued = credential.issued or credential.valid_from
    if issued is not None:
        params += [("issueYear", str(issued.year)), ("issueMonth", str(issued.month))]
    expires = credential.expires or credential.valid_until
    if expires is not None:
        params += [("expirationYear", str(expires.year)), ("expirationMonth", str(expires.month))]
    cid = credential.credential_id
    if cid and cid.startswith(("https://", "http://")):
        params.append(("certUrl", cid))
    if cid:
        params.append(("certId", cid))
    return f"{ADD_TO_PROFILE}?{urlencode(params)}"


class LinkedInExporter:
    name = "linkedin"
    media_type = "text/uri-list"

    def export(self, request: ExportRequest) -> bytes:
        if len(request.ids) != 1:
            raise ExportError(reason=_("LinkedIn takes one credential at a time"))
        credential = credential_for(request, request.ids[0])
        report = request.reports.get(request.ids[0])
        facts = describe(credential, linked_documents(report, request.evidence))
        return (linkedin_url(credential, facts) + "\n").encode("utf-8")
