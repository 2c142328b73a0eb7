"""The demo host's OpenID4VCI 1.0 issuer (pre-authorized code flow), for ``plecak demo`` and tests.

Added to an :class:`~wallet.demo.host.EarningHost` by :func:`add_issuer`: credential issuer and
authorization server metadata, a token endpoint taking single-use pre-authorized codes (with an
optional transaction code), a nonce endpoint with single-use nonces, and a credential endpoint
that checks the holder's proof JWT (type ``openid4vci-proof+jwt``, EdDSA by a did:key, audience,
nonce) and answers an OB 3.0 VC-JWT bound to that did:key.  Everything in memory, on loopback.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote

from wallet.demo.host import Answer, EarningHost, Request

CONFIG = "OpenBadgeCredential_jwt"
LDP_CONFIG = "OpenBadgeCredential_ldp"
ES256_CONFIG = "OpenBadgeCredential_es256"
""":data:`CONFIG` answers a VC-JWT (``jwt_vc_json``); this one a Data Integrity document
(``ldp_vc``, eddsa-jcs-2022)."""
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def _json(status: int, value: Any) -> Answer:
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return status, headers, json.dumps(value).encode()


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(slots=True)
class _Offer:
    names: list[str]
    tx_code: str | None
    config: str = CONFIG


@dataclass(slots=True)
class DemoVci:
    host: EarningHost
    now: datetime
    offers: dict[str, _Offer] = field(default_factory=dict)
    """pre-authorized code -> what it gives (single use)."""
    by_reference: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, _Offer] = field(default_factory=dict)
    nonces: set[str] = field(default_factory=set)
    issued: list[str | dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(
        self,
        names: list[str],
        *,
        tx_code: str | None = None,
        by_reference: bool = False,
        config: str = CONFIG,
    ) -> str:
        """A fresh ``openid-credential-offer://`` link for credentials named ``names``."""
        code = secrets.token_urlsafe(16)
        grant: dict[str, Any] = {"pre-authorized_code": code}
        if tx_code is not None:
            grant["tx_code"] = {
                "input_mode": "numeric",
                "length": len(tx_code),
                "description": "The code in the e-mail from the academy",
            }
        offer = {
            "credential_issuer": self.host.base,
            "credential_configuration_ids": [config],
            "grants": {PRE_AUTHORIZED: grant},
        }
        with self.lock:
            self.offers[code] = _Offer(list(names), tx_code, config)
        if by_reference:
            ref = secrets.token_urlsafe(8)
            self.by_reference[ref] = offer
            uri = f"{self.host.base}/oid4vci/offers/{ref}"
            return "openid-credential-offer://?credential_offer_uri=" + quote(uri, safe="")
        text = json.dumps(offer, separators=(",", ":"))
        return "openid-credential-offer://?credential_offer=" + quote(text, safe="")

    # ------------------------------------------------------------------ endpoints

    def metadata(self, request: Request) -> Answer:
        base = self.host.base
        return _json(
            200,
            {
                "credential_issuer": base,
                "credential_endpoint": base + "/oid4vci/credential",
                "nonce_endpoint": base + "/oid4vci/nonce",
                "display": [{"name": self.host.name, "locale": "en"}],
                "credential_configurations_supported": {
                    CONFIG: {
                        "format": "jwt_vc_json",
                        "cryptographic_binding_methods_supported": ["did:key"],
                        "credential_signing_alg_values_supported": ["EdDSA"],
                        "proof_types_supported": {
                            "jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}
                        },
                        "credential_definition": {
                            "type": ["VerifiableCredential", "OpenBadgeCredential"]
                        },
                    },
                    ES256_CONFIG: {
                        "format": "jwt_vc_json",
                        "cryptographic_binding_methods_supported": ["did:jwk"],
                        "credential_signing_alg_values_supported": ["EdDSA"],
                        "proof_types_supported": {
                            "jwt": {"proof_signing_alg_values_supported": ["ES256"]}
                        },
                        "credential_definition": {
                            "type": ["VerifiableCredential", "OpenBadgeCredential"]
                        },
                    },
                    LDP_CONFIG: {
                        "format": "ldp_vc",
                        "cryptographic_binding_methods_supported": ["did:key"],
                        "credential_signing_alg_values_supported": ["eddsa-jcs-2022"],
                        "proof_types_supported": {
                            "jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}
                        },
                        "credential_definition": {
                            "@context": [
                                "https://www.w3.org/ns/credentials/v2",
                                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                            ],
                            "type": ["VerifiableCredential", "OpenBadgeCredential"],
                        },
                    },
                },
            },
        )

    def server_metadata(self, request: Request) -> Answer:
        base = self.host.base
        return _json(
            200,
            {
                "issuer": base,
                "token_endpoint": base + "/oid4vci/token",
                "pre-authorized_grant_anonymous_access_supported": True,
                "grant_types_supported": [PRE_AUTHORIZED],
            },
        )

    def token(self, request: Request) -> Answer:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != PRE_AUTHORIZED:
            return _json(400, {"error": "unsupported_grant_type"})
        with self.lock:
            offer = self.offers.pop(form.get("pre-authorized_code", ""), None)
        if offer is None or (offer.tx_code is not None and form.get("tx_code") != offer.tx_code):
            return _json(400, {"error": "invalid_grant"})
        access = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[access] = offer
        return _json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300})

    def nonce(self, request: Request) -> Answer:
        value = secrets.token_urlsafe(16)
        with self.lock:
            self.nonces.add(value)
        return _json(200, {"c_nonce": value})

    def credential(self, request: Request) -> Answer:
        auth = request.headers.get("authorization", "")
        with self.lock:
            granted = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if granted is None:
            return _json(401, {"error": "invalid_token"})
        try:
            body = json.loads(request.body)
            (proof,) = body["proofs"]["jwt"]
        except (ValueError, KeyError, TypeError):
            return _json(400, {"error": "invalid_credential_request"})
        if body.get("credential_configuration_id") != granted.config:
            return _json(400, {"error": "unknown_credential_configuration"})
        holder = self._check_proof(proof)
        if holder is None:
            return _json(400, {"error": "invalid_proof"})
        if holder == "nonce":
            return _json(400, {"error": "invalid_nonce"})
        with self.lock:
            if self.tokens.pop(auth[7:], None) is None:  # one credential request per token
                return _json(401, {"error": "invalid_token"})
        from wallet.codecs.holder import sign_jcs
        from wallet.demo.issuer import DemoIssuer

        issuer = DemoIssuer(self.host.base, self.now)
        credentials = []
        for name in granted.names:
            credential = issuer.ob3_credential(f"vci-{secrets.token_hex(6)}", name, issued=self.now)
            credential["credentialSubject"]["id"] = holder
            issued: str | dict[str, Any] = (
                sign_jcs(credential, issuer.ed_private, created=self.now)
                if granted.config == LDP_CONFIG
                else issuer.vc_jwt(credential)
            )
            credentials.append({"credential": issued})
            self.issued.append(issued)
        return _json(200, {"credentials": credentials})

    def _check_proof(self, proof: str) -> str | None:
        """The holder's DID when the proof is good; "nonce" for a stale nonce; else None."""
        from cryptography.exceptions import InvalidSignature

        try:
            head, claims_part, signature = proof.split(".")
            header = json.loads(_b64(head))
            claims = json.loads(_b64(claims_part))
            if header.get("typ") != "openid4vci-proof+jwt":
                return None
            did = str(header["kid"]).split("#", 1)[0]
            _verify(header.get("alg"), did, f"{head}.{claims_part}".encode(), _b64(signature))
        except (ValueError, KeyError, TypeError, InvalidSignature):
            return None
        if claims.get("aud") != self.host.base:
            return None
        with self.lock:
            if claims.get("nonce") not in self.nonces:
                return "nonce"
            self.nonces.discard(claims["nonce"])
        return did

    def offer_by_reference(self, request: Request) -> Answer:
        ref = request.path.rsplit("/", 1)[-1]
        offer = self.by_reference.get(ref)
        return _json(200, offer) if offer is not None else _json(404, {"error": "not_found"})


def _verify(alg: object, did: str, data: bytes, signature: bytes) -> None:
    """EdDSA by a did:key or ES256 by a did:jwk; raises ValueError / InvalidSignature."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    from wallet.codecs import holder

    if alg == "EdDSA" and did.startswith("did:key:"):
        key = Ed25519PublicKey.from_public_bytes(holder.public_key_from_did_key(did))
        key.verify(signature, data)
        return
    if alg == "ES256" and did.startswith("did:jwk:") and len(signature) == 64:
        jwk = json.loads(_b64(did[len("did:jwk:") :]))
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            raise ValueError("not a P-256 did:jwk")
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(_b64(jwk["x"]), "big"),
            int.from_bytes(_b64(jwk["y"]), "big"),
            ec.SECP256R1(),
        )
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        numbers.public_key().verify(der, data, ec.ECDSA(hashes.SHA256()))
        return
    raise ValueError(f"unsupported proof: {alg!r} by {did[:12]}")


def add_issuer(host: EarningHost, now: datetime) -> DemoVci:
    """Make ``host`` an OpenID4VCI issuer too; returns it (to make offers)."""
    vci = DemoVci(host, now)
    host.routes[("GET", "/.well-known/openid-credential-issuer")] = vci.metadata
    host.routes[("GET", "/.well-known/oauth-authorization-server")] = vci.server_metadata
    host.routes[("POST", "/oid4vci/token")] = vci.token
    host.routes[("POST", "/oid4vci/nonce")] = vci.nonce
    host.routes[("POST", "/oid4vci/credential")] = vci.credential
    host.prefix_routes[("GET", "/oid4vci/offers/")] = vci.offer_by_reference
    return vci
