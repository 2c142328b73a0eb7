"""Connections kept in the wallet: one sealed record of kind ``connection`` each.

Why in the encrypted store and nowhere else: a refresh token is a long-lived key to the learner's
account at the host, and a client secret is the wallet's own credential there.  The store seals
every record (AES-GCM under the data key, bound to kind and id), so a token is never on disk in
clear, is in a backup only encrypted, and is never part of any export.  ``repr`` leaves secrets out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wallet.connect.discovery import HostProfile
from wallet.connect.oauth import Client, Tokens
from wallet.errors import UsageError
from wallet.i18n import _

if TYPE_CHECKING:
    from wallet.store import Wallet

KIND = "connection"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Connection:
    name: str
    profile: HostProfile
    client: Client
    tokens: Tokens
    created: datetime
    last_sync: datetime | None = None
    synced: int = 0
    """Credentials stored by syncs so far."""
    account: str = field(default="")
    """The learner's name at the host (from getProfile), when it was given."""

    def to_record(self) -> dict[str, Any]:
        p, c, t = self.profile, self.client, self.tokens
        return {
            "name": self.name,
            "profile": {
                "kind": p.kind,
                "name": p.name,
                "origin": p.origin,
                "api_base": p.api_base,
                "authorize_url": p.authorize_url,
                "token_url": p.token_url,
                "registration_url": p.registration_url,
                "revocation_url": p.revocation_url,
                "scopes": list(p.scopes),
            },
            "client": {
                "client_id": c.client_id,
                "client_secret": c.client_secret,
                "redirect_uri": c.redirect_uri,
            },
            "tokens": {
                "access_token": t.access_token,
                "refresh_token": t.refresh_token,
                "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                "scope": t.scope,
            },
            "created": self.created.isoformat(),
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
            "synced": self.synced,
            "account": self.account,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Connection:
        p, c, t = data["profile"], data["client"], data["tokens"]
        return cls(
            name=data["name"],
            profile=HostProfile(
                kind=p["kind"],
                name=p["name"],
                origin=p["origin"],
                api_base=p["api_base"],
                authorize_url=p["authorize_url"],
                token_url=p["token_url"],
                registration_url=p["registration_url"],
                revocation_url=p.get("revocation_url"),
                scopes=tuple(p["scopes"]),
            ),
            client=Client(c["client_id"], c.get("client_secret"), c.get("redirect_uri", "")),
            tokens=Tokens(
                t["access_token"],
                t.get("refresh_token"),
                _time(t.get("expires_at")),
                t.get("scope", ""),
            ),
            created=_time(data["created"]) or datetime.fromtimestamp(0).astimezone(),
            last_sync=_time(data.get("last_sync")),
            synced=int(data.get("synced", 0)),
            account=str(data.get("account", "")),
        )

    def public(self) -> dict[str, Any]:
        """What may be shown (``connection list --json``): no token, no secret, no client id."""
        return {
            "name": self.name,
            "protocol": self.profile.kind,
            "host": self.profile.origin,
            "title": self.profile.name,
            "account": self.account or None,
            "scopes": list(self.profile.scopes),
            "created": self.created.isoformat(),
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
            "synced": self.synced,
        }


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def check_name(name: str) -> str:
    clean = name.strip()
    if not _NAME.match(clean):
        raise UsageError(
            _("{name} cannot name a connection.").format(name=name[:60]),
            hint=_("Use up to 40 letters, digits, dots, dashes or underscores."),
        )
    return clean


def name_for(profile: HostProfile, taken: set[str]) -> str:
    """A short default name from the host name (``badges.example.edu`` -> ``badges-example-edu``)."""
    from urllib.parse import urlsplit

    host = urlsplit(profile.origin).hostname or "host"
    base = re.sub(r"[^A-Za-z0-9]+", "-", host).strip("-")[:32] or "host"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


class Connections:
    """The connections of one open wallet."""

    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet

    def all(self) -> list[Connection]:
        return [Connection.from_record(data) for _rid, data in self.wallet.records_of(KIND)]

    def names(self) -> set[str]:
        return {rid for rid, _data in self.wallet.records_of(KIND)}

    def get(self, name: str) -> Connection:
        data = self.wallet.get_record(KIND, name)
        if data is None:
            raise UsageError(
                _("There is no connection named {name}.").format(name=name[:60]),
                hint=_("Run 'plecak connection list' to see them."),
            )
        return Connection.from_record(data)

    def save(self, connection: Connection) -> None:
        self.wallet.put_record(KIND, connection.name, connection.to_record())

    def remove(self, name: str) -> None:
        self.wallet.delete_record(KIND, name)

    def rename(self, old: str, new: str) -> Connection:
        new = check_name(new)
        connection = self.get(old)
        if new != old and new in self.names():
            raise UsageError(_("A connection named {name} exists already.").format(name=new))
        renamed = replace(connection, name=new)
        with self.wallet.batch():
            self.save(renamed)
            if new != old:
                self.remove(old)
        return renamed
