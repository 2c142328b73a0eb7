"""Modules that a library imports eagerly but plecak's use of it never touches, loaded on first use.

Why: pyld imports ``lxml.html`` (for JSON-LD inside HTML pages) and joserfc imports
``cryptography.x509`` (for keys given as certificates) when they are imported, and those two cost
about 10 ms and 30 ms of a ``plecak verify`` process that never reads an HTML page or a certificate
(issue 17's start-up budget).  A stand-in takes the module's place while the library is imported;
the first time anything reads an attribute of it, the real module is imported and answers.

Correctness never rests on this: whatever the library does with the stand-in, it gets the real
module's attribute, only later.  If a newer version of the library reads the module while being
imported, the real module simply loads then (slower, same result).  See
:mod:`wallet.verify.pyld_quiet` and :mod:`wallet.verify.joserfc_quiet`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


class StandIn(ModuleType):
    """A module object that imports the real module ``__name__`` when an unknown attribute is
    read, and answers from it (an attribute it was given as ``eager`` answers without that)."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(real_module(self), attribute)


def real_module(stand_in: ModuleType) -> ModuleType:
    """The real module behind ``stand_in``, imported now if need be (the stand-in leaves
    ``sys.modules`` and its package first, so the import finds and runs the real one)."""
    _withdraw(stand_in)
    return importlib.import_module(stand_in.__name__)


def _withdraw(stand_in: ModuleType) -> None:
    name = stand_in.__name__
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    parent_name, _, child = name.rpartition(".")
    parent = sys.modules.get(parent_name)
    if parent is not None and parent.__dict__.get(child) is stand_in:
        delattr(parent, child)


def _calling_real(stand_in: ModuleType, attribute: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(real_module(stand_in), attribute)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attribute
    return call


def install(name: str, eager: tuple[str, ...] = ()) -> StandIn | None:
    """Put a stand-in for submodule ``name`` in ``sys.modules`` and in its package, unless the
    module is already imported (then None).  ``eager``: functions a library takes from it by name
    while being imported (``from cryptography.x509 import load_pem_x509_certificate``); each is a
    function that calls the real one."""
    if name in sys.modules:
        return None
    parent_name, _, child = name.rpartition(".")
    parent = importlib.import_module(parent_name)
    stand_in = StandIn(name)
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations is not None:
        # a package: the import system asks for __path__ before taking names from it
        stand_in.__path__ = list(spec.submodule_search_locations)
    for attribute in eager:
        setattr(stand_in, attribute, _calling_real(stand_in, attribute))
    sys.modules[name] = stand_in
    setattr(parent, child, stand_in)
    return stand_in


@contextmanager
def deferred(name: str, eager: tuple[str, ...] = ()) -> Iterator[None]:
    """While the block runs (it imports a library), ``name`` is a stand-in; afterwards it is
    taken out again, so anyone importing ``name`` later gets the real module at once.  What the
    library bound to the stand-in keeps working through it."""
    stand_in = install(name, eager)
    try:
        yield
    finally:
        if stand_in is not None:
            _withdraw(stand_in)
