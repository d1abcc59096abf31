"""新しい会議: the 出欠の回答期限 is proposed from the date and reaches the 開催通知."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from pfdesk.core.wareki import format_date
from pfdesk.services.meetings import bodies, meetings
from pfdesk.services.printing import service as printing
from pfdesk.ui.meetings.dialogs import NewMeetingDialog


def test_new_meeting_dialog_proposes_the_deadline_and_the_notice_asks_for_replies(
    qtbot, demo_ctx, tmp_path
):
    rows = bodies.list_bodies(demo_ctx)
    body = next(b for b in rows if b.kind == "working_team")
    dlg = NewMeetingDialog(ctx=demo_ctx, bodies=rows, body_id=body.id)
    qtbot.addWidget(dlg)
    dlg.held_on.setText("2027/01/07")
    dlg.check_date()
    # A week before is 年末年始: the last working day before it, Monday 12/28.
    assert dlg.deadline.value() == date(2026, 12, 28)
    dlg.held_on.setText("2027/05/10")
    dlg.check_date()
    assert dlg.deadline.value() == date(2027, 4, 30)  # 5/3 憲法記念日 and the weekend
    # A date the user typed is not replaced when the meeting date moves.
    dlg.deadline.setText("2027/04/28")
    dlg.held_on.setText("2027/05/11")
    dlg.check_date()
    assert dlg.deadline.value() == date(2027, 4, 28)
    dlg.place.setText("役場 第2会議室")
    dlg._ok()
    mid = dlg.result_id
    assert meetings.get_meeting(demo_ctx, mid).reply_deadline == date(2027, 4, 28)

    out = tmp_path / "開催通知.pdf"
    printing.print_meeting_document(demo_ctx, mid, "notice", out,
                                    printing.PrintOptions(per_person=False, preview=True))
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "出欠の回答" in text
    assert format_date(date(2027, 4, 28)).replace(" ", "") in text.replace(" ", "")
