"""Key bindings in the interface language.

Textual reads ``BINDINGS`` once, when a class is created, so a description written as ``_("Quit")``
would be frozen in whatever language was active at import time.  Bindings are therefore declared
with ``N_()`` msgids and every screen/widget translates its own copy when it is constructed, which
is after ``--lang``/``PLECAK_LANG`` took effect (and lets tests switch languages per app).
"""

from __future__ import annotations

import dataclasses

from textual.binding import BindingsMap
from textual.dom import DOMNode

from wallet.i18n import tr


def translate_bindings(node: DOMNode) -> None:
    translated = BindingsMap()
    for key, bindings in node._bindings.key_to_bindings.items():
        translated.key_to_bindings[key] = [
            dataclasses.replace(
                b,
                description=tr(b.description) if b.description else "",
                tooltip=tr(b.tooltip) if b.tooltip else "",
            )
            for b in bindings
        ]
    node._bindings = translated
