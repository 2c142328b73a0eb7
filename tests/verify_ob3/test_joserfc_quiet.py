"""joserfc loads without ``cryptography.x509`` (:mod:`wallet.verify.joserfc_quiet`), verifies with
public keys as before, still reads a certificate when given one, and leaves the real
``cryptography.x509`` to everyone else.

Each case runs in a fresh interpreter: what is imported is per process.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.certs import self_signed
from tests.support.child import run_code


def _run(code: str, stdin: str = "") -> list[str]:
    return run_code(code, stdin=stdin).split()


def _key_and_certificate() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public.decode(), self_signed(key).public_bytes(serialization.Encoding.PEM).decode()


def test_a_public_key_is_read_without_loading_x509_and_a_certificate_loads_it() -> None:
    public, certificate = _key_and_certificate()
    out = _run(
        "import sys\n"
        "public, certificate = sys.stdin.read().split('|')\n"
        "from wallet.verify.joserfc_quiet import ECKey\n"
        "print('cryptography.x509' in sys.modules)\n"
        "print(ECKey.import_key(public).curve_name, 'cryptography.x509' in sys.modules)\n"
        "print(ECKey.import_key(certificate).curve_name, 'cryptography.x509' in sys.modules)\n"
        "import cryptography.x509 as real\n"
        "print(type(real).__name__, type(sys.modules['cryptography'].x509).__name__)\n",
        stdin=f"{public}|{certificate}",
    )
    assert out == ["False", "P-256", "False", "P-256", "True", "module", "module"]


def test_x509_imported_after_joserfc_is_the_real_module() -> None:
    out = _run(
        "import sys\n"
        "import wallet.verify.joserfc_quiet\n"
        "import cryptography.x509\n"
        "from cryptography.x509.oid import NameOID\n"
        "print(type(cryptography.x509).__name__, NameOID.COMMON_NAME.dotted_string)\n"
    )
    assert out == ["module", "2.5.4.3"]


def test_x509_imported_before_is_left_alone() -> None:
    out = _run(
        "import sys, cryptography.x509\n"
        "real = sys.modules['cryptography.x509']\n"
        "import wallet.verify.joserfc_quiet\n"
        "import joserfc._rfc7517.pem as pem\n"
        "print(sys.modules['cryptography.x509'] is real,"
        " pem.load_pem_x509_certificate is real.load_pem_x509_certificate)\n"
    )
    assert out == ["True", "True"]
