"""RDF Dataset Canonicalization (RDFC-1.0, formerly URDNA2015) of a dataset pyld produced.

Split from :mod:`wallet.verify.jsonld` (which turns a credential into that dataset, watching what
JSON-LD would silently drop) because this half is a choice of implementation, measured: see
:func:`canonical_nquads`.
"""

from __future__ import annotations

from typing import Any

from wallet.verify.pyld_quiet import jsonld as pyld_jsonld


def canonical_nquads(dataset: Any) -> str:
    """RDFC-1.0 canonical N-Quads of a pyld dataset: Oxigraph's implementation, else pyld's.

    Why two: Oxigraph's (Rust) is the faster, and its output was byte-identical to pyld's
    URDNA2015 on every canonicalisation of the shared OB 3.0 corpus.  Its N-Quads writer is not
    pyld's, though, so wherever the two writers could differ — an escaped character (``\\``) or a
    language tag (``"@``, whose case a writer might fold) — or Oxigraph cannot read the dataset,
    pyld's own URDNA2015 canonicalises it, exactly as signers using jsonld.js expect.
    """
    nquads: str = pyld_jsonld.JsonLdProcessor.to_nquads(dataset)
    if "\\" not in nquads and '"@' not in nquads:
        import pyoxigraph as ox  # on first use: only Data Integrity proofs need it

        try:
            graph = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, ValueError):
            graph = None
        if graph is not None:
            graph.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            out = ox.serialize(graph, format=ox.RdfFormat.N_QUADS) or b""
            return "".join(sorted(f"{line}\n" for line in out.decode("utf-8").splitlines() if line))
    result: str = pyld_jsonld.URDNA2015().main(dataset, {"format": "application/n-quads"})
    return result
