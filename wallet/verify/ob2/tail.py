"""The steps every OB 2.0 assertion ends with, hosted or signed: images, revocation, dates,
recipient and endorsements, then the prefetches (:func:`~wallet.verify.ob2.prefetch.warm_linked`)
are awaited so none outlives the run.  One copy, so the two paths cannot drift apart."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from wallet.verify.ob2.endorsements import endorsements_step
from wallet.verify.ob2.graph import Node
from wallet.verify.ob2.images import image_step
from wallet.verify.ob2.steps import Run, dates_step, recipient_step, revocation_step


async def closing_steps(
    run: Run,
    node: dict[str, Any],
    now: datetime,
    assertion: Node,
    badge: Node,
    issuer: Node,
    *,
    hosted: bool,
    warm: list[asyncio.Task[None]],
) -> None:
    """Images, revocation (``hosted``: how a hosted badge says so), dates, recipient,
    endorsements of the assertion, its badge class and its issuer; then the prefetches."""
    await image_step(run, badge, assertion)
    await revocation_step(run, assertion, issuer, hosted=hosted)
    dates_step(run, node, now)
    recipient_step(run, node)
    await endorsements_step(run, now, assertion, badge, issuer)
    await asyncio.gather(*warm)
