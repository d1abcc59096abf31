"""「前回の会議から作成」 in the new-meeting dialog, driven through its widgets."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from pfdesk.services.meetings import agenda, attendance, meetings
from pfdesk.services.meetings.from_previous import previous_meeting
from pfdesk.ui.meetings.dialogs import NewMeetingDialog
from pfdesk.ui.meetings.page import MeetingsPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = MeetingsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def _practitioners(page):
    return next(b for b in page.body_rows if b.kind == "practitioners")


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_dialog_fills_from_the_previous_meeting_and_creates_with_its_items(
        qtbot, page, demo_ctx, tmp_path):
    body = _practitioners(page)
    prev = previous_meeting(demo_ctx, body.id)
    dlg = NewMeetingDialog(ctx=demo_ctx, bodies=page.body_rows, body_id=body.id,
                           from_previous=True, parent=page)
    qtbot.addWidget(dlg)
    assert dlg.from_previous.isChecked() and dlg.items.isVisibleTo(dlg)
    assert dlg.held_on.value() == prev.suggested_on
    assert dlg.place.text() == prev.place and dlg.start.value() == prev.start_time
    assert prev.title in dlg.previous_info.text()
    offered = [dlg.items.item(i) for i in range(dlg.items.count())]
    assert len(offered) == len(prev.items)
    recurring = [i for i in prev.items if i.recurring]
    assert len(dlg.chosen_items()) == len(recurring) > 0
    # Items about a case are listed greyed out, never checkable.
    for row, item in zip(offered, prev.items, strict=True):
        assert bool(row.flags() & Qt.ItemFlag.ItemIsEnabled) == item.recurring
    if os.environ.get("PFDESK_KEEP_PNG"):
        dlg.show()
        dlg.grab().save(str(tmp_path / "from_previous.png"))
    # Leave the first recurring item out, then save.
    first = next(r for r in offered if r.flags() & Qt.ItemFlag.ItemIsUserCheckable)
    first.setCheckState(Qt.CheckState.Unchecked)
    dlg._ok()
    new_id = dlg.result_id
    assert new_id
    titles = [r.title for r in agenda.list_agenda(demo_ctx, new_id)]
    assert titles == [i.title for i in recurring[1:]]
    detail = meetings.get_meeting(demo_ctx, new_id)
    assert detail.row.held_on == prev.suggested_on and detail.row.place == prev.place
    assert attendance.list_attendance(demo_ctx, new_id)


def test_unchecking_goes_back_to_an_empty_meeting(qtbot, page, demo_ctx):
    body = _practitioners(page)
    dlg = NewMeetingDialog(ctx=demo_ctx, bodies=page.body_rows, body_id=body.id,
                           parent=page)
    qtbot.addWidget(dlg)
    assert not dlg.from_previous.isChecked() and not dlg.items.isVisibleTo(dlg)
    assert dlg.from_previous.isEnabled() and "前回:" in dlg.previous_info.text()
    dlg.held_on.setText("2027/2/18")
    dlg.check_date()
    dlg._ok()
    assert agenda.list_agenda(demo_ctx, dlg.result_id) == []


def test_a_body_without_meetings_offers_nothing_to_copy(qtbot, ctx):
    from pfdesk.services.meetings import bodies

    body_id = bodies.create_body(ctx, bodies.BodyInput(name="庁内ワーキングチーム会議",
                                                       kind="working_team"))
    rows = bodies.list_bodies(ctx, 2026)
    dlg = NewMeetingDialog(ctx=ctx, bodies=rows, body_id=body_id, from_previous=True)
    qtbot.addWidget(dlg)
    assert not dlg.from_previous.isEnabled() and not dlg.from_previous.isChecked()
    assert dlg.previous_info.text() == "この会議体にはまだ会議がありません。"


def test_the_page_button_opens_the_dialog_ready_to_copy(qtbot, page, demo_ctx, monkeypatch):
    body = _practitioners(page)
    page.bodies.setCurrentRow(1 + [b.id for b in page.body_rows].index(body.id))
    seen = {}

    def fake_exec(dlg):
        seen["checked"] = dlg.from_previous.isChecked()
        seen["date"] = dlg.held_on.value()
        return 0

    monkeypatch.setattr(NewMeetingDialog, "exec", fake_exec)
    page.from_previous_btn.click()
    assert seen["checked"] and seen["date"] == previous_meeting(demo_ctx, body.id).suggested_on


def test_a_viewer_is_not_offered_the_copy(qtbot, demo_ctx):
    from pfdesk.services.context import Actor

    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    page = MeetingsPage(ctx=viewer)
    qtbot.addWidget(page)
    page.refresh()
    assert not page.from_previous_btn.isEnabled() and not page.new_btn.isEnabled()
