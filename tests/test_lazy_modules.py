"""wallet.lazy_modules: a stand-in answers from the real module once used, a deferred one is gone
after the import it served, and an already imported module is never replaced.

Run in fresh interpreters over a standard-library package (``xml.dom``), so the test does not
depend on what pyld or joserfc import today.
"""

from __future__ import annotations

from tests.support.child import run_code


def test_a_deferred_package_is_bound_lazily_and_withdrawn_afterwards() -> None:
    out = run_code(
        "import sys\n"
        "from wallet.lazy_modules import deferred\n"
        "with deferred('xml.dom', eager=('getDOMImplementation',)):\n"
        "    from xml.dom import getDOMImplementation\n"
        "    import xml.dom as during\n"
        "    print(type(sys.modules['xml.dom']).__name__, 'xml.dom.minicompat' in sys.modules)\n"
        "print('xml.dom' in sys.modules, 'dom' in vars(sys.modules['xml']))\n"
        "print(getDOMImplementation().createDocument(None, 'badge', None).documentElement.tagName)\n"
        "print(type(sys.modules['xml.dom']).__name__, during.Node is sys.modules['xml.dom'].Node)\n"
        "import xml.dom.minidom\n"
        "print(xml.dom.minidom.parseString('<a/>').documentElement.tagName)\n"
    ).split()
    assert out == ["StandIn", "False", "False", "False", "badge", "module", "True", "a"]


def test_an_installed_stand_in_stays_until_used() -> None:
    out = run_code(
        "import sys\n"
        "from wallet.lazy_modules import install\n"
        "install('xml.dom')\n"
        "import xml.dom\n"
        "print(type(xml.dom).__name__, type(sys.modules['xml']).__name__)\n"
        "print(xml.dom.Node.ELEMENT_NODE)\n"
        "print(type(sys.modules['xml.dom']).__name__, type(sys.modules['xml'].dom).__name__)\n"
    ).split()
    assert out == ["StandIn", "module", "1", "module", "module"]


def test_a_module_already_imported_is_left_alone() -> None:
    out = run_code(
        "import sys, xml.dom\n"
        "real = sys.modules['xml.dom']\n"
        "from wallet.lazy_modules import deferred, install\n"
        "print(install('xml.dom'))\n"
        "with deferred('xml.dom', eager=('getDOMImplementation',)):\n"
        "    from xml.dom import getDOMImplementation\n"
        "print(sys.modules['xml.dom'] is real, getDOMImplementation is real.getDOMImplementation)\n"
    ).split()
    assert out == ["None", "True", "True"]
