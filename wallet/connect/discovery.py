"""What a host speaks: the Open Badges 3.0 API or Badge Connect (Open Badges 2.1).

* OB 3.0 (1EdTech ob_v3p0 api.html): ``GET /ims/ob/v3p0/discovery`` answers an OpenAPI document
  (the Service Description Document); its OAuth 2 security scheme carries the registration URL in
  ``x-imssf-registrationUrl`` and the authorization, token and refresh URLs in its
  ``authorizationCode`` flow; ``servers[0].url`` is the API base (``.../ims/ob/v3p0``).
* Badge Connect: ``GET /.well-known/badgeconnect.json`` answers a manifest whose
  ``badgeConnectAPI[0]`` names ``apiBase``, ``authorizationUrl``, ``tokenUrl``,
  ``registrationUrl``, ``tokenRevocationUrl`` and ``scopesOffered``.

The wallet asks for the least scopes it uses: reading credentials (and the profile, to name the
account); never a scope that writes.  Every endpoint must be https (loopback excepted when allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wallet.connect.api import HostApi, clean_text, host_of, parse_json, status_error
from wallet.errors import HostError
from wallet.i18n import _

OB3 = "ob3"
BADGE_CONNECT = "badge-connect"
OB3_DISCOVERY = "/ims/ob/v3p0/discovery"
BC_MANIFEST = "/.well-known/badgeconnect.json"
OB3_SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
BC_SCOPE = "https://purl.imsglobal.org/spec/ob/v2p1/scope/"
OB3_READ = OB3_SCOPE + "credential.readonly"
OB3_PROFILE = OB3_SCOPE + "profile.readonly"
BC_READ = BC_SCOPE + "assertion.readonly"
BC_PROFILE = BC_SCOPE + "profile.readonly"
_REVOCATION_KEYS = ("x-imssf-revocationUrl", "x-imssf-tokenRevocationUrl", "revocationUrl")


@dataclass(frozen=True, slots=True)
class HostProfile:
    """Everything needed to connect to one host (no secrets)."""

    kind: str
    """``ob3`` or ``badge-connect``."""
    name: str
    origin: str
    api_base: str
    authorize_url: str
    token_url: str
    registration_url: str
    revocation_url: str | None
    scopes: tuple[str, ...]
    """What the wallet will ask for (the least it needs, among those offered)."""


async def discover(api: HostApi, url: str) -> HostProfile:
    """Find the OB 3.0 service description or the Badge Connect manifest at or under ``url``."""
    api.require_secure(url, _("the host"))
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    candidates: list[tuple[str, str]] = []
    if path.endswith(OB3_DISCOVERY):
        candidates.append((OB3, origin + path))
    elif path.endswith(BC_MANIFEST):
        candidates.append((BADGE_CONNECT, origin + path))
    else:
        if path:
            candidates.append((OB3, origin + path + OB3_DISCOVERY))
        candidates += [(OB3, origin + OB3_DISCOVERY), (BADGE_CONNECT, origin + BC_MANIFEST)]
    for kind, where in candidates:
        answer = await api.request("GET", where)
        if answer.status in (404, 405, 410, 501):
            continue
        if not answer.ok:
            raise status_error(answer)
        document = parse_json(answer)
        if kind == OB3:
            return _ob3_profile(api, where, document)
        return _badge_connect_profile(api, where, document)
    raise HostError(
        url=origin,
        reason=_(
            "it offers neither the Open Badges 3.0 API nor Badge Connect (no {ob3} and no {bc})."
        ).format(ob3=OB3_DISCOVERY, bc=BC_MANIFEST),
    )


def _fail(where: str, what: str) -> HostError:
    return HostError(
        url=host_of(where),
        reason=_("its service description is unusable: {what}").format(what=what),
    )


def _ob3_profile(api: HostApi, where: str, document: Any) -> HostProfile:
    if not isinstance(document, dict) or "openapi" not in document:
        raise _fail(where, _("not an OpenAPI document."))
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        raise _fail(where, _("no servers entry."))
    api_base = _absolute(where, servers[0].get("url"))
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    if not isinstance(schemes, dict):
        raise _fail(where, _("no OAuth 2.0 security scheme."))
    for scheme in schemes.values():
        if not isinstance(scheme, dict) or scheme.get("type") != "oauth2":
            continue
        flow = (scheme.get("flows") or {}).get("authorizationCode")
        if not isinstance(flow, dict) or not scheme.get("x-imssf-registrationUrl"):
            continue
        offered = flow.get("scopes") or {}
        if not isinstance(offered, dict):
            offered = {}
        scopes = _least(offered, OB3_READ, OB3_PROFILE, where)
        revocation = next(
            (
                flow.get(k) or scheme.get(k)
                for k in _REVOCATION_KEYS
                if flow.get(k) or scheme.get(k)
            ),
            None,
        )
        info = document.get("info") if isinstance(document.get("info"), dict) else {}
        name = scheme.get("x-imssf-name") or (info or {}).get("title") or host_of(where)
        return _checked(
            api,
            HostProfile(
                kind=OB3,
                name=clean_text(name, 80),
                origin=host_of(where),
                api_base=api_base.rstrip("/"),
                authorize_url=_absolute(where, flow.get("authorizationUrl")),
                token_url=_absolute(where, flow.get("tokenUrl")),
                registration_url=_absolute(where, scheme.get("x-imssf-registrationUrl")),
                revocation_url=_absolute(where, revocation) if revocation else None,
                scopes=scopes,
            ),
        )
    raise _fail(where, _("no OAuth 2.0 authorization code scheme with a registration URL."))


def _badge_connect_profile(api: HostApi, where: str, document: Any) -> HostProfile:
    if not isinstance(document, dict):
        raise _fail(where, _("not a Badge Connect manifest."))
    configs = document.get("badgeConnectAPI")
    if not isinstance(configs, list) or not configs or not isinstance(configs[0], dict):
        raise _fail(where, _("no badgeConnectAPI entry."))
    config = configs[0]
    offered = config.get("scopesOffered") or []
    if not isinstance(offered, list):
        offered = []
    scopes = _least({str(s): "" for s in offered}, BC_READ, BC_PROFILE, where)
    revocation = config.get("tokenRevocationUrl")
    return _checked(
        api,
        HostProfile(
            kind=BADGE_CONNECT,
            name=clean_text(config.get("name") or host_of(where), 80),
            origin=host_of(where),
            api_base=_absolute(where, config.get("apiBase")).rstrip("/"),
            authorize_url=_absolute(where, config.get("authorizationUrl")),
            token_url=_absolute(where, config.get("tokenUrl")),
            registration_url=_absolute(where, config.get("registrationUrl")),
            revocation_url=_absolute(where, revocation) if revocation else None,
            scopes=scopes,
        ),
    )


def _least(offered: dict[str, Any], read: str, profile: str, where: str) -> tuple[str, ...]:
    if read not in offered:
        raise _fail(where, _("it does not offer the scope {scope}.").format(scope=read))
    return (read, profile) if profile in offered else (read,)


def _absolute(where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, _("an endpoint address is missing."))
    from urllib.parse import urljoin

    return urljoin(where, value.strip())


def _checked(api: HostApi, profile: HostProfile) -> HostProfile:
    """Every endpoint must be https (or loopback while allowed)."""
    for what, url in (
        (_("the API"), profile.api_base),
        (_("the authorization endpoint"), profile.authorize_url),
        (_("the token endpoint"), profile.token_url),
        (_("the registration endpoint"), profile.registration_url),
    ):
        api.require_secure(url, what)
    if profile.revocation_url:
        api.require_secure(profile.revocation_url, _("the revocation endpoint"))
    return profile
