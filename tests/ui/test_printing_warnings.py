"""The print dialog shows what the printed document should be checked for."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pfdesk.store.models import Meeting
from pfdesk.ui.printing import PrintMeetingDialog
from pfdesk.ui.tasks import wait_for_all
from tests.printing_fixtures import build_meeting


def test_warnings_appear_under_the_result(qtbot, ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    with ctx.store.session() as s:
        m = s.scalars(select(Meeting).where(Meeting.id == built.meeting_id)).one()
        m.held_on, m.reply_deadline = date(2099, 12, 10), date(2099, 11, 28)  # a Saturday
        s.commit()
    dlg = PrintMeetingDialog(ctx=ctx, meeting_id=built.meeting_id)
    qtbot.addWidget(dlg)
    dlg.ask_save_path = lambda: tmp_path / "通知.pdf"
    dlg.save_btn.click()
    wait_for_all()
    qtbot.waitUntil(lambda: dlg.save_btn.isEnabled(), timeout=10_000)
    text = dlg.status.text()
    assert "保存しました" in text and "注意: 出欠の回答期限" in text and "土曜日" in text


def test_minutes_signature_box_is_offered_for_minutes_only(qtbot, ctx, tmp_path):
    from pypdf import PdfReader

    built = build_meeting(ctx.store, "practitioners")
    dlg = PrintMeetingDialog(ctx=ctx, meeting_id=built.meeting_id)
    qtbot.addWidget(dlg)
    assert not dlg.signature.isEnabled()
    dlg.set_kind("minutes")
    assert dlg.signature.isEnabled()
    dlg.signature.setChecked(True)
    target = tmp_path / "会議録.pdf"
    dlg.ask_save_path = lambda: target
    dlg.save_btn.click()
    wait_for_all()
    qtbot.waitUntil(lambda: dlg.save_btn.isEnabled(), timeout=10_000)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "相違ないことを確認します" in text
