"""SD-JWT (RFC 9901) compact form: split, decode disclosures, rebuild the disclosed claims.

``<issuer-signed JWT>~<disclosure>~…~<disclosure>~[<key-binding JWT>]``.  A disclosure is the
base64url of a JSON array ``[salt, name, value]`` (an object property) or ``[salt, value]`` (an
array element); the issuer-signed payload holds only the digests of disclosures, in ``_sd`` arrays
and ``{"...": digest}`` array elements, so what the holder chose not to disclose stays hidden.

Shared by the importer (to show the claims) and the verifier (which also checks the signature, the
key binding and the status): both must rebuild the claims the same way, and the rules that make an
SD-JWT unacceptable (a disclosure used twice or nowhere, a claim disclosed over an existing one)
are part of that rebuilding.  No signature is checked here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_SD_JWT = 1024 * 1024
MAX_DISCLOSURES = 1000
MAX_DEPTH = 32
HASHES = {"sha-256": hashlib.sha256, "sha-384": hashlib.sha384, "sha-512": hashlib.sha512}
"""``_sd_alg`` values (IANA Named Information Hash Algorithm names) we accept."""
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class SdJwtError(ValueError):
    """The text is not a well-formed SD-JWT, or its disclosures do not fit its digests."""


@dataclass(frozen=True, slots=True)
class Disclosure:
    encoded: str
    salt: str
    name: str | None
    """The claim name (object property); None for an array element."""
    value: Any


@dataclass(frozen=True, slots=True)
class SdJwt:
    issuer_jwt: str
    disclosures: tuple[Disclosure, ...]
    kb_jwt: str | None
    header: dict[str, Any]
    payload: dict[str, Any]

    @property
    def presented(self) -> str:
        """The part the key-binding JWT's ``sd_hash`` covers: everything up to the last ``~``."""
        return "~".join([self.issuer_jwt, *(d.encoded for d in self.disclosures)]) + "~"


@dataclass(slots=True)
class Rebuilt:
    claims: dict[str, Any]
    disclosed: list[str] = field(default_factory=list)
    """JSON-pointer-like paths of the claims that came from disclosures, in order."""
    paths: dict[str, str] = field(default_factory=dict)
    """Each disclosure (as encoded) -> the path of the claim it discloses."""


def looks_like_sd_jwt(data: bytes | str) -> bool:
    """A compact JWS followed by ``~`` (cheap: no decoding)."""
    text = data.decode("ascii", "replace") if isinstance(data, bytes) else data
    text = text.strip()
    if len(text) > MAX_SD_JWT or "~" not in text or any(c.isspace() for c in text):
        return False
    return bool(_COMPACT_JWS.match(text.split("~", 1)[0]))


def _b64(text: str) -> bytes:
    if not _B64URL.match(text):
        raise SdJwtError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SdJwtError(f"not base64url: {exc}") from exc


def _json(raw: bytes, what: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SdJwtError(f"{what} is not JSON") from exc


def parse(data: bytes | str) -> SdJwt:
    """Split and decode an SD-JWT (issuer JWT, disclosures, optional KB-JWT); raises SdJwtError."""
    text = data.decode("ascii", "replace") if isinstance(data, bytes) else data
    text = text.strip()
    if not looks_like_sd_jwt(text):
        raise SdJwtError("not an SD-JWT (a compact JWS followed by ~)")
    parts = text.split("~")
    issuer_jwt, middle, last = parts[0], parts[1:-1], parts[-1]
    if len(middle) > MAX_DISCLOSURES:
        raise SdJwtError("too many disclosures")
    kb_jwt = last or None
    if kb_jwt is not None and not _COMPACT_JWS.match(kb_jwt):
        raise SdJwtError("the part after the last ~ is not a key-binding JWT")
    head, body, _signature = issuer_jwt.split(".")
    header = _json(_b64(head), "the JWT header")
    payload = _json(_b64(body), "the JWT payload")
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise SdJwtError("the JWT header and payload must be objects")
    disclosures = tuple(decode_disclosure(item) for item in middle)
    return SdJwt(issuer_jwt, disclosures, kb_jwt, header, payload)


def decode_disclosure(encoded: str) -> Disclosure:
    value = _json(_b64(encoded), "a disclosure")
    if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
        raise SdJwtError("a disclosure is not [salt, name, value] or [salt, value]")
    if len(value) == 3:
        if not isinstance(value[1], str):
            raise SdJwtError("a disclosed claim name is not a string")
        if value[1] in ("_sd", "...", "_sd_alg"):
            raise SdJwtError(f"a disclosure may not set {value[1]!r}")
        return Disclosure(encoded, value[0], value[1], value[2])
    return Disclosure(encoded, value[0], None, value[1])


def hash_function(payload: dict[str, Any]) -> Any:
    name = payload.get("_sd_alg", "sha-256")
    found = HASHES.get(name) if isinstance(name, str) else None
    if found is None:
        raise SdJwtError(f"unsupported _sd_alg {name!r}")
    return found


def digest(encoded: str, hash_fn: Any) -> str:
    """base64url(hash(ASCII(disclosure))) as RFC 9901 §4.2.3 says."""
    return base64.urlsafe_b64encode(hash_fn(encoded.encode("ascii")).digest()).rstrip(b"=").decode()


def rebuild(sd_jwt: SdJwt) -> Rebuilt:
    """The claims with every disclosure put in place and the digests removed (RFC 9901 §7.1)."""
    hash_fn = hash_function(sd_jwt.payload)
    by_digest: dict[str, Disclosure] = {}
    for item in sd_jwt.disclosures:
        key = digest(item.encoded, hash_fn)
        if key in by_digest:
            raise SdJwtError("the same disclosure is given twice")
        by_digest[key] = item
    used: set[str] = set()
    rebuilt = Rebuilt(claims={})
    claims = _walk(sd_jwt.payload, by_digest, used, rebuilt, "", 0)
    if not set(by_digest) <= used:
        raise SdJwtError("a disclosure is not referenced by any digest of the issuer's JWT")
    assert isinstance(claims, dict)
    claims.pop("_sd_alg", None)
    rebuilt.claims = claims
    return rebuilt


def _walk(
    node: Any,
    by_digest: dict[str, Disclosure],
    used: set[str],
    rebuilt: Rebuilt,
    path: str,
    depth: int,
) -> Any:
    if depth > MAX_DEPTH:
        raise SdJwtError("claims nested too deeply")
    if isinstance(node, list):
        return _walk_list(node, by_digest, used, rebuilt, path, depth)
    if not isinstance(node, dict):
        return node
    return _walk_object(node, by_digest, used, rebuilt, path, depth)


def _walk_list(
    node: list[Any],
    by_digest: dict[str, Disclosure],
    used: set[str],
    rebuilt: Rebuilt,
    path: str,
    depth: int,
) -> list[Any]:
    out_list: list[Any] = []
    for index, element in enumerate(node):
        if isinstance(element, dict) and set(element) == {"..."}:
            ref = element["..."]
            item = _take(ref, by_digest, used)
            if item is None:
                continue  # a decoy, or an element the holder did not disclose
            if item.name is not None:
                raise SdJwtError("an array element was disclosed as an object property")
            where = f"{path}/{len(out_list)}"
            rebuilt.disclosed.append(where)
            rebuilt.paths[item.encoded] = where
            out_list.append(_walk(item.value, by_digest, used, rebuilt, where, depth + 1))
        else:
            out_list.append(_walk(element, by_digest, used, rebuilt, f"{path}/{index}", depth + 1))
    return out_list


def _walk_object(
    node: dict[str, Any],
    by_digest: dict[str, Disclosure],
    used: set[str],
    rebuilt: Rebuilt,
    path: str,
    depth: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "_sd":
            continue
        out[key] = _walk(value, by_digest, used, rebuilt, f"{path}/{key}", depth + 1)
    digests = node.get("_sd", [])
    if not isinstance(digests, list):
        raise SdJwtError("_sd is not an array")
    for ref in digests:
        item = _take(ref, by_digest, used)
        if item is None:
            continue
        if item.name is None:
            raise SdJwtError("an object property was disclosed as an array element")
        if item.name in out:
            raise SdJwtError(f"the disclosed claim {item.name!r} already exists")
        where = f"{path}/{item.name}"
        rebuilt.disclosed.append(where)
        rebuilt.paths[item.encoded] = where
        out[item.name] = _walk(item.value, by_digest, used, rebuilt, where, depth + 1)
    return out


def _take(ref: Any, by_digest: dict[str, Disclosure], used: set[str]) -> Disclosure | None:
    if not isinstance(ref, str):
        raise SdJwtError("a digest is not a string")
    if ref in used:
        raise SdJwtError("a digest appears more than once")
    used.add(ref)
    return by_digest.get(ref)


def select(data: bytes | str, reveal: list[str]) -> str:
    """The SD-JWT with only the disclosures of the claims at ``reveal`` (paths such as ``name`` or
    ``credentialSubject/achievement``), the ones needed to reach them, and everything below them.

    The issuer's JWT and the chosen disclosures are copied byte for byte (nothing is re-signed);
    a key-binding JWT is dropped, since it covered the disclosures as they were.
    """
    token = parse(data)
    rebuilt = rebuild(token)
    wanted = ["/" + p.strip("/") for p in reveal if p.strip("/")]

    def keep(path: str) -> bool:
        return any(
            path == w or path.startswith(w + "/") or w.startswith(path + "/") for w in wanted
        )

    chosen = [d.encoded for d in token.disclosures if keep(rebuilt.paths[d.encoded])]
    return "~".join([token.issuer_jwt, *chosen]) + "~"
