"""Real share bundles and a pathway for the review screen's tests.

The bundles are made by the real bundle exporter from small ELM credentials (the review suite's
builders); the fake service reviews them with the real :func:`wallet.review.review` at the fixed
clock, so what the screen shows is what ``plecak review`` computes, without a wallet, a KDF or the
network.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.review.test_review import SKILL, two_bundles


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
