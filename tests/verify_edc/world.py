"""A synthetic EU trust world, built with our own keys: LOTL, a national list, CAs, seals, TSAs.

Everything a sealed EDC relies on is made here, so that each defect of the acceptance list can be
produced on purpose: a list signed by the wrong key, a service withdrawn before the seal, a
revoked or expired seal certificate, a time-stamp from an unlisted authority, a tampered header.

Keys are P-256 (fast to make); one RSA key covers the RS256 path.  Times are fixed around the
test clock (2026-11-23): the lists are issued on 2026-02-01, the seal is made on 2026-03-01.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from tests.verify_edc.trusted_lists import Service, lotl, national_list
from wallet.verify.edc import trust, trustlist

SIGNED_AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(cn: str, org: str = "Synthetic QTSP", country: str = "PL") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _der_sequence(*items: bytes) -> bytes:
    """A DER SEQUENCE (or SEQUENCE OF) of already encoded items."""
    body = b"".join(items)
    if len(body) < 0x80:
        return b"\x30" + bytes([len(body)]) + body
    size = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return b"\x30" + bytes([0x80 | len(size)]) + size + body


def _oid(dotted: str) -> bytes:
    return bytes(core.ObjectIdentifier(dotted).dump())


def _qc_statements(eseal: bool) -> bytes:
    """QCStatements (RFC 3739, ETSI EN 319 412-5): QcCompliance, and QcType e-seal when asked,
    encoded by hand (asn1crypto would need subclasses of its untyped classes)."""
    statements = [_der_sequence(_oid("0.4.0.1862.1.1"))]
    if eseal:
        qc_type = _der_sequence(_oid("0.4.0.1862.1.6.2"))
        statements.append(_der_sequence(_oid("0.4.0.1862.1.6"), qc_type))
    return _der_sequence(*statements)


@dataclass
class Cert:
    key: PrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _key_usage(*, ca: bool, tsa: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; a seal signs with non-repudiation; a TSA only signs."""
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(digital_signature=True, content_commitment=not tsa)
    return x509.KeyUsage(**usage)


def make_cert(
    subject: x509.Name,
    key: PrivateKey,
    issuer: Cert | None,
    *,
    ca: bool = False,
    not_before: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    not_after: datetime = datetime(2035, 1, 1, tzinfo=UTC),
    qc: bool | None = None,
    tsa: bool = False,
    ocsp_url: str | None = None,
    crl_url: str | None = None,
) -> Cert:
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    builder = builder.add_extension(_key_usage(ca=ca, tsa=tsa), critical=True)
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if ocsp_url:
        # certvalidator consults OCSP only for a certificate that declares a responder
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(ocsp_url),
                    )
                ]
            ),
            critical=False,
        )
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if qc is not None:
        builder = builder.add_extension(
            x509.UnrecognizedExtension(
                x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), _qc_statements(qc)
            ),
            critical=False,
        )
    return Cert(key, builder.sign(signing_key, hashes.SHA256()))


def crl(issuer: Cert, revoked: list[tuple[x509.Certificate, datetime]], at: datetime) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(at)
        .next_update(at + timedelta(days=30))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for cert, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(when)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_good(leaf: Cert, issuer: Cert, at: datetime, revoked_at: datetime | None = None) -> bytes:
    """A "good" (or, with ``revoked_at``, "revoked") OCSP response by the issuing CA.  CertID hashes as asn1crypto computes them
    (the key hash over the BIT STRING contents), which is what pyhanko-certvalidator matches."""
    issuer_asn1 = asn1_x509.Certificate.load(issuer.der)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=issuer_asn1.subject.sha256,
            issuer_key_hash=issuer_asn1.public_key.sha256,
            serial_number=leaf.cert.serial_number,
            algorithm=hashes.SHA256(),
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=at,
            next_update=at + timedelta(days=7),
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.cert)
        .certificates([issuer.cert])
    )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def timestamp(tsa: Cert, covered: bytes, at: datetime) -> bytes:
    """An RFC 3161 token over ``covered`` made by ``tsa`` (CMS signed with signed attributes)."""
    info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.2.3.4",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(covered).digest(),
            },
            "serial_number": 7,
            "gen_time": at,
        }
    )
    info_der = info.dump()
    cert = asn1_x509.Certificate.load(tsa.der)
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(info_der).digest()]},
            {"type": "signing_time", "values": [cms.Time({"utc_time": at})]},
        ]
    )
    signature = _sign(tsa.key, attrs.dump())
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": cert.issuer,
                    "serial_number": cert.serial_number,
                }
            },
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": signature,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(info_der),
            },
            "certificates": [cert],
            "signer_infos": [signer],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


def _sign(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    from cryptography.hazmat.primitives.asymmetric import padding

    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """Keys, certificates and lists; ``snapshot()`` is what plecak would ship for it."""

    lotl_signer: Cert
    tl_signer: Cert
    ca: Cert
    tsa: Cert
    services: list[Service]

    def lists(self, **national: Any) -> tuple[bytes, bytes]:
        return (
            lotl(self.lotl_signer, {"PL": self.tl_signer}),
            national_list("PL", self.tl_signer, self.services, **national),
        )

    def snapshot(self, **national: Any) -> trust.TrustSnapshot:
        lotl_xml, pl_xml = self.lists(**national)
        return trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [self.lotl_signer.der])

    def seal_cert(self, **kwargs: Any) -> Cert:
        kwargs.setdefault("qc", True)
        kwargs.setdefault("not_before", datetime(2025, 1, 1, tzinfo=UTC))
        kwargs.setdefault("not_after", datetime(2027, 1, 1, tzinfo=UTC))
        issuer = kwargs.pop("issuer", self.ca)
        return make_cert(
            _name("Uniwersytet Syntetyczny seal", "Uniwersytet Syntetyczny"),
            kwargs.pop("key", None) or ec_key(),
            issuer,
            **kwargs,
        )


def make_world() -> World:
    lotl_signer = make_cert(_name("LOTL signer", "European Commission", "BE"), ec_key(), None)
    tl_signer = make_cert(_name("PL TL signer", "Ministry", "PL"), ec_key(), None)
    ca = make_cert(_name("Synthetic QTSP CA for eSeals"), ec_key(), None, ca=True)
    tsa = make_cert(_name("Synthetic QTSA unit"), ec_key(), None, tsa=True)
    services = [Service(ca), Service(tsa, type=trust.TSA_QTST, additional=(), name="QTSA")]
    return World(lotl_signer, tl_signer, ca, tsa, services)


EDC_DOCUMENT: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/2018/credentials/v1",
        "http://data.europa.eu/snb/model/context/edc-ap",
    ],
    "id": "urn:epass:credential:synthetic-1",
    "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
    "issuer": {"id": "urn:epass:org:1", "type": "Organisation", "legalName": {"en": "Uni"}},
    "issuanceDate": "2026-03-01T09:00:00Z",
    "credentialSubject": {"id": "urn:epass:person:1", "type": "Person"},
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seal_edc(
    seal: Cert,
    chain: list[Cert] = (),  # type: ignore[assignment]
    *,
    document: dict[str, Any] | None = None,
    alg: str | None = None,
    sig_tst: tuple[Cert, datetime] | None = None,
    arc_tst: tuple[Cert, datetime] | None = None,
    crls: list[bytes] = (),  # type: ignore[assignment]
    ocsps: list[bytes] = (),  # type: ignore[assignment]
    header_extra: dict[str, Any] | None = None,
    signed_at: datetime = SIGNED_AT,
) -> dict[str, Any]:
    """A JAdES JWS JSON document sealing ``document`` with ``seal`` (b64: false)."""
    payload = json.dumps(document or EDC_DOCUMENT, separators=(",", ":"))
    if alg is None:
        alg = "ES256" if isinstance(seal.key, ec.EllipticCurvePrivateKey) else "RS256"
    header = {
        "alg": alg,
        "typ": "jose+json",
        "cty": "octet-stream",
        "b64": False,
        "x5c": [base64.b64encode(c.der).decode() for c in (seal, *chain)],
        "x5t#S256": _b64(hashlib.sha256(seal.der).digest()),
        "sigT": signed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "crit": ["b64", "sigT"],
        **(header_extra or {}),
    }
    protected = _b64(json.dumps(header).encode())
    data = f"{protected}.{payload}".encode()
    raw = _sign(seal.key, data)
    if isinstance(seal.key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(raw)
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    signature = _b64(raw)
    unsigned: list[str] = []
    if sig_tst:
        token = timestamp(sig_tst[0], signature.encode(), sig_tst[1])
        unsigned.append(_component({"sigTst": {"tstTokens": [{"val": _std(token)}]}}))
    if crls or ocsps:
        values: dict[str, Any] = {}
        if crls:
            values["crlVals"] = [{"val": _std(c)} for c in crls]
        if ocsps:
            values["ocspVals"] = [{"val": _std(o)} for o in ocsps]
        unsigned.append(_component({"rVals": values}))
    if arc_tst:
        covered = ".".join([payload, protected, signature, "".join(unsigned)]).encode()
        token = timestamp(arc_tst[0], covered, arc_tst[1])
        unsigned.append(_component({"arcTst": {"tstTokens": [{"val": _std(token)}]}}))
    entry: dict[str, Any] = {"protected": protected, "signature": signature}
    if unsigned:
        entry["header"] = {"etsiU": unsigned}
    return {"payload": payload, "signatures": [entry]}


def _component(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


def _std(data: bytes) -> str:
    return base64.b64encode(data).decode()
