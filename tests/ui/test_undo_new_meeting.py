"""取り消し of a meeting just created from the 会議 page, driven through the widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from pfdesk.services.meetings import meetings
from pfdesk.store.models import AuditEvent
from pfdesk.ui import undo as undo_ui
from pfdesk.ui.meetings import dialogs as meeting_dialogs
from pfdesk.ui.meetings.dialogs import NewMeetingDialog
from pfdesk.ui.meetings.page import MeetingsPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = MeetingsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.show()
    p.refresh()
    return p


def _raise(_parent, e):
    raise AssertionError(e.user_text())


def _create(page, monkeypatch, *, from_previous: bool, place: str) -> int:
    body = next(b for b in page.body_rows if b.kind == "practitioners")
    page.bodies.setCurrentRow(1 + [b.id for b in page.body_rows].index(body.id))
    created: list[int] = []

    def fill_and_save(dlg):
        dlg.held_on.set_value(date(2027, 1, 20))  # a Wednesday of 令和8年度
        dlg.check_date()
        dlg.place.setText(place)
        dlg._ok()  # 保存, as the button does
        created.append(dlg.result_id)
        return dlg.result()

    monkeypatch.setattr(NewMeetingDialog, "exec", fill_and_save)
    monkeypatch.setattr(meeting_dialogs, "show_error", _raise)
    (page.from_previous_btn if from_previous else page.new_btn).click()
    assert created and created[0]
    return created[0]


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("from_previous", [False, True])
def test_a_new_meeting_is_taken_back_with_one_click(page, demo_ctx, qtbot, monkeypatch,
                                                    from_previous):
    before = len(meetings.list_meetings(demo_ctx))
    mid = _create(page, monkeypatch, from_previous=from_previous, place="公民館 2階")
    assert page.workspace is not None and page.workspace.meeting_id == mid
    bar = page.undo_bar
    assert bar.isVisibleTo(page) and bar.message.text().endswith("を登録しました")
    assert "第" in bar.message.text()
    monkeypatch.setattr(undo_ui, "show_error", _raise)
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert mid not in [r.id for r in meetings.list_meetings(demo_ctx)]
    assert len(meetings.list_meetings(demo_ctx)) == before
    assert bar.message.text() == "会議の登録を取り消しました"
    # Back on the list: the deleted meeting's workspace is gone.
    assert page.workspace is None and page.stack.currentWidget() is page.overview
    with demo_ctx.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.target_type == "meeting", AuditEvent.action.like("meetings.meeting.%")))
            if str(mid) in e.target_ids]
    assert "meetings.meeting.delete" in actions and "meetings.meeting.undo" in actions


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_meeting_edited_since_is_not_taken_back(page, demo_ctx, qtbot, monkeypatch):
    mid = _create(page, monkeypatch, from_previous=False, place="役場 第1会議室")
    ws = page.workspace
    ws.overview.place.setText("保健福祉センター")
    assert ws.overview.save()
    shown: list[str] = []
    monkeypatch.setattr(undo_ui, "show_error", lambda _p, e: shown.append(e.user_text()))
    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    assert shown and "取り消せません" in shown[0]
    assert meetings.get_meeting(demo_ctx, mid).row.place == "保健福祉センター"
    assert page.workspace is not None  # still open on the kept meeting


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_meeting_with_a_numbered_notice_is_not_taken_back(page, demo_ctx, qtbot,
                                                            monkeypatch):
    from pfdesk.store.models import DocumentNumber

    mid = _create(page, monkeypatch, from_previous=False, place="役場 第2会議室")
    with demo_ctx.session() as s:
        s.add(DocumentNumber(fiscal_year=2026, serial=999, number_text="み保福第999号",
                             doc_kind="notice", meeting_id=mid,
                             issued_on=date(2027, 1, 6), created_by="admin"))
        s.commit()
    shown: list[str] = []
    monkeypatch.setattr(undo_ui, "show_error", lambda _p, e: shown.append(e.user_text()))
    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    assert shown and "文書番号" in shown[0]
    assert meetings.get_meeting(demo_ctx, mid).row.place == "役場 第2会議室"
