"""Documents verification needs offline, shipped inside the package and pinned by SHA-256.

Why: a wallet installed from a plain checkout, with no network and no ``PLECAK_CONTEXTS``, must
still verify what can be verified: the JSON-LD contexts plecak pins (W3C VC 1.1/2.0, Data
Integrity, status lists, DID core, security, DCC, Open Badges 1.x/2.0/3.0 and extensions) and the
1EdTech JSON Schemas that credentials declare.  ``index.json`` is a mirror index in the cli.md
format: URL -> file, media type and the ``sha256`` of the file's bytes (checked on every read, so
a damaged install falls through to the network instead of being believed), plus ``source`` and
``licence`` of each published document, which ships verbatim.

The Fetcher tries these right after the in-memory evidence and the ``PLECAK_CONTEXTS`` override,
before mirrors, the context cache and the network (:mod:`wallet.net.fetcher`).  The verifier
checks contexts against :mod:`wallet.verify.known_contexts` again, whatever their origin.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wallet.net.mirror import Mirror

INDEX = Path(__file__).with_name("index.json")
ORIGIN = "pinned"
"""The FetchRecord origin of a document answered from here (model.py: a digest-pinned document)."""


@cache
def pinned_mirror() -> Mirror:
    """The shipped index, loaded and checked once per process."""
    from wallet.net.mirror import load_mirror

    return load_mirror(INDEX)
