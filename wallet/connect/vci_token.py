"""OpenID4VCI 1.0 access tokens (§5, §6): the authorization server, then one of the two grants.

* the authorization server's metadata (RFC 8414 ``/.well-known/oauth-authorization-server``, then
  ``openid-configuration``): the offer's ``authorization_server``, else the issuer's first
  ``authorization_servers`` entry, else the issuer itself;
* the pre-authorized code grant, with the transaction code when the offer asks for one;
* the authorization code grant with PKCE S256 in the system browser and a one-shot loopback
  redirect (the same browser step as ``plecak connect``, :func:`wallet.connect.oauth.browser_code`):
  ``authorization_details`` of type ``openid_credential`` naming the offered configurations (and
  their ``scope`` when the issuer defines one), and the offer's ``issuer_state`` handed back so the
  issuer knows which offer the learner is signing in for.  The client is registered (RFC 7591) when
  the server has a registration endpoint, else plecak is a public client named ``plecak``.

The answer's ``authorization_details`` may give ``credential_identifiers`` per configuration: the
credential request must then use them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from wallet.connect import oauth
from wallet.connect.api import HostApi, error_code, host_of, parse_json, status_error
from wallet.connect.vci_offer import PRE_AUTHORIZED, Offer, check_tx_code, well_known
from wallet.errors import HostError, UsageError
from wallet.i18n import _

PUBLIC_CLIENT_ID = "plecak"
MAX_METADATA = 1024 * 1024

TxCodePrompt = Callable[[dict[str, Any]], Awaitable[str] | str]
"""Asks the learner for the transaction code; gets the offer's ``tx_code`` object."""


@dataclass(frozen=True, slots=True)
class Grant:
    """What the token endpoint gave: the access token, and the credential identifiers."""

    access_token: str = field(repr=False)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    client_id: str | None = None
    """The client the proofs name as ``iss`` (None: anonymous pre-authorized access)."""


async def server_metadata(api: HostApi, offer: Offer, metadata: dict[str, Any]) -> dict[str, Any]:
    servers = metadata.get("authorization_servers")
    server = offer.authorization_server or (
        servers[0]
        if isinstance(servers, list) and servers and isinstance(servers[0], str)
        else None
    )
    server = server or offer.issuer
    api.require_secure(server, _("the authorization server"))
    for name in ("oauth-authorization-server", "openid-configuration"):
        answer = await api.request("GET", well_known(server, name), max_bytes=MAX_METADATA)
        if answer.status == 404:
            continue
        if not answer.ok:
            raise status_error(answer)
        data = parse_json(answer)
        if not isinstance(data, dict):
            break
        if data.get("issuer") != server:  # RFC 8414 §3.3
            raise HostError(
                url=host_of(server),
                reason=_("its authorization server metadata names another issuer."),
            )
        api.require_secure(data.get("token_endpoint"), _("the token endpoint"))
        return data
    raise HostError(
        url=host_of(server), reason=_("its authorization server publishes no metadata.")
    )


async def pre_authorized(
    api: HostApi, offer: Offer, server: dict[str, Any], tx_code: TxCodePrompt
) -> Grant:
    form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": offer.pre_authorized_code or ""}
    if offer.tx_code is not None:
        entered = tx_code(offer.tx_code)
        if not isinstance(entered, str):
            entered = await entered
        form["tx_code"] = check_tx_code(offer.tx_code, entered)
    return await _token(api, server["token_endpoint"], form, {}, None)


async def authorization_code(
    api: HostApi,
    offer: Offer,
    server: dict[str, Any],
    configs: dict[str, Any],
    sign_in: oauth.SignIn,
) -> Grant:
    """The browser step and the code exchange for the offered configurations."""
    host = host_of(offer.issuer)
    endpoint = api.require_secure(
        server.get("authorization_endpoint"), _("the authorization endpoint")
    )
    if server.get("require_pushed_authorization_requests") is True:
        raise HostError(
            url=host,
            reason=_(
                "its sign-in needs pushed authorization requests, which plecak does not do yet."
            ),
        )
    details = [
        {"type": "openid_credential", "credential_configuration_id": config_id}
        for config_id in offer.configuration_ids
    ]
    scopes = [
        str(configs[c]["scope"])
        for c in offer.configuration_ids
        if isinstance(configs.get(c), dict) and isinstance(configs[c].get("scope"), str)
    ]
    with oauth.LoopbackRedirect() as redirect:
        client = await _client(api, server, redirect.redirect_uri, " ".join(scopes))
        params = {
            "client_id": client.client_id,
            "authorization_details": json.dumps(details, separators=(",", ":")),
        }
        if scopes:
            params["scope"] = " ".join(scopes)
        if offer.issuer_state:
            params["issuer_state"] = offer.issuer_state
        code, pkce = await oauth.browser_code(
            redirect,
            endpoint,
            params,
            sign_in,
            host,
            issuer=str(server["issuer"]),
            issuer_required=server.get("authorization_response_iss_parameter_supported") is True,
        )
    form = oauth.code_form(code, pkce, client)
    return await _token(
        api, server["token_endpoint"], form, oauth.client_auth(client), client.client_id
    )


async def _client(
    api: HostApi, server: dict[str, Any], redirect_uri: str, scope: str
) -> oauth.Client:
    registration = server.get("registration_endpoint")
    if registration is None:
        return oauth.Client(PUBLIC_CLIENT_ID, None, redirect_uri)
    url = api.require_secure(registration, _("the registration endpoint"))
    return await oauth.register_client(api, url, scope, redirect_uri)


async def _token(
    api: HostApi,
    endpoint: str,
    form: dict[str, str],
    auth: dict[str, Any],
    client_id: str | None,
) -> Grant:
    answer = await api.request("POST", endpoint, form=form, **auth)
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
    data = parse_json(answer)
    from wallet.ports import system_clock

    tokens = oauth.parse_tokens(data, endpoint, system_clock(), None, "")
    return Grant(tokens.access_token, _identifiers(data), client_id)


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
