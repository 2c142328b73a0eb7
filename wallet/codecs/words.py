"""Words both shells show for the same facts: a credit, an EU element's name, the deciding reason.

Why here and not in a shell: the TUI's detail pane and ``plecak show`` say the same things, and one
shell must not import the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wallet.i18n import ngettext, tr

if TYPE_CHECKING:
    from wallet.model import VerificationReport


def deciding_reason(report: VerificationReport) -> str:
    """The sentence of the check that decided the verdict: the first failed one, else the first
    that could not run (what a person needs to read first, not the whole report)."""
    from wallet.model import CheckStatus

    for wanted in (CheckStatus.FAIL, CheckStatus.UNKNOWN):
        for check in report.checks:
            if check.status is wanted:
                return check.message
    return ""


def element_label(key: str) -> str:
    """The translated Annex I name of an EU micro-credential element (never the raw key)."""
    from wallet.codecs.eu_read import LABELS

    return tr(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()


def credit_text(amount: float, unit: str) -> str:
    """``5 ECTS``, ``12 godzin``, ``3 punkty``: the unit in words of the interface language.

    ``credits`` (OB 3.0 ``creditsAvailable``) and ``hours`` are plecak's own unit keys; a framework
    named by the issuer (``ECTS``, ``CATS``, an ELM label) is shown as the issuer wrote it.
    """
    shown = f"{amount:g}"
    count = int(amount) if float(amount).is_integer() else 2
    if unit == "credits":
        return ngettext("{n} credit", "{n} credits", count).format(n=shown)
    if unit == "hours":
        return ngettext("{n} hour", "{n} hours", count).format(n=shown)
    return f"{shown} {unit}"
