"""ETSI TS 119 612 trusted lists: the EU List of Trusted Lists (LOTL) and the national lists.

Trust flows one way: the LOTL is verified against signing certificates pinned in plecak (those
the Official Journal publishes); the LOTL names, for each member state, the certificates that may
sign its national list; each national list is verified against those.  Only what a verified
signature covers is read (signxml returns the signed element; we parse that, not the input).

Traps handled: a list signer whose certificate has since expired is checked at the list's issue
time, not now; an XML document is parsed with entities, DTDs and network access off; a national
list older than the one already held is refused (``build_snapshot(..., held=...)``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from wallet.i18n import _
from wallet.verify.edc.trust import (
    CA_PKC,
    CA_QC,
    FOR_ESEALS,
    KEPT_TYPES,
    TSA,
    TSA_QTST,
    ListInfo,
    StatusPeriod,
    TrustListError,
    TrustService,
    TrustSnapshot,
)

NS = {"t": "http://uri.etsi.org/02231/v2#", "ds": "http://www.w3.org/2000/09/xmldsig#"}
MAX_LIST_BYTES = 32 * 1024 * 1024
LOTL_TYPE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def verify_list(xml: bytes, signers: Iterable[bytes]) -> tuple[Any, bytes]:
    """The signed ``TrustServiceStatusList`` element and the signer that verified it.

    The signer certificate must have been valid at the list's own issue time (read from the
    signed content), which is what makes an old list verifiable after its signer expired.
    """
    from cryptography import x509
    from lxml import etree
    from signxml.exceptions import InvalidInput, InvalidSignature
    from signxml.verifier import SignatureConfiguration, XMLVerifier

    if len(xml) > MAX_LIST_BYTES:
        raise TrustListError(reason=_("the list is too large"))
    try:
        root = etree.fromstring(xml, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise TrustListError(reason=_("the list is not well-formed XML"), detail=str(exc)) from exc
    if root.getroottree().docinfo.doctype:
        raise TrustListError(reason=_("the list declares a DTD, which trusted lists never do"))
    # signxml checks the signer's validity at ``verification_time``: the list's own issue time
    # (read before verifying, then required to be the one the signature covers).
    claimed = _issue_time(root)
    config = SignatureConfiguration(expect_references=True, verification_time=claimed)
    failures: list[str] = []
    for der in signers:
        cert = x509.load_der_x509_certificate(der)
        try:
            results = XMLVerifier().verify(
                root,
                x509_cert=cert,
                ignore_ambiguous_key_info=True,
                parser=_parser(),
                expect_config=config,
            )
        except (InvalidSignature, InvalidInput, ValueError, etree.LxmlError) as exc:
            failures.append(repr(exc))
            continue
        signed = _signed_list(results)
        if signed is None or _issue_time(signed) != claimed:
            failures.append("the signature does not cover the list and its issue time")
            continue
        return signed, der
    raise TrustListError(
        reason=_("its signature does not verify against the pinned signers"),
        detail="; ".join(failures),
    )


def _signed_list(results: Any) -> Any:
    for result in results if isinstance(results, list) else [results]:
        element = result.signed_xml
        if element is not None and etree_name(element) == "TrustServiceStatusList":
            return element
    return None


def etree_name(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def _issue_time(signed: Any) -> datetime:
    value = _text(signed, "t:SchemeInformation/t:ListIssueDateTime")
    if not value:
        raise TrustListError(reason=_("the list has no issue time"))
    return _time(value)


def list_info(signed: Any, raw: bytes) -> ListInfo:
    scheme = "t:SchemeInformation/"
    next_update = _text(signed, scheme + "t:NextUpdate/t:dateTime")
    return ListInfo(
        country=_text(signed, scheme + "t:SchemeTerritory"),
        issued=_issue_time(signed),
        next_update=_time(next_update) if next_update else None,
        sequence=int(_text(signed, scheme + "t:TSLSequenceNumber") or 0),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _certificates(element: Any) -> tuple[bytes, ...]:
    import base64

    found = []
    for node in element.iterfind("t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate", NS):
        text = "".join((node.text or "").split())
        if text:
            found.append(base64.b64decode(text))
    return tuple(found)


def _period(element: Any) -> StatusPeriod:
    return StatusPeriod(
        start=_time(_text(element, "t:StatusStartingTime")),
        status=_text(element, "t:ServiceStatus"),
        service_type=_text(element, "t:ServiceTypeIdentifier"),
        additional=tuple(
            (uri.text or "").strip()
            for uri in element.iterfind(
                "t:ServiceInformationExtensions/t:Extension/t:AdditionalServiceInformation/t:URI",
                NS,
            )
        ),
    )


def services(signed: Any, country: str) -> list[TrustService]:
    """The CA and time-stamping services of a verified national list, with their history."""
    kept: list[TrustService] = []
    for provider in signed.iterfind("t:TrustServiceProviderList/t:TrustServiceProvider", NS):
        provider_name = _text(provider, "t:TSPInformation/t:TSPName/t:Name")
        for service in provider.iterfind("t:TSPServices/t:TSPService", NS):
            info = service.find("t:ServiceInformation", NS)
            history = [_period(info)] + [
                _period(h)
                for h in service.iterfind("t:ServiceHistory/t:ServiceHistoryInstance", NS)
            ]
            if not any(p.service_type in KEPT_TYPES for p in history) or not _for_seals_or_time(
                history
            ):
                continue
            certs = _certificates(info)
            if not certs:
                continue
            kept.append(
                TrustService(
                    country=country,
                    provider=provider_name,
                    name=_text(info, "t:ServiceName/t:Name"),
                    certificates=certs,
                    history=tuple(history),
                )
            )
    return kept


def _for_seals_or_time(history: list[StatusPeriod]) -> bool:
    """Keep time-stamping services, and CA services not restricted to other uses than seals."""
    for period in history:
        if period.service_type in (TSA, TSA_QTST, CA_PKC):
            return True
        if period.service_type == CA_QC and (
            FOR_ESEALS in period.additional
            or not any(uri.rsplit("/", 1)[-1].startswith("For") for uri in period.additional)
        ):
            return True
    return False


def pointers(signed_lotl: Any) -> dict[str, tuple[bytes, ...]]:
    """Country -> the certificates the LOTL allows to sign that country's list."""
    found: dict[str, list[bytes]] = {}
    for pointer in signed_lotl.iterfind(
        "t:SchemeInformation/t:PointersToOtherTSL/t:OtherTSLPointer", NS
    ):
        territory = ""
        for info in pointer.iterfind("t:AdditionalInformation/t:OtherInformation", NS):
            node = info.find("t:SchemeTerritory", NS)
            if node is not None and node.text:
                territory = node.text.strip()
        if not territory:
            continue
        for identity in pointer.iterfind("t:ServiceDigitalIdentities", NS):
            found.setdefault(territory, []).extend(_certificates(identity))
    return {k: tuple(v) for k, v in found.items()}


XML_TYPES = frozenset({"application/vnd.etsi.tsl+xml", "text/xml", "application/xml"})
ADDITIONAL_TYPES = "http://uri.etsi.org/02231/v2/additionaltypes#"


def locations(signed_lotl: Any) -> dict[str, str]:
    """Country -> where the LOTL says its machine-readable (XML) list is published.

    A pointer without a MimeType is taken as XML; the PDF pointers are skipped.
    """
    found: dict[str, str] = {}
    for pointer in signed_lotl.iterfind(
        "t:SchemeInformation/t:PointersToOtherTSL/t:OtherTSLPointer", NS
    ):
        territory = _text(pointer, "t:AdditionalInformation/t:OtherInformation/t:SchemeTerritory")
        mime = ""
        for node in pointer.iterfind(
            f"t:AdditionalInformation/t:OtherInformation/{{{ADDITIONAL_TYPES}}}MimeType", NS
        ):
            mime = (node.text or "").strip().lower()
        location = _text(pointer, "t:TSLLocation")
        if territory and location and (not mime or mime in XML_TYPES):
            found.setdefault(territory, location)
    return found


def build_snapshot(
    lotl: bytes,
    national: Mapping[str, bytes],
    pinned_lotl_signers: Iterable[bytes],
    *,
    source: str = "",
    held: TrustSnapshot | None = None,
) -> TrustSnapshot:
    """Verify the LOTL and each national list, keep their CA/TSA services.  Raises on any doubt."""
    signed_lotl, _signer = verify_list(lotl, pinned_lotl_signers)
    lotl_info = list_info(signed_lotl, lotl)
    allowed = pointers(signed_lotl)
    held_lotl = held.list_for("EU") if held else None
    if held_lotl and (
        lotl_info.sequence < held_lotl.sequence or lotl_info.issued < held_lotl.issued
    ):
        raise TrustListError(
            reason=_("the list of {country} is older than the one held").format(country="EU")
        )
    infos = [
        ListInfo(
            "EU", lotl_info.issued, lotl_info.next_update, lotl_info.sequence, lotl_info.sha256
        )
    ]
    kept: list[TrustService] = []
    for country, xml in sorted(national.items()):
        signers = allowed.get(country)
        if not signers:
            raise TrustListError(
                reason=_("the LOTL names no signer for the list of {country}").format(
                    country=country
                )
            )
        signed, _signer = verify_list(xml, signers)
        info = list_info(signed, xml)
        if info.country != country:
            raise TrustListError(
                reason=_("the list for {country} is the list of {other}").format(
                    country=country, other=info.country
                )
            )
        previous = held.list_for(country) if held else None
        if previous and (info.sequence < previous.sequence or info.issued < previous.issued):
            raise TrustListError(
                reason=_("the list of {country} is older than the one held").format(country=country)
            )
        infos.append(info)
        kept.extend(services(signed, country))
    return TrustSnapshot(lists=tuple(infos), services=tuple(kept), source=source)
