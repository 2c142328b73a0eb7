"""Data Integrity proofs: ``eddsa-rdfc-2022`` (and its pre-2023 name ``eddsa-2022``),
``ecdsa-rdfc-2019``, ``Ed25519Signature2020``, ``eddsa-jcs-2022`` (what plecak's own exporters sign
presentations and CLRs with), the 2018-era detached-JWS suites ``Ed25519Signature2018`` (the JFF
Plugfest badges) and ``JsonWebSignature2020`` (:mod:`wallet.verify.detached_jws`), and
``ecdsa-sd-2023`` base and derived proofs (:mod:`wallet.verify.ecdsa_sd`).

How a proof is checked (VC Data Integrity 1.0 §4.4, the cryptosuite specs' "Verify Proof"):

1. the *unsecured document* is the credential without ``proof``; its RDFC-1.0 canonical N-Quads
   are computed once (the caller does it, because the same result also drives the JSON-LD safety
   check) and hashed;
2. the *proof configuration* is the proof without ``proofValue``, with the document's ``@context``;
   it is canonicalised and hashed the same way;
3. ``hashData = H(proofConfig) || H(document)`` (SHA-256; SHA-384 for P-384) is verified against
   ``proofValue`` (multibase base58btc) with the verification method's key.

Before any cryptography the proof must say what it is for (``proofPurpose`` = ``assertionMethod``),
its key must be resolvable, granted that purpose by its controller, controlled by the issuer, and of
the type the suite pins (an ``eddsa`` proof with an RSA key is refused, never "tried").

With several proofs, each is judged on its own; the caller decides (any valid one suffices).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from wallet.codecs.dates import parse_date
from wallet.codecs.holder import jcs
from wallet.i18n import _
from wallet.model import CheckStatus, Json
from wallet.verify import detached_jws, did, keys
from wallet.verify.context import VerifyContext
from wallet.verify.jsonld import Canonical, ContextSet, JsonLdInvalid, canonicalize

if TYPE_CHECKING:  # imported where an ecdsa-sd-2023 proof is checked: CBOR is not needed otherwise
    from wallet.verify import ecdsa_sd

SUITE_EDDSA = "eddsa-rdfc-2022"
SUITE_ECDSA = "ecdsa-rdfc-2019"
SUITE_ED2020 = "Ed25519Signature2020"
SUITE_EDDSA_JCS = "eddsa-jcs-2022"
SUITE_ED2018 = "Ed25519Signature2018"
SUITE_JWS2020 = "JsonWebSignature2020"
SUITE_ECDSA_SD = "ecdsa-sd-2023"
SUITE_EDDSA_LEGACY = "eddsa-2022"
"""The pre-2023 name of eddsa-rdfc-2022 (same algorithm; 1EdTech and DCC issued with it)."""
SUPPORTED = (
    SUITE_EDDSA,
    SUITE_ECDSA,
    SUITE_ED2020,
    SUITE_EDDSA_JCS,
    SUITE_ED2018,
    SUITE_JWS2020,
    SUITE_EDDSA_LEGACY,
    SUITE_ECDSA_SD,
)
_DETACHED_JWS = (SUITE_ED2018, SUITE_JWS2020)
"""Suites whose signature is a detached JWS in ``jws`` instead of a multibase ``proofValue``."""

_SUITE_KEYS = {
    SUITE_EDDSA: ("Ed25519",),
    SUITE_ED2020: ("Ed25519",),
    SUITE_EDDSA_JCS: ("Ed25519",),
    SUITE_ECDSA: ("P-256", "P-384"),
    SUITE_ED2018: ("Ed25519",),
    SUITE_JWS2020: ("Ed25519", "P-256", "P-384", "RSA"),
    SUITE_EDDSA_LEGACY: ("Ed25519",),
    SUITE_ECDSA_SD: ("P-256",),
}


@dataclass(frozen=True, slots=True)
class ProofOutcome:
    """The verdict on one proof."""

    index: int
    suite: str
    status: CheckStatus
    """PASS (valid, by an allowed controller), FAIL (bad or not the issuer's), UNKNOWN."""
    message: str
    detail: str = ""
    key: did.VerificationKey | None = None
    key_status: CheckStatus = CheckStatus.UNKNOWN
    """PASS when the key resolved and is bound to an allowed controller."""
    key_message: str = ""


def proofs_of(document: Json) -> list[Json]:
    """The proofs of a secured document (``proof`` may be one object or a set)."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def unsecured(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "proof"}


def suite_of(proof: Json) -> str:
    if not isinstance(proof, dict):
        return "?"
    ptype = proof.get("type")
    if ptype == "DataIntegrityProof":
        return str(proof.get("cryptosuite") or "DataIntegrityProof")
    return str(ptype) if isinstance(ptype, str) else "?"


async def verify_proofs(
    document: dict[str, Any],
    canonical_document: Canonical,
    contexts: ContextSet,
    ctx: VerifyContext,
    *,
    controllers: Collection[str],
    purpose: str = did.ASSERTION,
) -> list[ProofOutcome]:
    """Judge every proof of ``document``; ``controllers`` are who may have signed it."""
    outcomes = []
    for index, proof in enumerate(proofs_of(document), start=1):
        outcomes.append(
            await verify_one(
                index, proof, document, canonical_document, contexts, ctx, controllers, purpose
            )
        )
    return outcomes


async def verify_one(
    index: int,
    proof: Json,
    document: dict[str, Any],
    canonical_document: Canonical,
    contexts: ContextSet,
    ctx: VerifyContext,
    controllers: Collection[str],
    purpose: str,
) -> ProofOutcome:
    """One proof: its shape, then its key (resolved and allowed to sign), then its signature."""
    suite = suite_of(proof)
    if not isinstance(proof, dict):
        return ProofOutcome(index, suite, CheckStatus.FAIL, _("The proof is not an object."))
    problem = _shape_problem(proof, suite, purpose)
    if problem is not None:
        return ProofOutcome(index, suite, *problem)
    vm = proof.get("verificationMethod")
    vm = vm.get("id") if isinstance(vm, dict) else vm
    if not isinstance(vm, str):
        return ProofOutcome(
            index, suite, CheckStatus.FAIL, _("The proof names no verification method.")
        )
    try:
        key = await did.resolve(vm, ctx)
    except did.KeyUnavailable as exc:
        msg = exc.user_message()
        return ProofOutcome(index, suite, CheckStatus.UNKNOWN, msg, exc.detail, key_message=msg)
    except did.KeyInvalid as exc:
        msg = exc.user_message()
        return ProofOutcome(
            index,
            suite,
            CheckStatus.FAIL,
            msg,
            exc.detail,
            key_status=CheckStatus.FAIL,
            key_message=msg,
        )
    key_problem = _key_problem(key, suite, controllers, purpose)
    if key_problem:
        return ProofOutcome(
            index,
            suite,
            CheckStatus.FAIL,
            key_problem,
            f"key {key.id} controller {key.controller}",
            key=key,
            key_status=CheckStatus.FAIL,
            key_message=key_problem,
        )
    judge = _Judge(index, suite, key)
    return _signature(judge, proof, document, canonical_document, contexts)


def _shape_problem(
    proof: dict[str, Any], suite: str, purpose: str
) -> tuple[CheckStatus, str] | None:
    """What is wrong with a proof before any key is looked at: its suite, purpose or date."""
    if suite not in SUPPORTED:
        return CheckStatus.UNKNOWN, _("The proof type {suite} is not supported.").format(
            suite=suite
        )
    if proof.get("proofPurpose") != purpose:
        return CheckStatus.FAIL, _("The proof is made for {found}, not for {expected}.").format(
            found=proof.get("proofPurpose"), expected=purpose
        )
    if "created" in proof and parse_date(proof.get("created")) is None:
        return CheckStatus.FAIL, _("The proof's creation date is not a valid date.")
    return None


def _signature(
    judge: _Judge,
    proof: dict[str, Any],
    document: dict[str, Any],
    canonical_document: Canonical,
    contexts: ContextSet,
) -> ProofOutcome:
    """The signature over the proof options and the document, by the suite's canonicalisation."""
    suite, key = judge.suite, judge.key
    detached: detached_jws.Detached | None = None
    signature: bytes | None = b""
    problem = ""
    selective: ecdsa_sd.Base | ecdsa_sd.Derived | None = None
    if suite in _DETACHED_JWS:
        detached, problem = _detached(proof, key.kind)
    elif suite == SUITE_ECDSA_SD:
        selective, problem = _selective(proof)
    else:
        signature = _signature_bytes(proof.get("proofValue"), key.kind)
    if signature is None or problem:
        return judge.keyed(CheckStatus.FAIL, _("The proof value is missing or malformed."), problem)
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "jws")}
    if "@context" in document:
        config["@context"] = document["@context"]
    if suite == SUITE_EDDSA_JCS:
        return _jcs_signature(judge, config, document, signature)
    try:
        canonical_config = canonicalize(config, contexts)
    except JsonLdInvalid as exc:
        return judge.keyed(
            CheckStatus.FAIL, _("The proof options are not valid JSON-LD."), exc.detail
        )
    if not canonical_config.lossless:
        return judge.keyed(
            CheckStatus.FAIL,
            _("The proof uses terms no context defines: {terms}").format(
                terms=", ".join((*canonical_config.dropped, *canonical_config.relative)[:5])
            ),
        )
    if selective is not None:
        from wallet.verify import ecdsa_sd

        why = ecdsa_sd.proof_problem(
            selective, canonical_document.nquads, canonical_config.nquads, key.public_key
        )
        judged = judge.judged(why is None)
        return replace(judged, detail=why) if why else judged
    # ecdsa-rdfc-2019 hashes with the curve's size; the 2018-era JWS suites always use SHA-256.
    digest = hashlib.sha384 if key.kind == "P-384" and detached is None else hashlib.sha256
    hash_data = (
        digest(canonical_config.nquads.encode("utf-8")).digest()
        + digest(canonical_document.nquads.encode("utf-8")).digest()
    )
    if detached is not None:
        return judge.judged(detached_jws.verify(key.kind, key.public_key, detached, hash_data))
    return judge.judged(_signature_ok(key, signature, hash_data))


def _jcs_signature(
    judge: _Judge, config: dict[str, Any], document: dict[str, Any], signature: bytes
) -> ProofOutcome:
    """eddsa-jcs-2022: JSON canonicalisation (RFC 8785) of the JSON itself, no JSON-LD involved."""
    try:
        hash_data = (
            hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(unsecured(document))).digest()
        )
    except ValueError as exc:
        return judge.keyed(
            CheckStatus.FAIL,
            _("The document cannot be canonicalised as JSON (RFC 8785)."),
            str(exc),
        )
    return judge.judged(_signature_ok(judge.key, signature, hash_data))


def _detached(proof: dict[str, Any], kind: str) -> tuple[detached_jws.Detached | None, str]:
    """The proof's detached JWS, or None and why it cannot be used."""
    try:
        detached = detached_jws.parse(proof.get("jws"))
    except ValueError as exc:
        return None, str(exc)
    problem = detached_jws.header_problem(detached, kind)
    return (None, problem) if problem else (detached, "")


@dataclass(frozen=True, slots=True)
class _Judge:
    """Outcomes of one proof once its key is known and allowed to sign."""

    index: int
    suite: str
    key: did.VerificationKey

    @property
    def key_message(self) -> str:
        return _("Key {key} is controlled by {controller}.").format(
            key=self.key.id, controller=self.key.controller
        )

    def keyed(self, status: CheckStatus, message: str, detail: str = "") -> ProofOutcome:
        return ProofOutcome(
            self.index,
            self.suite,
            status,
            message,
            detail,
            key=self.key,
            key_status=CheckStatus.PASS,
            key_message=self.key_message,
        )

    def judged(self, valid: bool) -> ProofOutcome:
        if valid:
            return self.keyed(
                CheckStatus.PASS,
                _("The {suite} signature by {key} is valid.").format(
                    suite=self.suite, key=self.key.id
                ),
            )
        return self.keyed(
            CheckStatus.FAIL,
            _(
                "The {suite} signature does not match the content (altered, or the wrong key)."
            ).format(suite=self.suite),
            f"key {self.key.id}",
        )


def _key_problem(
    key: did.VerificationKey, suite: str, controllers: Collection[str], purpose: str
) -> str | None:
    if key.kind not in _SUITE_KEYS[suite]:
        return _("A {kind} key cannot make a {suite} proof.").format(kind=key.kind, suite=suite)
    if purpose not in key.purposes:
        return _("The key's controller does not allow it for {purpose}.").format(purpose=purpose)
    if key.controller is None or key.controller not in controllers:
        return _("The key belongs to {controller}, not to the issuer {issuer}.").format(
            controller=key.controller or "?", issuer=", ".join(sorted(controllers)) or "?"
        )
    return None


def _selective(proof: dict[str, Any]) -> tuple[ecdsa_sd.Base | ecdsa_sd.Derived | None, str]:
    """An ecdsa-sd-2023 proof value, parsed (or the problem with it)."""
    from wallet.verify import ecdsa_sd

    try:
        return ecdsa_sd.parse(proof.get("proofValue")), ""
    except ValueError as exc:
        return None, str(exc)


def _signature_bytes(value: Json, kind: str) -> bytes | None:
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        raw = keys.multibase_decode(value)
    except ValueError:
        return None
    expected = {"Ed25519": 64, "P-256": 64, "P-384": 96}.get(kind)
    return raw if len(raw) == expected else None


def _signature_ok(key: did.VerificationKey, signature: bytes, data: bytes) -> bool:
    try:
        if key.kind == "Ed25519":
            key.public_key.verify(signature, data)
            return True
        half = len(signature) // 2
        der = utils.encode_dss_signature(
            int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
        )
        algorithm: hashes.HashAlgorithm = (
            hashes.SHA384() if key.kind == "P-384" else hashes.SHA256()
        )
        key.public_key.verify(der, data, ec.ECDSA(algorithm))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def best(outcomes: Sequence[ProofOutcome]) -> ProofOutcome | None:
    """The accepted proof (first valid), else the most telling failure."""
    for status in (CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.UNKNOWN):
        for item in outcomes:
            if item.status is status:
                return item
    return None
