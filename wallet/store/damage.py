"""What is damaged in a wallet, said per record in plain sentences (never bytes, SQL or ciphertext).

Why one report for every read path: ``list``, ``recheck``, ``export``, ``backup``, ``doctor`` and
the TUI must name the same records in the same words, and the JSON of ``--json`` must carry the
same facts.  A finding is ``(kind, id, problem)``: ``unreadable`` (fails authentication or does not
decode), ``missing`` (the catalogue lists it, the file does not hold it), ``replaced`` (another
version than the one last written: an older copy put back, or one from another wallet) or
``unexpected`` (a row the wallet never wrote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wallet.i18n import N_, ngettext, tr

_SHOWN = re.compile(r"^[a-z2-7]{1,16}(\.[0-9]{6})?$|^[0-9a-f]{8,64}$|^ed25519$|^[0-9]{8}$")
CREDENTIAL_KINDS = ("credential", "entry", "report")
"""Kinds that belong to one credential (its id, or ``<id>.<seq>`` for a report)."""

_KIND_WORDS: dict[str, str] = {
    "evidence": N_("A stored issuer document"),
    "identity": N_("One of your identities"),
    "secret": N_("Your signing key"),
    "share": N_("An entry of the share ledger"),
}
_PROBLEM_WORDS: dict[str, str] = {
    "unreadable": N_("{what} is damaged and cannot be read."),
    "missing": N_("{what} is missing from this wallet."),
    "replaced": N_("{what} was replaced by another copy of it (older, or from another wallet)."),
    "unexpected": N_("{what} was added to this wallet outside plecak; it is ignored."),
}


def shown_id(value: str) -> str:
    """An id fit for a message: ours look like this; anything else (flipped bytes) is not shown."""
    return value if _SHOWN.match(value) else "?"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    id: str
    problem: str

    @property
    def credential(self) -> str | None:
        """The credential this record belongs to (None for the wallet's other records)."""
        if self.kind not in CREDENTIAL_KINDS:
            return None
        return self.id.split(".", 1)[0]

    @property
    def history_only(self) -> bool:
        """Only a report is hit: the credential itself is fine, its history lacks one entry."""
        return self.kind == "report"

    def sentence(self) -> str:
        if self.kind in CREDENTIAL_KINDS:
            cid = shown_id(self.credential or "")
            if self.kind == "report":
                what = tr(N_("A verification record of credential {id}")).format(id=cid)
            else:
                what = tr(N_("Credential {id}")).format(id=cid)
        elif self.kind in _KIND_WORDS:
            what = tr(_KIND_WORDS[self.kind])
        else:
            what = tr(N_("A record of kind {kind}")).format(kind=shown_id(self.kind))
        return tr(_PROBLEM_WORDS.get(self.problem, _PROBLEM_WORDS["unreadable"])).format(what=what)

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "id": shown_id(self.id),
            "credential": shown_id(self.credential) if self.credential else None,
            "problem": self.problem,
            "message": self.sentence(),
        }


@dataclass(frozen=True, slots=True)
class DamageReport:
    findings: tuple[Finding, ...] = ()
    counter: int | None = None
    rolled_back: tuple[int, int] | None = None
    """(this file's write counter, the highest one seen before) when the file is older."""
    garbled: int = 0
    """Rows that cannot even be keyed (a kind or id that is not text): counted, not named."""
    catalogue_broken: bool = False
    """The catalogue itself fails its check: missing or added records cannot be told."""

    @property
    def ok(self) -> bool:
        return (
            not self.findings
            and not self.garbled
            and self.rolled_back is None
            and not self.catalogue_broken
        )

    def credentials(self) -> set[str]:
        """Credentials whose own record or index entry is hit (not those with a bad report only)."""
        return {
            f.credential
            for f in self.findings
            if f.credential and not f.history_only and f.problem != "unexpected"
        }

    def sentences(self, *, rollback: bool = True) -> list[str]:
        """Plain sentences, most important first (``rollback=False``: without the rollback one,
        for a shell that already said it when the wallet was opened)."""
        lines: list[str] = []
        if self.catalogue_broken:
            lines.append(
                tr(
                    N_(
                        "The wallet's list of its records fails its check: records may have been"
                        " removed, added or replaced, and which ones cannot be told."
                    )
                )
            )
        missing = {f.credential for f in self.findings if f.problem == "missing" and f.credential}
        if missing:
            lines.append(
                ngettext(
                    "{n} credential is missing from this wallet.",
                    "{n} credentials are missing from this wallet.",
                    len(missing),
                ).format(n=len(missing))
            )
        seen: set[str] = set()
        for finding in self.findings:
            sentence = finding.sentence()
            if sentence not in seen:
                seen.add(sentence)
                lines.append(sentence)
        if self.garbled:
            lines.append(
                ngettext(
                    "{n} row of the wallet file cannot be read at all.",
                    "{n} rows of the wallet file cannot be read at all.",
                    self.garbled,
                ).format(n=self.garbled)
            )
        if self.rolled_back is not None and rollback:
            lines.append(rollback_sentence(*self.rolled_back))
        return lines

    def to_json(self) -> dict[str, object]:
        return {
            "damaged": [f.to_json() for f in self.findings],
            "unreadable_rows": self.garbled,
            "catalogue_broken": self.catalogue_broken,
            "rolled_back": (
                {"counter": self.rolled_back[0], "seen": self.rolled_back[1]}
                if self.rolled_back
                else None
            ),
        }


def rollback_sentence(counter: int, seen: int) -> str:
    return tr(
        N_(
            "This wallet file is older than one this computer has already used (write {counter},"
            " already seen {seen}): it was rolled back or replaced by an older copy. Changes made"
            " since are not in it. If you restored an older copy on purpose, run 'plecak doctor"
            " --accept-rollback'; otherwise restore your newest backup."
        )
    ).format(counter=counter, seen=seen)


def merge(*parts: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings of several scans, one per (kind, id, problem), in a stable order."""
    unique = {(f.kind, f.id, f.problem): f for part in parts for f in part}
    return tuple(unique[k] for k in sorted(unique))
