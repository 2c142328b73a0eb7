"""SD-JWT VCs issued with the SD-JWT reference implementation (PyPI ``sd-jwt``, test-only), so the
verifier is checked against another library's output, not against itself."""

from __future__ import annotations

import asyncio
import base64
import json
import zlib
from typing import Any

from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer

from importers.registry import default_registry
from tests.verify_ob3.signing import NOW
from wallet.model import Credential
from wallet.net.fake import FakeFetcher
from wallet.ports import Blob
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

ISS = "https://issuer.example/tenants/7"
METADATA = "https://issuer.example/.well-known/jwt-vc-issuer/tenants/7"
STATUS_URI = "https://issuer.example/status/1"
IAT = int(NOW.timestamp()) - 86400


def new_key(kid: str = "k1") -> JWK:
    return JWK.generate(kty="EC", crv="P-256", kid=kid)


def claims(**extra: Any) -> dict[Any, Any]:
    """An OB 3.0-shaped SD-JWT VC: the achievement and the learner's name are disclosable."""
    found: dict[Any, Any] = {
        "iss": ISS,
        "vct": "https://purl.imsglobal.org/spec/ob/v3p0/OpenBadgeCredential",
        "iat": IAT,
        "exp": IAT + 365 * 86400,
        SDObj("name"): "Community Gardening",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            SDObj("achievement"): {
                "type": ["Achievement"],
                "name": "Community Gardening",
                "criteria": {"narrative": "Tend the garden weekly."},
            },
            SDObj("given_name"): "Ada",
        },
        SDObj("nationalities"): ["PL", SDObj("DE")],
    }
    found.update(extra)
    return found


def issue(
    key: JWK,
    user_claims: dict[Any, Any],
    *,
    holder: JWK | None = None,
    typ: str = "dc+sd-jwt",
    header: dict[str, Any] | None = None,
) -> str:
    issuer = SDJWTIssuer(
        user_claims,
        key,
        holder_key=holder,
        sign_alg="ES256",
        add_decoy_claims=True,
        extra_header_parameters={"typ": typ, **_kid(key), **(header or {})},
    )
    return str(issuer.sd_jwt_issuance)


def _kid(key: JWK) -> dict[str, str]:
    kid: str | None = key.get("kid")  # JWK is a dict of JSON values
    return {"kid": kid} if kid else {}


def present(
    issuance: str, disclose: dict[str, Any], holder: JWK | None = None, nonce: str = "n-1"
) -> str:
    wallet = SDJWTHolder(issuance)
    wallet.create_presentation(disclose, nonce, "https://verifier.example", holder, "ES256")
    return str(wallet.sd_jwt_presentation)


def metadata(key: JWK, *, inline: bool = True) -> dict[str, tuple[int, str, bytes]]:
    public = key.export_public(as_dict=True)
    if inline:
        body = {"issuer": ISS, "jwks": {"keys": [public]}}
        return {METADATA: (200, "application/json", json.dumps(body).encode())}
    jwks_uri = "https://keys.issuer.example/jwks.json"
    return {
        METADATA: (
            200,
            "application/json",
            json.dumps({"issuer": ISS, "jwks_uri": jwks_uri}).encode(),
        ),
        jwks_uri: (200, "application/json", json.dumps({"keys": [public]}).encode()),
    }


def status_list_token(key: JWK, values: dict[int, int], bits: int = 2, **extra: Any) -> bytes:
    """A Token Status List JWT (``statuslist+jwt``) with ``values`` set, LSB first."""
    raw = bytearray(64)
    for idx, value in values.items():
        position = idx * bits
        raw[position // 8] |= value << (position % 8)
    lst = base64.urlsafe_b64encode(zlib.compress(bytes(raw))).rstrip(b"=").decode()
    payload = {
        "sub": STATUS_URI,
        "iat": IAT,
        "status_list": {"bits": bits, "lst": lst},
        **extra,
    }
    jws = JWS(json.dumps(payload).encode())
    jws.add_signature(
        key,
        alg="ES256",
        protected=json.dumps({"alg": "ES256", "typ": "statuslist+jwt", "kid": key.get("kid")}),
    )
    return str(jws.serialize(compact=True)).encode()


def imported(text: str) -> Credential:
    batch = default_registry().parse_blob(Blob(data=text.encode(), source="test.sd-jwt"))
    assert not batch.failures, [f.error for f in batch.failures]
    (found,) = batch.found
    assert isinstance(found, Credential)
    return found


def run(
    text: str, served: dict[str, tuple[int, str, bytes]], recipients: tuple[str, ...] = ()
) -> Any:
    async def go() -> Any:
        ctx = VerifyContext(
            fetcher=FakeFetcher(served), clock=lambda: NOW, offline=True, recipients=recipients
        )
        return await verify(imported(text), ctx)

    return asyncio.run(go())
