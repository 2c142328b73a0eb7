"""OpenID4VCI 1.0 credential requests (§8), deferred issuance (§9) and what comes back.

* the credential request carries ``proofs.jwt``: a JWT of type ``openid4vci-proof+jwt`` by the
  wallet's holder key with ``aud`` = the issuer and a fresh ``c_nonce`` from the nonce endpoint
  (§7); an ``invalid_nonce`` answer gets one retry with a new nonce;
* an answer with ``transaction_id`` and no credential means the issuer delivers later: the wallet
  keeps a :class:`Pending` (sealed: it holds the access token) and asks the deferred credential
  endpoint again, not before ``interval`` seconds, when the learner resumes;
* each credential delivered becomes a blob for the importers; an SD-JWT VC (``dc+sd-jwt``) must be
  bound (``cnf.jwk``) to the very key this wallet proved possession of, else it is refused: a
  credential bound to someone else's key could never be presented by this learner.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wallet.connect.api import (
    NOT_A_CREDENTIAL,
    HostApi,
    error_code,
    host_of,
    item_blob,
    parse_json,
    status_error,
)
from wallet.connect.holder_keys import Holder
from wallet.connect.vci_offer import MAX_CREDENTIALS
from wallet.errors import HostError
from wallet.i18n import _, tr
from wallet.ports import Blob

FORMATS = ("jwt_vc_json", "jwt_vc_json-ld", "ldp_vc", "dc+sd-jwt")
SD_JWT = "dc+sd-jwt"
DEFAULT_INTERVAL = 5
MAX_INTERVAL = 7 * 86400
PENDING_KIND = "vci-pending"
"""The kind of the sealed wallet records that keep deferred credentials."""


@dataclass(frozen=True, slots=True)
class Pending:
    """A credential the issuer will deliver later (§9), until the learner resumes."""

    source: str
    issuer: str
    endpoint: str
    transaction_id: str = field(repr=False)
    access_token: str = field(repr=False)
    not_before: float
    """When the issuer said to ask again (epoch seconds: now + ``interval``)."""
    format: str
    binding: dict[str, str] | None = None
    """The public JWK an SD-JWT must be bound to (the key the proof was signed with)."""
    id: str = field(default_factory=lambda: secrets.token_hex(8))

    def record(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "issuer": self.issuer,
            "endpoint": self.endpoint,
            "transaction_id": self.transaction_id,
            "access_token": self.access_token,
            "not_before": self.not_before,
            "format": self.format,
            "binding": self.binding,
        }

    @classmethod
    def from_record(cls, record_id: str, data: dict[str, Any]) -> Pending:
        return cls(
            source=str(data["source"]),
            issuer=str(data["issuer"]),
            endpoint=str(data["endpoint"]),
            transaction_id=str(data["transaction_id"]),
            access_token=str(data["access_token"]),
            not_before=float(data["not_before"]),
            format=str(data["format"]),
            binding=data.get("binding"),
            id=record_id,
        )


@dataclass(slots=True)
class Received:
    """What an offer (or a resume) gave: blobs for the importers, what was refused, what waits."""

    issuer: str
    blobs: list[Blob] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    """Ids of pending records this run settled (delivered or given up)."""


def interval_of(body: dict[str, Any]) -> int:
    value = body.get("interval")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INTERVAL:
        return value
    return DEFAULT_INTERVAL


async def request_credential(
    api: HostApi,
    endpoint: str,
    nonce_endpoint: object,
    access_token: str,
    request: dict[str, Any],
    proof: Callable[[str | None], str] | None,
) -> dict[str, Any]:
    """One credential request (§8.2); ``proof`` signs a proof JWT for a nonce."""
    for attempt in range(2):
        body = dict(request)
        if proof is not None:
            nonce = await _nonce(api, nonce_endpoint) if isinstance(nonce_endpoint, str) else None
            body["proofs"] = {"jwt": [proof(nonce)]}
        answer = await api.request("POST", endpoint, token=access_token, json_body=body)
        if answer.ok:
            return _object(answer, endpoint)
        if error_code(answer) == "invalid_nonce" and attempt == 0:
            continue
        raise status_error(answer)
    raise AssertionError("unreachable")  # pragma: no cover


def _object(answer: Any, endpoint: str) -> dict[str, Any]:
    data = parse_json(answer)
    if not isinstance(data, dict):
        raise HostError(url=host_of(endpoint), reason=_("its credential answer is not an object."))
    return data


async def _nonce(api: HostApi, endpoint: str) -> str:
    _answer, data = await api.json("POST", endpoint, max_bytes=64 * 1024)
    nonce = data.get("c_nonce") if isinstance(data, dict) else None
    if not isinstance(nonce, str) or not nonce:
        raise HostError(url=host_of(endpoint), reason=_("its nonce endpoint gave no c_nonce."))
    return nonce


def take_credentials(
    body: dict[str, Any],
    endpoint: str,
    source: str,
    fmt: str,
    binding: dict[str, str] | None,
    received: Received,
) -> None:
    """The credentials of an answer from ``endpoint``, as blobs (or refusals with the reason)."""
    credentials = body.get("credentials")
    if not isinstance(credentials, list) or not credentials:
        raise HostError(
            url=host_of(endpoint), reason=_("its credential answer holds no credential.")
        )
    for index, item in enumerate(credentials[:MAX_CREDENTIALS], start=1):
        name = f"{source}.{index}"
        value = item.get("credential") if isinstance(item, dict) else None
        blob = item_blob(value, name)
        if blob is None:
            received.refused.append((name, tr(NOT_A_CREDENTIAL)))
            continue
        problem = binding_problem(value, binding) if fmt == SD_JWT else None
        if problem is not None:
            received.refused.append((name, problem))
        else:
            received.blobs.append(blob)


def binding_problem(value: object, binding: dict[str, str] | None) -> str | None:
    """Why an SD-JWT VC is not bound to the wallet's proven key (None when it is, or when no
    proof was asked for, so there is no key to be bound to)."""
    from wallet.codecs import sd_jwt

    if not isinstance(value, str):
        return _("an SD-JWT VC must be text")
    try:
        token = sd_jwt.parse(value)
    except sd_jwt.SdJwtError as exc:
        return _("it is not a well-formed SD-JWT ({reason})").format(reason=str(exc)[:120])
    if binding is None:
        return None
    cnf = token.payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if not isinstance(jwk, dict):
        return _("it is not bound to your key (no cnf.jwk), so you could not present it")
    if any(jwk.get(name) != value for name, value in binding.items()):
        return _("it is bound to another key than the one this wallet proved (cnf)")
    return None


async def poll(api: HostApi, pending: Pending, now: float, received: Received) -> None:
    """Ask the deferred credential endpoint once (§9): delivered, still pending, or given up."""
    answer = await api.request(
        "POST",
        pending.endpoint,
        token=pending.access_token,
        json_body={"transaction_id": pending.transaction_id},
    )
    code = error_code(answer) if not answer.ok else ""
    if answer.status == 202 or code == "issuance_pending":
        body = _object(answer, pending.endpoint) if answer.status == 202 else {}
        again = now + interval_of(body)
        received.pending.append(_later(pending, again))
        received.done.append(pending.id)
        return
    if answer.status in (400, 401) and code in ("invalid_transaction_id", "invalid_token", ""):
        received.refused.append(
            (
                pending.source,
                _("the issuer no longer has it waiting ({error}); ask the issuer again").format(
                    error=code or answer.status
                ),
            )
        )
        received.done.append(pending.id)
        return
    if not answer.ok:
        raise status_error(answer)
    body = _object(answer, pending.endpoint)
    take_credentials(
        body, pending.endpoint, pending.source, pending.format, pending.binding, received
    )
    received.done.append(pending.id)


def _later(pending: Pending, not_before: float) -> Pending:
    return Pending(
        source=pending.source,
        issuer=pending.issuer,
        endpoint=pending.endpoint,
        transaction_id=pending.transaction_id,
        access_token=pending.access_token,
        not_before=not_before,
        format=pending.format,
        binding=pending.binding,
        id=pending.id,
    )


def signer_for(
    algorithms: list[str] | None, holder: Holder, p256: Callable[[], Holder] | None
) -> Holder | bool | None:
    """The holder key for a configuration's proof algorithms: None when it wants no proof, False
    when the wallet holds no key of an accepted type."""
    if algorithms is None:
        return None
    if {"EdDSA", "Ed25519"} & set(algorithms):
        return holder
    if "ES256" in algorithms and p256 is not None:
        return p256()
    return False
