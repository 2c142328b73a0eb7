"""Fetching ahead: the documents later steps of an OB 2.0 check will need (images, the revocation
list, endorsements) are requested in parallel as soon as their URLs are known; the steps then find
them answered.  A failure here is silent: the step that needs the document reports it."""

from __future__ import annotations

import asyncio
from typing import Any

from wallet.errors import WalletError
from wallet.verify.ob2.endorsements import endorsement_refs
from wallet.verify.ob2.graph import (
    IMAGE_ACCEPT,
    MAX_IMAGE_BYTES,
    Node,
    NodeError,
    fetch_node,
    get,
)
from wallet.verify.ob2.steps import Run
from wallet.verify.ob2.values import (
    is_url,
    node_id,
)


async def _quiet(coroutine: Any) -> None:
    try:
        await coroutine
    except (NodeError, WalletError):
        return


def warm_linked(
    run: Run, assertion: Node, badge: Node | None, issuer: Node | None
) -> list[asyncio.Task[None]]:
    """Start the independent fetches (images, list, endorsements) so later steps find them ready."""
    jobs: list[Any] = []
    for owner in (badge, assertion):
        if owner is None:
            continue
        image = owner.node.get("image")
        url = node_id(image)
        if url and is_url(url):
            jobs.append(get(run.ctx, url, accept=IMAGE_ACCEPT, max_bytes=MAX_IMAGE_BYTES))
    if issuer is not None and is_url(node_id(issuer.node.get("revocationList"))):
        jobs.append(
            fetch_node(run.ctx, str(node_id(issuer.node["revocationList"])), "RevocationList")
        )
    for ref, _owner in endorsement_refs(assertion, badge, issuer):
        if is_url(node_id(ref)):
            jobs.append(fetch_node(run.ctx, str(node_id(ref)), "Endorsement"))
    return [asyncio.ensure_future(_quiet(job)) for job in jobs]
