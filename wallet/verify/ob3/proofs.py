"""The proof of an OB 3.0 credential: Data Integrity proofs (contexts pinned, every term defined,
the cryptosuite's signature) or a VC-JWT (signature, and the JWT claims agreeing with the
credential inside).  Each step records its named checks; :mod:`.verifier` chooses the path."""

from __future__ import annotations

from typing import Any

from wallet.codecs.nodes import as_list
from wallet.i18n import _
from wallet.model import (
    CheckStatus,
)
from wallet.verify import dataintegrity, jsonld, vcjwt
from wallet.verify.checks import Checks
from wallet.verify.context import VerifyContext
from wallet.verify.known_contexts import pinned_digest


async def data_integrity_steps(
    document: dict[str, Any], issuer: str | None, ctx: VerifyContext, checks: Checks
) -> None:
    proofs = dataintegrity.proofs_of(document)
    if proofs and all(dataintegrity.suite_of(p) == dataintegrity.SUITE_EDDSA_JCS for p in proofs):
        # JCS proofs sign the JSON itself, as a JWT signs its bytes: JSON-LD is not involved in
        # what is signed, so unknown contexts are reported, not fetched.
        _known_contexts_check(document, checks)
        outcomes = await dataintegrity.verify_proofs(
            document,
            jsonld.Canonical(nquads=""),
            jsonld.ContextSet(documents={}),
            ctx,
            controllers={issuer} if issuer else set(),
        )
        proof_checks(outcomes, checks)
        return
    try:
        contexts = await jsonld.load_contexts(document, ctx)
    except jsonld.ContextUnavailable as exc:
        checks.unknown("context", exc.user_message(), detail=exc.detail)
        if proofs:
            checks.unknown("proof", _("The proof could not be checked without its contexts."))
        else:
            checks.failed("proof", _("The credential is not signed."))
        return
    try:
        canonical = jsonld.canonicalize(dataintegrity.unsecured(document), contexts)
    except jsonld.JsonLdInvalid as exc:
        checks.failed("context", exc.user_message(), detail=exc.detail)
        checks.failed("proof", _("The proof cannot be checked on invalid JSON-LD."))
        return
    _context_check(canonical, contexts, checks)
    if not proofs:
        checks.failed(
            "proof",
            _("The credential is not signed: nothing proves who issued it or that it is intact."),
        )
        return
    outcomes = await dataintegrity.verify_proofs(
        document, canonical, contexts, ctx, controllers={issuer} if issuer else set()
    )
    proof_checks(outcomes, checks)


def _context_check(
    canonical: jsonld.Canonical, contexts: jsonld.ContextSet, checks: Checks
) -> None:
    origins = ", ".join(f"{url} ({origin})" for url, origin in contexts.origins.items())
    if canonical.dropped:
        checks.failed(
            "context",
            _(
                "The credential uses terms that no context defines, so its signature would not "
                "cover them: {terms}"
            ).format(terms=", ".join(canonical.dropped[:5])),
            detail=origins,
        )
    elif canonical.relative:
        checks.failed(
            "context",
            _(
                "The credential uses undefined types or relative identifiers, which its signature "
                "would not cover: {terms}"
            ).format(terms=", ".join(canonical.relative[:5])),
            detail=origins,
        )
    else:
        checks.passed(
            "context", _("Every term is defined by a trusted JSON-LD context."), detail=origins
        )


def proof_checks(outcomes: list[dataintegrity.ProofOutcome], checks: Checks) -> None:
    accepted = dataintegrity.best(outcomes)
    assert accepted is not None
    any_valid = accepted.status is CheckStatus.PASS
    if len(outcomes) > 1:
        for item in outcomes:
            status = item.status
            if any_valid and status is not CheckStatus.PASS:
                status = CheckStatus.WARN  # another proof is valid: this one is only reported
            checks.add(f"proof:{item.index}", status, item.message, detail=item.detail)
    if any_valid:
        message = accepted.message
        if len(outcomes) > 1:
            message = _("At least one proof is valid ({suite}).").format(suite=accepted.suite)
        checks.passed("proof", message, detail=accepted.detail)
    else:
        statuses = {o.status for o in outcomes}
        status = CheckStatus.UNKNOWN if CheckStatus.UNKNOWN in statuses else CheckStatus.FAIL
        if statuses == {CheckStatus.FAIL}:
            status = CheckStatus.FAIL
        message = accepted.message if len(outcomes) == 1 else _("No proof is valid.")
        checks.add("proof", status, message, detail=accepted.detail)
    checks.add(
        "issuer-key",
        accepted.key_status,
        accepted.key_message or _("The issuer's key could not be established."),
        detail=accepted.key.id if accepted.key else "",
    )


def _known_contexts_check(document: dict[str, Any], checks: Checks) -> None:
    unknown = [
        c
        for c in as_list(document.get("@context"))
        if isinstance(c, str) and pinned_digest(c) is None
    ]
    if unknown:
        checks.warn(
            "context",
            _("The credential uses contexts plecak does not know: {urls}").format(
                urls=", ".join(unknown[:3])
            ),
        )
    else:
        checks.passed("context", _("The credential uses only known contexts."))


def record_jwt_outcome(outcome: dataintegrity.ProofOutcome, checks: Checks, no_key: str) -> None:
    """A VC-JWT's signature check as the ``proof`` and ``issuer-key`` checks (``no_key``: what to
    say when the signer's key could not be established), for credentials and presentations."""
    checks.add("proof", outcome.status, outcome.message, detail=outcome.detail)
    checks.add(
        "issuer-key",
        outcome.key_status,
        outcome.key_message or no_key,
        detail=outcome.key.id if outcome.key else "",
    )


async def jwt_steps(
    jwt: vcjwt.DecodedJwt, issuer: str | None, ctx: VerifyContext, checks: Checks
) -> None:
    # A VC-JWT is signed over its bytes: JSON-LD processing is not needed for integrity, so the
    # context check only requires known contexts (no network for unknown ones).
    _known_contexts_check(jwt.credential, checks)
    outcome = await vcjwt.verify_signature(jwt, ctx, issuer)
    record_jwt_outcome(outcome, checks, _("The issuer's key could not be established."))
    problems = vcjwt.claim_problems(jwt)
    if problems:
        checks.failed(
            "claims",
            _("The JWT claims contradict the credential: {problems}.").format(
                problems="; ".join(problems)
            ),
        )
    else:
        _claims_agree(jwt, checks)


def _claims_agree(jwt: vcjwt.DecodedJwt, checks: Checks) -> None:
    """The claims agree; a date stated outside the nbf/exp mapping of its data model is told."""
    others = vcjwt.date_claim_problems(jwt)[1]
    if others:
        checks.warn(
            "claims",
            _(
                "The JWT claims agree with the credential, but some dates differ from them: "
                "{problems}."
            ).format(problems="; ".join(others)),
        )
    else:
        checks.passed("claims", _("The JWT claims agree with the credential."))
