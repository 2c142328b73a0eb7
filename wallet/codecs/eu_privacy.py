"""Which fields of a credential reveal more than a learner may want to share (date of birth,
national ID…).  A signed credential cannot lose fields, so the wallet warns before sharing one;
the labels are msgids to translate with ``tr``.  Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from wallet.codecs.eu_read import credential_document, esc
from wallet.i18n import N_
from wallet.model import Credential

_SENSITIVE = {
    "dateofbirth": N_("date of birth"),
    "birthdate": N_("date of birth"),
    "date_of_birth": N_("date of birth"),
    "placeofbirth": N_("place of birth"),
    "nationalid": N_("national ID number"),
    "nationalidentifier": N_("national ID number"),
    "nationalidnumber": N_("national ID number"),
    "pesel": N_("national ID number"),
    "personalidentifier": N_("national ID number"),
    "socialsecuritynumber": N_("national ID number"),
    "ssn": N_("national ID number"),
    "taxidentifier": N_("national ID number"),
    "passportnumber": N_("passport number"),
}


def _normalised_key(key: str) -> str:
    return key.rsplit(":", 1)[-1].lower()


def sensitive_fields(credential: Credential) -> list[str]:
    """JSON pointers of fields that reveal more than a learner may want to share (date of birth,
    national ID…): the wallet warns before a signed credential, which cannot lose fields, is shared."""
    found: list[str] = []

    def walk(value: Any, pointer: str, depth: int) -> None:
        if depth > 64 or len(found) > 100:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{pointer}/{esc(str(key))}"
                if _normalised_key(str(key)) in _SENSITIVE and item not in (None, "", [], {}):
                    found.append(here)
                else:
                    walk(item, here, depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{pointer}/{i}", depth + 1)

    doc = credential_document(credential)
    walk(doc.value, doc.pointer, 0)
    return found


def sensitive_label(pointer: str) -> str:
    """The msgid naming what the field at ``pointer`` is (translate with ``tr``)."""
    last = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return _SENSITIVE.get(_normalised_key(last), N_("personal data"))
