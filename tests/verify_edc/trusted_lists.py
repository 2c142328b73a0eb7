"""The synthetic world's trusted lists: a LOTL and national lists (ETSI TS 119 612 XML), signed
with the world's keys by signxml, so a list can be made stale, badly signed or older on purpose."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml.algorithms import SignatureMethod
from signxml.signer import XMLSigner

from wallet.verify.edc import trust

if TYPE_CHECKING:
    from tests.verify_edc.world import Cert

LIST_ISSUED = datetime(2026, 2, 1, tzinfo=UTC)
LIST_NEXT = datetime(2026, 8, 1, tzinfo=UTC)
TL_NS = "http://uri.etsi.org/02231/v2#"


@dataclass
class Service:
    cert: Cert
    type: str = trust.CA_QC
    history: list[tuple[str, datetime]] = field(
        default_factory=lambda: [(trust.GRANTED, datetime(2019, 1, 1, tzinfo=UTC))]
    )
    additional: tuple[str, ...] = (trust.FOR_ESEALS,)
    name: str = "Synthetic service"


def _list_root() -> etree._Element:
    """An empty list in the default namespace, as real lists are written (lxml-stubs type ``nsmap``
    without the ``None`` key that declares a default namespace, so the root is parsed, not built)."""
    return etree.fromstring(f'<TrustServiceStatusList xmlns="{TL_NS}"/>')


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{TL_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _digital_identity(parent: etree._Element, certs: list[bytes]) -> None:
    identity = _sub(parent, "ServiceDigitalIdentity")
    for der in certs:
        _sub(_sub(identity, "DigitalId"), "X509Certificate", base64.b64encode(der).decode())


def _status_block(parent: etree._Element, service: Service, status: str, start: datetime) -> None:
    _sub(parent, "ServiceTypeIdentifier", service.type)
    _sub(_sub(parent, "ServiceName"), "Name", service.name)
    _digital_identity(parent, [service.cert.der])
    _sub(parent, "ServiceStatus", status)
    _sub(parent, "StatusStartingTime", start.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if service.additional:
        extensions = _sub(parent, "ServiceInformationExtensions")
        for uri in service.additional:
            info = _sub(_sub(extensions, "Extension"), "AdditionalServiceInformation")
            _sub(info, "URI", uri)


def _scheme(
    root: etree._Element, territory: str, issued: datetime, next_update: datetime, sequence: int
) -> etree._Element:
    scheme = _sub(root, "SchemeInformation")
    _sub(scheme, "TSLSequenceNumber", str(sequence))
    _sub(scheme, "SchemeTerritory", territory)
    _sub(scheme, "ListIssueDateTime", issued.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(_sub(scheme, "NextUpdate"), "dateTime", next_update.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return scheme


def _sign_list(root: etree._Element, signer: Cert) -> bytes:
    key = signer.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(root, key=key, cert=[signer.cert])
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def national_list(
    territory: str,
    signer: Cert,
    services: list[Service],
    *,
    issued: datetime = LIST_ISSUED,
    next_update: datetime = LIST_NEXT,
    sequence: int = 10,
) -> bytes:
    root = _list_root()
    root.set("Id", "tsl")
    _scheme(root, territory, issued, next_update, sequence)
    provider = _sub(_sub(root, "TrustServiceProviderList"), "TrustServiceProvider")
    _sub(_sub(_sub(provider, "TSPInformation"), "TSPName"), "Name", "Synthetic QTSP S.A.")
    holder = _sub(provider, "TSPServices")
    for service in services:
        node = _sub(holder, "TSPService")
        (status, start), *older = service.history
        _status_block(_sub(node, "ServiceInformation"), service, status, start)
        if older:
            history = _sub(node, "ServiceHistory")
            for old_status, old_start in older:
                _status_block(
                    _sub(history, "ServiceHistoryInstance"), service, old_status, old_start
                )
    return _sign_list(root, signer)


def lotl(
    signer: Cert,
    pointers: dict[str, Cert],
    *,
    issued: datetime = LIST_ISSUED,
    sequence: int = 300,
    base: str = "https://tl.example/",
) -> bytes:
    """The LOTL pointing to each territory's list at ``{base}{territory}.xml``."""
    root = _list_root()
    scheme = _scheme(root, "EU", issued, issued + timedelta(days=180), sequence)
    others = _sub(scheme, "PointersToOtherTSL")
    for territory, tl_signer in pointers.items():
        pointer = _sub(others, "OtherTSLPointer")
        identities = _sub(pointer, "ServiceDigitalIdentities")
        _digital_identity(identities, [tl_signer.der])
        _sub(pointer, "TSLLocation", f"{base}{territory}.xml")
        info = _sub(_sub(pointer, "AdditionalInformation"), "OtherInformation")
        _sub(info, "SchemeTerritory", territory)
    return _sign_list(root, signer)
