"""Hypothesis: mutated assertions, badge classes, issuers and JWS never crash the verifier.

A crash would show as the orchestrator's ``processing`` check; every run must instead end in named
checks.  Removing a required property must never leave the badge valid.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.verify_ob2.helpers import basic_docs, hosted, jdoc, run, signed
from wallet.model import Status

ASSERTION = "https://example.org/beths-robotics-badge.json"
TARGETS = [
    ASSERTION,
    "https://example.org/robotics-badge.json",
    "https://example.org/organization.json",
]
REQUIRED = {
    ASSERTION: ["id", "type", "recipient", "badge", "verification", "issuedOn"],
    "https://example.org/robotics-badge.json": [
        "id",
        "type",
        "name",
        "description",
        "image",
        "criteria",
        "issuer",
    ],
    "https://example.org/organization.json": ["id", "type", "name", "url", "email"],
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
interesting = st.sampled_from(
    [
        "https://example.org/robotics-badge.json",
        "urn:uuid:00000000-0000-0000-0000-000000000000",
        "2016-12-31T23:59:59Z",
        "data:image/png;base64,AAAA",
        {"type": "HostedBadge"},
        {"type": "SignedBadge", "creator": "http://example.org/key1"},
        ["Assertion", "BadgeClass"],
        "sha256$zz",
        "",
    ]
)


@pytest.fixture(scope="module")
def docs(conformance_dir: Path) -> dict[str, Any]:
    return basic_docs(conformance_dir)


def _no_crash(report: Any) -> None:
    assert "processing" not in [c.id for c in report.checks], report.checks
    assert isinstance(report.status, Status)
    assert [c.step for c in report.checks] == list(range(1, len(report.checks) + 1))


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(TARGETS),
    edits=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=16)
            | st.sampled_from(sorted({k for v in REQUIRED.values() for k in v})),
            json_values | interesting,
        ),
        max_size=4,
    ),
    drops=st.lists(
        st.sampled_from(sorted({k for v in REQUIRED.values() for k in v} | {"@context"})),
        max_size=3,
    ),
)
def test_mutated_documents_never_crash(
    docs: dict[str, Any], target: str, edits: list[tuple[str, Any]], drops: list[str]
) -> None:
    body = json.loads(docs[target][2])
    for key in drops:
        body.pop(key, None)
    for key, value in edits:
        body[key] = value
    mutated = dict(docs)
    mutated[target] = jdoc(body)
    report = run(hosted(ASSERTION, body if target == ASSERTION else None), mutated)
    _no_crash(report)
    if any(key in REQUIRED[target] for key in drops) and not any(
        key in dict(edits) for key in drops
    ):
        assert report.status is not Status.VALID


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=json_values)
def test_any_json_at_the_assertion_url_never_crashes(docs: dict[str, Any], document: Any) -> None:
    mutated = dict(docs)
    mutated[ASSERTION] = jdoc(document)
    report = run(hosted(ASSERTION), mutated)
    _no_crash(report)
    assert report.status is not Status.VALID


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    token=st.text(max_size=200)
    | st.lists(st.text(alphabet="ABCabc012-_=.", max_size=40), min_size=3, max_size=3).map(".".join)
)
def test_arbitrary_jws_text_never_crashes_and_is_never_valid(
    docs: dict[str, Any], token: str
) -> None:
    report = run(signed(token), docs)
    _no_crash(report)
    assert report.status is not Status.VALID
