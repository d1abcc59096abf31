"""Optimistic locking for the records two PCs edit: a save from a stale form is refused.

Meetings, agenda items, organizations, people and posts carry a ``version`` (migration
0014), as cases and contacts do (0011, 0012). A form remembers the record as it showed
it (:class:`Seen`); the update service calls :func:`check_seen` inside its unit of work.
When the record was saved elsewhere since, nothing is written and an ``EditConflict``
says who saved it and which fields changed; its ``current`` is the record as it is now,
so the form keeps the user's text and the next save knowingly goes on top of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.errors import EditConflict
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date


@dataclass(frozen=True)
class Seen:
    """A record as a form showed it: its version and the update service's input values."""

    version: int
    values: Any


def shown_value(value: object) -> str:
    """A field's value in a conflict message: 40 characters at most, （空欄） when empty."""
    from pfdesk.services.consultations.cases import shown_value as case_value

    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return case_value(value)


def check_seen(s: Session, row: Any, seen: Seen | None, now: Any, *,
               labels: Sequence[tuple[str, str]], what: str,
               action: str | Sequence[str]) -> None:
    """Count ``row.version`` up, or raise EditConflict when ``seen`` is older than the row.

    ``now`` is the row's input as stored (compared field by field with ``seen.values``
    under ``labels``); ``what`` names the record in the message (「会議（第3回…）」);
    ``action`` is the audit action (or actions) of its saves, to say who saved last.
    """
    version = row.version or 1
    if seen is not None and seen.version != version:
        raise conflict(s, row.id, Seen(version, now), seen.values, labels=labels, what=what,
                       action=action)
    row.version = version + 1


def last_save(s: Session, actions: Sequence[str], record_id: int) -> tuple[str, datetime] | None:
    """Who made the latest of ``actions`` on the record, and when (UTC); None if nobody."""
    from pfdesk.store.models import AuditEvent

    last = s.execute(
        select(AuditEvent.user_name, AuditEvent.at)
        .where(AuditEvent.action.in_(actions), AuditEvent.target_ids == str(record_id))
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return (last[0], last[1]) if last else None


def editor_text(last: tuple[str, datetime] | None) -> str:
    """A :func:`last_save` as the messages say it (「tanaka、2026/12/03 17:26（UTC）」), or ""."""
    return _("{user}、{at:%Y/%m/%d %H:%M}（UTC）").format(user=last[0], at=last[1]) if last else ""


def last_editor(s: Session, actions: Sequence[str], record_id: int) -> str:
    """Who made the latest of ``actions`` on the record and when (UTC), or ""."""
    return editor_text(last_save(s, actions, record_id))


def conflict(s: Session, record_id: int, current: Seen, shown: Any, *,
             labels: Sequence[tuple[str, str]], what: str,
             action: str | Sequence[str], head: Callable[[str], str] | None = None,
             hint: str | None = None) -> EditConflict:
    """The EditConflict for a record saved elsewhere after ``shown`` was put in the form.

    ``head`` words the first line for a change that is not a typed save (a removal, a
    clearing): it is given 「（who、when）」 (or "") and returns the line; ``hint`` then
    replaces the form's advice.
    """
    changed = tuple((label, shown_value(getattr(current.values, name)))
                    for name, label in labels
                    if getattr(current.values, name) != getattr(shown, name))
    who = last_editor(s, (action,) if isinstance(action, str) else action, record_id)
    saved = f"（{who}）" if who else ""
    lines = [head(saved) if head is not None else _(
        "{what}は、あなたが画面を開いた後に、ほかのパソコンか画面で保存されています"
        "{who}。あなたの入力はまだ保存していません。").format(what=what, who=saved)]
    if changed:
        lines.append(_("その保存で変わった項目:"))
        lines += [f"・{label}: {value}" for label, value in changed]
    return EditConflict(
        "\n".join(lines), current=current, changed=changed,
        hint=hint if hint is not None else _(
            "あなたの入力は画面に残っています。上の変更を確かめてから、もう一度「保存」を"
            "押すと、あなたの入力で保存します。"))


def check_shown(s: Session, record_id: Any, seen: Any, now: Any, *,
                labels: Sequence[tuple[str, str]], what: str,
                action: str | Sequence[str], head: Callable[[str], str] | None = None,
                hint: str | None = None, stored: Any = None) -> None:
    """Refuse a save when the record as stored (``now``) differs from the form's ``seen``.

    For records without a version column whose few fields are the whole record (a seat on
    a body, a response, a setting): both are compared field by field under ``labels``, as
    the reader sees them; the conflict's ``current`` is ``Seen(0, stored)``, the form's
    next ``seen``: the record in the form's own terms when ``now`` is only how a message
    shows it (default: ``now``). ``head`` and ``hint`` as for :func:`conflict`.
    """
    if seen is None or all(getattr(now, name) == getattr(seen, name) for name, _l in labels):
        return
    e = conflict(s, record_id, Seen(0, now), seen, labels=labels, what=what, action=action,
                 head=head, hint=hint)
    if stored is not None:
        e.current = Seen(0, stored)
    raise e


@dataclass(frozen=True)
class _Text:
    text: str


def check_text(s: Session, record_id: int, stored: str, seen_text: str | None, *,
               label: str, what: str, action: str) -> None:
    """Refuse a save of one text (要点筆記, 次回予定, 決定事項) changed elsewhere since shown.

    ``seen_text`` is the text the editor was opened with; the whole text is the record,
    so a different stored text is the conflict (its ``current`` is the stored text).
    """
    if seen_text is None or (stored or "") == seen_text:
        return
    e = conflict(s, record_id, Seen(0, _Text(stored or "")), _Text(seen_text),
                 labels=(("text", label),), what=what, action=action)
    e.current = stored or ""
    raise e


def newer_version(case_number: str, what: str, newest: int, who: str,
                  changed: tuple[tuple[str, str], ...], current: Any) -> EditConflict:
    """A record kept in versions (支援計画, アセスメント) got a newer one since the form opened.

    Says which version, who saved it and what it holds; saving again adds the user's
    input as the next version (nothing is overwritten).
    """
    lines = [_("このケース（{number}）の{what}は、あなたが画面を開いた後に、ほかのパソコンか"
               "画面で第{v}版が保存されています{who}。あなたの入力はまだ保存していません。").format(
                   number=case_number, what=what, v=newest, who=f"（{who}）" if who else "")]
    lines.append(_("第{v}版の内容:").format(v=newest))
    lines += [f"・{label}: {shown_value(text)}" for label, text in changed]
    return EditConflict(
        "\n".join(lines), current=current, changed=changed,
        hint=_("あなたの入力は画面に残っています。第{v}版を確かめてから、もう一度保存すると、"
               "あなたの入力を第{n}版として保存します。").format(v=newest, n=newest + 1))


def current_seen(e: EditConflict) -> Seen:
    """The record as it is now, from a conflict of :func:`check_seen` (the form's next seen)."""
    assert isinstance(e.current, Seen)
    return e.current


def current_text(e: EditConflict) -> str:
    """The text as it is now, from a conflict of :func:`check_text`."""
    assert isinstance(e.current, str)
    return e.current
