"""「取り消し」 of a meeting just created from the 会議 page (新しい会議 / 前回の会議から作成).

The offer keeps every stored value of the new meeting, its 出欠 and its 次第 as created;
taking it back deletes the meeting through :func:`pfdesk.services.meetings.meetings.delete_meeting`
(permission, audit, 回次 renumbering), and is refused once anything of it was edited or a
notice was given a 文書番号.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings import meetings
from pfdesk.services.undo import Undo, UndoRefused, _changed_since, _note
from pfdesk.store.models import Base, DocumentNumber, Meeting


def _state(s: Session, m: Meeting) -> tuple:
    """Every stored value of a meeting, its 出欠 and its 次第 (a change anywhere shows)."""

    def values(row: Base) -> tuple:
        return tuple(repr(getattr(row, c.key)) for c in row.__table__.columns)

    s.refresh(m)
    return (values(m), tuple(sorted(values(a) for a in m.attendance)),
            tuple(sorted(values(it) for it in m.agenda_items)),
            tuple(sorted(values(mat) for it in m.agenda_items for mat in it.materials)))


def _gone() -> UndoRefused:
    return UndoRefused(_("この会議はすでに削除されています。"))


@service(Permission.MEETING_READ)
def meeting_created(ctx: ServiceContext, meeting_id: int) -> Undo:
    """The offer after a meeting was created: 「第3回…を登録しました　［取り消し］」."""
    with ctx.session() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise _gone()
        title = meetings.meeting_title(m.body.name, m.number)
        return Undo("meeting.create", meeting_id, _("{title}を登録しました").format(title=title),
                    after=_state(s, m), permission=Permission.MEETING_WRITE)


@service(Permission.MEETING_WRITE)
def revert_meeting_created(ctx: ServiceContext, undo: Undo) -> str:
    """Delete the meeting just created; refused when edited or numbered since.

    Called inside :func:`pfdesk.services.undo.revert`'s unit of work: a refusal by
    ``delete_meeting`` rolls the removed 資料 back with everything else.
    """
    with ctx.session() as s:
        m = s.get(Meeting, undo.record_id)
        if m is None:
            raise _gone()
        title = meetings.meeting_title(m.body.name, m.number)
        if s.scalar(select(func.count()).select_from(DocumentNumber)
                    .where(DocumentNumber.meeting_id == m.id)):
            raise UndoRefused(
                _("{title}には文書番号を付けた通知があるため、登録を取り消せません。").format(
                    title=title),
                hint=_("開催しない場合は、開催状況を「中止」にしてください。"))
        if _state(s, m) != undo.after:
            raise _changed_since(title)
        # 前回の会議から作成 copied the 次第's generated entries (資料 made by pfdesk, no
        # file): untouched, they go with the meeting.
        copied = [mat for it in m.agenda_items for mat in it.materials]
        if any(mat.stored_name for mat in copied):
            raise _changed_since(title)
        for mat in copied:
            s.delete(mat)
        s.commit()
    meetings.delete_meeting(ctx, undo.record_id)
    _note(ctx, "meetings.meeting.undo", "meeting", undo.record_id, "create")
    return _("会議の登録を取り消しました")


@service(Permission.MEETING_READ)
def meeting_exists(ctx: ServiceContext, meeting_id: int) -> bool:
    """Whether the meeting is still stored (it is gone after its creation was taken back)."""
    with ctx.session() as s:
        return s.get(Meeting, meeting_id) is not None
