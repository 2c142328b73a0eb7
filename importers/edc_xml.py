"""Legacy Europass XML credentials (ELM v2 / EDCI ``<europassCredential>``, 2019–2022).

Why read them at all: learners still hold these from the first Europass Digital Credentials
Infrastructure.  We show what they say (title, awarding body, learner, dates, achievements) and keep
the file byte for byte (the enveloped XAdES signature covers the document); we do not verify the
seal, so the verifier reports them as unverified.  Parsing uses the hardened parser of
wallet.codecs.baking (no entities, no DTD, no network).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from importers import sniff
from wallet.codecs.baking import parse_xml
from wallet.codecs.dates import parse_date
from wallet.errors import UnsupportedInput
from wallet.model import Achievement, Credential, Format, Issuer, Original, Recipient
from wallet.ports import Blob, Found

PREFERRED = ("en", "pl")


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: etree._Element | None) -> str | None:
    """A multilingual ``<x><text lang="en">…</text></x>`` value, or the element's own text."""
    if element is None:
        return None
    texts = _children(element, "text")
    for lang in PREFERRED:
        for node in texts:
            if node.get("lang") == lang and (node.text or "").strip():
                return (node.text or "").strip()
    for node in texts:
        if (node.text or "").strip():
            return (node.text or "").strip()
    own = (element.text or "").strip()
    return own or None


def _attr(element: etree._Element, local: str) -> str | None:
    for name, value in element.attrib.items():
        if etree.QName(name).localname == local:
            return str(value)
    return None


def _by_id(root: etree._Element, ident: str | None) -> etree._Element | None:
    if not ident:
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") == ident:
            return element
    return None


def _issuer(root: etree._Element) -> Issuer:
    """The issuing organisation the credential's ``issuer`` refers to (by ``idref``)."""
    issuer_ref = _child(root, "issuer")
    org = _by_id(root, issuer_ref.get("idref") if issuer_ref is not None else None)
    country = None
    for address in org.iter() if org is not None else []:
        if _local(address) == "country":
            uri = address.get("uri")
            country = uri.rsplit("/", 1)[-1] if uri else address.get("targetNotation")
            break
    homepage = _child(org, "homepage")
    return Issuer(
        id=org.get("id") if org is not None else None,
        name=_text(_child(org, "prefLabel")) or _text(_child(org, "altLabel")),
        url=(homepage.get("uri") if homepage is not None else None),
        country=country,
    )


def _recipient(subject: etree._Element | None) -> Recipient | None:
    """The learner: the first ``mailto:`` mailbox, else the subject's id."""
    mailbox = None
    for element in subject.iter() if subject is not None else []:
        if _local(element) == "mailBox" and (element.get("uri") or "").startswith("mailto:"):
            mailbox = str(element.get("uri"))[7:]
            break
    name = _text(_child(subject, "fullName"))
    if subject is not None and (mailbox or subject.get("id")):
        return Recipient(
            identity=mailbox or str(subject.get("id")),
            type="email" if mailbox else "id",
            name=name,
        )
    return None


def _achievement(root: etree._Element, subject: etree._Element | None) -> Achievement | None:
    """The first learning achievement, titled by itself or by its specification."""
    first = _child(_child(subject, "achievements"), "learningAchievement")
    if first is None:
        return None
    spec_ref = _child(first, "specifiedBy")
    spec = _by_id(root, spec_ref.get("idref") if spec_ref is not None else None)
    return Achievement(
        id=first.get("id"),
        name=_text(_child(first, "title")) or _text(_child(spec, "title")),
        description=_text(_child(first, "description")),
    )


class EdcXmlImporter:
    name = "edc-xml"

    def sniff(self, blob: Blob) -> bool:
        return sniff.edc_xml(blob)

    def parse(self, blob: Blob) -> Sequence[Found]:
        root = parse_xml(blob.data, source=blob.source)
        if _local(root) != "europassCredential":
            raise UnsupportedInput(source=blob.source)
        issuer = _issuer(root)
        subject = _child(root, "credentialSubject")
        recipient = _recipient(subject)
        achievement = _achievement(root, subject)
        valid_until = parse_date(
            _text(_child(root, "validUntil")) or _text(_child(root, "expirationDate"))
        )
        original = Original(data=blob.data, media_type="application/xml", source=blob.source)
        return [
            Credential(
                format=Format.EDC_XML,
                original=original,
                payload=blob.data,
                credential_id=_attr(root, "id"),
                spec_version="elm-2",
                title=_text(_child(root, "title")) or (achievement.name if achievement else None),
                description=_text(_child(root, "description")),
                issuer=issuer,
                achievement=achievement,
                recipient=recipient,
                issued=parse_date(_text(_child(root, "issued"))),
                expires=valid_until,
                valid_from=parse_date(_text(_child(root, "validFrom"))),
                valid_until=valid_until,
            )
        ]
