"""X.509 path validation at the time of sealing, anchored only in the trusted-list snapshot.

pyhanko-certvalidator (a maintained fork of certvalidator) builds and validates the path at a
chosen moment, with revocation information we hand it: the CRLs and OCSP responses the seal
carries (``etsiU`` ``rVals``) and nothing fetched (``allow_fetching`` stays off; online
revocation is a later step through the Fetcher).  Revocation is ``hard-fail``: a path without
revocation information that covers the moment is not "good", it is unknown.

The trust anchors are the certificates of the CA and TSA services of the snapshot; which service
anchored the path, and what its status was at that moment, decides the level of the seal.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from wallet.verify.edc.trust import (
    ACTIVE,
    CA_PKC,
    CA_QC,
    FOR_ESEALS,
    TSA,
    TSA_QTST,
    StatusPeriod,
    TrustService,
    TrustSnapshot,
)

QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPE_ESEAL = "0.4.0.1862.1.6.2"
QC_STATEMENTS = "1.3.6.1.5.5.7.1.3"


class Outcome(Enum):
    GOOD = "good"
    REVOKED = "revoked"
    NO_PATH = "no-path"
    """No path to any service of the snapshot (a test or unknown CA)."""
    EXPIRED = "expired"
    REVINFO_MISSING = "revinfo-missing"
    NOT_GRANTED = "not-granted"
    """The anchoring service was not granted at that moment (withdrawn, not yet listed)."""
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class PathResult:
    outcome: Outcome
    detail: str = ""
    service: TrustService | None = None
    period: StatusPeriod | None = None
    subject: str = ""
    organisation: str = ""
    qualified: bool = False


@dataclass(frozen=True, slots=True)
class Revinfo:
    certificates: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()
    ocsps: tuple[bytes, ...] = ()


def lenient_der(blob: bytes) -> bytes:
    """DER as carried, or unwrapped when a producer base64-encoded PEM text instead (seen in
    genuine Europass XAdES: an EncapsulatedCRLValue holding "-----BEGIN X509 CRL-----…")."""
    if blob.lstrip().startswith(b"-----BEGIN"):
        lines = [line for line in blob.strip().splitlines() if not line.startswith(b"-----")]
        try:
            return base64.b64decode(b"".join(lines), validate=False)
        except ValueError:
            return blob
    return blob


def usable(revinfo: Revinfo) -> Revinfo:
    """The revocation values that parse at all (a broken one must not stop the others)."""
    from cryptography import x509 as cx

    return Revinfo(
        _parseable(revinfo.certificates, cx.load_der_x509_certificate),
        _parseable(revinfo.crls, cx.load_der_x509_crl),
        revinfo.ocsps,
    )


def _parseable(blobs: tuple[bytes, ...], load: Any) -> tuple[bytes, ...]:
    kept: list[bytes] = []
    for blob in blobs:
        der = lenient_der(blob)
        try:
            load(der)
        except ValueError:
            continue
        kept.append(der)
    return tuple(kept)


def revinfo_from(x_vals: list[Any], r_vals: list[Any]) -> Revinfo:
    """Certificates (``xVals``), CRLs and OCSP responses (``rVals``) carried by the seal."""
    certs: list[bytes] = []
    crls: list[bytes] = []
    ocsps: list[bytes] = []
    for group in x_vals:
        for item in group if isinstance(group, list) else []:
            cert = item.get("x509Cert") if isinstance(item, dict) else None
            if isinstance(cert, dict) and isinstance(cert.get("val"), str):
                certs.append(base64.b64decode(cert["val"]))
    for group in r_vals:
        if not isinstance(group, dict):
            continue
        for item in group.get("crlVals") or []:
            if isinstance(item, dict) and isinstance(item.get("val"), str):
                crls.append(base64.b64decode(item["val"]))
        for item in group.get("ocspVals") or []:
            if isinstance(item, dict) and isinstance(item.get("val"), str):
                ocsps.append(ocsp_response(base64.b64decode(item["val"])))
    return Revinfo(tuple(certs), tuple(crls), tuple(ocsps))


def ocsp_response(der: bytes) -> bytes:
    """JAdES carries OCSPResponse; some producers carry the BasicOCSPResponse alone: wrap it."""
    from asn1crypto import ocsp

    try:
        ocsp.OCSPResponse.load(der)["response_status"].native  # noqa: B018 - parse check
        return der
    except (ValueError, TypeError, KeyError):
        basic = ocsp.BasicOCSPResponse.load(der)
        wrapped: bytes = ocsp.OCSPResponse(
            {
                "response_status": "successful",
                "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
            }
        ).dump()
        return wrapped


def crl_urls(cert_der: bytes) -> list[str]:
    """The http(s) CRL distribution points a certificate declares (LDAP and others ignored)."""
    from asn1crypto import x509

    cert = x509.Certificate.load(cert_der)
    urls: list[str] = []
    for point in cert.crl_distribution_points:
        url = point.url
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
            urls.append(url)
    return urls


def _anchors(snapshot: TrustSnapshot, types: frozenset[str]) -> list[Any]:
    """The snapshot's certificates of services that ever had one of ``types`` (memoised)."""
    from asn1crypto import x509

    memo = snapshot.memo
    key = ("anchors", types)
    if key not in memo:
        found: dict[bytes, Any] = {}
        for service in snapshot.services:
            if any(p.service_type in types for p in service.history):
                for der in service.certificates:
                    try:
                        found.setdefault(der, x509.Certificate.load(der))
                    except ValueError:
                        continue
        memo[key] = list(found.values())
    result: list[Any] = memo[key]
    return result


def _anchor_set(snapshot: TrustSnapshot, types: frozenset[str]) -> frozenset[bytes]:
    key = ("anchor-set", types)
    if key not in snapshot.memo:
        snapshot.memo[key] = frozenset(cert.dump() for cert in _anchors(snapshot, types))
    found: frozenset[bytes] = snapshot.memo[key]
    return found


def _anchors_named(snapshot: TrustSnapshot, types: frozenset[str], names: set[bytes]) -> list[Any]:
    """The anchors whose subject is one of ``names``: certvalidator then indexes a handful of
    certificates per run instead of every CA in the EU (the difference between ~1 s and ~30 ms).
    """
    key = ("by-subject", types)
    if key not in snapshot.memo:
        index: dict[bytes, list[Any]] = {}
        for cert in _anchors(snapshot, types):
            index.setdefault(cert.subject.dump(), []).append(cert)
        snapshot.memo[key] = index
    by_subject: dict[bytes, list[Any]] = snapshot.memo[key]
    return [cert for name in names for cert in by_subject.get(name, [])]


async def validate(
    leaf_der: bytes,
    chain: tuple[bytes, ...],
    revinfo: Revinfo,
    snapshot: TrustSnapshot,
    moment: datetime,
    *,
    tsa: bool = False,
) -> PathResult:
    """Validate ``leaf_der`` at ``moment`` up to a service of the snapshot."""
    from asn1crypto import x509
    from pyhanko_certvalidator import errors

    leaf = x509.Certificate.load(leaf_der)
    revinfo = usable(revinfo)
    types = frozenset({TSA_QTST, TSA, CA_QC, CA_PKC}) if tsa else frozenset({CA_QC, CA_PKC})
    carried = [x509.Certificate.load(c) for c in dict.fromkeys((*chain, *revinfo.certificates))]
    names = {c.issuer.dump() for c in (leaf, *carried)} | {c.subject.dump() for c in carried}
    anchors = _anchors_named(snapshot, types, names)
    subject = leaf.subject.native
    organisation = str(subject.get("organization_name") or subject.get("common_name") or "")
    base = (leaf.subject.human_friendly, organisation)
    who = {"subject": base[0], "organisation": base[1]}
    if not anchors:
        return PathResult(
            Outcome.NO_PATH, "no service of the snapshot is named in the chain", **who
        )
    listed = _anchor_set(snapshot, types)
    others = [c for c in carried if c.dump() not in listed]
    try:
        path = await _validate(leaf, anchors, others, revinfo, moment, check_leaf=True)
    except errors.InsufficientRevinfoError as exc:
        # certvalidator cannot trace a CRL signed by a listed CA that is not self-signed (the
        # usual case: lists name issuing CAs); such a CRL is then checked here, by hand.
        if "chain of trust for the CRL issuer" not in str(exc):
            return PathResult(Outcome.REVINFO_MISSING, str(exc), **who)
        try:
            path = await _validate(leaf, anchors, others, revinfo, moment, check_leaf=False)
        except (errors.PathError, errors.ValidationError) as again:
            return _failure(again, who)
        anchor_cert = getattr(path.trust_anchor, "certificate", None)
        if anchor_cert is None or len(path) != 2:
            return PathResult(Outcome.REVINFO_MISSING, str(exc), **who)
        verdict = _crl_status(leaf, anchor_cert, revinfo.crls, moment)
        if verdict is not Outcome.GOOD:
            return PathResult(verdict, str(exc), **who)
    except (errors.PathError, errors.ValidationError) as exc:
        return _failure(exc, who)
    except (ValueError, TypeError, KeyError) as exc:
        # a carried value asn1crypto cannot read: the path cannot be decided
        return PathResult(Outcome.REVINFO_MISSING, repr(exc), **who)
    anchor: Any = getattr(path.trust_anchor, "certificate", None)
    tbs = anchor["tbs_certificate"] if anchor is not None else None
    services = (
        snapshot.services_for_subject(tbs["subject"].dump(), tbs["subject_public_key_info"].dump())
        if tbs is not None
        else []
    )
    return _grant(services, moment, leaf, tsa, base)


async def _validate(
    leaf: Any,
    anchors: list[Any],
    others: list[Any],
    revinfo: Revinfo,
    moment: datetime,
    *,
    check_leaf: bool,
) -> Any:
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.policy_decl import (
        CertRevTrustPolicy,
        RevocationCheckingPolicy,
        RevocationCheckingRule,
    )

    required = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    context = ValidationContext(
        trust_roots=anchors,
        # A listed CA the seal also carries is seen only as the anchor (see _anchor_set).
        other_certs=others,
        crls=list(revinfo.crls),
        ocsps=list(revinfo.ocsps),
        moment=moment,
        allow_fetching=False,
        # Revocation data is required for every certificate below the listed anchor, whether
        # or not it declares where to find it: "no pointer" must not read as "not revoked".
        # Retroactive: a CRL issued after the seal still speaks for the moment of sealing.
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=required if check_leaf else RevocationCheckingRule.NO_CHECK,
                intermediate_ca_cert_rule=required,
            ),
            retroactive_revinfo=True,
        ),
    )
    return await CertificateValidator(leaf, validation_context=context).async_validate_path()


def _failure(exc: Exception, who: dict[str, str]) -> PathResult:
    from pyhanko_certvalidator import errors

    text = str(exc)
    outcome = Outcome.INVALID
    if isinstance(exc, errors.PathBuildingError):
        outcome = Outcome.NO_PATH
    elif isinstance(exc, errors.RevokedError):
        outcome = Outcome.REVOKED
    elif isinstance(exc, errors.ExpiredError | errors.NotYetValidError):
        outcome = Outcome.EXPIRED
    elif isinstance(exc, errors.InsufficientRevinfoError | errors.StaleRevinfoError) or (
        isinstance(exc, errors.PathValidationError) and "revocation" in text.lower()
    ):
        outcome = Outcome.REVINFO_MISSING
    return PathResult(outcome, text, subject=who["subject"], organisation=who["organisation"])


def _crl_status(leaf: Any, anchor: Any, crls: tuple[bytes, ...], moment: datetime) -> Outcome:
    """The leaf's status at ``moment`` by a CRL the anchor signed that covers that moment."""
    from cryptography import x509 as cx

    key: Any = cx.load_der_x509_certificate(anchor.dump()).public_key()
    covered = False
    for der in crls:
        try:
            crl = cx.load_der_x509_crl(der)
            if crl.issuer.public_bytes() != anchor.subject.dump() or not crl.is_signature_valid(
                key
            ):
                continue
        except (ValueError, TypeError):
            continue
        next_update = crl.next_update_utc
        if next_update is None or next_update < moment:
            continue
        covered = True
        entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
        if entry is not None and entry.revocation_date_utc <= moment:
            return Outcome.REVOKED
    return Outcome.GOOD if covered else Outcome.REVINFO_MISSING


def _grant(
    services: list[TrustService], moment: datetime, leaf: Any, tsa: bool, base: tuple[str, str]
) -> PathResult:
    """The best status any anchoring service had at ``moment``."""
    granting = TSA_QTST if tsa else CA_QC
    best: PathResult | None = None
    for service in services:
        period = service.period_at(moment)
        allowed = (TSA_QTST, TSA) if tsa else (CA_QC, CA_PKC)
        if period is None or period.status not in ACTIVE or period.service_type not in allowed:
            best = best or PathResult(
                Outcome.NOT_GRANTED,
                period.status if period else "not listed yet",
                service,
                period,
                subject=base[0],
                organisation=base[1],
            )
            continue
        qualified = period.service_type == granting and (
            tsa or _qualified_seal(leaf, period.additional)
        )
        result = PathResult(
            Outcome.GOOD,
            "",
            service,
            period,
            qualified=qualified,
            subject=base[0],
            organisation=base[1],
        )
        if qualified:
            return result
        if best is None or best.outcome is not Outcome.GOOD:
            best = result
    return best or PathResult(
        Outcome.NO_PATH, "anchor matches no listed service", subject=base[0], organisation=base[1]
    )


def _qc_statements(leaf: Any) -> dict[str, Any]:
    """qcStatements (ETSI EN 319 412-5) by statement id; asn1crypto does not know them."""
    from asn1crypto import core

    class _Statement(core.Sequence):  # type: ignore[misc]
        _fields = [  # noqa: RUF012 - asn1crypto's declaration style
            ("statement_id", core.ObjectIdentifier),
            ("statement_info", core.Any, {"optional": True}),
        ]

    class _Statements(core.SequenceOf):  # type: ignore[misc]
        _child_spec = _Statement

    found: dict[str, Any] = {}
    for ext in leaf["tbs_certificate"]["extensions"] or []:
        if ext["extn_id"].dotted != QC_STATEMENTS:
            continue
        try:
            for statement in _Statements.load(ext["extn_value"].contents):
                info = statement["statement_info"]
                found[statement["statement_id"].dotted] = info.dump() if info else b""
        except (ValueError, TypeError):
            return {}
    return found


def _qualified_seal(leaf: Any, additional: tuple[str, ...]) -> bool:
    """Qualified e-seal: a CA/QC service for e-seals and a certificate that claims it.

    The certificate must state QcCompliance; when it states QcType, that type must be e-seal;
    the service must not be restricted to other uses (ForeSignatures only).
    """
    from asn1crypto import core

    statements = _qc_statements(leaf)
    if QC_COMPLIANCE not in statements:
        return False
    if additional and FOR_ESEALS not in additional:
        return False
    raw_types = statements.get(QC_TYPE)
    if not raw_types:
        return FOR_ESEALS in additional

    class _Oids(core.SequenceOf):  # type: ignore[misc]
        _child_spec = core.ObjectIdentifier

    try:
        types = {oid.dotted for oid in _Oids.load(raw_types)}
    except (ValueError, TypeError):
        return False
    return QC_TYPE_ESEAL in types
