"""The JSON-LD contexts plecak trusts, pinned by the SHA-256 of their canonical parsed JSON.

Why pinned: a JSON-LD context decides what every term of a credential *means*.  A signature over
RDF (Data Integrity) is only as good as the contexts used to produce that RDF: a context served by
an attacker can silently re-map ``name`` or drop a term, and the signature would still check out.
So a context is used only when it is one of these URLs *and* its content hashes to the pinned
digest; anything else must come from the per-run cache or a mirror the user gave us
(see :mod:`wallet.verify.jsonld`).

Why the digest of the *parsed* JSON and not of the bytes: the same context is published in copies
that differ only in whitespace and key order (the 1EdTech spec repository vs the npm packages).
``canonical_digest`` hashes ``json.dumps(obj, sort_keys=True, separators=(",", ":"))``, so every
copy with the same meaning gets the same digest.

The digests below were computed by plecak's maintainers from the published contexts (W3C VC 1.1 /
2.0, Data Integrity, Bitstring and 2021 status lists, Ed25519/X25519 2020 suites, DID core,
security v1/v2, DCC, Open Badges 3.0 and its extensions, Open Badges 1.x/2.0).  To add one: fetch the
context from its canonical URL, review it, and add ``URL: canonical_digest(parsed)`` here.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    """The canonical serialisation used for pinning: sorted keys, no whitespace, ASCII escapes."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("ascii")


def canonical_digest(obj: Any) -> str:
    """SHA-256 (hex) of :func:`canonical_json` of ``obj``."""
    return hashlib.sha256(canonical_json(obj)).hexdigest()


KNOWN_CONTEXTS: dict[str, str] = {
    "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html": (
        "f6c4c3b3b800cb9ffc87828d8105e3dd0d20692e5936d2cc4dead2b247e11a08"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json": (
        "2c54acaa1cffda2420be32ab61f0a2082051211131c6337686f36f2537aa859b"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": (
        "8bb2354552b70cbdf2066f6d3e24bc5c2be2619145737580ad2aebdc366e77d5"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": (
        "bdd1d11a55a660322f24660862a1d430ee80cce584465f750909daa43684357c"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "c5e555a91a5cf48e32ae0a05674c61ddd5c053b680b5643b2f57f9965e386d99"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": (
        "2c54acaa1cffda2420be32ab61f0a2082051211131c6337686f36f2537aa859b"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": (
        "15f4c347c6fe4380d9b6b93795859e33747ef48d5c55b91a71c52fb51c7bcbd7"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions/accessibilityExtension/context-3.0.0.json": (
        "5516cffc89f003fb93d1c7627eb874adbb6b5fc15cba0cea3107405cef21292c"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions/applyLinkExtension/context-3.0.0.json": (
        "ea2463261715974e203f121da4e97a4b7e86ec8c5df4bfdce63fb0ddbb240206"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions/geoCoordinatesExtension/context-3.0.0.json": (
        "31cd8264247db14bde53ac8cfb03af5110e3360257c895d82eea353197ed39c0"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions/licenseExtension/context-3.0.0.json": (
        "b2787e7cfc1130a526d3b32dc48d9c6915976f625c3b9f2cbca946717d1cc659"
    ),
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json": (
        "f6c4c3b3b800cb9ffc87828d8105e3dd0d20692e5936d2cc4dead2b247e11a08"
    ),
    "https://w3id.org/dcc/v1": ("72bbeeb602655938f472f98317cab12c1bf6abc96a915d1fcc3fe18e79f92a42"),
    "https://w3id.org/openbadges/v1": (
        "4ed40deaba3459888417bd886b7f17fce7d7bb26f9dec2c211618382288ce402"
    ),
    "https://w3id.org/openbadges/v2": (
        "4b5f71314b9fef23264b05bab6a03811e8fc1e5e7506b79b092aec91865e7e07"
    ),
    "https://w3id.org/security/data-integrity/v1": (
        "9505bf85338a4c2121ad03992ac90061bc85d43bcfa34d9d47b779381cf08b5f"
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "7ba3c50acf2689d5e07927267343eb353249c7c22a9f2d00307cc970e855e305"
    ),
    "https://w3id.org/security/suites/ed25519-2020/v1": (
        "fb517f09d990829aed734c9bad8cbbb2ac3d5063b865c7e3d81f246074bf5691"
    ),
    "https://w3id.org/security/suites/x25519-2020/v1": (
        "454c264ab52b3ee90b2c21a996afc4f5f2a02c2e282799b6e92305e1aa536de6"
    ),
    "https://w3id.org/security/v1": (
        "d87de2ce3ce407bcac481f8af31e211e54beb5cbd7dd459826ed0502302ee234"
    ),
    "https://w3id.org/security/v2": (
        "38a9ef19cf3a75bf856202bd1ed4cbd55c985ad4a809eb7f4ef584ba9d51dc90"
    ),
    "https://w3id.org/vc/status-list/2021/v1": (
        "9768f9aa81ab6c3e2ad96b2d669eaba67afe13fff0140a853f1e3d313fab13b6"
    ),
    "https://www.w3.org/2018/credentials/v1": (
        "b01e671e873981f19a9102a9a57f666dbcaeb31b99e3e124378d143e71549247"
    ),
    "https://www.w3.org/ns/credentials/status/v1": (
        "b2fcebfbaf4e6beae2be370fda8a5f9f99c28540c798a75a8cdccc0fb1a12492"
    ),
    "https://www.w3.org/ns/credentials/v2": (
        "b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf"
    ),
    "https://www.w3.org/ns/did/v1": (
        "a7e146c40fcec005d3f0f14ae745665f446da58d7914a9d8f733746686fad82b"
    ),
}
"""Context URL -> pinned digest (hex SHA-256 of the canonical parsed JSON)."""


def pinned_digest(url: str) -> str | None:
    """The pinned digest of ``url`` (a fragment is ignored), or ``None`` for an unknown context."""
    return KNOWN_CONTEXTS.get(url.split("#", 1)[0])
