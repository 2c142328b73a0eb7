"""Verifying a compact JWS with joserfc, the algorithm pinned: one place for VC-JWT and SD-JWT.

joserfc (and the parts of cryptography it pulls) is imported on first use only, through
:mod:`wallet.verify.joserfc_quiet`: a process that verifies a Data Integrity credential, or an
OB 2.0 hosted badge, never needs it.
"""

from __future__ import annotations

import functools
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from joserfc.jws import JWSRegistry

MAX_PAYLOAD = 1024 * 1024
MAX_SIGNATURE = 2048


@functools.cache
def _registry(alg: str, max_header: int) -> JWSRegistry:
    from wallet.verify.joserfc_quiet import JWSRegistry

    registry = JWSRegistry(algorithms=[alg])
    registry.max_header_length = max_header
    registry.max_payload_length = MAX_PAYLOAD
    registry.max_signature_length = MAX_SIGNATURE
    return registry


@functools.lru_cache(maxsize=256)
def _key(items: tuple[tuple[str, str], ...]) -> Any:
    """joserfc's key for a public JWK, made once per distinct JWK.

    Why cached: joserfc decodes an RSA modulus byte by byte through a hex string, which was two
    thirds of verifying a VC-JWT; a wallet sees the same few issuer keys again and again.  The
    key objects are never changed after import, and the cache key is the JWK's every member.
    """
    from wallet.verify.joserfc_quiet import jwk as jose_jwk

    return jose_jwk.import_key(dict(items))


def compact_failure(token: str, jwk: dict[str, str], alg: str, *, max_header: int) -> str | None:
    """Why the compact JWS ``token`` does not verify with ``jwk`` under exactly ``alg`` (the caller
    pinned ``alg`` to the key's type), or None when it does.  ``max_header`` leaves room for what
    the header may carry (a ``jwk`` of ~700 bytes, an ``x5c`` chain of several kilobytes)."""
    from wallet.verify.joserfc_quiet import JoseError, SecurityWarning
    from wallet.verify.joserfc_quiet import jws as jose_jws

    try:
        with warnings.catch_warnings():
            # OB 3.0 and VC-JOSE issuers write "EdDSA"; RFC 9864 deprecates the name in favour of
            # "Ed25519" but it is what real badges carry.  The key type is pinned by the caller, so
            # the polymorphism RFC 9864 worries about cannot arise here.
            warnings.simplefilter("ignore", SecurityWarning)
            jose_jws.deserialize_compact(
                token,
                _key(tuple(sorted(jwk.items()))),
                algorithms=[alg],
                registry=_registry(alg, max_header),
            )
    except (JoseError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
