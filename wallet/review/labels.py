"""Names for the skills the review lists: the credential's own words first.

A skill may come as an ESCO URI alone.  The ESCO classification itself (European Commission) is
not shipped: its published files could not be obtained for this release, so the label is what the
credential says — the skill's own label, in the interface language when the credential carries it
(an ELM language map), else English, else any; for a skill with no label, the words of the learning
outcome or alignment that holds it; and only when the credential says nothing, a short name made
from the URI ("ESCO skill ccdf3597").
"""

from __future__ import annotations

import contextlib
from typing import Any

from wallet.codecs import safejson
from wallet.codecs.eu_read import ESCO_PREFIX, Node, esc, text_of
from wallet.errors import WalletError
from wallet.i18n import _
from wallet.model import Credential

_OWN_WORDS = ("targetName", "targetDescription", "description")
"""Alignment fields (OB 2.0/3.0) that name or describe the skill they point to."""


def esco_code(uri: str) -> str | None:
    """The first group of an ESCO URI's UUID ("ccdf3597"): enough to tell skills apart on screen."""
    tail = uri.rstrip("/").rsplit("/", 1)[-1]
    return tail.split("-", 1)[0] if uri.startswith(ESCO_PREFIX) and tail else None


def uri_label(uri: str) -> str:
    """A short name for a skill nobody described: ESCO's code, or the URI's last part."""
    code = esco_code(uri)
    if code:
        return _("ESCO skill {code}").format(code=code)
    return uri.rstrip("/").rsplit("/", 1)[-1] or uri


def _roots(credential: Credential) -> list[Any]:
    """The documents a facts pointer may be relative to: the credential, or a JAdES payload."""
    doc = credential.document
    roots = [doc]
    if isinstance(doc, dict) and isinstance(doc.get("payload"), str) and "signatures" in doc:
        with contextlib.suppress(WalletError):  # unreadable payload: the envelope is all
            roots.append(safejson.loads(doc["payload"], source="payload"))
    return roots


def _walk(root: Any, pointer: str) -> list[Node] | None:
    """The nodes from ``root`` down to ``pointer`` (a JSON pointer), or None if it leads nowhere."""
    path = [Node(root, "")]
    for raw in pointer.split("/")[1:] if pointer else []:
        key = raw.replace("~1", "/").replace("~0", "~")
        value = path[-1].value
        if isinstance(value, dict) and key in value:
            child = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            child = value[int(key)]
        else:
            return None
        path.append(Node(child, f"{path[-1].pointer}/{esc(key)}"))
    return path


def own_label(credential: Credential, pointer: str | None, lang: str) -> str | None:
    """The credential's own words for the skill at ``pointer``, in ``lang`` when it has them."""
    if not pointer or "#" in pointer:  # a linked document's pointer: not in the credential
        return None
    for root in _roots(credential):
        path = _walk(root, pointer)
        if path is None:
            continue
        node = path[-1]
        found = text_of(node, lang)
        if found is None and isinstance(node.value, dict):
            for key in _OWN_WORDS:
                found = found or text_of(node.get(key), lang)
        ident = node.value.get("id") if isinstance(node.value, dict) else None
        if found is not None and found[0] != ident:  # {"id": uri} reads like a language map
            return found[0]
        for holder in reversed(path[:-1]):  # a learning outcome that lists the bare URI
            if isinstance(holder.value, dict) and (words := text_of(holder, lang)):
                return _("a skill of “{outcome}”").format(outcome=words[0])
        return None
    return None
