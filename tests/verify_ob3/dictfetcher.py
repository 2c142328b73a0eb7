"""Documents for the in-memory Fetcher of the verifier tests (:class:`wallet.net.fake.FakeFetcher`):
the contexts of a PLECAK_CONTEXTS folder, a conformance case's ``needs``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from wallet.ports import Document


def contexts_documents(contexts_dir: Path) -> dict[str, Document]:
    """Every context of a PLECAK_CONTEXTS folder (its mirror.json), as fetcher documents."""
    index = json.loads((contexts_dir / "mirror.json").read_text(encoding="utf-8"))
    out: dict[str, Document] = {}
    for url, entry in index.items():
        rel = entry if isinstance(entry, str) else entry.get("file")
        if not rel:
            continue
        out[url] = (200, "application/ld+json", (contexts_dir / rel).read_bytes())
    return out


def needs_documents(base_dir: Path, needs: Mapping[str, str]) -> dict[str, Document]:
    """A conformance case's ``needs`` map as fetcher documents."""
    return {
        url: (200, "application/json", (base_dir / rel).read_bytes()) for url, rel in needs.items()
    }
