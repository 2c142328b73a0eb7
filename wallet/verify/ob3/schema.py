"""``credentialSchema``: validate a credential against the JSON Schema its issuer declared.

OB 3.0 issuers declare the 1EdTech schemas (``1EdTechJsonSchemaValidator2019``, draft 2019-09) or,
VC 2.0 style, ``JsonSchema``.  A violation fails the credential (it is not what it claims to be).
A schema that cannot be had makes the check UNKNOWN, and so the verdict ``unverified``: the issuer
said what shape the credential must have, and that was not checked.  The published 1EdTech schemas
ship in the package (:mod:`wallet.pinned`), so this happens only for other schemas, offline.

Schemas come through the Fetcher like every document; ``$ref`` to anything outside the schema is
refused (no fetches behind the Fetcher's back).  Compiled validators are kept per schema digest.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from typing import Any

from cachetools import LRUCache

from wallet.codecs.nodes import as_list
from wallet.i18n import _
from wallet.model import Json
from wallet.verify import documents
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext

SCHEMA_TYPES = ("1EdTechJsonSchemaValidator2019", "JsonSchema", "JsonSchemaValidator2018")
MAX_SCHEMA_BYTES = 1024 * 1024
MAX_ERRORS = 3

_SUBJECT_RULE_SCHEMAS = (
    "/ob_v3p0_achievementcredential_schema.json",
    "/ob_v3p0_anyachievementcredential_schema.json",
)
"""Schemas whose AchievementSubject says "Either id or at least one identifier MUST be supplied"
in prose only; the JSON does not encode it, so we add it for credentials that declare them."""

_VALIDATORS: LRUCache[str, Any] = LRUCache(maxsize=32)


@functools.cache
def _registry() -> Any:
    """An empty registry whose default retrieval refuses every URI: ``$ref`` outside the schema fails
    instead of fetching behind the Fetcher's back.  (jsonschema and referencing are imported on first
    use: most credentials declare no schema, and they cost a tenth of a second to import.)"""
    from referencing import Registry

    return Registry()


def entries_of(document: Json) -> list[Json]:
    return as_list(document.get("credentialSchema")) if isinstance(document, dict) else []


def schema_view(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the 1EdTech schemas expect to see it.

    The official OB 3.0 AchievementCredential schema declares ``proof`` as an *array*, but the VC
    data model (1.1 §4.7, 2.0 §4.12) lets a single proof be a plain object, and that is what almost
    every issuer writes.  Failing those credentials would reject valid badges for a defect of the
    schema, so a single proof object is wrapped in a list for validation only; the credential
    itself (and its signature) is untouched.
    """
    if isinstance(document.get("proof"), dict):
        view = dict(document)
        view["proof"] = [document["proof"]]
        return view
    return document


async def check_schema(document: dict[str, Any], ctx: VerifyContext, checks: Checks) -> None:
    entries = entries_of(document)
    if not entries:
        checks.skip("schema", _("The credential declares no schema."))
        return
    for index, entry in enumerate(entries, start=1):
        check_id = "schema" if len(entries) == 1 else f"schema:{index}"
        await _check_one(entry, document, ctx, checks, check_id)


def _unusable() -> tuple[type[BaseException], ...]:
    """What applying a schema raises when the schema, not the credential, is at fault."""
    from jsonschema import exceptions as js_exceptions

    return (js_exceptions.SchemaError, js_exceptions._WrappedReferencingError, RecursionError)


async def _check_one(
    entry: Json, document: dict[str, Any], ctx: VerifyContext, checks: Checks, check_id: str
) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        checks.failed(check_id, _("The credential's schema declaration is malformed."))
        return
    url = entry["id"]
    if entry.get("type") not in SCHEMA_TYPES:
        checks.warn(
            check_id,
            _("The schema type {type} is not supported; the schema was not checked.").format(
                type=entry.get("type")
            ),
            detail=url,
        )
        return
    validator = await _validator(url, ctx)
    if isinstance(validator, str):
        # Not a warning: the issuer declared the shape, and a check that could not run leaves
        # the verdict unverified, never valid (GUIDE: "What valid means").
        checks.unknown(
            check_id,
            _("The schema {url} could not be used ({reason}); the shape was not checked.").format(
                url=url, reason=validator
            ),
            detail=url,
        )
        return
    try:
        errors = sorted(
            validator.iter_errors(schema_view(document)), key=lambda e: list(e.absolute_path)
        )
    except _unusable() as exc:
        checks.warn(
            check_id,
            _("The schema {url} could not be applied; the shape was not checked.").format(url=url),
            detail=repr(exc)[:500],
        )
        return
    errors_text = [
        f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:200]}"
        for e in errors[:MAX_ERRORS]
    ]
    if url.endswith(_SUBJECT_RULE_SCHEMAS):
        errors_text.extend(_unidentified_subjects(document))
    if not errors_text:
        checks.passed(check_id, _("The credential conforms to its schema."), detail=url)
        return
    described = "; ".join(errors_text)
    checks.failed(
        check_id,
        _("The credential does not conform to its declared schema: {errors}").format(
            errors=described
        ),
        detail=url,
    )


def _unidentified_subjects(document: dict[str, Any]) -> list[str]:
    """The learner must be identifiable: ``id`` or ``identifier[]`` (OB 3.0 AchievementSubject).

    A subject ``name`` is accepted too: it is how the DCC Learner Credential Wallet ecosystem names
    the learner, and it is the same statement as an ``identifier`` of identityType ``name``.
    """
    subjects = document.get("credentialSubject")
    problems = []
    for index, subject in enumerate(subjects if isinstance(subjects, list) else [subjects]):
        if isinstance(subject, dict) and not any(
            subject.get(k) for k in ("id", "identifier", "name")
        ):
            problems.append(
                _(
                    "/credentialSubject/{index}: the learner is not identified (no id, no identifier)"
                ).format(index=index)
            )
    return problems


async def _validator(url: str, ctx: VerifyContext) -> Any:
    """A compiled validator, or a short reason why there is none."""
    cache_key = "schema:" + url
    cached = ctx.cache.get(cache_key)
    if cached is not None:
        return cached
    result = await _load_validator(url, ctx)
    ctx.cache[cache_key] = result
    return result


async def _load_validator(url: str, ctx: VerifyContext) -> Any:
    if not url.startswith(("https://", "http://")):
        return _("not an http(s) URL")
    try:
        response = await documents.fetch_ok(
            ctx.fetcher,
            url,
            accept="application/schema+json, application/json",
            max_bytes=MAX_SCHEMA_BYTES,
        )
        digest = hashlib.sha256(response.body).hexdigest()
        compiled = _VALIDATORS.get(digest)
        if compiled is not None:
            return compiled
        schema = documents.parse_object(response.body, url, max_bytes=MAX_SCHEMA_BYTES)
    except documents.DocumentError as exc:
        if exc.failure is documents.Failure.HTTP:
            return _("HTTP status {status}").format(status=exc.status)
        if exc.failure is documents.Failure.NOT_OBJECT:
            return _("not a JSON schema")
        return exc.reason
    from jsonschema import exceptions as js_exceptions
    from jsonschema import validators

    cls = validators.validator_for(schema, default=validators.Draft201909Validator)
    try:
        cls.check_schema(schema)
    except js_exceptions.SchemaError as exc:
        return _("invalid schema: {error}").format(error=exc.message[:200])
    compiled = cls(copy.deepcopy(schema), registry=_registry())
    _VALIDATORS[digest] = compiled
    return compiled
