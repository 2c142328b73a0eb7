"""Credential status: BitstringStatusList, StatusList2021 and the 1EdTech revocation list.

Why strict about the *list*: a status list is itself a credential, and whoever can serve a forged
list can un-revoke any badge.  So the list credential is verified like any other — its own proof
(by the list's issuer or the credential's issuer, with the key's purpose and controller checked),
its type, its dates and its purpose — before a single bit of it is believed.

Outcomes: a set revocation bit is ``revoked``, a set suspension bit ``suspended``.  A list that
cannot be had (offline, unreachable, HTTP error) leaves the check UNKNOWN: the badge becomes
``unverified``, never ``valid``.  A list that *was* had but is forged, expired, of the wrong type or
purpose, or too short for the index, fails the check (``invalid``): the issuer's status answer is
broken, and nothing may be concluded in the learner's favour.

Lists are fetched and verified once per run (``ctx.cache``): a batch of 200 badges on one list
costs one fetch and one signature check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wallet.codecs.dates import parse_date_strict
from wallet.codecs.nodes import as_list
from wallet.errors import VerificationError
from wallet.i18n import _
from wallet.model import CheckStatus, Json, Status
from wallet.verify import dataintegrity, documents, jsonld, provenance, status_lists, vcjwt
from wallet.verify.checks import Checks, Verdict
from wallet.verify.context import VerifyContext

MAX_LIST_BYTES = 2 * 1024 * 1024
CACHE_PREFIX = "status-list:"
ACCEPT = "application/vc+ld+json, application/ld+json, application/json"

BITSTRING = "BitstringStatusListEntry"
SL2021 = "StatusList2021Entry"
REVOCATION_LIST = "1EdTechRevocationList"


@dataclass(frozen=True, slots=True)
class _ListFamily:
    entry_type: str
    credential_type: str
    subject_type: str
    multibase: bool


_FAMILIES = {
    BITSTRING: _ListFamily(BITSTRING, "BitstringStatusListCredential", "BitstringStatusList", True),
    SL2021: _ListFamily(SL2021, "StatusList2021Credential", "StatusList2021", False),
}


def entries_of(document: Json) -> list[Json]:
    return as_list(document.get("credentialStatus")) if isinstance(document, dict) else []


async def check_status(
    document: dict[str, Any],
    ctx: VerifyContext,
    checks: Checks,
    *,
    issuer_id: str | None,
    credential_id: str | None,
) -> None:
    """Add one ``status`` check per status entry (``status:<n>`` when there are several)."""
    entries = entries_of(document)
    if not entries:
        checks.skip("status", _("The credential declares no status list."))
        return
    for index, entry in enumerate(entries, start=1):
        check_id = "status" if len(entries) == 1 else f"status:{index}"
        try:
            verdict = await _check_entry(entry, ctx, issuer_id, credential_id)
        except VerificationError as exc:
            verdict = Verdict(CheckStatus.UNKNOWN, exc.user_message(), exc.detail)
        if verdict.status is CheckStatus.FAIL and verdict.outcome is None:
            # Only a verified set bit decides (revoked, suspended); anything else wrong with the
            # entry or the list leaves the status unknown: the credential is not shown invalid.
            verdict = replace(verdict, status=CheckStatus.UNKNOWN)
        checks.add(
            check_id,
            verdict.status,
            verdict.message,
            detail=verdict.detail,
            outcome=verdict.outcome,
        )


async def _check_entry(
    entry: Json, ctx: VerifyContext, issuer_id: str | None, credential_id: str | None
) -> Verdict:
    if not isinstance(entry, dict):
        return Verdict(CheckStatus.FAIL, _("The status entry is not an object."))
    etype = entry.get("type")
    types = etype if isinstance(etype, list) else [etype]
    if BITSTRING in types:
        return await _check_list_entry(_FAMILIES[BITSTRING], entry, ctx, issuer_id)
    if SL2021 in types:
        return await _check_list_entry(_FAMILIES[SL2021], entry, ctx, issuer_id)
    if REVOCATION_LIST in types:
        return await _check_revocation_list(entry, ctx, issuer_id, credential_id)
    return Verdict(
        CheckStatus.UNKNOWN,
        _("The status method {type} is not supported, so revocation could not be checked.").format(
            type=etype
        ),
    )


# --------------------------------------------------------------------------- status list entries


async def _check_list_entry(
    family: _ListFamily, entry: dict[str, Any], ctx: VerifyContext, issuer_id: str | None
) -> Verdict:
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    index = _index(entry.get("statusListIndex"))
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return Verdict(CheckStatus.FAIL, _("The status entry names no status list credential."))
    if index is None:
        return Verdict(CheckStatus.FAIL, _("The status entry has no valid list index."))
    if not isinstance(purpose, str) or not purpose:
        return Verdict(CheckStatus.FAIL, _("The status entry has no status purpose."))
    size = entry.get("statusSize", 1)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 8:
        return Verdict(CheckStatus.FAIL, _("The status entry has an invalid status size."))
    loaded = await _load_list(family, url, purpose, ctx, issuer_id)
    if isinstance(loaded, Verdict):
        return loaded
    bits = loaded
    first = index * size
    if first + size > len(bits) * 8:
        return Verdict(
            CheckStatus.FAIL,
            _("The status list is shorter than the credential's index {index}.").format(
                index=index
            ),
            url,
        )
    value = 0
    for position in range(first, first + size):
        value = (value << 1) | ((bits[position // 8] >> (7 - position % 8)) & 1)
    detail = f"{url} index {index} purpose {purpose}"
    if value == 0:
        return Verdict(
            CheckStatus.PASS,
            _("Not {purpose} according to the issuer's status list.").format(purpose=purpose),
            detail,
        )
    if purpose == "revocation":
        return Verdict(
            CheckStatus.FAIL,
            _("The issuer has revoked this credential."),
            detail,
            Status.REVOKED,
        )
    if purpose == "suspension":
        return Verdict(
            CheckStatus.FAIL,
            _("The issuer has suspended this credential."),
            detail,
            Status.SUSPENDED,
        )
    return Verdict(
        CheckStatus.WARN,
        _("The status list sets a '{purpose}' status ({value}) for this credential.").format(
            purpose=purpose, value=value
        ),
        detail,
    )


def _index(value: Json) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        return int(value)
    return None


async def _load_list(
    family: _ListFamily, url: str, purpose: str, ctx: VerifyContext, issuer_id: str | None
) -> bytes | Verdict:
    key = f"{CACHE_PREFIX}{url}|{purpose}|{issuer_id}"
    cached = ctx.cache.get(key)
    if isinstance(cached, bytes | Verdict):
        return cached
    result = await _fetch_and_verify_list(family, url, purpose, ctx, issuer_id)
    ctx.cache[key] = result
    return result


async def _fetch_and_verify_list(
    family: _ListFamily, url: str, purpose: str, ctx: VerifyContext, issuer_id: str | None
) -> bytes | Verdict:
    form = await _fetch_list(url, ctx)
    if isinstance(form, Verdict):
        return form
    doc = form.credential

    def bad(message: str, detail: str = "") -> Verdict:
        return Verdict(CheckStatus.FAIL, message, detail or url)

    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    if family.credential_type not in types:
        return bad(
            _("The status list at {url} is not a {type}.").format(
                url=url, type=family.credential_type
            )
        )
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict):
        return bad(_("The status list credential has no subject."))
    stypes = subject.get("type")
    stypes = stypes if isinstance(stypes, list) else [stypes]
    if family.subject_type not in stypes:
        return bad(
            _("The status list credential's subject is not a {type}.").format(
                type=family.subject_type
            )
        )
    list_purposes = subject.get("statusPurpose")
    list_purposes = list_purposes if isinstance(list_purposes, list) else [list_purposes]
    if purpose not in list_purposes:
        return bad(
            _("The status list is for {found}, but the credential asks about {purpose}.").format(
                found=", ".join(str(p) for p in list_purposes), purpose=purpose
            )
        )
    dates = _dates_problem(doc, ctx)
    if dates:
        return bad(dates)
    proof = await _list_proof(doc, url, ctx, issuer_id, form.jwt)
    if proof is not None:
        return proof
    try:
        return status_lists.decode_bits(subject.get("encodedList"))
    except ValueError as exc:
        return bad(_("The status list cannot be decoded."), f"{url}: {exc}")


def _dates_problem(doc: dict[str, Any], ctx: VerifyContext) -> str | None:
    now = ctx.clock()
    try:
        start = doc.get("validFrom", doc.get("issuanceDate"))
        end = doc.get("validUntil", doc.get("expirationDate"))
        if start is not None and parse_date_strict(start) > now:
            return _("The status list credential is not valid yet.")
        if end is not None and parse_date_strict(end) < now:
            return _("The status list credential has expired.")
    except (ValueError, OverflowError, OSError):
        return _("The status list credential has an invalid date.")
    return None


async def _list_proof(
    doc: dict[str, Any],
    url: str,
    ctx: VerifyContext,
    issuer_id: str | None,
    jwt: vcjwt.DecodedJwt | None = None,
) -> Verdict | None:
    """None when the list carries a valid proof by its issuer or the credential's issuer."""
    list_issuer = doc.get("issuer")
    if isinstance(list_issuer, dict):
        list_issuer = list_issuer.get("id")
    # A list may be run by a status service on the issuer's behalf (DCC's registries sign
    # lists with their own key, and the conformance corpus expects those to count): the list's
    # own issuer or the credential's issuer may sign it.  The list URL itself is chosen by the
    # issuer inside its signed credential.
    controllers = {c for c in (list_issuer, issuer_id) if isinstance(c, str)}
    if jwt is not None:
        problem = await status_lists.jwt_list_proof(jwt, url, ctx, controllers)
        return None if problem is None else Verdict(*problem)
    if not dataintegrity.proofs_of(doc):
        return Verdict(CheckStatus.FAIL, _("The status list credential is not signed."), url)
    try:
        contexts = await jsonld.load_contexts(doc, ctx)
        canonical = jsonld.canonicalize(dataintegrity.unsecured(doc), contexts)
    except jsonld.ContextUnavailable as exc:
        return Verdict(CheckStatus.UNKNOWN, exc.user_message(), exc.detail)
    except jsonld.JsonLdInvalid as exc:
        return Verdict(CheckStatus.FAIL, exc.user_message(), exc.detail)
    if not canonical.lossless:
        return Verdict(
            CheckStatus.FAIL,
            _("The status list credential uses terms no context defines."),
            ", ".join((*canonical.dropped, *canonical.relative)[:5]),
        )
    outcomes = await dataintegrity.verify_proofs(
        doc, canonical, contexts, ctx, controllers=controllers
    )
    chosen = dataintegrity.best(outcomes)
    if chosen is None or chosen.status is CheckStatus.PASS:
        _vouch(ctx, url, chosen, issuer_id)
        return None
    message = _("The status list credential's proof is not valid: {reason}").format(
        reason=chosen.message
    )
    return Verdict(chosen.status, message, f"{url}: {chosen.detail}")


def _vouch(
    ctx: VerifyContext, url: str, chosen: dataintegrity.ProofOutcome | None, issuer_id: str | None
) -> None:
    """A list signed by the credential's own issuer key may be relied on even as a carried copy
    (any other valid signer counts only for a list fetched now: :mod:`provenance`)."""
    if chosen is not None and chosen.key is not None:
        provenance.vouch(ctx.vouched, url, chosen.key.controller, issuer_id)


async def _fetch_list(url: str, ctx: VerifyContext) -> status_lists.ListForm | Verdict:
    """The list credential at ``url`` in whatever form it is published (JSON-LD, VC-JWT,
    enveloped)."""
    try:
        response = await documents.fetch_ok(
            ctx.fetcher, url, accept=status_lists.ACCEPT, max_bytes=MAX_LIST_BYTES
        )
        return status_lists.parse_list(response.body, url, max_bytes=MAX_LIST_BYTES)
    except documents.DocumentError as exc:
        return _unavailable(url, exc)
    except status_lists.ListUnreadable as exc:
        return Verdict(CheckStatus.UNKNOWN, str(exc), url)


async def _fetch_json(url: str, ctx: VerifyContext) -> dict[str, Any] | Verdict:
    try:
        return await documents.fetch_object(
            ctx.fetcher, url, accept=ACCEPT, max_bytes=MAX_LIST_BYTES
        )
    except documents.DocumentError as exc:
        return _unavailable(url, exc)


def _unavailable(url: str, exc: documents.DocumentError) -> Verdict:
    if exc.failure is documents.Failure.NETWORK:
        message = _("The status list {url} could not be retrieved: {reason}").format(
            url=url, reason=exc.reason
        )
        return Verdict(CheckStatus.UNKNOWN, message, exc.detail)
    if exc.failure is documents.Failure.HTTP:
        message = _("The status list {url} could not be retrieved: HTTP {status}").format(
            url=url, status=exc.status
        )
        return Verdict(CheckStatus.UNKNOWN, message)
    if exc.failure is documents.Failure.JSON:
        return Verdict(CheckStatus.FAIL, exc.reason, url)
    return Verdict(CheckStatus.FAIL, _("The status list is not a JSON object."), url)


# --------------------------------------------------------------------------- 1EdTech revocation list


async def _check_revocation_list(
    entry: dict[str, Any], ctx: VerifyContext, issuer_id: str | None, credential_id: str | None
) -> Verdict:
    url = entry.get("id")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return Verdict(CheckStatus.FAIL, _("The revocation list entry names no list URL."))
    if not credential_id:
        return Verdict(
            CheckStatus.FAIL, _("The credential has no id, so a revocation list cannot name it.")
        )
    key = f"{CACHE_PREFIX}1edtech:{url}"
    doc = ctx.cache.get(key)
    if doc is None:
        doc = await _fetch_json(url.split("#", 1)[0], ctx)
        ctx.cache[key] = doc
    if isinstance(doc, Verdict):
        return doc
    list_issuer = doc.get("issuer")
    if isinstance(list_issuer, dict):
        list_issuer = list_issuer.get("id")
    if issuer_id and list_issuer and list_issuer != issuer_id:
        return Verdict(
            CheckStatus.UNKNOWN,
            _("The revocation list at {url} belongs to another issuer.").format(url=url),
            f"list issuer {list_issuer}",
        )
    revoked = doc.get("revokedCredentials")
    if not isinstance(revoked, list):
        return Verdict(CheckStatus.FAIL, _("The revocation list is malformed."), url)
    for item in revoked:
        ident = item.get("id") if isinstance(item, dict) else item
        if ident == credential_id:
            reason = item.get("revocationReason") if isinstance(item, dict) else None
            message = _("The issuer has revoked this credential.")
            if isinstance(reason, str) and reason:
                message = f"{message} ({reason[:200]})"
            return Verdict(CheckStatus.FAIL, message, url, Status.REVOKED)
    return Verdict(
        CheckStatus.PASS,
        _("Not listed in the issuer's revocation list."),
        f"{url} (the list itself is not signed)",
    )
