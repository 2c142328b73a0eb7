"""OpenID4VCI 1.0 credential offers (§4.1): reading the link, the offer object and its grant.

``openid-credential-offer://?credential_offer=<json>`` (by value) or ``?credential_offer_uri=<https
URL>`` (by reference, fetched), also inside an https link, or the offer JSON itself.  The offer
names the ``credential_issuer``, the ``credential_configuration_ids`` and the ``grants``: a
pre-authorized code (with an optional transaction code the learner got by another channel) or the
authorization code flow (with the ``issuer_state`` to hand back to the authorization server).  An
offer without grants means the authorization code flow (§4.1.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from wallet.connect.api import HostApi
from wallet.errors import UsageError
from wallet.i18n import _

OFFER_SCHEME = "openid-credential-offer"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE = "authorization_code"
MAX_OFFER = 64 * 1024
MAX_CREDENTIALS = 50


@dataclass(frozen=True, slots=True)
class Offer:
    issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None = field(repr=False)
    """None: the authorization code flow."""
    tx_code: dict[str, Any] | None = None
    authorization_server: str | None = None
    issuer_state: str | None = field(default=None, repr=False)


def offer_error(reason: str) -> UsageError:
    return UsageError(
        _("This is not a usable credential offer: {reason}").format(reason=reason),
        hint=_("Paste the whole openid-credential-offer:// link the issuer gave you."),
    )


async def read_offer(api: HostApi, text: str) -> dict[str, Any]:
    """The offer object from a link (by value or by reference) or from its JSON."""
    text = text.strip()
    if len(text) > MAX_OFFER:
        raise offer_error(_("it is too long."))
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
        raise offer_error(_("it carries neither credential_offer nor credential_offer_uri."))
    api.require_secure(where, _("the credential offer"))
    _answer, data = await api.json("GET", where, max_bytes=MAX_OFFER)
    if not isinstance(data, dict):
        raise offer_error(_("the offer is not a JSON object."))
    return data


def _offer_object(text: str) -> dict[str, Any]:
    from wallet.codecs.safejson import loads
    from wallet.errors import InputError

    try:
        data = loads(text, source="credential_offer", max_bytes=MAX_OFFER)
    except InputError as exc:
        raise offer_error(_("its JSON is damaged.")) from exc
    if not isinstance(data, dict):
        raise offer_error(_("the offer is not a JSON object."))
    return data


def parse_offer(api: HostApi, data: dict[str, Any]) -> Offer:
    issuer = data.get("credential_issuer")
    ids = data.get("credential_configuration_ids")
    if not isinstance(issuer, str) or not issuer:
        raise offer_error(_("it names no credential_issuer."))
    api.require_secure(issuer, _("the credential issuer"))
    if (
        not isinstance(ids, list)
        or not ids
        or len(ids) > MAX_CREDENTIALS
        or not all(isinstance(i, str) and i for i in ids)
    ):
        raise offer_error(_("it lists no credential_configuration_ids."))
    grants = data.get("grants")
    if grants is None:
        grants = {AUTHORIZATION_CODE: {}}  # §4.1.1: no grants, the authorization code flow
    if not isinstance(grants, dict):
        raise offer_error(_("its grants are not an object."))
    pre = grants.get(PRE_AUTHORIZED)
    if isinstance(pre, dict) and isinstance(pre.get("pre-authorized_code"), str):
        tx_code, server = pre.get("tx_code"), pre.get("authorization_server")
        return Offer(
            issuer=issuer,
            configuration_ids=tuple(ids),
            pre_authorized_code=pre["pre-authorized_code"],
            tx_code=tx_code if isinstance(tx_code, dict) else None,
            authorization_server=server if isinstance(server, str) else None,
        )
    code = grants.get(AUTHORIZATION_CODE)
    if not isinstance(code, dict):
        raise offer_error(
            _("it offers no grant plecak knows (pre-authorized or authorization code).")
        )
    state, server = code.get("issuer_state"), code.get("authorization_server")
    return Offer(
        issuer=issuer,
        configuration_ids=tuple(ids),
        pre_authorized_code=None,
        authorization_server=server if isinstance(server, str) else None,
        issuer_state=state if isinstance(state, str) and state else None,
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
