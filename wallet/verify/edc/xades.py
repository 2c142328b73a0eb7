"""XAdES seals of the legacy Europass XML (ELM v2 / EDCI ``europassCredential``).

Why not signxml alone: the Europass XML seals its document with the XPath filter transform
``not(ancestor-or-self::ds:Signature)`` (XML-DSig 1.0), which signxml does not implement, so
signxml reports a digest mismatch on genuine credentials.  Here the document is parsed on hardened
lxml (no DTD, no entities, no network), each reference is resolved by us with only the transforms
Europass uses (that XPath filter, or enveloped-signature, then exclusive c14n), canonicalisation is
libxml2's (lxml), and the signature value is checked with ``cryptography`` under the key of the
certificate that the signed ``SigningCertificate(V2)`` property binds.

Unsigned properties become seal evidence: ``SignatureTimeStamp`` (its imprint covers the
canonicalised ``ds:SignatureValue``), ``CertificateValues`` and ``RevocationValues``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
from typing import Any

from wallet.i18n import N_, _
from wallet.verify.edc.evidence import SealEvidence
from wallet.verify.edc.jades import (
    SealAlgorithmRefused,
    SealError,
    SealSignatureInvalid,
    parse_time,
)
from wallet.verify.edc.path import Revinfo


class XmlSealMalformed(SealError):
    code = "edc-xades-malformed"
    default_message = N_("The seal is not a well-formed XAdES signature: {reason}")


class XmlNotSealed(SealError):
    code = "edc-xml-unsealed"
    default_message = N_("The credential is not sealed: nothing proves who issued it.")


DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "xades": XADES}
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
XPATH_NOT_SIGNATURE = "not(ancestor-or-self::ds:Signature)"
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
SIGNATURES = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": ("rsa", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", "sha384"),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", "sha512"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ec", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ec", "sha384"),
}
MAX_XML_BYTES = 8 * 1024 * 1024


def _parse(raw: bytes) -> Any:
    from lxml import etree

    if len(raw) > MAX_XML_BYTES:
        raise XmlSealMalformed(reason=_("it is over {limit} bytes").format(limit=MAX_XML_BYTES))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise XmlSealMalformed(reason=_("it is not well-formed XML"), detail=str(exc)) from exc
    if getattr(root.getroottree().docinfo, "doctype", None):
        raise XmlSealMalformed(reason=_("it declares a DTD"))
    return root


def _c14n(element: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(element, method="c14n", exclusive=True))


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise XmlSealMalformed(reason=_("the {part} is not base64").format(part=what)) from exc


def _without_signatures(root: Any) -> Any:
    """The document minus every ds:Signature subtree (what the XPath filter selects)."""
    doc = copy.deepcopy(root)
    for signature in doc.iterfind(f".//{{{DS}}}Signature"):
        parent, tail = signature.getparent(), signature.tail
        previous = signature.getprevious()
        parent.remove(signature)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return doc


def _referenced(root: Any, reference: Any) -> bytes:
    uri = reference.get("URI")
    transforms = [t.get("Algorithm") for t in reference.iterfind("ds:Transforms/ds:Transform", NS)]
    if uri == "":
        for transform in reference.iterfind("ds:Transforms/ds:Transform", NS):
            if transform.get("Algorithm") == XPATH:
                expression = (transform.findtext("ds:XPath", namespaces=NS) or "").strip()
                if expression != XPATH_NOT_SIGNATURE:
                    raise XmlSealMalformed(
                        reason=_("the XPath transform {expression} is not supported").format(
                            expression=expression
                        )
                    )
        if not set(transforms) <= {XPATH, ENVELOPED, EXC_C14N} or not (
            {XPATH, ENVELOPED} & set(transforms)
        ):
            raise XmlSealMalformed(reason=_("the document reference has unsupported transforms"))
        return _c14n(_without_signatures(root))
    if not uri or not uri.startswith("#") or not set(transforms) <= {EXC_C14N}:
        raise XmlSealMalformed(reason=_("a reference of the seal is not supported"))
    target = uri[1:]
    found = [e for e in root.iter() if e.get("Id") == target]
    if len(found) != 1:
        raise XmlSealMalformed(reason=_("a reference of the seal does not resolve to one element"))
    return _c14n(found[0])


def verify(raw: bytes) -> SealEvidence:
    """Check the enveloped XAdES seal of a Europass XML; raises a ``SealError`` with the reason."""
    from cryptography import x509

    root = _parse(raw)
    # Europass puts its one enveloped signature in <proof>; the document reference must then
    # cover the whole document (checked below), wherever the signature sits.
    signatures = root.findall(f".//{{{DS}}}Signature")
    if not signatures:
        raise XmlNotSealed()
    if len(signatures) != 1:
        raise XmlSealMalformed(reason=_("the document carries more than one seal"))
    (signature,) = signatures
    signed_info = signature.find("ds:SignedInfo", NS)
    if signed_info is None:
        raise XmlSealMalformed(reason=_("the seal has no SignedInfo"))
    c14n_method = signed_info.find("ds:CanonicalizationMethod", NS)
    if c14n_method is None or c14n_method.get("Algorithm") != EXC_C14N:
        raise XmlSealMalformed(reason=_("the seal's canonicalisation method is not supported"))
    method = signed_info.find("ds:SignatureMethod", NS)
    algorithm = SIGNATURES.get(method.get("Algorithm") if method is not None else "")
    if algorithm is None:
        raise SealAlgorithmRefused(
            alg=str(method.get("Algorithm") if method is not None else "-"),
            reason=_("not an algorithm for seals"),
        )
    covers_document = False
    for reference in signed_info.iterfind("ds:Reference", NS):
        digest_name = DIGESTS.get(
            reference.find("ds:DigestMethod", NS).get("Algorithm")
            if reference.find("ds:DigestMethod", NS) is not None
            else ""
        )
        if digest_name is None:
            raise XmlSealMalformed(reason=_("a reference uses an unsupported digest"))
        expected = _b64(reference.findtext("ds:DigestValue", namespaces=NS), "digest")
        if hashlib.new(digest_name, _referenced(root, reference)).digest() != expected:
            raise SealSignatureInvalid(
                detail=f"digest mismatch for reference URI={reference.get('URI')!r}"
            )
        covers_document = covers_document or reference.get("URI") == ""
    if not covers_document:
        raise XmlSealMalformed(reason=_("the seal does not cover the whole document"))
    cert_text = signature.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    leaf = _b64(cert_text, "certificate")
    _check_signing_certificate(signature, leaf)
    value_element = signature.find("ds:SignatureValue", NS)
    value = _b64(value_element.text if value_element is not None else None, "signature value")
    try:
        key = x509.load_der_x509_certificate(leaf).public_key()
    except ValueError as exc:
        raise XmlSealMalformed(reason=_("the sealing certificate cannot be read")) from exc
    _verify_value(key, algorithm, value, _c14n(signed_info))
    return _evidence(signature, leaf, _c14n(value_element))


def _check_signing_certificate(signature: Any, leaf: bytes) -> None:
    """The signed SigningCertificate(V2) must name the certificate that verifies the seal."""
    found = signature.findall(".//xades:SigningCertificateV2/xades:Cert/xades:CertDigest", NS)
    found += signature.findall(".//xades:SigningCertificate/xades:Cert/xades:CertDigest", NS)
    for digest in found:
        method = digest.find("ds:DigestMethod", NS)
        name = DIGESTS.get(method.get("Algorithm") if method is not None else "")
        value = _b64(digest.findtext("ds:DigestValue", namespaces=NS), "certificate digest")
        if name and hashlib.new(name, leaf).digest() == value:
            return
    raise XmlSealMalformed(reason=_("the signed properties do not name the sealing certificate"))


def _verify_value(key: Any, algorithm: tuple[str, str], value: bytes, data: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

    kind, hash_name = algorithm
    digest = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[
        hash_name
    ]
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            if key.key_size < 2048:
                raise SealAlgorithmRefused(
                    alg="RSA", reason=_("the RSA key is shorter than 2048 bits")
                )
            key.verify(value, data, padding.PKCS1v15(), digest)
        elif kind == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            size = len(value) // 2
            signature = utils.encode_dss_signature(
                int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big")
            )
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            raise SealAlgorithmRefused(
                alg=kind.upper(), reason=_("the certificate's key type is unsupported")
            )
    except InvalidSignature as exc:
        raise SealSignatureInvalid(detail="SignatureValue does not verify") from exc


def _evidence(signature: Any, leaf: bytes, signature_value_c14n: bytes) -> SealEvidence:
    unsigned = signature.find(".//xades:UnsignedSignatureProperties", NS)
    tokens: list[bytes] = []
    certs: list[bytes] = []
    crls: list[bytes] = []
    ocsps: list[bytes] = []
    if unsigned is not None:
        for node in unsigned.iterfind("xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp", NS):
            tokens.append(_b64(node.text, "time-stamp"))
        for node in unsigned.iterfind(
            "xades:CertificateValues/xades:EncapsulatedX509Certificate", NS
        ):
            certs.append(_b64(node.text, "certificate"))
        for node in unsigned.iterfind(
            "xades:RevocationValues/xades:CRLValues/xades:EncapsulatedCRLValue", NS
        ):
            crls.append(_b64(node.text, "CRL"))
        for node in unsigned.iterfind(
            "xades:RevocationValues/xades:OCSPValues/xades:EncapsulatedOCSPValue", NS
        ):
            from wallet.verify.edc.path import ocsp_response

            ocsps.append(ocsp_response(_b64(node.text, "OCSP response")))
    claimed = parse_time(signature.findtext(".//xades:SigningTime", namespaces=NS))
    return SealEvidence(
        certificates=(leaf,),
        claimed_time=claimed,
        signature_tokens=tuple(tokens),
        signature_covered=signature_value_c14n,
        archive_tokens=(),
        archive_covered=b"",
        revinfo=Revinfo(tuple(certs), tuple(crls), tuple(ocsps)),
    )
