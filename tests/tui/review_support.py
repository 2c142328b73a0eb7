"""Real share bundles and a fake service that reviews them, for the review screen's tests.

The bundles are made by the real bundle exporter from small ELM credentials (the review suite's
builders), and the review is the real :func:`wallet.review.review` at the fixed clock: what the
screen shows is what ``plecak review`` computes, without a wallet, a KDF or the network.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tests.review.test_review import SKILL, two_bundles
from tests.tui.fake_data import NOW
from tests.tui.fakes import FakeWalletService
from wallet.review import Review, review


def make_bundles(folder: Path) -> list[Path]:
    """The review suite's two bundles (a stack, a duplicate, a revoked and an hours-only one)."""
    folder.mkdir(parents=True, exist_ok=True)
    return two_bundles(folder)


def write_pathway(folder: Path) -> Path:
    path = folder / "pathway.json"
    path.write_text(
        json.dumps(
            {
                "name": "Data analyst (junior)",
                "all": [
                    {"achievement": "urn:claim:W", "label": "Programme"},
                    {
                        "at_least": 2,
                        "of": [
                            {"skill": SKILL.format(1), "label": "skill 1"},
                            {"skill": SKILL.format(4), "label": "skill 4"},
                        ],
                    },
                    {"min_ects": 24},
                ],
            }
        )
    )
    return path


class ReviewingFake(FakeWalletService):
    """The fake wallet plus ``review``: the real review of real bundles at the fixed clock."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.reviewed: list[tuple[list[Path], Path | None]] = []

    async def review(self, paths: Sequence[Path], pathway: Path | None = None) -> Review:
        self.reviewed.append((list(paths), pathway))
        return review(paths, pathway, clock=lambda: NOW)
