"""A passphrase strength hint for the create-wallet screen.

Why an estimate and not a rule: the wallet's protection at rest is the passphrase times the KDF;
the learner should see how guessable a choice is while typing, but is not forced into a policy.
The estimate is deliberately simple and conservative (character pool x length, with penalties for
repeats, runs and very common choices), good enough to tell "123456" from a four-word phrase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wallet.i18n import N_

_COMMON = frozenset(
    {
        "password", "passw0rd", "haslo", "hasło", "qwerty", "qwertyuiop", "123456", "12345678",
        "123456789", "1234567890", "letmein", "admin", "welcome", "iloveyou", "plecak", "badge",
        "badges", "zaq12wsx", "abc123", "111111", "monkey", "dragon", "football", "polska",
    }
)  # fmt: skip

LABELS = (
    N_("very weak"),
    N_("weak"),
    N_("fair"),
    N_("strong"),
    N_("very strong"),
)


@dataclass(frozen=True, slots=True)
class Strength:
    score: int
    """0 (very weak) … 4 (very strong)."""
    bits: float
    label: str
    """English msgid; translate with ``tr``."""


def estimate(passphrase: str) -> Strength:
    if not passphrase:
        return Strength(0, 0.0, LABELS[0])
    if passphrase.casefold() in _COMMON:
        return Strength(0, 1.0, LABELS[0])
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() and c.isascii() for c in passphrase):
        pool += 33
    if any(not c.isascii() for c in passphrase):
        pool += 64
    # Count only "surprising" characters: a repeat or a +-1 run of the previous one adds little.
    effective = 0.0
    previous = ""
    for char in passphrase:
        if previous and (char == previous or abs(ord(char) - ord(previous)) == 1):
            effective += 0.25
        else:
            effective += 1.0
        previous = char
    bits = effective * math.log2(max(pool, 2))
    thresholds = (28.0, 45.0, 60.0, 80.0)
    score = sum(1 for t in thresholds if bits >= t)
    return Strength(score, bits, LABELS[score])
