"""Masking of identifying case data for users whose role may not see it.

The same rule applies in lists, search results, the timeline, exports and
PDFs: a service asks :func:`can_identify` and uses :data:`MASK` in place of
names, addresses, phone numbers and free-text notes.
"""

from __future__ import annotations

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission

#: What stands in place of a value the user may not see.
MASK = "＊＊＊"


def can_identify(actor) -> bool:
    """Whether ``actor`` may see names and other identifying case data."""
    return actor.can(Permission.CASE_IDENTIFY)


def masked(actor, value: str) -> str:
    """``value`` for users who may identify cases, the mask for everyone else."""
    return value if can_identify(actor) else MASK


def masked_note() -> str:
    """The explanation shown where a masked value would be."""
    return _("（権限により非表示）")
