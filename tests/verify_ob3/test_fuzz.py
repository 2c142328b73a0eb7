"""No input crashes the verifier, and no altered credential is ever valid (hypothesis)."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.verify_ob3.dictfetcher import contexts_documents
from tests.verify_ob3.signing import NOW, credential_of, jwt_credential
from wallet.model import Status
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

VALID_CASES = ("generated/v2-eddsa-valid.json", "generated/v1-ed25519-2020-valid.json")


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path] if isinstance(value, str) else []


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _verify(credential: Any, documents: dict[str, Any]) -> Any:
    ctx = VerifyContext(fetcher=FakeFetcher(documents), clock=lambda: NOW, offline=True)
    return asyncio.run(verify(credential, ctx))


@pytest.fixture(scope="module")
def documents(contexts_dir: Path) -> dict[str, Any]:
    return contexts_documents(contexts_dir)


@pytest.mark.parametrize("case", VALID_CASES)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changed_string_is_never_valid(
    case: str, data: st.DataObject, conformance_dir: Path, documents: dict[str, Any]
) -> None:
    original = json.loads((conformance_dir / "ob3" / case).read_text(encoding="utf-8"))
    assert _verify(credential_of(original), documents).status is Status.VALID
    path = data.draw(st.sampled_from(_leaves(original)))
    old = original
    for key in path:
        old = old[key]
    new = data.draw(st.text(max_size=40).filter(lambda s: s != old))
    changed = copy.deepcopy(original)
    _set(changed, path, new)
    report = _verify(credential_of(changed), documents)
    assert report.status is not Status.VALID, (path, new)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    doc=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "@context",
                        "type",
                        "issuer",
                        "proof",
                        "credentialSubject",
                        "id",
                        "credentialStatus",
                        "validFrom",
                        "validUntil",
                        "credentialSchema",
                        "verifiableCredential",
                        "endorsement",
                        "x",
                    ]
                ),
                children,
                max_size=6,
            )
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_never_crashes_or_validates(doc: Any, documents: dict[str, Any]) -> None:
    credential = credential_of(doc if isinstance(doc, dict) else {"x": doc})
    report = _verify(credential, documents)
    assert report.status is not Status.VALID
    assert all(c.id != "processing" for c in report.checks), report.checks


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    token=st.from_regex(
        r"[A-Za-z0-9_-]{0,60}\.[A-Za-z0-9_-]{0,200}\.[A-Za-z0-9_-]{0,90}", fullmatch=True
    )
)
def test_arbitrary_jwt_never_crashes_or_validates(token: str, documents: dict[str, Any]) -> None:
    report = _verify(jwt_credential(token), documents)
    assert report.status is not Status.VALID
    assert all(c.id != "processing" for c in report.checks), report.checks
