"""The rules of direction of architecture.md, proven on the source and in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SHELL_ONLY = ("textual", "rich")
HEAVY = (
    "textual",
    "rich",
    "pyld",
    "httpx",
    "lxml",
    "cryptography",
    "joserfc",
    "jsonschema",
    "asn1crypto",
    "pyhanko_certvalidator",
    "signxml",
    "typst",
    "segno",
    "pypdf",
)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at top level or inside functions (lazy imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _project(imports: set[str]) -> set[str]:
    return {m for m in imports if m.split(".")[0] in ("wallet", "importers", "exporters")}


def _violations(
    files: list[Path], allowed: tuple[str, ...], forbidden_external: tuple[str, ...] = ()
) -> list[str]:
    bad = []
    for path in files:
        imports = _imports(path)
        for module in sorted(_project(imports)):
            if not any(module == a or module.startswith(a + ".") for a in allowed):
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
        for module in sorted(imports):
            if module.split(".")[0] in forbidden_external:
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    return bad


CORE_OK = ("wallet.errors", "wallet.i18n", "wallet.model")


def test_errors_and_model_import_only_errors_and_i18n() -> None:
    files = [ROOT / "wallet/errors.py", *_files("wallet/model")]
    assert not _violations(files, CORE_OK, ("httpx", "sqlite3", "cryptography"))


def test_store_uses_only_model_and_errors() -> None:
    assert not _violations(_files("wallet/store"), (*CORE_OK, "wallet.store"), SHELL_ONLY)


def test_verifier_never_reaches_store_service_or_shells() -> None:
    # wallet.bundle: the verifier re-renders summary.html with the exporter's own renderer
    allowed = (
        *CORE_OK,
        "wallet.ports",
        "wallet.net",
        "wallet.codecs",
        "wallet.bundle",
        "wallet.verify",
        "wallet.files",
        "wallet.lazy_modules",
    )
    verifier = _files("wallet/verify") + _files("wallet/bundle/verify")
    assert not _violations(verifier, allowed, SHELL_ONLY)


def test_bundle_pages_are_pure() -> None:
    """wallet.bundle is shared by the exporter and the verifier, so it may use neither."""
    allowed = (*CORE_OK, "wallet.codecs", "wallet.bundle")
    forbidden = (*SHELL_ONLY, "httpx", "sqlite3", "lxml")
    pages = [p for p in _files("wallet/bundle") if "verify" not in p.relative_to(ROOT).parts[2:]]
    assert not _violations(pages, allowed, forbidden)


def test_codecs_are_pure() -> None:
    allowed = (*CORE_OK, "wallet.codecs")
    assert not _violations(_files("wallet/codecs"), allowed, (*SHELL_ONLY, "httpx", "sqlite3"))


@pytest.mark.parametrize("package", ["importers", "exporters"])
def test_importers_and_exporters_use_only_the_model_layer(package: str) -> None:
    # wallet.bundle: the exporters draw summary.html with the renderer the verifier uses too
    allowed = (*CORE_OK, "wallet.ports", "wallet.codecs", "wallet.bundle", package)
    bad = _violations(_files(package), allowed, (*SHELL_ONLY, "httpx", "sqlite3"))
    bad += [
        f"{p} imports the bundle verifier"
        for p in _files(package)
        if any(m.startswith("wallet.bundle.verify") for m in _imports(p))
    ]
    assert not bad


def test_importers_never_verify() -> None:
    for path in _files("importers"):
        assert not any(m.startswith("wallet.verify") for m in _imports(path)), path


def test_service_never_imports_importers_exporters_or_shells() -> None:
    imports = set().union(*(_imports(path) for path in _files("wallet/service")))
    bad = [m for m in imports if m.split(".")[0] in ("importers", "exporters", *SHELL_ONLY)]
    bad += [m for m in imports if m.startswith(("wallet.cli", "wallet.tui"))]
    assert not bad


@pytest.mark.slow
def test_only_the_shells_import_textual_or_rich() -> None:
    bad = []
    for package in ("wallet", "importers", "exporters"):
        for path in _files(package):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(("wallet/tui/", "wallet/cli/", "wallet/demo/")):
                continue
            if any(m.split(".")[0] in SHELL_ONLY for m in _imports(path)):
                bad.append(rel)
    assert not bad


def test_help_path_imports_nothing_heavy() -> None:
    """``plecak --help`` must stay fast: no Textual, pyld or httpx on that path."""
    code = (
        "import sys, io, contextlib\n"
        "from wallet.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['--help'])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(rc, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert out == "0 []"
