"""Interface language: every user-facing string goes through :func:`_`.

Why a module-level switch instead of passing a translator around: messages are produced deep in the
core (error messages, check explanations) and rendered by the shells; one process speaks one
language at a time, chosen once from ``--lang`` / ``PLECAK_LANG`` / the locale.

Catalogues: one ``.po`` per area of the code in ``wallet/i18n/locale/<lang>/LC_MESSAGES/`` (``core.po``,
``store.po``, ``tui.po``, …) so that parts of the code can grow their messages independently; all the
catalogues of a language are chained into one translation.  The ``.mo`` files are compiled with
``python -m wallet.i18n.compile`` (babel, a dev dependency) and committed next to their sources; a
test checks that they agree and that every message in the code has a Polish translation.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

SUPPORTED = ("en", "pl")
LOCALE_DIR = Path(__file__).with_name("locale")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_current = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now (translated when displayed)."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the current interface language."""
    return _translation.gettext(message)


def tr(msgid: str) -> str:
    """Translate a msgid held in a variable; it must have been marked with :func:`N_` where defined."""
    return _translation.gettext(msgid)


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


def _load_catalogues(code: str) -> gettext.NullTranslations:
    chain: gettext.NullTranslations = gettext.NullTranslations()
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    for mo in sorted(folder.glob("*.mo")) if folder.is_dir() else []:
        with mo.open("rb") as fh:
            catalogue = gettext.GNUTranslations(fh)
        if isinstance(chain, gettext.GNUTranslations):
            chain.add_fallback(catalogue)
        else:
            chain = catalogue
    return chain


def translation_for(lang: str) -> gettext.NullTranslations:
    """The catalogue of one language without switching the process (e.g. a bilingual page)."""
    return _load_catalogues(lang if lang in SUPPORTED else "en")


def set_language(lang: str | None = None) -> str:
    """Switch the process to ``lang`` (or the detected language); returns the code in use."""
    global _translation, _current
    code = detect_language(lang)
    if code not in SUPPORTED:
        code = "en"
    _translation = _load_catalogues(code)
    _current = code
    return code
