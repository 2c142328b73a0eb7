"""Verification scope for hosted Open Badges 2.0 assertions, as small composable policies.

A hosted assertion is trusted because it lives where the issuer says its assertions live.  The
issuer's ``verification`` object (a VerificationObject) states that with ``allowedOrigins``
(host[:port] values) and ``startsWith`` (URL prefixes); without one, the default is the origin of
the issuer's own id.  Each rule is a policy object; :func:`issuer_policy` composes them; anything
that weakens the check is named ``Unsafe…`` so it stands out where it is used (sigstore's habit).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from wallet.i18n import _


@dataclass(frozen=True, slots=True)
class PolicyOutcome:
    ok: bool
    message: str
    warning: bool = False
    """Passed, but only because there was nothing to enforce (say so)."""


class VerificationPolicy(Protocol):
    def check(self, assertion_id: str) -> PolicyOutcome: ...


_AUTHORITY_RE = re.compile(
    r"^(?=.{1,253}(:\d{1,5})?$)((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)*(?!-)[A-Za-z0-9-]{1,63}(?<!-)(:\d{1,5})?$"
)


def authority(url: str) -> str:
    """``host[:port]`` of an http(s) URL as written (lower-cased host), or ``""``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if port is not None else host


def is_authority(value: object) -> bool:
    """A bare ``host[:port]`` as ``allowedOrigins`` wants it (no scheme, no path)."""
    return isinstance(value, str) and bool(_AUTHORITY_RE.match(value))


@dataclass(frozen=True, slots=True)
class AllowedOrigins:
    origins: tuple[str, ...]

    def check(self, assertion_id: str) -> PolicyOutcome:
        found = authority(assertion_id)
        allowed = {o.lower() for o in self.origins}
        if found and found in allowed:
            return PolicyOutcome(
                True,
                _("The assertion is hosted at {origin}, which the issuer allows.").format(
                    origin=found
                ),
            )
        return PolicyOutcome(
            False,
            _(
                "The assertion is hosted at {origin}, but the issuer only allows {allowed}: "
                "it may not come from the issuer."
            ).format(origin=found or assertion_id[:80], allowed=", ".join(sorted(allowed))),
        )


@dataclass(frozen=True, slots=True)
class StartsWith:
    prefixes: tuple[str, ...]

    def check(self, assertion_id: str) -> PolicyOutcome:
        if any(assertion_id.startswith(p) for p in self.prefixes):
            return PolicyOutcome(
                True, _("The assertion URL starts with a prefix the issuer allows.")
            )
        return PolicyOutcome(
            False,
            _(
                "The assertion URL {url} does not start with any prefix the issuer allows "
                "({allowed})."
            ).format(url=assertion_id[:120], allowed=", ".join(self.prefixes)),
        )


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every child must pass; an empty list never passes (it would verify nothing)."""

    children: tuple[VerificationPolicy, ...]

    def check(self, assertion_id: str) -> PolicyOutcome:
        if not self.children:
            return PolicyOutcome(False, _("No verification policy to apply."))
        messages = []
        for child in self.children:
            outcome = child.check(assertion_id)
            if not outcome.ok:
                return outcome
            messages.append(outcome.message)
        return PolicyOutcome(True, " ".join(messages))


@dataclass(frozen=True, slots=True)
class UnsafeNoOrigin:
    """The issuer has no http(s) id, so no origin can be enforced.  Passes with a warning.

    Unsafe: anyone can host such an assertion anywhere; only the rest of the checks speak for it.
    """

    issuer_id: str

    def check(self, assertion_id: str) -> PolicyOutcome:
        return PolicyOutcome(
            True,
            _(
                "The issuer {issuer} has no web address to check the assertion's location against."
            ).format(issuer=self.issuer_id[:80]),
            warning=True,
        )


class PolicyError(ValueError):
    """The issuer's VerificationObject is malformed (message is user-facing)."""


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def issuer_policy(issuer: dict[str, Any]) -> VerificationPolicy:
    """The hosted-verification policy an issuer Profile declares (or the default one).

    Raises :class:`PolicyError` when the declared policy is malformed.
    """
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else ""
    declared = issuer.get("verification")
    if declared is not None and not isinstance(declared, dict):
        raise PolicyError(_("the issuer's verification policy is not an object"))
    declared = declared or {}
    children: list[VerificationPolicy] = []
    starts = declared.get("startsWith")
    if starts is not None:
        prefixes = _strings(starts)
        if not prefixes or len(prefixes) != len(starts if isinstance(starts, list) else [starts]):
            raise PolicyError(_("the issuer's startsWith must be URL text"))
        bad = [p for p in prefixes if not authority(p)]
        if bad:
            raise PolicyError(
                _("the issuer's startsWith {value} is not an http(s) URL").format(value=bad[0])
            )
        children.append(StartsWith(tuple(prefixes)))
    origins_value = declared.get("allowedOrigins")
    if origins_value is not None:
        origins = _strings(origins_value)
        if not origins or not all(is_authority(o) for o in origins):
            raise PolicyError(
                _("the issuer's allowedOrigins {value} are not host names").format(
                    value=repr(origins_value)[:120]
                )
            )
        children.append(AllowedOrigins(tuple(origins)))
    else:
        own = authority(issuer_id or "")
        if own:
            children.append(AllowedOrigins((own,)))
        elif not children:
            return UnsafeNoOrigin(issuer_id or "?")
    return AllOf(tuple(children))


def check_scope(policy: VerificationPolicy, assertion_ids: Sequence[str]) -> PolicyOutcome:
    """Apply ``policy`` to the assertion's id (the first failure wins)."""
    last = PolicyOutcome(False, _("No assertion id to check."))
    for assertion_id in assertion_ids:
        last = policy.check(assertion_id)
        if not last.ok:
            return last
    return last
