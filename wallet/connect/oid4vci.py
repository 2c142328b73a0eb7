"""OpenID for Verifiable Credential Issuance 1.0, as the holder: the flow, step by step.

After the final specification (OpenID Foundation, 2025):

1. the offer (§4.1, :mod:`wallet.connect.vci_offer`);
2. the issuer's metadata (§12.2) at ``/.well-known/openid-credential-issuer`` inserted before the
   issuer's path, whose ``credential_issuer`` must equal the offer's;
3. an access token (:mod:`wallet.connect.vci_token`): the pre-authorized code (with the
   ``tx_code``), or the authorization code flow with PKCE in the system browser;
4. per offered configuration, a credential request with a proof JWT by the wallet's holder key
   (:mod:`wallet.connect.vci_credential`), or a transaction to resume later (deferred, §9).

What comes back (``jwt_vc_json`` VC-JWTs, ``ldp_vc`` documents, ``dc+sd-jwt`` SD-JWT VCs bound to
the wallet's key) goes through the same import -> verify -> store pipeline as files: the issuer's
say-so counts for nothing.  Not yet: key attestations, DPoP, pushed authorization requests,
notifications.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wallet.connect import oauth, vci_token
from wallet.connect.api import HostApi, clean_text, host_of
from wallet.connect.holder_keys import Holder, proof_algorithms
from wallet.connect.vci_credential import (
    FORMATS,
    Pending,
    Received,
    interval_of,
    request_credential,
    signer_for,
    take_credentials,
)
from wallet.connect.vci_offer import Offer, parse_offer, read_offer, well_known
from wallet.connect.vci_token import Grant, TxCodePrompt
from wallet.errors import HostError, UsageError
from wallet.i18n import _

__all__ = ["Received", "TxCodePrompt", "receive"]


@dataclass(frozen=True, slots=True)
class Issuer:
    """The parts of the issuer's metadata the flow uses (endpoints checked HTTPS)."""

    url: str
    metadata: dict[str, Any]
    configs: dict[str, Any]
    credential_endpoint: str
    nonce_endpoint: str | None
    deferred_endpoint: str | None


async def issuer_metadata(api: HostApi, offer: Offer) -> Issuer:
    host = host_of(offer.issuer)
    _answer, metadata = await api.json(
        "GET", well_known(offer.issuer, "openid-credential-issuer"), max_bytes=1024 * 1024
    )
    if not isinstance(metadata, dict) or metadata.get("credential_issuer") != offer.issuer:
        raise HostError(
            url=host, reason=_("its metadata is for another issuer than the offer names.")
        )
    configs = metadata.get("credential_configurations_supported")
    if not isinstance(configs, dict):
        raise HostError(url=host, reason=_("its metadata lists no credentials."))
    optional = {}
    for key, what in (
        ("nonce_endpoint", _("the nonce endpoint")),
        ("deferred_credential_endpoint", _("the deferred credential endpoint")),
    ):
        optional[key] = (
            api.require_secure(metadata[key], what) if metadata.get(key) is not None else None
        )
    return Issuer(
        url=offer.issuer,
        metadata=metadata,
        configs=configs,
        credential_endpoint=api.require_secure(
            metadata.get("credential_endpoint"), _("the credential endpoint")
        ),
        nonce_endpoint=optional["nonce_endpoint"],
        deferred_endpoint=optional["deferred_credential_endpoint"],
    )


async def receive(
    api: HostApi,
    text: str,
    *,
    holder: Holder,
    tx_code: TxCodePrompt,
    sign_in: oauth.SignIn | None = None,
    p256: Callable[[], Holder] | None = None,
    clock: Callable[[], float] = time.time,
) -> Received:
    """Run the offer's flow for every credential it names."""
    offer = parse_offer(api, await read_offer(api, text))
    issuer = await issuer_metadata(api, offer)
    server = await vci_token.server_metadata(api, offer, issuer.metadata)
    if offer.pre_authorized_code is not None:
        grant = await vci_token.pre_authorized(api, offer, server, tx_code)
    elif sign_in is None:  # pragma: no cover - every shell passes its browser
        raise UsageError(_("This offer needs a sign-in in the browser."))
    else:
        grant = await vci_token.authorization_code(api, offer, server, issuer.configs, sign_in)
    received = Received(issuer=offer.issuer)
    for number, config_id in enumerate(offer.configuration_ids, start=1):
        await _one(api, issuer, grant, config_id, number, holder, p256, clock, received)
    return received


async def _one(
    api: HostApi,
    issuer: Issuer,
    grant: Grant,
    config_id: str,
    number: int,
    holder: Holder,
    p256: Callable[[], Holder] | None,
    clock: Callable[[], float],
    received: Received,
) -> None:
    source = f"{host_of(issuer.url)} {config_id}"
    config = issuer.configs.get(config_id)
    if not isinstance(config, dict):
        received.refused.append((source, _("the issuer's metadata does not describe it")))
        return
    fmt = config.get("format")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        reason = _("its format {format} is not supported yet").format(format=clean_text(fmt, 40))
        received.refused.append((source, reason))
        return
    signer = signer_for(proof_algorithms(config), holder, p256)
    if signer is False:
        reason = _("the issuer accepts no key type this wallet holds (EdDSA, ES256)")
        received.refused.append((source, reason))
        return
    key = signer if isinstance(signer, Holder) else None
    identifiers = grant.identifiers.get(config_id)
    request: dict[str, Any] = (
        {"credential_identifier": identifiers[0]}
        if identifiers
        else {"credential_configuration_id": config_id}
    )
    proof = None
    if key is not None:
        signing_key = key

        def proof(nonce: str | None) -> str:
            return signing_key.proof(issuer.url, nonce, clock(), grant.client_id)

    body = await request_credential(
        api, issuer.credential_endpoint, issuer.nonce_endpoint, grant.access_token, request, proof
    )
    binding = key.jwk if key is not None else None
    name = f"{source} #{number}"
    if "transaction_id" in body and not body.get("credentials"):
        _defer(issuer, grant, body, name, fmt, binding, clock(), received)
        return
    take_credentials(body, issuer.credential_endpoint, name, fmt, binding, received)


def _defer(
    issuer: Issuer,
    grant: Grant,
    body: dict[str, Any],
    source: str,
    fmt: str,
    binding: dict[str, str] | None,
    now: float,
    received: Received,
) -> None:
    transaction = body.get("transaction_id")
    if issuer.deferred_endpoint is None or not isinstance(transaction, str) or not transaction:
        reason = _("the issuer will deliver it later but names no deferred credential endpoint")
        received.refused.append((source, reason))
        return
    received.pending.append(
        Pending(
            source=source,
            issuer=issuer.url,
            endpoint=issuer.deferred_endpoint,
            transaction_id=transaction,
            access_token=grant.access_token,
            not_before=now + interval_of(body),
            format=fmt,
            binding=binding,
        )
    )
