"""The advisor's review of share bundles (read-only): :func:`review` and its :class:`Review`."""

from wallet.review.compute import element_label, review
from wallet.review.model import Review

__all__ = ["Review", "element_label", "review"]
