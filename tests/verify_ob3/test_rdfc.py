"""RDFC-1.0 by Oxigraph must give pyld's URDNA2015 bytes, and hand back to pyld where writers differ."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from wallet.verify import rdfc
from wallet.verify.pyld_quiet import jsonld as pyld_jsonld

CONTEXT = {
    "@vocab": "https://example.org/vocab#",
    "knows": {"@type": "@id"},
    "when": {"@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
}


def _dataset(document: dict[str, Any]) -> Any:
    return pyld_jsonld.JsonLdProcessor().to_rdf(copy.deepcopy(document), {"base": None})


def _pyld(dataset: Any) -> str:
    result: str = pyld_jsonld.URDNA2015().main(
        copy.deepcopy(dataset), {"format": "application/n-quads"}
    )
    return result


CYCLE_OF_BLANK_NODES = {
    "@context": CONTEXT,
    "@graph": [
        {"@id": "_:a", "name": "A", "knows": "_:b"},
        {"@id": "_:b", "name": "B", "knows": "_:c"},
        {"@id": "_:c", "name": "C", "knows": "_:a", "when": "2024-01-01T00:00:00Z"},
    ],
}
LANGUAGE_TAGGED = {"@context": CONTEXT, "name": {"@value": "Odznaka", "@language": "pl-PL"}}
ESCAPED_CHARACTERS = {"@context": CONTEXT, "name": 'a "quoted"\tline\nbreak \\ and \u007f'}
NESTED_BLANK_NODES = {
    "@context": CONTEXT,
    "name": "root",
    "part": [{"name": "x", "part": {"name": "y"}}, {"name": "x", "part": {"name": "z"}}],
}


@pytest.mark.parametrize(
    "document",
    [
        CYCLE_OF_BLANK_NODES,
        LANGUAGE_TAGGED,
        ESCAPED_CHARACTERS,
        NESTED_BLANK_NODES,
        {"@context": CONTEXT},
    ],
    ids=["cycle", "language", "escapes", "nested", "empty"],
)
def test_same_bytes_as_pyld(document: dict[str, Any]) -> None:
    dataset = _dataset(document)
    assert rdfc.canonical_nquads(copy.deepcopy(dataset)) == _pyld(dataset)


def test_blank_node_labels_are_canonical() -> None:
    nquads = rdfc.canonical_nquads(_dataset(CYCLE_OF_BLANK_NODES))
    assert "_:c14n0" in nquads
    assert nquads.endswith("\n")
    assert nquads.splitlines() == sorted(nquads.splitlines())
