"""requirements.lock pins every dependency pyproject.toml declares, at a version it allows.

Why: the README test command (and so CI) installs with ``-c requirements.lock``; a dependency added
to pyproject.toml without refreshing the lock would install unpinned and drift between machines.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REFRESH = "refresh it with: bash .ci/lock"


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    own = canonicalize_name(project["name"])
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) != own]


def _pins(text: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in text.splitlines():
        spec = line.split(";", 1)[0].strip()
        if spec and not spec.startswith("#") and "==" in spec:
            name, version = spec.split("==", 1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _unpinned(declared: list[Requirement], pins: dict[str, str]) -> list[str]:
    problems = []
    for req in declared:
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not in requirements.lock")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} does not satisfy {req}")
    return problems


def test_every_declared_dependency_is_pinned_in_the_lock() -> None:
    pins = _pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    problems = _unpinned(_declared(), pins)
    assert not problems, "\n".join(problems) + f"\n{REFRESH}"


def test_a_missing_or_out_of_range_pin_is_reported() -> None:
    pins = _pins("click==7.0\n    # via plecak\ncolorama==0.4.6 ; sys_platform == 'win32'\n")
    assert pins["colorama"] == "0.4.6"
    problems = _unpinned([Requirement("click>=8.1"), Requirement("httpx>=0.27")], pins)
    assert problems == [
        "click==7.0 does not satisfy click>=8.1",
        "httpx is not in requirements.lock",
    ]
