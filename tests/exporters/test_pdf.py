"""``plecak export pdf`` / ``verify cv.pdf`` / ``import cv.pdf``: the acceptance of issue 16.

The wallet holds a hosted OB 2.0 badge renamed with every Polish diacritic (its BadgeClass served
from a mirror) and an OB 3.0 Data Integrity credential.  Verification uses the same mirrors as the
import (the user's own pinning), so the verdict does not hang on how carried evidence is judged.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import png
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

from exporters.pdf import PdfExporter
from tests.attacks.support import manifest_of
from tests.exporters.support import Portfolio, own_credential_document
from tests.support.cli import cli_env
from tests.support.cli import run_cli as _run
from tests.support.mirror import mirror_from_serve
from wallet.cli import main
from wallet.codecs.cvpdf import BUNDLE_ATTACHMENT

POLISH = "Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ"
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "pdf" / "page1-two-credentials-pl.png"


def _case(conformance: Path, corpus: str, case_id: str) -> dict[str, object]:
    cases = json.loads((conformance / corpus / "cases.json").read_text())
    found: dict[str, object] = next(c for c in cases if c["id"] == case_id)
    return found


@pytest.fixture(scope="module")
def learner(
    tmp_path_factory: pytest.TempPathFactory, conformance_dir: Path
) -> Iterator[tuple[Path, list[str], Path]]:
    """(home, mirror args, cv.pdf) of a learner who exported both credentials in Polish."""
    tmp = tmp_path_factory.mktemp("cv")
    mp = pytest.MonkeyPatch()
    cli_env(mp)
    hosted = _case(conformance_dir, "ob2", "hosted-2.0-basic")
    ob2_index = mirror_from_serve(tmp / "ob2", conformance_dir / "ob2", hosted["serve"])  # type: ignore[arg-type]
    badge_class = ob2_index.parent / "components" / "2_0_basic_badgeclass.json"
    document = json.loads(badge_class.read_text())
    document["name"] = POLISH
    badge_class.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    ob3 = _case(conformance_dir, "ob3", "gen-v2-eddsa-valid")
    ob3_index = mirror_from_serve(
        tmp / "ob3",
        conformance_dir / "ob3",
        ob3.get("serve") or ob3.get("needs") or {},  # type: ignore[arg-type]
    )
    mirrors = ["--offline", "--mirror", str(ob2_index), "--mirror", str(ob3_index)]
    home = tmp / "home"
    assert main(["--home", str(home), "init"]) == 0
    assert main(["--home", str(home), *mirrors, "import", str(hosted["input"])]) == 0
    # An OB 3.0 credential issued to the holder's own DID (a bundle presents only those, issue
    # 11): the DID is learnt from a first export.
    first = tmp / "first.zip"
    assert main(["--home", str(home), *mirrors, "export", "bundle", "--all", "-o", str(first)]) == 0
    own = tmp / "own.json"
    own.write_text(json.dumps(own_credential_document(manifest_of(first)["holder"], slug="cv")))
    assert main(["--home", str(home), *mirrors, "import", str(own)]) == 0
    pdf = tmp / "cv.pdf"
    args = ["--home", str(home), *mirrors, "export", "pdf", "--all", "--lang", "pl", "-o", str(pdf)]
    assert main(args) == 0
    yield home, mirrors, pdf
    mp.undo()


def _verify(
    capsys: pytest.CaptureFixture[str], mirrors: list[str], path: Path, tmp: Path
) -> tuple[int, str]:
    code, out, err = _run(capsys, "--home", str(tmp / "employer"), *mirrors, "verify", str(path))
    return code, out + err


def _rewrite(source: Path, target: Path, change: object) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    change(writer)  # type: ignore[operator]
    with target.open("wb") as fh:
        writer.write(fh)
    return target


def test_pdftotext_keeps_every_polish_diacritic(learner: tuple[Path, list[str], Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed here; .ci/run installs it")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(learner[2]), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert POLISH in " ".join(text.split())
    assert "Stan w chwili eksportu" in text  # the page itself is in Polish


def test_a_pdf_library_lists_the_attachments(learner: tuple[Path, list[str], Path]) -> None:
    reader = PdfReader(learner[2])
    names = sorted(reader.attachments)
    assert BUNDLE_ATTACHMENT in names
    assert len(names) == 3
    assert {n.rsplit(".", 1)[-1] for n in names} == {"json", "zip"}
    assert reader.metadata is not None and "Typst" in str(reader.metadata.get("/Creator"))


def test_a_fresh_export_verifies_with_exit_0(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, text = _verify(capsys, learner[1], learner[2], tmp_path)
    assert code == 0, text
    assert "pdf-pages" not in text  # ids stay in JSON; the text says it in words
    code, out, _err = _run(
        capsys, "--home", str(tmp_path / "e"), *learner[1], "verify", "--json", str(learner[2])
    )
    line = json.loads(out.splitlines()[0])
    assert line["kind"] == "pdf" and line["status"] == "valid"
    assert {c["id"]: c["status"] for c in line["checks"]}["pdf-pages"] == "pass"


def test_an_edited_attachment_exits_1_naming_it(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    victim: list[str] = []

    def edit(writer: PdfWriter) -> None:
        item = next(a for a in writer.attachment_list if a.name != BUNDLE_ATTACHMENT)
        victim.append(item.name)
        files = item.pdf_object["/EF"]
        assert isinstance(files, DictionaryObject)
        stream = files["/F"].get_object()
        assert isinstance(stream, StreamObject)
        original = stream.get_data()
        stream.set_data(original.replace(b"2016-12-31", b"2015-12-31"))
        assert stream.get_data() != original

    edited = _rewrite(learner[2], tmp_path / "edited-attachment.pdf", edit)
    code, text = _verify(capsys, learner[1], edited, tmp_path)
    assert code == 1, text
    assert victim[0] in text


def test_a_removed_attachment_exits_1_naming_it(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    victim: list[str] = []

    def remove(writer: PdfWriter) -> None:
        item = next(a for a in writer.attachment_list if a.name != BUNDLE_ATTACHMENT)
        victim.append(item.name)
        item.delete()

    removed = _rewrite(learner[2], tmp_path / "removed-attachment.pdf", remove)
    assert victim[0] not in PdfReader(removed).attachments
    code, text = _verify(capsys, learner[1], removed, tmp_path)
    assert code == 1, text
    assert victim[0] in text


def test_a_removed_proof_bundle_exits_1_naming_it(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def remove(writer: PdfWriter) -> None:
        next(a for a in writer.attachment_list if a.name == BUNDLE_ATTACHMENT).delete()

    removed = _rewrite(learner[2], tmp_path / "no-bundle.pdf", remove)
    code, text = _verify(capsys, learner[1], removed, tmp_path)
    assert code == 1, text
    assert BUNDLE_ATTACHMENT in text


def test_edited_page_text_exits_1_naming_the_page(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import typst

    overlay_src = tmp_path / "overlay.typ"
    overlay_src.write_text(
        '#set page(paper: "a4", margin: 0pt)\n#place(top + left, dx: 60mm, dy: 60mm)[EQF 8]\n',
        encoding="utf-8",
    )
    overlay = PdfReader(io.BytesIO(typst.compile(str(overlay_src)))).pages[0]

    def edit(writer: PdfWriter) -> None:
        writer.pages[1].merge_page(overlay)

    edited = _rewrite(learner[2], tmp_path / "edited-page.pdf", edit)
    code, text = _verify(capsys, learner[1], edited, tmp_path)
    assert code == 1, text
    assert "2" in text and "EQF 8" in text


def test_import_takes_the_attached_credentials(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "other"
    assert _run(capsys, "--home", str(home), "init")[0] == 0
    code, out, err = _run(capsys, "--home", str(home), *learner[1], "import", str(learner[2]))
    assert code == 0, out + err
    code, out, _err = _run(capsys, "--home", str(home), "list", "--json")
    formats = sorted(json.loads(line)["format"] for line in out.splitlines())
    assert formats == ["ob2-hosted", "ob3-data-integrity"]


def _gray(path: Path) -> tuple[int, int, list[int]]:
    width, height, rows, _info = png.Reader(filename=str(path)).asDirect()
    pixels: list[int] = []
    for row in rows:
        pixels.extend(row[:: len(row) // width])
    return width, height, pixels


def test_page_1_matches_the_golden_image(
    learner: tuple[Path, list[str], Path], tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed here; .ci/run installs it")
    out = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile",
         str(learner[2]), str(out)],
        check=True,
    )  # fmt: skip
    width, height, got = _gray(out.with_suffix(".png"))
    g_width, g_height, want = _gray(GOLDEN)
    assert (width, height) == (g_width, g_height)
    differing = sum(1 for a, b in zip(got, want, strict=True) if abs(a - b) > 48)
    assert differing / len(want) < 0.01, f"{differing} of {len(want)} pixels differ"


def test_same_input_gives_the_same_bytes(portfolio: Portfolio) -> None:
    request = portfolio.request(["ob2hosted", "ob3di"], options={"language": "pl"})
    first = PdfExporter().export(request)
    assert first == PdfExporter().export(request)
    assert first.startswith(b"%PDF-")


def test_a_pdf_saved_again_unchanged_by_another_tool_still_verifies(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Objects renumbered, streams re-encoded: nothing anyone sees changed, so no alarm."""
    saved = _rewrite(learner[2], tmp_path / "saved-again.pdf", lambda writer: None)
    assert saved.read_bytes() != learner[2].read_bytes()
    code, text = _verify(capsys, learner[1], saved, tmp_path)
    assert code == 0, text


def test_a_swapped_qr_code_is_caught_though_no_text_changed(
    learner: tuple[Path, list[str], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def swap(writer: PdfWriter) -> None:
        page = writer.pages[1]
        contents = page.get_contents()
        assert contents is not None
        # one more dark module drawn where the QR code is: a different code, the same text
        contents.set_data(contents.get_data() + b"\nq 0 0 0 rg 60 300 3 3 re f Q\n")
        page.replace_contents(contents)

    edited = _rewrite(learner[2], tmp_path / "qr-swapped.pdf", swap)
    code, text = _verify(capsys, learner[1], edited, tmp_path)
    assert code == 1, text
    assert "page 2: its drawing or images differ" in text


def test_one_credential_without_an_address_says_how_to_check_the_file(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    data = PdfExporter().export(portfolio.request(["ob3di"], language="en"))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1  # no overview page for a single credential
    text = " ".join((reader.pages[0].extract_text() or "").split())
    assert "Check this file" in text and "plecak verify" in text
    assert "Teamwork Badge" in text
    assert sorted(reader.attachments) == ["001-teamwork-badge.json", BUNDLE_ATTACHMENT]
