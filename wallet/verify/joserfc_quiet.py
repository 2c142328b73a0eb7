"""joserfc, imported without loading ``cryptography.x509`` until a certificate is met.

Why: joserfc imports ``cryptography.x509`` when it is imported, for keys given as X.509
certificates, and that alone costs about 30 ms, an eighth of a ``plecak verify`` process for a
signed OB 2.0 badge or a VC-JWT (issue 17's start-up budget).  plecak gives joserfc public keys
(JWK or PEM ``PUBLIC KEY``), never certificates, so while joserfc is imported here
``cryptography.x509`` is a stand-in (:mod:`wallet.lazy_modules`): the two functions joserfc takes
from it by name call the real ones, which load then.  Afterwards the stand-in is gone, so the EDC
and trusted-list code that does use certificates imports the real module as always.

Import joserfc through this module (``from wallet.verify.joserfc_quiet import jws, JoseError``);
a module importing joserfc directly first is only slower, never wrong.
"""

from __future__ import annotations

from wallet.lazy_modules import deferred

with deferred(
    "cryptography.x509", eager=("load_pem_x509_certificate", "load_der_x509_certificate")
):
    # isort: off
    from joserfc import jwk, jws
    from joserfc.errors import JoseError, SecurityWarning
    from joserfc.jwk import ECKey, OKPKey, RSAKey
    from joserfc.jws import JWSRegistry
    # isort: on

__all__ = ["ECKey", "JWSRegistry", "JoseError", "OKPKey", "RSAKey", "SecurityWarning", "jwk", "jws"]
