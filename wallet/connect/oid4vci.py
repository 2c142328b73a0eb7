"""OpenID for Verifiable Credential Issuance 1.0, as the holder (the pre-authorized code flow).

The steps, each after the final specification (OpenID Foundation, 2025):

1. the offer (§4.1): ``openid-credential-offer://?credential_offer=<json>`` (by value) or
   ``?credential_offer_uri=<https URL>`` (by reference, fetched), also inside an https link, or
   the offer JSON itself; it names the ``credential_issuer``, the ``credential_configuration_ids``
   and the ``grants``;
2. the issuer's metadata (§12.2) at ``/.well-known/openid-credential-issuer`` inserted before the
   issuer's path, whose ``credential_issuer`` must equal the offer's; then the authorization
   server's metadata (RFC 8414, ``/.well-known/oauth-authorization-server``) for its token endpoint;
3. the token request (§6) with the pre-authorized code, and the transaction code (``tx_code``)
   the learner received by another channel when the offer asks for one;
4. a fresh ``c_nonce`` from the nonce endpoint (§7);
5. the credential request (§8) with ``proofs.jwt``: a JWT of type ``openid4vci-proof+jwt`` signed by
   the wallet's holder key (Ed25519, ``did:key``; §F.1), with ``aud`` = the issuer and the nonce;
   an ``invalid_nonce`` answer gets one retry with a new nonce.

What comes back (``jwt_vc_json`` VC-JWTs, ``ldp_vc`` documents) goes through the same import ->
verify -> store pipeline as files: the issuer's say-so counts for nothing.  Not yet: the
authorization code flow, deferred issuance (an answer with ``transaction_id`` is reported), other
formats, key attestations, DPoP.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from wallet.connect.api import (
    NOT_A_CREDENTIAL,
    HostApi,
    clean_text,
    error_code,
    host_of,
    item_blob,
    parse_json,
    status_error,
)
from wallet.errors import HostError, UsageError
from wallet.i18n import _, tr
from wallet.ports import Blob

OFFER_SCHEME = "openid-credential-offer"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
PROOF_TYP = "openid4vci-proof+jwt"
FORMATS = ("jwt_vc_json", "jwt_vc_json-ld", "ldp_vc")
MAX_OFFER = 64 * 1024
MAX_CREDENTIALS = 50

TxCodePrompt = Callable[[dict[str, Any]], Awaitable[str] | str]
"""Asks the learner for the transaction code; gets the offer's ``tx_code`` object."""


@dataclass(frozen=True, slots=True)
class Offer:
    issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str = field(repr=False)
    tx_code: dict[str, Any] | None
    authorization_server: str | None


@dataclass(slots=True)
class Received:
    """What one offer gave: credentials as blobs for the importers, and what was refused."""

    issuer: str
    blobs: list[Blob] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _offer_error(reason: str) -> UsageError:
    return UsageError(
        _("This is not a usable credential offer: {reason}").format(reason=reason),
        hint=_("Paste the whole openid-credential-offer:// link the issuer gave you."),
    )


async def read_offer(api: HostApi, text: str) -> dict[str, Any]:
    """The offer object from a link (by value or by reference) or from its JSON."""
    text = text.strip()
    if len(text) > MAX_OFFER:
        raise _offer_error(_("it is too long."))
    if text.startswith("{"):
        return _offer_object(text)
    parts = urlsplit(text)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if v}
    if "credential_offer" in query:
        return _offer_object(query["credential_offer"])
    if "credential_offer_uri" in query:
        where = query["credential_offer_uri"]
    elif parts.scheme in ("https", "http"):
        where = text  # an https link that answers the offer itself
    else:
        raise _offer_error(_("it carries neither credential_offer nor credential_offer_uri."))
    api.require_secure(where, _("the credential offer"))
    _answer, data = await api.json("GET", where, max_bytes=MAX_OFFER)
    if not isinstance(data, dict):
        raise _offer_error(_("the offer is not a JSON object."))
    return data


def _offer_object(text: str) -> dict[str, Any]:
    from wallet.codecs.safejson import loads
    from wallet.errors import InputError

    try:
        data = loads(text, source="credential_offer", max_bytes=MAX_OFFER)
    except InputError as exc:
        raise _offer_error(_("its JSON is damaged.")) from exc
    if not isinstance(data, dict):
        raise _offer_error(_("the offer is not a JSON object."))
    return data


def parse_offer(api: HostApi, data: dict[str, Any]) -> Offer:
    issuer = data.get("credential_issuer")
    ids = data.get("credential_configuration_ids")
    if not isinstance(issuer, str) or not issuer:
        raise _offer_error(_("it names no credential_issuer."))
    api.require_secure(issuer, _("the credential issuer"))
    if (
        not isinstance(ids, list)
        or not ids
        or len(ids) > MAX_CREDENTIALS
        or not all(isinstance(i, str) and i for i in ids)
    ):
        raise _offer_error(_("it lists no credential_configuration_ids."))
    grants = data.get("grants") if isinstance(data.get("grants"), dict) else {}
    grant = (grants or {}).get(PRE_AUTHORIZED)
    if not isinstance(grant, dict) or not isinstance(grant.get("pre-authorized_code"), str):
        raise UsageError(
            _("This offer needs the authorization code flow, which plecak does not do yet."),
            hint=_("Ask the issuer for an offer with a pre-authorized code."),
        )
    tx_code = grant.get("tx_code")
    server = grant.get("authorization_server")
    return Offer(
        issuer=issuer,
        configuration_ids=tuple(ids),
        pre_authorized_code=grant["pre-authorized_code"],
        tx_code=tx_code if isinstance(tx_code, dict) else None,
        authorization_server=server if isinstance(server, str) else None,
    )


def well_known(base: str, name: str) -> str:
    """RFC 8615 / §12.2.2: the well-known segment goes between the host and the path."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{path}"


def check_tx_code(tx_code: dict[str, Any], value: str) -> str:
    value = value.strip()
    if not value:
        raise UsageError(_("The transaction code cannot be empty."))
    if tx_code.get("input_mode", "numeric") == "numeric" and not value.isdigit():
        raise UsageError(_("The transaction code is digits only."))
    length = tx_code.get("length")
    if isinstance(length, int) and len(value) != length:
        raise UsageError(_("The transaction code has {length} characters.").format(length=length))
    return value


class Holder:
    """A holder key of the wallet that signs proof JWTs (§F.1): Ed25519 as ``did:key`` (EdDSA,
    the key presentations are signed with) or P-256 as ``did:jwk`` (ES256, for issuers of the EU
    wallet world that accept only it).  Private keys stay in sealed wallet records."""

    algorithm = "EdDSA"

    def __init__(self, private_key: bytes) -> None:
        from wallet.codecs import holder

        self._key = private_key
        self.did = holder.did_key_from_private(private_key)
        self.kid = holder.verification_method(self.did)

    def _sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self._key).sign(data)

    def proof(self, audience: str, nonce: str | None, now: float) -> str:
        from wallet.connect.oauth import b64url

        header = {"typ": PROOF_TYP, "alg": self.algorithm, "kid": self.kid}
        claims: dict[str, Any] = {"aud": audience, "iat": int(now)}
        if nonce is not None:
            claims["nonce"] = nonce
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        return f"{signing_input}.{b64url(self._sign(signing_input.encode()))}"


class P256Holder(Holder):
    """ES256 by a P-256 key as ``did:jwk`` (kid ``did:jwk:…#0``)."""

    algorithm = "ES256"

    def __init__(self, private_value: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        from wallet.connect.oauth import b64url

        self._ec = ec.derive_private_key(int.from_bytes(private_value, "big"), ec.SECP256R1())
        numbers = self._ec.public_key().public_numbers()
        jwk = {
            "crv": "P-256",
            "kty": "EC",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }
        self.did = "did:jwk:" + b64url(json.dumps(jwk, separators=(",", ":")).encode())
        self.kid = self.did + "#0"

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


def _algorithms(config: dict[str, Any]) -> list[str] | None:
    """The proof algorithms the configuration accepts (None: it wants no proof)."""
    proof_types = config.get("proof_types_supported")
    if not isinstance(proof_types, dict) or not proof_types:
        return None
    jwt = proof_types.get("jwt")
    if not isinstance(jwt, dict):
        return []
    algorithms = jwt.get("proof_signing_alg_values_supported")
    return [str(a) for a in algorithms] if isinstance(algorithms, list) else []


async def receive(
    api: HostApi,
    text: str,
    *,
    holder: Holder,
    tx_code: TxCodePrompt,
    p256: Callable[[], Holder] | None = None,
    clock: Callable[[], float] = time.time,
) -> Received:
    """Run the pre-authorized code flow for every credential the offer names."""
    offer = parse_offer(api, await read_offer(api, text))
    issuer_host = host_of(offer.issuer)
    _answer, metadata = await api.json(
        "GET", well_known(offer.issuer, "openid-credential-issuer"), max_bytes=1024 * 1024
    )
    if not isinstance(metadata, dict) or metadata.get("credential_issuer") != offer.issuer:
        raise HostError(
            url=issuer_host,
            reason=_("its metadata is for another issuer than the offer names."),
        )
    configs = metadata.get("credential_configurations_supported")
    if not isinstance(configs, dict):
        raise HostError(url=issuer_host, reason=_("its metadata lists no credentials."))
    credential_endpoint = api.require_secure(
        metadata.get("credential_endpoint"), _("the credential endpoint")
    )
    nonce_endpoint = metadata.get("nonce_endpoint")
    if nonce_endpoint is not None:
        api.require_secure(nonce_endpoint, _("the nonce endpoint"))
    token_endpoint = await _token_endpoint(api, offer, metadata)

    form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": offer.pre_authorized_code}
    if offer.tx_code is not None:
        entered = tx_code(offer.tx_code)
        if not isinstance(entered, str):
            entered = await entered
        form["tx_code"] = check_tx_code(offer.tx_code, entered)
    answer = await api.request("POST", token_endpoint, form=form)
    if answer.status == 400 and error_code(answer) in ("invalid_grant", "invalid_request"):
        raise UsageError(
            _("The issuer refused the offer ({error}).").format(error=error_code(answer)),
            hint=_(
                "The transaction code may be wrong, or the offer was used already or has "
                "expired; ask the issuer for a new one."
            ),
        )
    if not answer.ok:
        raise status_error(answer)
    token_data = parse_json(answer)
    from wallet.connect.oauth import parse_tokens
    from wallet.ports import system_clock

    tokens = parse_tokens(token_data, token_endpoint, system_clock(), None, "")
    identifiers = _identifiers(token_data)

    received = Received(issuer=offer.issuer)
    for number, config_id in enumerate(offer.configuration_ids, start=1):
        source = f"{issuer_host} {config_id}"
        config = configs.get(config_id)
        if not isinstance(config, dict):
            received.refused.append((source, _("the issuer's metadata does not describe it")))
            continue
        if config.get("format") not in FORMATS:
            received.refused.append(
                (
                    source,
                    _("its format {format} is not supported yet").format(
                        format=clean_text(config.get("format"), 40)
                    ),
                )
            )
            continue
        algorithms = _algorithms(config)
        signer: Holder | None = None
        if algorithms is not None:
            if {"EdDSA", "Ed25519"} & set(algorithms):
                signer = holder
            elif "ES256" in algorithms and p256 is not None:
                signer = p256()
            else:
                received.refused.append(
                    (source, _("the issuer accepts no key type this wallet holds (EdDSA, ES256)"))
                )
                continue
        request: dict[str, Any] = (
            {"credential_identifier": identifiers[config_id][0]}
            if identifiers.get(config_id)
            else {"credential_configuration_id": config_id}
        )
        body = await _request_credential(
            api,
            credential_endpoint,
            nonce_endpoint,
            tokens.access_token,
            request,
            signer,
            offer.issuer,
            clock,
        )
        credentials = body.get("credentials")
        if "transaction_id" in body and not credentials:
            received.refused.append(
                (
                    source,
                    _("the issuer will deliver it later; deferred issuance is not supported yet"),
                )
            )
            continue
        if not isinstance(credentials, list) or not credentials:
            raise HostError(url=issuer_host, reason=_("its credential answer holds no credential."))
        for index, item in enumerate(credentials[:MAX_CREDENTIALS], start=1):
            name = f"{source} #{number}.{index}"
            blob = item_blob(item.get("credential") if isinstance(item, dict) else None, name)
            if blob is None:
                received.refused.append((name, tr(NOT_A_CREDENTIAL)))
            else:
                received.blobs.append(blob)
    return received


def _identifiers(token_data: Any) -> dict[str, list[str]]:
    """``credential_identifiers`` per configuration from the token's authorization_details."""
    found: dict[str, list[str]] = {}
    details = token_data.get("authorization_details") if isinstance(token_data, dict) else None
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict):
            continue
        config = detail.get("credential_configuration_id")
        ids = detail.get("credential_identifiers")
        if isinstance(config, str) and isinstance(ids, list) and ids:
            found[config] = [str(i) for i in ids]
    return found


async def _token_endpoint(api: HostApi, offer: Offer, metadata: dict[str, Any]) -> str:
    servers = metadata.get("authorization_servers")
    server = offer.authorization_server or (
        servers[0]
        if isinstance(servers, list) and servers and isinstance(servers[0], str)
        else None
    )
    server = server or offer.issuer
    api.require_secure(server, _("the authorization server"))
    for name in ("oauth-authorization-server", "openid-configuration"):
        answer = await api.request("GET", well_known(server, name), max_bytes=1024 * 1024)
        if answer.status == 404:
            continue
        if not answer.ok:
            raise status_error(answer)
        data = parse_json(answer)
        if not isinstance(data, dict):
            break
        return api.require_secure(data.get("token_endpoint"), _("the token endpoint"))
    raise HostError(
        url=host_of(server), reason=_("its authorization server publishes no metadata.")
    )


async def _request_credential(
    api: HostApi,
    endpoint: str,
    nonce_endpoint: object,
    access_token: str,
    request: dict[str, Any],
    holder: Holder | None,
    audience: str,
    clock: Callable[[], float],
) -> dict[str, Any]:
    for attempt in range(2):
        body = dict(request)
        if holder is not None:
            nonce = await _nonce(api, nonce_endpoint) if isinstance(nonce_endpoint, str) else None
            body["proofs"] = {"jwt": [holder.proof(audience, nonce, clock())]}
        answer = await api.request("POST", endpoint, token=access_token, json_body=body)
        if answer.ok:
            data = parse_json(answer)
            if not isinstance(data, dict):
                raise HostError(
                    url=host_of(endpoint), reason=_("its credential answer is not an object.")
                )
            return data
        if error_code(answer) == "invalid_nonce" and attempt == 0:
            continue
        raise status_error(answer)
    raise AssertionError("unreachable")  # pragma: no cover


async def _nonce(api: HostApi, endpoint: str) -> str:
    _answer, data = await api.json("POST", endpoint, max_bytes=64 * 1024)
    nonce = data.get("c_nonce") if isinstance(data, dict) else None
    if not isinstance(nonce, str) or not nonce:
        raise HostError(url=host_of(endpoint), reason=_("its nonce endpoint gave no c_nonce."))
    return nonce
