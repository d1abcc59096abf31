"""Taking a row off a list (a 委員's seat, an invitee) that another PC changed or took off.

A list remembers each row as it showed it; the remove service compares that row with the
one stored. A row changed since is not deleted: an EditConflict says what changed and
who saved it, so the user decides on what is there now. A row already gone is a clear
message naming who removed it, not a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from pfdesk.core.errors import NotFound
from pfdesk.core.i18n import _


def refuse_changed(s: Session, record_id: int, seen: Any, now: Any, *,
                   labels: Sequence[tuple[str, str]], what: str, actions: Sequence[str],
                   kept: str, hint: str) -> None:
    """Raise EditConflict when the row as stored (``now``) differs from the list's ``seen``.

    Both are compared field by field under ``labels`` as the reader sees them; ``what``
    names the row (「委員（森野　花子 さん）」), ``actions`` are the audit actions of its
    edits (to say who changed it last), ``kept`` says the row is still there and ``hint``
    how to remove it after all. Nothing is compared when ``seen`` is None.
    """
    from pfdesk.services.edit_versions import check_shown

    check_shown(s, record_id, seen, now, labels=labels, what=what, action=actions, hint=hint,
                head=lambda saved: _(
                    "{what}は、あなたが一覧を開いた後に、ほかのパソコンか画面で変更されています"
                    "{who}。{kept}").format(what=what, who=saved, kept=kept))


def already_removed(s: Session, record_id: int, message: str, *, action: str, hint: str,
                    **names: str) -> NotFound:
    """The NotFound for a row another PC (or window) already took off the list.

    ``message`` is formatted with ``names`` and ``{who}``: who made the removal
    ``action`` and when.
    """
    from pfdesk.services.edit_versions import last_editor

    who = last_editor(s, (action,), record_id)
    return NotFound(message.format(who=f"（{who}）" if who else "", **names), hint=hint)
