"""Who sealed a European Digital Credential, in one sentence, in any language the pages need.

Why structured and kept here: the EDC verifier (wallet.verify.edc) writes the facts of a trusted
seal into the ``seal-trust`` check's ``detail`` as JSON, and every face renders the same sentence
from them — ``show``, the TUI's detail view and summary.html, which is drawn in Polish *and*
English by the exporter and again by the bundle verifier (both may import only pure codecs).

    "Sealed by ORGANISATION (qualified electronic seal, QTSP, country), as of the trusted list
    of DATE."
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass

from wallet.i18n import N_, _
from wallet.model import CheckResult, CheckStatus

SEAL_CHECK = "seal-trust"
SENTENCE = N_(
    "Sealed by {organisation} ({level}, {provider}, {country}), as of the trusted list of {date}."
)
LEVELS = {
    True: N_("qualified electronic seal"),
    False: N_("advanced electronic seal"),
}


@dataclass(frozen=True, slots=True)
class SealFacts:
    organisation: str
    qualified: bool
    provider: str
    country: str
    list_issued: str
    """RFC 3339 issue time of the trusted list that speaks for the service."""
    subject: str = ""
    """The seal certificate's subject (technical detail)."""

    def to_detail(self) -> str:
        return json.dumps({"sealed_by": asdict(self)}, ensure_ascii=False, sort_keys=True)


def sentence(facts: SealFacts, gettext: Callable[[str], str] | None = None) -> str:
    """The sentence in the interface language, or in the one ``gettext`` translates to."""
    t = gettext or _
    return t(SENTENCE).format(
        organisation=facts.organisation,
        level=t(LEVELS[facts.qualified]),
        provider=facts.provider,
        country=facts.country,
        date=facts.list_issued,
    )


def _parse(detail: object) -> SealFacts | None:
    if not isinstance(detail, str) or not detail.startswith("{"):
        return None
    try:
        found = json.loads(detail).get("sealed_by")
        return SealFacts(**found) if isinstance(found, dict) else None
    except (ValueError, TypeError, AttributeError):
        return None


def seal_facts(checks: Iterable[CheckResult | Mapping[str, object]]) -> SealFacts | None:
    """The facts of a *passed* ``seal-trust`` check (report objects or their JSON), else None."""
    for check in checks:
        if isinstance(check, CheckResult):
            if check.id == SEAL_CHECK and check.status is CheckStatus.PASS:
                return _parse(check.detail)
        elif check.get("id") == SEAL_CHECK and check.get("status") == CheckStatus.PASS.value:
            return _parse(check.get("detail"))
    return None
