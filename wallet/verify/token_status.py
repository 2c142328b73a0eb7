"""IETF Token Status List (the status mechanism of SD-JWT VC): ``"status": {"status_list":
{"idx": N, "uri": "https://…"}}`` points at a Status List Token, a JWT (``statuslist+jwt``) whose
``status_list`` holds ``bits`` per credential in ``lst`` (base64url of zlib-DEFLATE bytes).

Entry ``idx`` is read least-significant bit first (unlike W3C Bitstring lists).  Values: 0 valid,
1 invalid (revoked), 2 suspended, 3 application specific.  As for every status list: only a set
value in a list signed by the credential's own issuer decides; anything else (the list missing,
unsigned, expired, unreadable) leaves the status unknown, never makes the credential invalid.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from wallet.i18n import _
from wallet.model import CheckStatus, Status
from wallet.verify import documents, sd_jwt_keys, vcjwt
from wallet.verify.checks import Verdict
from wallet.verify.context import VerifyContext
from wallet.verify.keys import b64url_decode

ACCEPT = "application/statuslist+jwt"
MAX_TOKEN = 2 * 1024 * 1024
MAX_LIST = 16 * 1024 * 1024
CACHE_PREFIX = "token-status:"


def reference(claims: dict[str, Any]) -> tuple[int, str] | Verdict | None:
    """(idx, uri) of the credential's status, None when it declares none."""
    status = claims.get("status")
    if status is None:
        return None
    entry = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(entry, dict):
        return Verdict(
            CheckStatus.UNKNOWN,
            _(
                "The status method of this credential is not supported, so revocation could not be "
                "checked."
            ),
        )
    idx, uri = entry.get("idx"), entry.get("uri")
    if not isinstance(idx, int) or isinstance(idx, bool) or idx < 0 or not isinstance(uri, str):
        return Verdict(CheckStatus.UNKNOWN, _("The status entry is malformed."))
    if not uri.startswith(("https://", "http://")):
        return Verdict(CheckStatus.UNKNOWN, _("The status list address is not an http(s) URL."))
    return idx, uri


async def check(claims: dict[str, Any], iss: Any, ctx: VerifyContext) -> Verdict | None:
    """The verdict on the credential's Token Status List entry (None: it declares no status)."""
    ref = reference(claims)
    if ref is None or isinstance(ref, Verdict):
        return ref
    idx, uri = ref
    key = f"{CACHE_PREFIX}{uri}|{iss}"
    loaded = ctx.cache.get(key)
    if not isinstance(loaded, tuple | Verdict):
        loaded = await _load(uri, iss, ctx)
        ctx.cache[key] = loaded
    if isinstance(loaded, Verdict):
        return loaded
    bits, data = loaded
    value = _value(data, bits, idx)
    detail = f"{uri} idx {idx}"
    if value is None:
        return Verdict(
            CheckStatus.UNKNOWN,
            _("The status list is shorter than the credential's index."),
            detail,
        )
    if value == 0:
        return Verdict(CheckStatus.PASS, _("Valid according to the issuer's status list."), detail)
    if value == 1:
        return Verdict(
            CheckStatus.FAIL, _("The issuer has revoked this credential."), detail, Status.REVOKED
        )
    if value == 2:
        return Verdict(
            CheckStatus.FAIL,
            _("The issuer has suspended this credential."),
            detail,
            Status.SUSPENDED,
        )
    return Verdict(
        CheckStatus.WARN,
        _("The status list sets an application-specific status ({value}).").format(value=value),
        detail,
    )


def _value(data: bytes, bits: int, idx: int) -> int | None:
    position = idx * bits
    if position // 8 >= len(data):
        return None
    return (data[position // 8] >> (position % 8)) & ((1 << bits) - 1)


async def _load(uri: str, iss: Any, ctx: VerifyContext) -> tuple[int, bytes] | Verdict:
    def unknown(message: str, detail: str = "") -> Verdict:
        return Verdict(CheckStatus.UNKNOWN, message, detail or uri)

    try:
        response = await documents.fetch_ok(ctx.fetcher, uri, accept=ACCEPT, max_bytes=MAX_TOKEN)
        jwt = vcjwt.decode(response.body)
    except documents.DocumentError as exc:
        return unknown(
            _("The status list {url} could not be retrieved: {reason}").format(
                url=uri, reason=exc.reason or f"HTTP {exc.status}"
            )
        )
    except vcjwt.MalformedJwt as exc:
        return unknown(_("The status list is not a Status List Token."), f"{uri}: {exc}")
    if jwt.header.get("typ") != "statuslist+jwt" or jwt.payload.get("sub") != uri:
        return unknown(_("The status list is not a Status List Token for this address."))
    key = await sd_jwt_keys.issuer_key(jwt.header, iss, ctx)
    alg = str(jwt.header.get("alg"))
    if key.status is not CheckStatus.PASS or key.key is None:
        return unknown(
            _("The status list's key is not established: {reason}").format(reason=key.message)
        )
    if not sd_jwt_keys.signature_valid(jwt.token, key.key, alg):
        return unknown(_("The status list is not signed by the credential's issuer."))
    exp = jwt.payload.get("exp")
    if isinstance(exp, int | float) and exp < ctx.clock().timestamp():
        return unknown(
            _("The status list expired on {date}.").format(
                date=datetime.fromtimestamp(exp, UTC).isoformat()
            )
        )
    status_list = jwt.payload.get("status_list")
    bits = status_list.get("bits") if isinstance(status_list, dict) else None
    lst = status_list.get("lst") if isinstance(status_list, dict) else None
    if bits not in (1, 2, 4, 8) or not isinstance(lst, str):
        return unknown(_("The status list is malformed."))
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(b64url_decode(lst), MAX_LIST)
        if inflater.unconsumed_tail:
            raise ValueError("status list larger than the cap")
    except (ValueError, zlib.error) as exc:
        return unknown(_("The status list cannot be decoded."), f"{uri}: {exc}")
    return int(bits), data
