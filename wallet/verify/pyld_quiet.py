"""pyld, imported without the document loaders and HTML parser it would set up for nobody.

Why: importing the ``pyld`` package runs its ``__init__``, which imports every document loader it
ships — ``aiohttp`` (installed here only because pyhanko-certvalidator needs it; about 0.2 s),
``requests``, a file loader that pulls in ``urllib.request``, ``http.client`` and ``email`` — and
``pyld.jsonld`` imports ``lxml.html`` for JSON-LD embedded in HTML pages.  plecak never uses any of
them: every pyld call passes its own loader, served from pinned, digest-checked documents
(:mod:`wallet.verify.jsonld`), and credentials are JSON, never HTML.  Together they cost about a
tenth of a whole ``plecak verify`` (issue 17's start-up budget).

So this module loads ``pyld.jsonld`` and ``pyld.context_resolver`` under a bare ``pyld`` package
object (the same folder, without running ``__init__``), with ``aiohttp`` and ``requests`` made
unimportable for that moment (``pyld.jsonld`` then keeps its offline "dummy" default loader, the
safer default anyway) and ``lxml.html`` standing in until first used, which here is never
(:mod:`wallet.lazy_modules`).  Anything already imported is left as it is.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

from wallet.lazy_modules import install

_UNUSED_LOADERS = ("aiohttp", "requests")


def _bare_package(name: str) -> None:
    """Register package ``name`` without executing its ``__init__`` (submodules still import)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an installed package")
    package = ModuleType(name)
    package.__spec__ = spec
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    sys.modules[name] = package


def _load() -> tuple[ModuleType, ModuleType, ModuleType]:
    blocked = [name for name in _UNUSED_LOADERS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # "import aiohttp" now fails
    try:
        _bare_package("pyld")
        install("lxml.html")  # pyld reads it for HTML pages only
        # pyld.jsonld first: it imports context_resolver, which imports it back
        jsonld = importlib.import_module("pyld.jsonld")
        context_resolver = importlib.import_module("pyld.context_resolver")
        resolved_context = importlib.import_module("pyld.resolved_context")
    finally:
        for name in blocked:
            del sys.modules[name]
    return jsonld, context_resolver, resolved_context


jsonld, context_resolver, resolved_context = _load()
JsonLdProcessor: Any = jsonld.JsonLdProcessor
ContextResolver: Any = context_resolver.ContextResolver
ResolvedContext: Any = resolved_context.ResolvedContext
