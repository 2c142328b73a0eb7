"""The holder keys that sign OpenID4VCI proof JWTs (§F.1), and the public key a credential is bound to.

Two kinds, chosen per credential configuration by the algorithms the issuer accepts: Ed25519 as
``did:key`` (EdDSA, the key presentations are signed with) or P-256 as ``did:jwk`` (ES256, for
issuers of the EU wallet world that accept only it).  Private keys stay in sealed wallet records;
these objects hold them only while a receive runs.
"""

from __future__ import annotations

import json
from typing import Any

from wallet.connect.oauth import b64url

PROOF_TYP = "openid4vci-proof+jwt"


class Holder:
    """Ed25519, ``did:key`` (kid ``did:key:z…#z…``), EdDSA proofs."""

    algorithm = "EdDSA"

    def __init__(self, private_key: bytes) -> None:
        from wallet.codecs import holder

        self._key = private_key
        self.did = holder.did_key_from_private(private_key)
        self.kid = holder.verification_method(self.did)

    @property
    def jwk(self) -> dict[str, str]:
        """The public key as a JWK: what an SD-JWT's ``cnf.jwk`` must be when bound to it."""
        from wallet.codecs import holder

        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(holder.public_key_from_did_key(self.did)),
        }

    def _sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self._key).sign(data)

    def proof(
        self, audience: str, nonce: str | None, now: float, client_id: str | None = None
    ) -> str:
        """A proof JWT (§F.1); ``iss`` is the client, left out for anonymous pre-authorized
        access."""
        header = {"typ": PROOF_TYP, "alg": self.algorithm, "kid": self.kid}
        claims: dict[str, Any] = {"aud": audience, "iat": int(now)}
        if client_id is not None:
            claims["iss"] = client_id
        if nonce is not None:
            claims["nonce"] = nonce
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        return f"{signing_input}.{b64url(self._sign(signing_input.encode()))}"

    def holds(self, jwk: object) -> bool:
        """Whether ``jwk`` (a credential's ``cnf.jwk``) is this key's public key."""
        if not isinstance(jwk, dict):
            return False
        mine = self.jwk
        return all(jwk.get(name) == value for name, value in mine.items())


class P256Holder(Holder):
    """ES256 by a P-256 key as ``did:jwk`` (kid ``did:jwk:…#0``)."""

    algorithm = "ES256"

    def __init__(self, private_value: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self._ec = ec.derive_private_key(int.from_bytes(private_value, "big"), ec.SECP256R1())
        numbers = self._ec.public_key().public_numbers()
        self._jwk = {
            "crv": "P-256",
            "kty": "EC",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }
        self.did = "did:jwk:" + b64url(json.dumps(self._jwk, separators=(",", ":")).encode())
        self.kid = self.did + "#0"

    @property
    def jwk(self) -> dict[str, str]:
        return dict(self._jwk)

    def _sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        r, s = decode_dss_signature(self._ec.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS: R || S, not DER


def new_p256_value() -> bytes:
    """A fresh P-256 private value (32 bytes), for the wallet to keep sealed."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_numbers().private_value.to_bytes(32, "big")


def proof_algorithms(config: dict[str, Any]) -> list[str] | None:
    """The proof algorithms a credential configuration accepts (None: it wants no proof)."""
    proof_types = config.get("proof_types_supported")
    if not isinstance(proof_types, dict) or not proof_types:
        return None
    jwt = proof_types.get("jwt")
    if not isinstance(jwt, dict):
        return []
    algorithms = jwt.get("proof_signing_alg_values_supported")
    return [str(a) for a in algorithms] if isinstance(algorithms, list) else []
