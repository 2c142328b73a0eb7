"""Folders and ZIP archives: every file an item, duplicates recognisable, bundles understood."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from importers.archive import Limits
from importers.registry import Registry, default_registry
from tests.importers import make
from wallet.codecs import baking
from wallet.errors import UnreadableInput, UnsafeInput, UnsupportedInput
from wallet.model import Credential
from wallet.ports import Blob, ImportBatch


def _badge_png(uid: str) -> bytes:
    return baking.bake_png(
        make.png(), json.dumps(make.ob3_credential(uid)), keyword="openbadgecredential"
    )


def test_zip_with_several_badges_and_a_stray_file() -> None:
    data = make.zip_bytes(
        {
            "badges/a.png": _badge_png("urn:uuid:a"),
            "badges/b.json": json.dumps(make.ob3_credential("urn:uuid:b")).encode(),
            "badges/c.jws": make.jws(make.ob3_credential("urn:uuid:c")).encode(),
            "README.txt": b"my badges, exported from a backpack",
            "__MACOSX/._a.png": b"junk",
            ".DS_Store": b"junk",
        }
    )
    batch = default_registry().parse_blob(Blob(data, "export.zip"))
    ids = [c.credential_id for c in batch.found if isinstance(c, Credential)]
    assert ids == ["urn:uuid:a", "urn:uuid:b", "urn:uuid:c"]
    assert [c.original.source for c in batch.found if isinstance(c, Credential)] == [
        "export.zip!badges/a.png",
        "export.zip!badges/b.json",
        "export.zip!badges/c.jws",
    ]
    assert [f.source for f in batch.failures] == ["export.zip!README.txt"]
    assert isinstance(batch.failures[0].error, UnsupportedInput)


def test_same_badge_twice_in_a_zip_has_one_fingerprint() -> None:
    png = _badge_png("urn:uuid:same")
    no_id = json.dumps({k: v for k, v in make.ob3_credential().items() if k != "id"}).encode()
    data = make.zip_bytes({"one.png": png, "copy/one.png": png, "x.json": no_id, "y.json": no_id})
    batch = default_registry().parse_blob(Blob(data, "dup.zip"))
    prints = [c.fingerprint for c in batch.found if isinstance(c, Credential)]
    assert prints[0] == prints[1] == "id:urn:uuid:same"
    assert prints[2] == prints[3] and prints[2].startswith("sha256:")


def test_share_bundle_yields_only_its_credentials() -> None:
    data = make.zip_bytes(
        {
            "mimetype": b"application/vnd.plecak.bundle+zip",
            "manifest.json": b'{"files": []}',
            "presentation.json": json.dumps(
                {
                    "type": ["VerifiablePresentation"],
                    "verifiableCredential": [make.ob3_credential("urn:uuid:vp")],
                }
            ).encode(),
            "credentials/1.png": _badge_png("urn:uuid:one"),
            "evidence/index.json": b"{}",
        }
    )
    batch = default_registry().parse_blob(Blob(data, "bundle.zip"))
    assert not batch.failures
    assert [c.credential_id for c in batch.found if isinstance(c, Credential)] == ["urn:uuid:one"]


def test_nested_zip_is_read_but_not_too_deep() -> None:
    inner = make.zip_bytes({"b.png": _badge_png("urn:uuid:inner")})
    outer = make.zip_bytes({"inner.zip": inner})
    batch = default_registry().parse_blob(Blob(outer, "outer.zip"))
    assert [c.credential_id for c in batch.found if isinstance(c, Credential)] == ["urn:uuid:inner"]
    deeper = make.zip_bytes({"outer.zip": outer})
    batch = default_registry().parse_blob(Blob(deeper, "deep.zip"))
    assert not batch.found
    assert isinstance(batch.failures[0].error, UnsafeInput)


def test_caps_on_entries_and_total_size() -> None:
    registry = Registry(
        default_registry().importers, limits=Limits(max_entries=3, max_total_bytes=100)
    )
    many = make.zip_bytes({f"{i}.json": b"{}" for i in range(4)})
    batch = registry.parse_blob(Blob(many, "many.zip"))
    assert isinstance(batch.failures[0].error, UnsafeInput) and not batch.found
    big = make.zip_bytes({"a.json": b"{" + b" " * 200 + b"}"})
    batch = registry.parse_blob(Blob(big, "big.zip"))
    assert isinstance(batch.failures[0].error, UnsafeInput)


def test_zip_from_disk_is_read_without_loading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "badges.zip"
    path.write_bytes(make.zip_bytes({"a.png": _badge_png("urn:uuid:disk")}))
    batch = default_registry().read_path(path)
    assert [c.credential_id for c in batch.found if isinstance(c, Credential)] == ["urn:uuid:disk"]
    assert batch.found[0].original.source == f"{path}!a.png"  # type: ignore[union-attr]


def test_folder_recursive_sorted_skips_hidden_and_symlinks(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.png").write_bytes(_badge_png("urn:uuid:1"))
    (tmp_path / "b" / "deep" / "c.json").write_text(json.dumps(make.ob3_credential("urn:uuid:2")))
    (tmp_path / ".hidden" / "x.json").write_text(json.dumps(make.ob3_credential("urn:uuid:h")))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.json"
    outside.write_text(json.dumps(make.ob3_credential("urn:uuid:outside")))
    os.symlink(outside, tmp_path / "link.json")
    os.symlink(tmp_path.parent, tmp_path / "loop")
    batch = default_registry().read_path(tmp_path)
    assert [c.credential_id for c in batch.found if isinstance(c, Credential)] == [
        "urn:uuid:1",
        "urn:uuid:2",
    ]
    assert not batch.failures


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    batch = default_registry().read_path(tmp_path / "nope.png")
    assert isinstance(batch.failures[0].error, UnreadableInput)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    registry = Registry(default_registry().importers, max_file_bytes=10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(make.ob3_credential()))
    batch = registry.read_path(path)
    assert isinstance(batch.failures[0].error, UnsafeInput)


def test_folder_file_cap(tmp_path: Path) -> None:
    registry = Registry(default_registry().importers, limits=Limits(max_files=3))
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text("x")
    batch = registry.read_path(tmp_path)
    assert any(isinstance(f.error, UnsafeInput) for f in batch.failures)


def test_fifo_device_in_folder_does_not_block_or_fill_memory(tmp_path: Path) -> None:
    """Defect: a FIFO in an imported folder blocked the import forever, and ``/dev/zero`` was read
    until memory ran out (MemoryError traceback): only regular files are read now."""
    folder = tmp_path / "backpack"
    folder.mkdir()
    os.mkfifo(folder / "pipe.json")
    (folder / "ok.json").write_text(json.dumps(make.ob3_credential("urn:uuid:next-to-a-fifo")))
    result: list[ImportBatch] = []
    worker = threading.Thread(
        target=lambda: result.append(default_registry().read_path(folder)), daemon=True
    )
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so the test process can end
        os.close(os.open(folder / "pipe.json", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a folder with a FIFO in it blocked")
    batch = result[0]
    assert [c.credential_id for c in batch.found if isinstance(c, Credential)] == [
        "urn:uuid:next-to-a-fifo"
    ]
    assert len(batch.failures) == 1 and isinstance(batch.failures[0].error, UnsupportedInput)
    assert "not a regular file" in str(batch.failures[0].error.user_message())
    if Path("/dev/zero").exists():
        batch = default_registry().read_path("/dev/zero")
        assert isinstance(batch.failures[0].error, UnsupportedInput)


def test_file_growing_after_the_size_check_is_still_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect (TOCTOU): the size was taken from stat() of the name, then read_bytes() read the
    whole file, however much it had grown in between.  Now fstat of the open file and a capped
    read."""
    path = tmp_path / "grows.json"
    path.write_bytes(b"{}")
    registry = Registry(default_registry().importers, max_file_bytes=1000)
    first = os.stat(path)

    def stale_fstat_then_grow(fd: int) -> os.stat_result:
        path.write_bytes(b" " * 5000 + b"{}")  # grows right after the check
        return first

    monkeypatch.setattr(os, "fstat", stale_fstat_then_grow)
    batch = registry.read_path(path)
    monkeypatch.undo()
    assert isinstance(batch.failures[0].error, UnsafeInput)
    assert "larger than 1000 bytes" in batch.failures[0].error.user_message()


def test_nested_zips_each_got_a_fresh_total_budget() -> None:
    """Defect: every nested ZIP started with a fresh max_total_bytes, so an outer archive of N
    inner archives inflated N times the cap.  The budget is now shared with nested archives."""
    registry = Registry(default_registry().importers, limits=Limits(max_total_bytes=30_000))
    inners = {
        f"inner{i}.zip": make.zip_bytes({"pad.json": b"{" + b" " * 12_000 + b"}"}) for i in range(6)
    }
    outer = make.zip_bytes(inners)
    assert len(outer) < 30_000  # the outer level alone is well within the cap
    batch = registry.parse_blob(Blob(outer, "outer.zip"))
    refused = [f.error for f in batch.failures if isinstance(f.error, UnsafeInput)]
    assert refused, [f.error for f in batch.failures]
    assert "unpacks to more than 30000 bytes" in refused[0].user_message()
    # Under a sufficient cap the same archive reads every member (nothing refused for size).
    roomy = Registry(default_registry().importers, limits=Limits(max_total_bytes=200_000))
    batch = roomy.parse_blob(Blob(outer, "outer.zip"))
    assert not [f for f in batch.failures if isinstance(f.error, UnsafeInput)]
