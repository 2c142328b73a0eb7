"""The composition root is where the environment is read: PLECAK_OFFLINE, PLECAK_MIRROR (in
order, after the mirrors the shell was given), PLECAK_CONTEXTS, PLECAK_HOME."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.net.test_mirrors import write_index
from wallet.errors import OfflineMiss
from wallet.factory import make_fetcher_factory, read_environment
from wallet.ports import system_clock


def test_the_environment_configures_the_fetchers(tmp_path: Path, contexts_dir: Path) -> None:
    a = write_index(tmp_path / "a", {"https://x.example/a": "a.txt"}, {"a.txt": b"A"})
    b = write_index(tmp_path / "b", {"https://x.example/b": "b.txt"}, {"b.txt": b"B"})
    env = read_environment(
        {
            "PLECAK_OFFLINE": "1",
            "PLECAK_MIRROR": os.pathsep.join([str(b), "", str(a)]),
            "PLECAK_CONTEXTS": str(contexts_dir),
            "PLECAK_HOME": str(tmp_path / "home"),
        }
    )
    assert env.offline and env.contexts == contexts_dir and env.home == tmp_path / "home"
    assert env.mirrors == (str(b), str(a))
    factory = make_fetcher_factory(
        offline=env.offline,
        mirrors=[str(a), *env.mirrors],
        allow_loopback=env.allow_loopback,
        clock=system_clock,
        contexts=env.contexts,
    )

    async def go() -> None:
        async with factory() as fetcher:
            assert (await fetcher.get("https://x.example/a")).body == b"A"
            assert (await fetcher.get("https://x.example/b")).body == b"B"
            with pytest.raises(OfflineMiss):
                await fetcher.get("https://x.example/c")

    asyncio.run(go())
    assert not read_environment({"PLECAK_OFFLINE": "0"}).offline
    assert not read_environment({}).offline
