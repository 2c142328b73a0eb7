"""What goes into the wallet comes out the same: model JSON form, credentials, history, evidence."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import StoreError, UsageError
from wallet.model import Credential, PortfolioEntry, Status, VerificationReport
from wallet.model.json_form import from_dict, to_dict
from wallet.store import Wallet, codec

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["$dt", "$b64", "$map", "a", "b"]) | st.text(), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def test_rich_credential_round_trips_through_the_json_form() -> None:
    credential = factory.credential(7, "rt")
    data = json.loads(json.dumps(to_dict(credential)))
    assert from_dict(Credential, data) == credential
    report = factory.report(7, "rt", sha256="ab" * 32)
    assert from_dict(VerificationReport, json.loads(json.dumps(to_dict(report)))) == report


def test_the_stores_fast_decoder_agrees_with_the_models() -> None:
    credential = factory.credential(3, "fast")
    report = factory.report(3, sha256="cd" * 32)
    entry = PortfolioEntry(
        id="abcdefgh",
        fingerprint="id:x",
        format=credential.format,
        status=Status.REVOKED,
        title="t",
        issued=factory.WHEN,
        tags=("a", "b"),
    )
    ledger = {"to": "x", "at": factory.WHEN, "raw": b"\x00", "odd": {"$b64": "AA=="}}
    for cls, obj in [
        (Credential, credential),
        (VerificationReport, report),
        (PortfolioEntry, entry),
        (dict, ledger),
    ]:
        plaintext = codec.encode(obj)
        assert codec.decode(cls, plaintext) == from_dict(cls, json.loads(plaintext)) == obj


@settings(max_examples=60, deadline=None)
@given(document=json_values)
def test_any_json_document_round_trips_even_when_it_looks_like_a_tag(document: object) -> None:
    credential = factory.credential(1)
    changed = Credential(
        **{**{f: getattr(credential, f) for f in credential.__slots__}, "document": document}
    )
    assert from_dict(Credential, json.loads(json.dumps(to_dict(changed)))) == changed
    assert codec.decode(Credential, codec.encode(changed)) == changed


def test_credential_round_trips_through_the_wallet(home: Path) -> None:
    credential = factory.credential(1, "w")
    sha, body = factory.evidence_body(1)
    report = factory.report(1, sha256=sha)
    with Wallet.create(home, PASS) as wallet:
        cid, created = wallet.add_credential(
            credential, report, {sha: body}, tags=["  work ", "work", "cv"], source="upload"
        )
        assert created
    with Wallet.open(home, PASS) as wallet:
        assert wallet.get_credential(cid) == credential
        assert wallet.get_credential(cid).original.data == credential.original.data
        assert wallet.history(cid) == [report]
        assert wallet.evidence_body(sha) == body
        assert wallet.evidence_body("00" * 32) is None
        entry = wallet.get_entry(cid)
        assert entry == PortfolioEntry(
            id=cid,
            fingerprint=credential.fingerprint,
            format=credential.format,
            status=Status.VALID,
            title=credential.title,
            issuer_name="Issuer w1",
            issuer_id="https://issuer.example/w1",
            issued=credential.issued,
            expires=credential.expires,
            tags=("work", "cv"),
            added_at=entry.added_at,
            checked_at=report.checked_at,
            source="upload",
            credential_id=credential.credential_id,
        )
        assert wallet.list_entries() == [entry]
        assert wallet.list_entries().tampered == ()


def test_duplicate_fingerprint_stores_nothing(wallet: Wallet) -> None:
    first, created = wallet.add_credential(factory.credential(1), factory.report(1))
    again, created_again = wallet.add_credential(factory.credential(1), factory.report(2))
    assert (created, created_again) == (True, False)
    assert again == first
    assert wallet.find_fingerprint(factory.credential(1).fingerprint) == first
    assert wallet.find_fingerprint("id:urn:nothing") is None
    assert len(wallet.list_entries()) == 1
    assert len(wallet.history(first)) == 1


def test_history_is_appended_oldest_first_and_updates_the_entry(wallet: Wallet) -> None:
    cid, _ = wallet.add_credential(factory.credential(1), None)
    assert wallet.get_entry(cid).status is Status.UNVERIFIED
    assert wallet.history(cid) == []
    reports = [
        factory.report(1, status=s, when=factory.WHEN + timedelta(days=i))
        for i, s in enumerate([Status.VALID, Status.REVOKED, Status.VALID] * 4)
    ]
    for r in reports:
        wallet.add_report(cid, r)
    assert wallet.history(cid) == reports
    assert wallet.get_entry(cid).status is Status.VALID
    assert wallet.get_entry(cid).checked_at == reports[-1].checked_at


def test_tags_identities_key_and_share_ledger(wallet: Wallet, home: Path) -> None:
    cid, _ = wallet.add_credential(factory.credential(1), None, tags=["a"])
    wallet.set_tags(cid, ["b", "c", "b", ""])
    assert wallet.get_entry(cid).tags == ("b", "c")
    wallet.add_identity("me@example.org", "email")
    wallet.add_identity("did:key:z6Mk", "did")
    wallet.add_identity("me@example.org", "email")
    assert wallet.list_identities() == [("me@example.org", "email"), ("did:key:z6Mk", "did")]
    assert wallet.remove_identity("did:key:z6Mk") is True
    assert wallet.remove_identity("did:key:z6Mk") is False
    key = wallet.signing_key()
    assert len(key) == 32
    assert wallet.signing_key() == key
    wallet.record_share({"to": "hr@example.org", "at": factory.WHEN, "ids": [cid]})
    wallet.record_share({"to": "uni@example.org", "at": factory.WHEN, "ids": []})
    wallet.close()
    with Wallet.open(home, PASS) as again:
        assert again.signing_key() == key
        assert again.shares() == [
            {"to": "hr@example.org", "at": factory.WHEN, "ids": [cid]},
            {"to": "uni@example.org", "at": factory.WHEN, "ids": []},
        ]
        assert again.list_identities() == [("me@example.org", "email")]


def test_remove_drops_record_index_history_and_unshared_evidence(wallet: Wallet) -> None:
    shared_sha, shared_body = factory.evidence_body(0)
    own_sha, own_body = factory.evidence_body(1)
    keep, _ = wallet.add_credential(
        factory.credential(1), factory.report(1), {shared_sha: shared_body}
    )
    gone, _ = wallet.add_credential(
        factory.credential(2), factory.report(2), {shared_sha: shared_body, own_sha: own_body}
    )
    wallet.remove(gone)
    assert [e.id for e in wallet.list_entries()] == [keep]
    with pytest.raises(UsageError):
        wallet.get_credential(gone)
    with pytest.raises(UsageError):
        wallet.history(gone)
    with pytest.raises(UsageError):
        wallet.remove(gone)
    assert wallet.evidence_body(shared_sha) == shared_body
    assert wallet.evidence_body(own_sha) is None
    assert wallet.find_fingerprint(factory.credential(2).fingerprint) is None
    assert wallet.verify_integrity() == []
    # the fingerprint is free again
    assert wallet.add_credential(factory.credential(2), None)[1] is True


def test_evidence_is_stored_once_per_digest(wallet: Wallet) -> None:
    sha, body = factory.evidence_body(3)
    for n in range(5):
        wallet.add_credential(factory.credential(n), factory.report(n), {sha: body})
    rows = wallet._conn.execute("SELECT COUNT(*) FROM records WHERE kind='evidence'").fetchone()
    assert rows[0] == 1
    with pytest.raises(StoreError, match="does not match its digest"):
        wallet.add_credential(factory.credential(9), None, {hashlib.sha256(b"x").hexdigest(): b"y"})
    assert wallet.find_fingerprint(factory.credential(9).fingerprint) is None


def test_a_failed_step_inside_a_batch_leaves_no_trace(wallet: Wallet) -> None:
    with wallet.batch():
        ok, _ = wallet.add_credential(factory.credential(1), None)
        with pytest.raises(StoreError):
            wallet.add_credential(factory.credential(2), None, {"00" * 32: b"not it"})
        ok2, _ = wallet.add_credential(factory.credential(3), None)
    assert sorted(e.id for e in wallet.list_entries()) == sorted([ok, ok2])
    assert wallet.verify_integrity() == []


def test_an_exception_out_of_a_batch_rolls_all_of_it_back(wallet: Wallet) -> None:
    with pytest.raises(RuntimeError), wallet.batch():
        wallet.add_credential(factory.credential(1), None)
        raise RuntimeError("stop")
    assert wallet.list_entries() == []


def test_closed_wallet_refuses_use(home: Path) -> None:
    wallet = Wallet.create(home, PASS)
    wallet.close()
    wallet.close()
    with pytest.raises(StoreError, match="closed"):
        wallet.list_entries()


def test_a_report_may_bring_display_data_but_never_new_bytes(wallet: Wallet) -> None:
    """Issue 13: an OB 2.0 badge stored while its BadgeClass was unreachable gets its title and
    issuer at a later recheck; its payload, original and fingerprint stay as imported."""
    from dataclasses import replace

    from wallet.model import Issuer

    stored = replace(factory.credential(1), title=None, issuer=None)
    cid, _ = wallet.add_credential(stored, None)
    shown = replace(
        stored,
        title="Resolved title",
        issuer=Issuer(id="https://issuer.example", name="Resolved issuer"),
        payload=b"other bytes that must not be stored",
    )
    wallet.add_report(cid, factory.report(1, status=Status.VALID), display=shown)
    entry = wallet.get_entry(cid)
    assert (entry.title, entry.issuer_name, entry.status) == (
        "Resolved title",
        "Resolved issuer",
        Status.VALID,
    )
    again = wallet.get_credential(cid)
    assert again.title == "Resolved title"
    assert again.payload == stored.payload and again.original == stored.original
    assert wallet.find_fingerprint(stored.fingerprint) == cid
