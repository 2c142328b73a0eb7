"""The advisor's review: one or more share bundles read together, read-only.

Signatures (exact)::

    def review(
        paths: Sequence[Path],
        pathway: Path | None = None,
        *,
        clock: Clock = system_clock,
        reports: Mapping[Path, Any] | None = None,   # Path -> wallet.bundle.verify.verifier.BundleReport
    ) -> Review
    Review.to_json() -> dict; Review.to_text() -> str

What it shows (bundle.md): a timeline; totals of ECTS (only credits whose framework is ECTS; other
credit units and hours kept apart; a part is not counted when a whole it belongs to is counted with
the same unit; the same credential in two bundles counts once); the spread of EQF and national
(PRK, RQF, …) levels; ESCO skills coverage; stacks formed by explicit links (CLR associations, ELM
``hasPart``/``isPartOf``, OB 3.0 ``related``); progress against a pathway file
(:mod:`wallet.review.pathway`); per-credential completeness of the EU elements; the verification
status of everything.

Where the facts come from (:mod:`wallet.review.reading`): the verified credentials themselves when
the caller passes ``reports`` from :func:`wallet.bundle.verify.verifier.verify_bundle` (issuers' signatures
and revocation checked); otherwise each bundle's manifest, and the status shown is the one at
export, and says so.  The review checks archive safety, every file's digest and the holder's
signature itself (offline, instantly).  Totals, levels, skills and pathway progress count only credentials that are valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from wallet.bundle.verify.report import BundleReport
from wallet.codecs.eu import LABELS
from wallet.i18n import _, tr
from wallet.model import Json
from wallet.ports import Clock, system_clock
from wallet.review import sections
from wallet.review.model import Review
from wallet.review.pathway import Progress, evaluate, load_pathway
from wallet.review.reading import read_bundles


def review(
    paths: Sequence[Path],
    pathway: Path | None = None,
    *,
    clock: Clock = system_clock,
    reports: Mapping[Path, BundleReport] | None = None,
) -> Review:
    """Read the bundles (never writing anything) and compute every section of the review."""
    warnings: list[str] = []
    goal = load_pathway(pathway) if pathway is not None else None
    bundles, items = read_bundles(paths, reports or {}, warnings)
    credits = sections.credits(items)
    skills, held = sections.skills(items)
    statuses: dict[str, int] = defaultdict(int)
    for item in items:
        if item.duplicate_of is None:
            statuses[item.status] += 1
    if any(i.status_source == "at-export" for i in items):
        warnings.append(
            _(
                "Statuses are those recorded at export; run 'plecak verify' on the bundles to check them now."
            )
        )
    progress: dict[str, Json] | None = None
    if goal is not None:
        ects = credits["ects"]
        result: Progress = evaluate(
            goal,
            sections.holdings(items, held, float(ects) if isinstance(ects, int | float) else 0.0),
        )
        progress = {"name": goal.name, **result.to_json()}
    return Review(
        generated_at=clock(),
        bundles=bundles,
        timeline=sections.timeline(items),
        credits=credits,
        levels=sections.levels(items),
        skills=skills,
        stacks=sections.stacks(items),
        completeness=sections.completeness(items),
        statuses=dict(sorted(statuses.items())),
        pathway=progress,
        warnings=warnings,
    )


def element_label(key: str) -> str:
    return tr(LABELS.get(key, key))
