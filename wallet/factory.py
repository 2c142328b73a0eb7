"""The composition root: builds a WalletService with importers, exporters and the Fetcher.

Why here and not in the service: the service must not import the importers/exporters packages
(architecture.md); the shells (CLI, TUI, demo, tests) all build their service through
:func:`make_service`, so they behave the same.  This module is also the one reader of the
environment variables that configure a service (:func:`read_environment`): a shell passes what
the user said on its command line, and anything it leaves out (None, empty) comes from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wallet.ports import Clock, Document, Exporter, Fetcher, system_clock
from wallet.service import ImporterRegistry, WalletService

_TRUE_WORDS = ("", "0", "false", "no")


@dataclass(frozen=True, slots=True)
class Environment:
    """What the environment says about a service (cli.md, "Environment")."""

    home: Path | None = None
    """``PLECAK_HOME``."""
    offline: bool = False
    """``PLECAK_OFFLINE`` (anything but empty, 0, false, no)."""
    mirrors: tuple[str, ...] = ()
    """``PLECAK_MIRROR``, os.pathsep-separated."""
    allow_loopback: bool = False
    """``PLECAK_ALLOW_LOOPBACK=1`` (tests and the demo: fetches from 127.0.0.1)."""
    contexts: Path | None = None
    """``PLECAK_CONTEXTS``: a folder of JSON-LD contexts with its index."""


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """The service's settings from the environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    home = env.get("PLECAK_HOME")
    contexts = env.get("PLECAK_CONTEXTS")
    return Environment(
        home=Path(home).expanduser() if home else None,
        offline=env.get("PLECAK_OFFLINE", "") not in _TRUE_WORDS,
        mirrors=tuple(p for p in env.get("PLECAK_MIRROR", "").split(os.pathsep) if p),
        allow_loopback=env.get("PLECAK_ALLOW_LOOPBACK") == "1",
        contexts=Path(contexts) if contexts else None,
    )


def default_home(environment: Environment | None = None) -> Path:
    """``--home`` / ``PLECAK_HOME``, else the platform's user data dir for "plecak"."""
    found = (environment or read_environment()).home
    if found is not None:
        return found
    from platformdirs import user_data_dir

    return Path(user_data_dir("plecak", appauthor=False))


def default_importers() -> ImporterRegistry:
    from importers.registry import default_registry

    registry: ImporterRegistry = default_registry()
    return registry


def _build_exporters() -> Mapping[str, Exporter]:
    from exporters.registry import default_exporters as found

    exporters: Mapping[str, Exporter] = found()
    return exporters


class LazyExporters(Mapping[str, Exporter]):
    """The exporters by name, built by ``build`` the first time the mapping is read.

    Why: the exporters import PDF, HTML and image code (about 75 ms); a ``verify`` or ``import``
    run never exports, so the service gets this and the exporters load only when one is asked for.
    """

    def __init__(self, build: Callable[[], Mapping[str, Exporter]]) -> None:
        self._build = build
        self._built: Mapping[str, Exporter] | None = None

    def _mapping(self) -> Mapping[str, Exporter]:
        if self._built is None:
            self._built = self._build()
        return self._built

    def __getitem__(self, key: str) -> Exporter:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


def default_exporters() -> Mapping[str, Exporter]:
    """Every exporter by its CLI name, imported on first use (see :class:`LazyExporters`)."""
    return LazyExporters(_build_exporters)


@dataclass(frozen=True, slots=True)
class HttpFetcherFactory:
    """Makes the HttpFetcher of one run (a :class:`wallet.ports.FetcherFactory`).  The user's
    mirrors come first, then this machine's cache of pinned contexts."""

    offline: bool
    mirrors: tuple[Path, ...]
    allow_loopback: bool
    clock: Clock
    contexts: Path | None = None

    def __call__(
        self, documents: Mapping[str, Document] | None = None, offline: bool | None = None
    ) -> Fetcher:
        from wallet.net import HttpFetcher

        return HttpFetcher(
            offline=self.offline if offline is None else offline,
            mirrors=self.mirrors,
            contexts_dir=self.contexts,
            documents=dict(documents) if documents else None,
            allow_loopback=self.allow_loopback,
            clock=self.clock,
        )


def make_fetcher_factory(
    *,
    offline: bool,
    mirrors: Sequence[str],
    allow_loopback: bool,
    clock: Clock,
    contexts: Path | None = None,
) -> HttpFetcherFactory:
    from wallet.context_cache import index_path

    cached = index_path()
    all_mirrors = [Path(m) for m in mirrors] + ([cached] if cached is not None else [])
    return HttpFetcherFactory(offline, tuple(all_mirrors), allow_loopback, clock, contexts)


def _completed(
    env: Environment, *, offline: bool, mirrors: Sequence[str], allow_loopback: bool, clock: Clock
) -> HttpFetcherFactory:
    """The fetcher factory for what the user typed, completed from the environment."""
    return make_fetcher_factory(
        offline=offline or env.offline,
        mirrors=[*mirrors, *env.mirrors],
        allow_loopback=allow_loopback or env.allow_loopback,
        clock=clock,
        contexts=env.contexts,
    )


def make_fetcher(
    *,
    offline: bool = False,
    mirrors: Sequence[str] = (),
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> Fetcher:
    """One fetcher for a shell's own network step (``plecak trust update``): the user's options,
    completed from the environment like :func:`make_service`'s."""
    env = read_environment(environ)
    factory = _completed(
        env, offline=offline, mirrors=mirrors, allow_loopback=False, clock=clock or system_clock
    )
    return factory()


def make_service(
    home: Path | None = None,
    *,
    offline: bool = False,
    mirrors: Sequence[str] = (),
    allow_loopback: bool = False,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> WalletService:
    """The one way the shells get a service: their options, completed from the environment."""
    env = read_environment(environ)
    clock = clock or system_clock
    return WalletService(
        home or default_home(env),
        importers=default_importers(),
        exporters=default_exporters(),
        fetcher_factory=_completed(
            env, offline=offline, mirrors=mirrors, allow_loopback=allow_loopback, clock=clock
        ),
        clock=clock,
        offline=offline or env.offline,
    )
