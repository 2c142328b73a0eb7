"""pyld, imported without the network document loader it would set up for nobody.

Why: when imported, pyld picks a process-wide default document loader — ``requests`` if installed,
else ``aiohttp`` (installed here only because pyhanko-certvalidator needs it), whose import costs
about 0.2 s, a third of a whole ``plecak verify``.  plecak never uses that loader: every pyld call
passes its own loader, served from pinned, digest-checked documents (:mod:`wallet.verify.jsonld`).
So aiohttp is made unimportable for the moment pyld loads (unless something already imported it);
pyld then falls back to its offline "dummy" loader, which is also the safer default.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


def _load() -> tuple[ModuleType, ModuleType]:
    blocked = "aiohttp" not in sys.modules
    if blocked:
        sys.modules["aiohttp"] = None  # type: ignore[assignment]  # "import aiohttp" now fails
    try:
        from pyld import context_resolver, jsonld
    finally:
        if blocked:
            del sys.modules["aiohttp"]
    return jsonld, context_resolver


jsonld, context_resolver = _load()
JsonLdProcessor: Any = jsonld.JsonLdProcessor
ContextResolver: Any = context_resolver.ContextResolver
