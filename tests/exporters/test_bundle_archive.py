"""Unsafe archives are refused from the central directory alone, before any entry is read."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.exporters.support import verify_offline
from wallet.bundle.verify import archive as bundle_archive
from wallet.errors import BundleError

MIME = b"application/vnd.plecak.bundle+zip"


def _zip(entries: Sequence[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def no_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fails the test if any entry's content is opened (i.e. 'extracted')."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kw: object) -> object:
        mode = args[0] if args else kw.get("mode", "r")
        if mode == "r":
            opened.append(str(getattr(name, "filename", name)))
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    yield opened
    assert opened == [], f"content was read before refusing: {opened}"


def _check(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "hostile.zip"
    path.write_bytes(data)
    verify_offline(path)


def _symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


@pytest.mark.parametrize(
    ("case", "entries", "reason"),
    [
        ("path_traversal", [("mimetype", MIME), ("../../evil.txt", b"x")], "traversal"),
        ("absolute_path", [("mimetype", MIME), ("/etc/passwd", b"x")], "absolute"),
        ("backslash_path", [("mimetype", MIME), ("..\\evil.txt", b"x")], "not allowed"),
        (
            "symlink_entry",
            [("mimetype", MIME), _symlink("evidence/index.json", "/etc/passwd")],
            "symbolic link",
        ),
        (
            "duplicate_entry",
            [("mimetype", MIME), ("manifest.json", b"{}"), ("manifest.json", b"{}")],
            "twice",
        ),
        ("no_mimetype_first", [("manifest.json", b"{}"), ("mimetype", MIME)], "mimetype"),
    ],
)
def test_hostile_names_are_refused_before_extraction(
    tmp_path: Path, no_reads: list[str], case: str, entries: list[tuple[object, bytes]], reason: str
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        data = _zip(entries)  # type: ignore[arg-type]
    with pytest.raises(BundleError) as caught:
        _check(tmp_path, data)
    assert reason in str(caught.value), case


def test_compression_bomb_is_refused_before_extraction(tmp_path: Path, no_reads: list[str]) -> None:
    data = _zip([("mimetype", MIME), ("summary.html", b"\0" * (20 * 1024 * 1024))])
    with pytest.raises(BundleError, match="compression bomb"):
        _check(tmp_path, data)


def test_huge_entry_count_is_refused(
    tmp_path: Path, no_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_archive, "MAX_ENTRIES", 50)
    data = _zip([("mimetype", MIME)] + [(f"evidence/{i}.json", b"{}") for i in range(60)])
    with pytest.raises(BundleError, match="entries"):
        _check(tmp_path, data)


def test_overlapping_entries_are_refused(tmp_path: Path, no_reads: list[str]) -> None:
    """Two central-directory records pointing at the same local data (the "better zip bomb")."""
    data = bytearray(_zip([("mimetype", MIME), ("a.json", b"{}" * 100), ("b.json", b"[]" * 100)]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        a, b = archive.getinfo("a.json"), archive.getinfo("b.json")
    # find b's central-directory record and point it at a's local header
    pos = bytes(data).find(b"PK\x01\x02")
    while data[pos + 46 : pos + 46 + len(b.filename)] != b.filename.encode():
        pos = bytes(data).find(b"PK\x01\x02", pos + 1)
        assert pos > 0
    data[pos + 42 : pos + 46] = a.header_offset.to_bytes(4, "little")
    with pytest.raises(BundleError, match="overlaps"):
        _check(tmp_path, bytes(data))


def test_not_a_zip_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="ZIP"):
        _check(tmp_path, b"PK\x03\x04 definitely not a zip")
