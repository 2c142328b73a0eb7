"""What the advisor's review is made of: one credential as the review sees it, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wallet.codecs.dates import format_date
from wallet.model import Json, Status


@dataclass(slots=True)
class Item:
    """One credential as the review sees it.

    ``entry`` holds what the credential states (title, issuer, dates, EU elements, facts): read
    from the verified credential itself when the bundle was checked, else from the manifest."""

    bundle: str
    file: str
    entry: dict[str, Any]
    status: str
    status_source: str
    """verified (now, by plecak verify) | at-export (the manifest's record) | bundle-damaged"""
    key: str
    ids: set[str] = field(default_factory=set)
    duplicate_of: str | None = None

    @property
    def where(self) -> str:
        return f"{self.bundle}!{self.file}"

    @property
    def title(self) -> str:
        return str(self.entry.get("title") or self.file)

    @property
    def facts(self) -> dict[str, Any]:
        facts = self.entry.get("facts")
        return facts if isinstance(facts, dict) else {}

    def listed(self, key: str) -> list[dict[str, Any]]:
        value = self.facts.get(key)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    @property
    def counts(self) -> bool:
        return self.status == Status.VALID.value and self.duplicate_of is None


@dataclass(frozen=True, slots=True)
class Review:
    generated_at: datetime
    bundles: list[dict[str, Json]]
    timeline: list[dict[str, Json]]
    credits: dict[str, Json]
    levels: dict[str, dict[str, int]]
    skills: dict[str, Json]
    stacks: list[dict[str, Json]]
    completeness: list[dict[str, Json]]
    statuses: dict[str, int]
    pathway: dict[str, Json] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every file was a share bundle that passed its integrity and holder checks."""
        return bool(self.bundles) and all(b.get("ok") is True for b in self.bundles)

    def to_json(self) -> dict[str, Json]:
        return {
            "kind": "review",
            "generated_at": format_date(self.generated_at),
            "bundles": self.bundles,
            "statuses": self.statuses,
            "timeline": self.timeline,
            "credits": self.credits,
            "levels": self.levels,
            "skills": self.skills,
            "stacks": self.stacks,
            "completeness": self.completeness,
            "pathway": self.pathway,
            "warnings": self.warnings,
        }

    def to_text(self) -> str:
        from wallet.review.text import render

        return render(self)
