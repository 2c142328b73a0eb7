"""An overlapping-entry ZIP: one megabyte of data, hundreds of central-directory entries pointing at
it.  Before the shared checker (wallet.codecs.safezip) the importer read every entry and kept it,
~455 MB of memory for a 1 MB file; now it is refused from the directory and local headers alone."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from importers.registry import default_registry
from tests.importers import make
from wallet.codecs import safezip
from wallet.errors import UnsafeInput

ROOT = Path(__file__).resolve().parents[2]
COPIES = 450


def overlapping_zip(copies: int = COPIES, size: int = 1024 * 1024) -> bytes:
    """One stored 1 MB entry; its central-directory record repeated ``copies`` times, all pointing
    at the same local header (names equal, so a reader finds no mismatch to stop at)."""
    one = make.zip_bytes({"badge.json": os.urandom(size)})  # incompressible: ratio 1
    directory = one.index(b"PK\x01\x02")
    end = one.index(b"PK\x05\x06")
    record = one[directory:end]
    eocd = bytearray(one[end:])
    struct.pack_into("<HHII", eocd, 8, copies, copies, len(record) * copies, directory)
    return one[:directory] + record * copies + bytes(eocd)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overlap") / "badges.zip"
    path.write_bytes(overlapping_zip())
    return path


def test_the_bomb_is_what_it_claims(bomb: Path) -> None:
    assert 1_000_000 < bomb.stat().st_size < 1_200_000
    with zipfile.ZipFile(bomb) as archive:
        infos = archive.infolist()
    assert len(infos) == COPIES and len({i.header_offset for i in infos}) == 1


def test_the_importer_refuses_it_quickly(bomb: Path) -> None:
    started = time.perf_counter()
    batch = default_registry().read_path(bomb)
    elapsed = time.perf_counter() - started
    assert not batch.found
    assert isinstance(batch.failures[0].error, UnsafeInput)
    assert elapsed < 2.0


def test_the_importer_refuses_it_with_small_memory(bomb: Path) -> None:
    """Peak memory of a fresh interpreter reading the bomb, minus the same interpreter's baseline."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from importers.registry import default_registry
        registry = default_registry()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.argv[1] == "read":
            registry.read_path(Path({str(bomb)!r}))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(after - before)
        """
    )

    def growth_kb(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", code, mode], capture_output=True, text=True, cwd=ROOT, check=True
        )
        return int(out.stdout.strip())

    assert growth_kb("read") < 32 * 1024  # < 32 MB more than doing nothing (was ~455 MB)


def test_distinct_names_sharing_data_are_refused_too(tmp_path: Path) -> None:
    """Entries with their own names whose data overlaps the next entry's header."""
    data = bytearray(make.zip_bytes({"a.json": b"{}" * 500, "b.json": b"[]" * 500}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        b = archive.getinfo("b.json")
    pos = bytes(data).find(b"PK\x01\x02")  # a's record: claim it is longer, reaching into b
    data[pos + 20 : pos + 24] = (b.header_offset + 64).to_bytes(4, "little")
    path = tmp_path / "overlap.zip"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises(safezip.ZipRefused, match="overlaps"):
        safezip.vet(archive, safezip.ZipLimits())
