"""The composition root: builds a WalletService with importers, exporters and the Fetcher.

Why here and not in the service: the service must not import the importers/exporters packages
(architecture.md); the shells (CLI, TUI, demo, tests) all build their service through this one
function, so they behave the same.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wallet.ports import Clock, Exporter, system_clock
from wallet.service import ClosableFetcher, ImporterRegistry, WalletService


def default_home() -> Path:
    """``--home`` / ``PLECAK_HOME``, else the platform's user data dir for "plecak"."""
    env = os.environ.get("PLECAK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("plecak", appauthor=False))


def mirrors_from_env(explicit: Sequence[str] = ()) -> list[str]:
    found = list(explicit)
    env = os.environ.get("PLECAK_MIRROR", "")
    found += [p for p in env.split(os.pathsep) if p]
    return found


def offline_from_env(explicit: bool = False) -> bool:
    return explicit or os.environ.get("PLECAK_OFFLINE", "") not in ("", "0", "false", "no")


def default_importers() -> ImporterRegistry:
    from importers.registry import default_registry

    registry: ImporterRegistry = default_registry()
    return registry


def default_exporters() -> Mapping[str, Exporter]:
    try:
        from exporters.registry import default_exporters as found
    except ImportError:
        return {}
    exporters: Mapping[str, Exporter] = found()
    return exporters


def make_fetcher_factory(
    *,
    offline: bool,
    mirrors: Sequence[str],
    allow_loopback: bool,
    clock: Clock,
) -> Any:
    contexts = os.environ.get("PLECAK_CONTEXTS") or None
    from wallet.context_cache import index_path

    cached = index_path()
    all_mirrors = [Path(m) for m in mirrors] + ([cached] if cached is not None else [])

    def factory(
        documents: Mapping[str, tuple[int, str, bytes]] | None = None,
        offline: bool | None = None,
        _default_offline: bool = offline,
    ) -> ClosableFetcher:
        from wallet.net import HttpFetcher

        fetcher: ClosableFetcher = HttpFetcher(
            offline=_default_offline if offline is None else offline,
            mirrors=all_mirrors,
            contexts_dir=Path(contexts) if contexts else None,
            documents=dict(documents) if documents else None,
            allow_loopback=allow_loopback,
            clock=clock,
        )
        return fetcher

    return factory


def make_service(
    home: Path | None = None,
    *,
    offline: bool = False,
    mirrors: Sequence[str] = (),
    allow_loopback: bool = False,
    clock: Clock | None = None,
    recipients: Sequence[str] = (),
) -> WalletService:
    """The one way the shells get a service."""
    clock = clock or system_clock
    offline = offline_from_env(offline)
    return WalletService(
        home or default_home(),
        importers=default_importers(),
        exporters=default_exporters(),
        fetcher_factory=make_fetcher_factory(
            offline=offline,
            mirrors=mirrors_from_env(mirrors),
            allow_loopback=allow_loopback or os.environ.get("PLECAK_ALLOW_LOOPBACK") == "1",
            clock=clock,
        ),
        clock=clock,
        offline=offline,
        recipients=recipients,
    )
