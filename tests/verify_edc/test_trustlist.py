"""Trusted lists (ETSI TS 119 612): signatures against pinned signers, history, hardening."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.verify_edc import trusted_lists as tl
from tests.verify_edc import world as w
from wallet.verify.edc import trust, trustlist


def test_snapshot_keeps_services_with_history_and_dates(world: w.World) -> None:
    snapshot = world.snapshot()
    assert [i.country for i in snapshot.lists] == ["EU", "PL"]
    assert snapshot.as_of == tl.LIST_ISSUED
    ca = next(s for s in snapshot.services if s.certificates == (world.ca.der,))
    assert ca.provider == "Synthetic QTSP S.A."
    period = ca.period_at(w.SIGNED_AT)
    assert period is not None and period.status == trust.GRANTED
    assert period.additional == (trust.FOR_ESEALS,)
    assert ca.period_at(datetime(2018, 1, 1, tzinfo=UTC)) is None


def test_snapshot_round_trips_through_json(world: w.World) -> None:
    snapshot = world.snapshot()
    again = trust.from_json(snapshot.to_json())
    assert again.lists == snapshot.lists and again.services == snapshot.services


def test_lotl_signed_by_an_unpinned_key_is_refused(world: w.World) -> None:
    lotl_xml, pl_xml = world.lists()
    impostor = w.make_cert(w._name("LOTL signer", "European Commission", "BE"), w.ec_key(), None)
    with pytest.raises(trust.TrustListError, match="pinned signers"):
        trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [impostor.der])


def test_national_list_signed_by_a_key_the_lotl_does_not_name_is_refused(world: w.World) -> None:
    rogue = w.make_cert(w._name("PL TL signer", "Ministry", "PL"), w.ec_key(), None)
    lotl_xml = tl.lotl(world.lotl_signer, {"PL": world.tl_signer})
    pl_xml = tl.national_list("PL", rogue, world.services)
    with pytest.raises(trust.TrustListError, match="pinned signers"):
        trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [world.lotl_signer.der])


def test_tampered_national_list_is_refused(world: w.World) -> None:
    lotl_xml, pl_xml = world.lists()
    tampered = pl_xml.replace(b"Synthetic QTSP S.A.", b"Evil QTSP S.A.")
    with pytest.raises(trust.TrustListError):
        trustlist.build_snapshot(lotl_xml, {"PL": tampered}, [world.lotl_signer.der])


def test_expired_list_signer_is_checked_at_the_list_issue_time(world: w.World) -> None:
    """A signer that expired since (2026-06) still vouches for a list issued while it was valid."""
    old_signer = w.make_cert(
        w._name("LOTL signer 2025", "European Commission", "BE"),
        w.ec_key(),
        None,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2026, 6, 1, tzinfo=UTC),
    )
    lotl_xml = tl.lotl(old_signer, {"PL": world.tl_signer})
    pl_xml = tl.national_list("PL", world.tl_signer, world.services)
    snapshot = trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [old_signer.der])
    assert snapshot.list_for("PL") is not None
    late = tl.lotl(old_signer, {"PL": world.tl_signer}, issued=datetime(2026, 7, 1, tzinfo=UTC))
    with pytest.raises(trust.TrustListError):
        trustlist.build_snapshot(late, {"PL": pl_xml}, [old_signer.der])


def test_a_list_older_than_the_one_held_is_refused(world: w.World) -> None:
    held = world.snapshot(sequence=12)
    lotl_xml, pl_xml = world.lists(sequence=11)
    with pytest.raises(trust.TrustListError, match="older than the one held"):
        trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [world.lotl_signer.der], held=held)


def test_lotl_without_a_pointer_for_the_country_is_refused(world: w.World) -> None:
    lotl_xml = tl.lotl(world.lotl_signer, {})
    _, pl_xml = world.lists()
    with pytest.raises(trust.TrustListError, match="names no signer"):
        trustlist.build_snapshot(lotl_xml, {"PL": pl_xml}, [world.lotl_signer.der])


def test_entities_are_never_expanded(world: w.World) -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&x;</TrustServiceStatusList>'
    )
    with pytest.raises(trust.TrustListError):
        trustlist.verify_list(hostile, [world.lotl_signer.der])


def test_pinned_snapshot_refuses_bytes_that_do_not_match(tmp_path: object, world: w.World) -> None:
    import hashlib
    import json
    from pathlib import Path

    folder = Path(str(tmp_path))
    data = json.dumps(world.snapshot().to_json()).encode()
    (folder / "s.json").write_bytes(data)
    (folder / "s.sha256").write_text(hashlib.sha256(data).hexdigest())
    assert trust.load_pinned(folder / "s.json", folder / "s.sha256").list_for("PL") is not None
    (folder / "s.json").write_bytes(data.replace(b"Synthetic", b"Synthetik"))
    with pytest.raises(trust.TrustListError):
        trust.load_pinned(folder / "s.json", folder / "s.sha256")


def test_shipped_snapshot_is_pinned_dated_and_holds_the_eseal_cas() -> None:
    """The package's snapshot: LOTL #390, ES #184, SI #86 (see wallet/verify/edc/data/SOURCE.md)."""
    shipped = trust.load_pinned()
    assert [(i.country, i.sequence) for i in shipped.lists] == [
        ("EU", 390),
        ("ES", 184),
        ("SI", 86),
    ]
    assert shipped.as_of == datetime(2026, 8, 3, 13, 16, 38, tzinfo=UTC)
    halcom = next(s for s in shipped.services if s.name == "Halcom CA PO e-seal 2")
    period = halcom.period_at(datetime(2026, 1, 12, tzinfo=UTC))
    assert period is not None and period.status == trust.GRANTED
    assert period.service_type == trust.CA_QC and trust.FOR_ESEALS in period.additional
    assert halcom.period_at(datetime(2023, 6, 9, tzinfo=UTC)) is None  # granted from 2023-06-10


OJ_C_2026_1944 = {
    "wGQcT31WxDGxySR0Lbf86cHu99f9ISETonaEhrOrzcU=",
    "4KYg+7Z0c2K7kzrEQWnWdqVTREcWz18xYF8SoiuDlrE=",
    "334pNgw0srjW1fQDJcHU0SyZIs7NM7dAdnSnSys8oeU=",
    "tj1BZ0TnCYv57CyqWWqTvCRo43+ChLpl7MBhcRvLqhg=",
    "I2ED8DqAMa6PR/kFm/jeOFZM2/6+3eSll9UPiYCqZTs=",
    "0gZP3XD2mC3MUWuG2dXFauqTlBfGJLLkeMCyneVPhHQ=",
}
"""sha256 (base64) of the six LOTL signing certificates published in OJ C/2026/1944."""


def test_pinned_lotl_signers_are_the_official_journal_set_the_shipped_lotl_was_checked_with() -> (
    None
):
    import base64
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = (trust.SNAPSHOT_DIR / "lotl-signers.pem").read_bytes()
    signers = x509.load_pem_x509_certificates(pem)
    digests = {
        base64.b64encode(hashlib.sha256(c.public_bytes(Encoding.DER)).digest()).decode()
        for c in signers
    }
    assert digests == OJ_C_2026_1944
    issued = trust.load_pinned().list_for("EU")
    assert issued is not None
    # at least one pinned signer was valid when the shipped LOTL was issued
    assert any(c.not_valid_before_utc <= issued.issued <= c.not_valid_after_utc for c in signers)


def test_rebuild_writes_the_snapshot_with_its_digest_and_refuses_an_older_list(
    world: w.World, tmp_path: object
) -> None:
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import Encoding

    from wallet.verify.edc import rebuild

    out = Path(str(tmp_path))
    signers = world.lotl_signer.cert.public_bytes(Encoding.PEM)
    lotl_xml, pl_xml = world.lists(sequence=12)
    snapshot = rebuild.rebuild(lotl_xml, {"PL": pl_xml}, signers, out, source="synthetic")
    loaded = trust.load_pinned(out / "trusted-lists.json", out / "trusted-lists.json.sha256")
    assert loaded.lists == snapshot.lists and loaded.source == "synthetic"
    _lotl, older = world.lists(sequence=11)
    with pytest.raises(trust.TrustListError, match="older than the one held"):
        rebuild.rebuild(lotl_xml, {"PL": older}, signers, out)
    kept = trust.load_pinned(out / "trusted-lists.json", out / "trusted-lists.json.sha256")
    held = kept.list_for("PL")
    assert held is not None and held.sequence == 12


def test_an_older_lotl_than_the_one_held_is_refused(world: w.World) -> None:
    held = world.snapshot()
    older_lotl = tl.lotl(
        world.lotl_signer, {"PL": world.tl_signer}, issued=datetime(2026, 1, 1, tzinfo=UTC)
    )
    _lotl, pl_xml = world.lists()
    with pytest.raises(trust.TrustListError, match="list of EU is older"):
        trustlist.build_snapshot(older_lotl, {"PL": pl_xml}, [world.lotl_signer.der], held=held)
