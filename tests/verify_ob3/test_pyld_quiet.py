"""pyld loads without its document loaders and with ``lxml.html`` standing in until first used
(:mod:`wallet.verify.pyld_quiet`), and still reads JSON-LD embedded in HTML when asked to.

Each case runs in a fresh interpreter: what is imported is per process.
"""

from __future__ import annotations

from tests.support.child import run_code


def _run(code: str) -> str:
    return run_code(code).strip()


def test_pyld_loads_no_document_loader_and_no_html_parser() -> None:
    out = _run(
        "import sys\n"
        "from wallet.verify import pyld_quiet\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pyld.documentloader.file', "
        "'pyld.documentloader.frozen', 'aiohttp', 'requests', 'urllib.request', 'lxml.etree'))))\n"
        "print(type(sys.modules['lxml.html']).__name__)\n"
        "print(pyld_quiet.jsonld.get_document_loader().__name__)\n"
    )
    assert out.splitlines() == ["[]", "StandIn", "loader"]


def test_the_html_parser_loads_on_first_use() -> None:
    out = _run(
        "import sys\n"
        "from wallet.verify import pyld_quiet\n"
        'page = \'<html><script type="application/ld+json">{"a": 1}</script></html>\'\n'
        "print(pyld_quiet.jsonld.load_html(page, 'https://x.example/', None, {}))\n"
        "print(type(sys.modules['lxml.html']).__name__, 'lxml.etree' in sys.modules)\n"
    )
    assert out.splitlines() == ["{'a': 1}", "module True"]


def test_an_html_parser_already_loaded_is_left_alone() -> None:
    out = _run(
        "import sys, lxml.html\n"
        "real = sys.modules['lxml.html']\n"
        "from wallet.verify import pyld_quiet\n"
        "print(sys.modules['lxml.html'] is real, pyld_quiet.jsonld.lxml.html is real)\n"
    )
    assert out == "True True"
