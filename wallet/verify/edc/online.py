"""Revocation data fetched online when the seal carries none that covers the time of sealing.

Only when the verifier is online, only through the Fetcher (so every request is policy-checked
and recorded as evidence), only the sealing certificate's own pointers: its OCSP responders
(RFC 6960 GET form, the request in the path, no nonce, so a response can be cached by the CA) and
its http(s) CRL distribution points.  What comes back is never trusted as such: it joins the
carried values and the path is validated again (the response must be signed by the CA or its
delegated responder, and speak for the time of sealing).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import quote

from wallet.errors import NetworkError
from wallet.ports import Fetcher
from wallet.verify.edc import path
from wallet.verify.edc.trust import TrustSnapshot

MAX_CRL_BYTES = 20 * 1024 * 1024
MAX_OCSP_BYTES = 64 * 1024
MAX_URLS = 3
OCSP_RESPONSE = "application/ocsp-response"


def ocsp_urls(cert_der: bytes) -> list[str]:
    """The http(s) OCSP responders a certificate's AIA names."""
    from asn1crypto import x509

    cert = x509.Certificate.load(cert_der)
    return [u for u in cert.ocsp_urls if u.lower().startswith(("https://", "http://"))]


def issuer_of(leaf_der: bytes, candidates: Iterable[bytes]) -> bytes | None:
    """The candidate certificate that really signed ``leaf_der`` (name and signature)."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    leaf = x509.load_der_x509_certificate(leaf_der)
    for der in candidates:
        try:
            cert = x509.load_der_x509_certificate(der)
            if cert.subject == leaf.issuer:
                leaf.verify_directly_issued_by(cert)
                return der
        except (ValueError, TypeError, InvalidSignature):
            continue
    return None


def ocsp_get_url(responder: str, leaf_der: bytes, issuer_der: bytes) -> str:
    """RFC 6960 A.1: ``{responder}/{url-encoded base64 of the DER OCSPRequest}``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(
            x509.load_der_x509_certificate(leaf_der),
            x509.load_der_x509_certificate(issuer_der),
            hashes.SHA1(),  # noqa: S303 - the CertID hash every responder supports (RFC 5019)
        )
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    return responder.rstrip("/") + "/" + quote(base64.b64encode(request).decode(), safe="")


async def _bodies(fetcher: Fetcher, urls: list[str], accept: str | None, cap: int) -> list[bytes]:
    found: list[bytes] = []
    for url in urls[:MAX_URLS]:
        try:
            response = await fetcher.get(url, accept=accept, max_bytes=cap)
        except NetworkError:
            continue
        if 200 <= response.status < 300 and response.body:
            found.append(response.body)
    return found


async def fetch_ocsps(
    fetcher: Fetcher, leaf_der: bytes, carried: Iterable[bytes], snapshot: TrustSnapshot
) -> list[bytes]:
    """OCSP responses for the sealing certificate from its own responders (none without an
    issuer certificate to name it by: carried, or listed in the snapshot)."""
    listed = (der for service in snapshot.services for der in service.certificates)
    issuer = issuer_of(leaf_der, [*carried, *listed])
    if issuer is None:
        return []
    urls = [ocsp_get_url(u, leaf_der, issuer) for u in ocsp_urls(leaf_der)]
    found = await _bodies(fetcher, urls, OCSP_RESPONSE, MAX_OCSP_BYTES)
    usable: list[bytes] = []
    for body in found:
        try:
            usable.append(path.ocsp_response(body))
        except (ValueError, TypeError, KeyError):
            continue
    return usable


async def fetch_crls(fetcher: Fetcher, leaf_der: bytes) -> list[bytes]:
    """The CRLs of the sealing certificate's http(s) distribution points."""
    return await _bodies(fetcher, path.crl_urls(leaf_der), None, MAX_CRL_BYTES)
