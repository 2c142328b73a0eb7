"""``plecak --help`` starts fast because it loads only click and the command declarations, and
``plecak verify`` of one credential loads no exporter and only the importer that reads it.

Why a test and not only a benchmark: a single top-level import in a command module (the model, the
service, the verifier, Textual) silently puts tens of milliseconds back on every ``--help``; this
catches it the day it is written.  Timing lives in tests/bench/bench_start.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.child import run_code

NOT_FOR_HELP = (
    "textual",
    "rich",
    "httpx",
    "pyld",
    "jsonschema",
    "lxml",
    "joserfc",
    "cryptography",
    "asyncio",
    "importers",
    "exporters",
    "wallet.model",
    "wallet.service",
    "wallet.factory",
    "wallet.verify",
    "wallet.store",
    "wallet.net",
    "wallet.tui",
)
"""What ``--help`` needs none of: heavy libraries, the core and the other shell."""


def _loaded_after(
    argv: list[str], prefixes: tuple[str, ...] = NOT_FOR_HELP, env: dict[str, str] | None = None
) -> list[str]:
    code = (
        "import sys, io, contextlib\n"
        "from wallet.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        "assert rc == 0, rc\n"
        f"prefixes = {prefixes!r}\n"
        "print('\\n'.join(sorted(m for m in sys.modules\n"
        "    if any(m == p or m.startswith(p + '.') for p in prefixes))))\n"
    )
    return run_code(code, env=env).split()


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--lang", "pl", "--help"], ["verify", "--help"], ["export", "--help"]],
    ids=["help", "help-pl", "verify-help", "export-help"],
)
def test_help_loads_no_core_and_no_heavy_library(argv: list[str]) -> None:
    assert _loaded_after(argv) == []


NOT_FOR_ONE_JSON_CREDENTIAL = (
    "exporters",
    "importers.baked_png",
    "importers.baked_svg",
    "importers.edc_xml",
    "importers.jws",
    "importers.sd_jwt",
    "importers.text",
    "importers.pdf",
    "importers.url",
    "importers.archive",
    "importers.parse.edc",
    "wallet.codecs.eu_read",
    "zipfile",
    "wallet.cli.portfolio",
    "wallet.cli.export",
    "wallet.cli.store",
    "wallet.cli.trust",
    "wallet.connect",
    "wallet.store",
    "httpx",
    "aiohttp",
    "lxml.etree",
    "urllib.request",
    "pyld.documentloader.file",
    "cryptography.hazmat.primitives.serialization",
)
"""What verifying one JSON credential from a file needs none of: exporting, the other formats and
commands, ZIP and ELM readers, the network, and what pyld and cryptography would load for HTML
pages, remote documents and key files (each was a few milliseconds of issue 17's start budget)."""

ONE_CREDENTIAL = "ob3/fixtures/dcc-vc-test-fixtures/v1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json"
"""The credential tests/bench/bench_start.py times (valid offline)."""


def test_verify_of_one_credential_loads_no_exporter_and_no_other_importer(
    conformance_dir: Path, tmp_path: Path
) -> None:
    argv = ["--offline", "verify", str(conformance_dir / ONE_CREDENTIAL)]
    env = {"PLECAK_HOME": str(tmp_path / "wallet"), "PLECAK_CACHE_DIR": str(tmp_path / "cache")}
    assert _loaded_after(argv, NOT_FOR_ONE_JSON_CREDENTIAL, env) == []
