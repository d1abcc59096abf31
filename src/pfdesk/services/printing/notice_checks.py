"""What to refuse or point out before a 開催通知 or 出欠回答票 is printed.

A cancelled meeting gets no notice (nor a 文書番号). A meeting already past, or a reply
deadline on a day the office is closed (土日, 祝日, 年末年始, 町の休日), prints with a
warning the dialog and the command line show, since the secretariat may mean it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.meetings.calendar import closed_day_name, extra_holidays
from pfdesk.store.models import Meeting

_WEEKEND = {5: "土曜日", 6: "日曜日"}


def notice_warnings(session: Session, meeting: Meeting, today: date) -> list[str]:
    """Warnings for a notice of ``meeting``; raises ValidationError for a cancelled one."""
    held = format_date(meeting.held_on, weekday=True)
    if meeting.status == "cancelled":
        raise ValidationError(
            _("{held}の会議は中止になっているため、開催通知・出欠回答票は作成できません。").format(
                held=held),
            hint=_("開催する場合は、会議の状態を「予定」に戻してから印刷してください。"),
            field="status",
        )
    warnings = []
    if meeting.held_on < today:
        warnings.append(_("開催日（{held}）は既に過ぎています。日付を確かめてください。").format(
            held=held))
    deadline = meeting.reply_deadline
    if deadline is not None:
        why = closed_day_name(deadline, extra_holidays(session, deadline, deadline))
        why = why or _(_WEEKEND.get(deadline.weekday(), ""))
        if why:
            warnings.append(_(
                "出欠の回答期限（{d}）は{why}で役場の閉庁日です。前の開庁日にすることを"
                "お勧めします。").format(d=format_date(deadline, weekday=True), why=why))
    return warnings
