"""Interface language: every user-facing string goes through :func:`_`.

Why a module-level switch instead of passing a translator around: messages are produced deep in the
core (error messages, check explanations) and rendered by the shells; one process speaks one
language at a time, chosen once from ``--lang`` / ``PLECAK_LANG`` / the locale.

Catalogues live in ``wallet/i18n/locale/<lang>/LC_MESSAGES/plecak.{po,mo}``.  The ``.mo`` files are
committed next to their ``.po`` sources (a test checks they agree), so an install needs no build step.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

SUPPORTED = ("en", "pl")
DOMAIN = "plecak"
LOCALE_DIR = Path(__file__).with_name("locale")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_current = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now (translated when displayed)."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the current interface language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (Polish has three plural forms; the catalogue knows them)."""
    return _translation.ngettext(singular, plural, n)


def current_language() -> str:
    return _current


def detect_language(explicit: str | None = None) -> str:
    """Pick the language: an explicit choice, then ``PLECAK_LANG``, then the locale, else English."""
    for candidate in (explicit, os.environ.get("PLECAK_LANG")):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in SUPPORTED:
                return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"


def set_language(lang: str | None = None) -> str:
    """Switch the process to ``lang`` (or the detected language); returns the code in use."""
    global _translation, _current
    code = detect_language(lang)
    if code not in SUPPORTED:
        code = "en"
    _translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True
    )
    _current = code
    return code
