"""Storing what was gathered: failures and skips reported, duplicates recognised (against the
wallet and within the batch), each new credential verified once and stored with its evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from wallet.errors import UnsupportedInput
from wallet.i18n import N_
from wallet.model import Credential
from wallet.ports import ImportBatch
from wallet.service.entries import with_eu_elements
from wallet.service.run import VerifyRun
from wallet.service.sources import as_wallet_error
from wallet.service.types import ImportOutcome, Progress

if TYPE_CHECKING:
    from wallet.store import Wallet

STATUS_LIST_TYPES = frozenset(
    {
        "BitstringStatusListCredential",
        "StatusList2021Credential",
        "RevocationList2020Credential",
        "1EdTechRevocationList",
    }
)
"""Credential types that are issuer infrastructure (status and revocation lists), not badges."""

NOT_A_BADGE = N_(
    "It is an issuer's status list (the list that says which badges are revoked), not a badge; "
    "plecak reads it when it checks a badge."
)


@dataclass
class _Sorted:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    fresh: list[Credential] = field(default_factory=list)
    """New to the wallet and to this import: to verify and store."""
    repeated: list[int] = field(default_factory=list)
    """Outcomes of credentials met twice in this import: their id is known once stored."""


async def store_batches(
    wallet: Wallet, batches: Sequence[ImportBatch], run: VerifyRun, progress: Progress | None
) -> list[ImportOutcome]:
    found = _sort(wallet, batches)
    outcomes = found.outcomes
    reports = await run.verify(found.fresh, progress)
    for parsed, report in zip(found.fresh, reports, strict=True):
        credential = with_eu_elements(run.shown(parsed, report))
        source = credential.original.source
        cid, created = wallet.add_credential(
            credential, report, run.evidence(report), source=source
        )
        outcomes.append(
            ImportOutcome(
                source=source,
                state="stored" if created else "duplicate",
                id=cid,
                entry=wallet.get_entry(cid),
                report=report,
                credential=credential,
            )
        )
    for index in found.repeated:
        outcome = outcomes[index]
        existing = wallet.find_fingerprint(
            outcome.credential.fingerprint if outcome.credential else ""
        )
        if existing is not None:
            outcomes[index] = replace(outcome, id=existing, entry=wallet.get_entry(existing))
    return outcomes


def _sort(wallet: Wallet, batches: Sequence[ImportBatch]) -> _Sorted:
    result = _Sorted()
    seen: set[str] = set()
    for batch in batches:
        for failure in batch.failures:
            result.outcomes.append(
                ImportOutcome(
                    source=failure.source,
                    state="skipped" if failure.skipped else "failed",
                    error=as_wallet_error(failure),
                )
            )
        for found in batch.found:
            if not isinstance(found, Credential):
                continue
            source = found.original.source
            if is_status_list(found):
                error = UnsupportedInput(source=source, hint=NOT_A_BADGE)
                result.outcomes.append(ImportOutcome(source=source, state="skipped", error=error))
                continue
            fingerprint = found.fingerprint
            existing = wallet.find_fingerprint(fingerprint)
            if existing is None and fingerprint in seen:
                result.repeated.append(len(result.outcomes))
            if existing is not None or fingerprint in seen:
                result.outcomes.append(
                    ImportOutcome(
                        source=source,
                        state="duplicate",
                        id=existing,
                        entry=wallet.get_entry(existing) if existing else None,
                        credential=found,
                    )
                )
                continue
            seen.add(fingerprint)
            result.fresh.append(found)
    return result


def is_status_list(credential: Credential) -> bool:
    document = credential.document
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    names = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
    return bool(names & STATUS_LIST_TYPES)
