"""Hostile PDFs: each is refused (or yields nothing) quickly, with a message and no traceback."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run
from wallet.codecs.pdfdoc import read_pdf
from wallet.errors import MalformedInput, UnsafeInput


def _blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def _dictionary(value: object) -> DictionaryObject:
    assert isinstance(value, DictionaryObject)
    return value


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachment_inflating_to_100_mb() -> bytes:
    writer = _blank()
    writer.add_attachment("bomb.json", b"x")
    stream = _dictionary(next(iter(writer.attachment_list)).pdf_object["/EF"])["/F"].get_object()
    assert isinstance(stream, StreamObject)
    stream._data = zlib.compress(b"\0" * 100_000_000, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return _bytes(writer)


def seven_hundred_attachments() -> bytes:
    writer = _blank()
    for i in range(700):
        writer.add_attachment(f"a{i}.json", b"{}")
    return _bytes(writer)


def name_tree_pointing_at_itself() -> bytes:
    writer = _blank()
    writer.add_attachment("a.json", b"{}")
    names = _dictionary(_dictionary(writer.root_object["/Names"])["/EmbeddedFiles"])
    node = DictionaryObject()
    ref = writer._add_object(node)
    node[NameObject("/Kids")] = ArrayObject([ref])
    names[NameObject("/Kids")] = ArrayObject([ref])
    del names["/Names"]
    return _bytes(writer)


def truncated_after_the_header() -> bytes:
    return _bytes(_blank())[:300]


def garbage_after_the_header() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 100


HOSTILE: dict[str, Callable[[], bytes]] = {
    "attachment-inflating-to-100-mb": attachment_inflating_to_100_mb,
    "seven-hundred-attachments": seven_hundred_attachments,
    "name-tree-pointing-at-itself": name_tree_pointing_at_itself,
    "truncated-after-the-header": truncated_after_the_header,
    "garbage-after-the-header": garbage_after_the_header,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_reading_is_refused_or_finds_nothing(name: str) -> None:
    data = HOSTILE[name]()
    try:
        found = read_pdf(data, name, pages=True)
    except (UnsafeInput, MalformedInput) as exc:
        assert name in exc.user_message()
        return
    assert found.attachments == {} or name == "name-tree-pointing-at-itself"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_import_and_verify_fail_cleanly(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(monkeypatch)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(HOSTILE[name]())
    home = str(tmp_path / "home")
    assert _run(capsys, "--home", home, "init")[0] == 0
    code, out, err = _run(capsys, "--home", home, "import", str(path))
    assert code == 1, out + err
    assert "Traceback" not in out + err and name in err
    code, out, err = _run(capsys, "--home", home, "verify", str(path))
    assert code in (1, 2), out + err
    assert "Traceback" not in out + err and name in out + err
