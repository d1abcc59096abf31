"""Meetings page: list, calendar, and a meeting prepared, held and recorded from the window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from pfdesk.services.meetings import actions, agenda, attendance, bodies, meetings, minutes
from pfdesk.ui.meetings.dialogs import (
    ActionDialog,
    AgendaItemDialog,
    NewMeetingDialog,
    ResponseDialog,
)
from pfdesk.ui.meetings.page import MeetingsPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = MeetingsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def test_list_calendar_and_open_items(page, qtmodeltester, demo_ctx):
    qtmodeltester.check(page.meeting_model)
    assert page.fy.currentData() == 2026
    rows = meetings.list_meetings(demo_ctx, fy=2026)
    assert page.meeting_model.rowCount() == len(rows)
    shown_ids = {page.meeting_model.index(r, 0).data() for r in range(len(rows))}
    assert shown_ids == {str(r.id) for r in rows}
    # One body selected: only its meetings.
    practitioners = next(b for b in page.body_rows if b.kind == "practitioners")
    for i in range(page.bodies.count()):
        if page.bodies.item(i).data(Qt.ItemDataRole.UserRole) == practitioners.id:
            page.bodies.setCurrentRow(i)
    assert {r.body_id for r in page.meeting_model.rows} == {practitioners.id}
    assert "根拠" in page.body_info.text()
    # The calendar: April first, February holds the meeting on 建国記念の日 with a warning.
    # Its twelve months are read when its tab is first looked at.
    assert all(title.text() == "" for title, _g, _c in page.calendar.months)
    page.tabs.setCurrentIndex(1)
    titles = [title.text() for title, _g, _c in page.calendar.months]
    assert titles[0] == "令和8年4月" and titles[10] == "令和9年2月"
    feb = page.calendar.month(2027, 2)
    assert feb.chip_text(date(2027, 2, 11)).startswith("⚠")
    # The open 宿題事項 of every body: read when their tab is looked at.
    assert page.action_model.rowCount() == 0
    page.tabs.setCurrentWidget(page.actions_tab)
    qtmodeltester.check(page.action_model)
    assert page.action_model.rowCount() == len(actions.list_actions(demo_ctx)) > 0
    assert "未完了の宿題事項" in page.actions_caption.text()


def test_workspace_shows_id_and_carried_over_items(page, demo_ctx, qtmodeltester):
    body = next(b for b in page.body_rows if b.kind == "practitioners")
    nxt = [r for r in meetings.list_meetings(demo_ctx, body_id=body.id)
           if r.status == "planned"][0]
    page.open_meeting(nxt.id)
    ws = page.workspace
    assert f"会議ID {nxt.id}" in ws.subtitle.text()
    assert ws.title.text() == nxt.title
    ws.tabs.setCurrentWidget(ws.carried)
    qtmodeltester.check(ws.carried.model)
    carried = ws.carried.model.rows
    assert any(r.is_open and r.case_id for r in carried)
    qtmodeltester.check(ws.attendance.model)
    page.back_to_list()
    assert page.workspace is None


def test_prepare_hold_and_record_a_meeting_from_the_window(page, demo_ctx, qtbot, monkeypatch):
    body = next(b for b in page.body_rows if b.kind == "working_team")
    # 1. Schedule it: the warning for 12/29 appears while typing the date.
    dlg = NewMeetingDialog(ctx=demo_ctx, bodies=page.body_rows, body_id=body.id, parent=page)
    dlg.held_on.setText("R8.12.29")
    dlg.check_date()
    assert "年末年始" in dlg.warning.text()
    dlg.held_on.setText("2026/12/24")
    dlg.check_date()
    assert dlg.warning.text() == ""
    dlg.place.setText("役場 第2会議室")
    dlg._ok()
    mid = dlg.result_id
    # 回次 follow the date: the meetings of the 年度 held before 12/24 come first.
    same_fy = [r for r in meetings.list_meetings(demo_ctx, body_id=body.id, fy=2026)]
    earlier = sum(1 for r in same_fy if r.held_on < date(2026, 12, 24))
    assert mid and meetings.get_meeting(demo_ctx, mid).row.number == earlier + 1
    assert sorted(r.number for r in same_fy) == list(range(1, len(same_fy) + 1))
    page.open_meeting(mid)
    ws = page.workspace
    members = [m for m in bodies.get_body(demo_ctx, body.id).members if m.current]
    assert ws.attendance.model.rowCount() == len(members) > 0
    # 2. Agenda.
    adlg = AgendaItemDialog(ctx=demo_ctx, meeting_id=mid, parent=ws)
    adlg.title.setText("庁内連携の課題")
    adlg.presenter.setText("保健福祉課")
    adlg._ok()
    ws.agenda.refresh()
    assert ws.agenda.tree.topLevelItem(0).text(0) == "議題(1)"
    # 3. Attendance: a proxy, then everyone else present with one click.
    first = ws.attendance.model.row_at(0)
    rdlg = ResponseDialog(ctx=demo_ctx, row=first, parent=ws)
    rdlg.response.setCurrentIndex(rdlg.response.findData("proxy"))
    rdlg.proxy_name.setText("田中　亮")
    rdlg.proxy_title.setText("主任")
    rdlg._ok()
    ws.attendance.refresh()
    ws.attendance.table.selectAll()
    ws.attendance.table.selectionModel().select(
        ws.attendance.model.index(0, 0),
        ws.attendance.table.selectionModel().SelectionFlag.Deselect
        | ws.attendance.table.selectionModel().SelectionFlag.Rows,
    )
    ws.attendance.quick("present")
    rows = attendance.list_attendance(demo_ctx, mid)
    assert rows[0].shown_response == "代理出席（田中　亮　主任）"
    assert all(r.response == "present" for r in rows[1:])
    assert "未回答 0" in ws.attendance.summary.text()
    # 4. Minutes: typed text is kept when the tab reloads, then decisions and an action item.
    ws.tabs.setCurrentWidget(ws.minutes)
    ws.minutes.editor.setPlainText("各課の窓口で気づいた世帯を保健福祉課へつなぐ流れを確認した。")
    ws.minutes.refresh()
    assert "つなぐ流れ" in ws.minutes.editor.toPlainText()
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *a, **k: ("連絡票の様式を統一する。", True)))
    ws.minutes.add_decision()
    assert ws.minutes.decisions.item(0).text() == "・連絡票の様式を統一する。"
    item_id = ws.minutes.current_item_id
    act = ActionDialog(ctx=demo_ctx, meeting_id=mid, agenda_item_id=item_id, parent=ws)
    act.description.setPlainText("連絡票の案を作る")
    act.assignee.setEditText("保健福祉課")
    act.due_on.setText("2027/1/29")
    act._ok()
    act2 = ActionDialog(ctx=demo_ctx, meeting_id=mid, agenda_item_id=item_id, parent=ws)
    act2.description.setPlainText("各課に周知する")
    act2.assignee.setCurrentIndex(0)  # a person in post, from the directory
    act2._ok()
    ws.minutes.refresh()
    assert ws.minutes.action_model.rowCount() == 2
    picked = ws.minutes.action_model.row_at(1)
    assert picked.assignee_person_id and picked.assignee_text == act2.assignee.itemText(0)
    ws.minutes.next_plan.setPlainText("第5回　2月")
    ws.tabs.setCurrentWidget(ws.carried)
    ws.tabs.setCurrentWidget(ws.minutes)  # reloading keeps the unsaved 次回予定
    assert ws.minutes.next_plan.toPlainText() == "第5回　2月"
    ws.minutes.save_next_plan()
    ws.overview.status.setCurrentIndex(ws.overview.status.findData("held"))
    ws.overview.save()
    m = minutes.get_minutes(demo_ctx, mid)
    assert m.meeting.row.status == "held"
    assert m.items[0].agenda.summary.startswith("各課の窓口")
    assert [d.text for d in m.items[0].decisions] == ["連絡票の様式を統一する。"]
    assert m.items[0].actions[0].due_on == date(2027, 1, 29)
    assert m.items[0].actions[0].assignee_person_id is None
    assert m.meeting.next_plan == "第5回　2月"
    assert "出席" in ws.subtitle.text()
    # 5. The action item reaches the body's next meeting.
    later = meetings.create_meeting(demo_ctx, meetings.MeetingInput(
        body_id=body.id, held_on=date(2027, 3, 5)))
    assert "連絡票の案を作る" in [r.description for r in actions.carried_over(demo_ctx, later)]


def test_body_editor_adds_a_member(qtbot, demo_ctx, monkeypatch):
    from pfdesk.ui.meetings.body_editor import BodyEditor

    ed = BodyEditor(ctx=demo_ctx)
    qtbot.addWidget(ed)
    assert not ed.add_btn.isEnabled()  # members come after the body is saved
    ed.name.setText("居場所づくり検討会")
    ed.kind.setCurrentIndex(ed.kind.findData("other"))
    ed.save()
    assert ed.body_id and ed.add_btn.isEnabled()
    ed.candidate.setCurrentIndex(0)
    ed.role.setCurrentIndex(ed.role.findData("chair"))
    ed.add_member()
    assert ed.members.rowCount() == 1 and ed.members.row_at(0).role_label == "会長"
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    ed.table.selectRow(0)
    ed.remove_member()
    assert ed.members.rowCount() == 0


def test_extra_holidays_dialog_adds_a_warning(qtbot, demo_ctx):
    from pfdesk.services.meetings import calendar
    from pfdesk.ui.meetings.holidays import ExtraHolidaysDialog

    dlg = ExtraHolidaysDialog(ctx=demo_ctx)
    qtbot.addWidget(dlg)
    dlg.day.setText("2026/12/25")
    dlg.name.setText("庁舎電気設備点検")
    dlg.add()
    assert dlg.list.count() == 1 and "庁舎電気設備点検" in dlg.list.item(0).text()
    assert "庁舎電気設備点検" in calendar.scheduling_warnings(demo_ctx, date(2026, 12, 25))[0]
    dlg.list.setCurrentRow(0)
    dlg.remove()
    assert calendar.scheduling_warnings(demo_ctx, date(2026, 12, 25)) == []


def test_viewer_sees_but_cannot_change(qtbot, demo_ctx):
    from pfdesk.services.context import Actor

    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    p = MeetingsPage(ctx=viewer)
    qtbot.addWidget(p)
    p.refresh()
    assert p.meeting_model.rowCount() > 0
    assert not p.new_btn.isEnabled()
    p.open_meeting(p.meeting_model.row_at(0).id)
    ws = p.workspace
    assert not ws.attendance.present_btn.isEnabled()
    assert not ws.overview.save_btn.isEnabled()
    assert agenda.list_agenda(viewer, p.meeting_model.row_at(0).id) is not None
    # Whatever a viewer types into the form, leaving does not ask to save what it may not.
    ws.overview.place.setText("別の会場")
    p.back_to_list()
    assert p.workspace is None


def test_print_button_opens_the_print_dialog(page, demo_ctx, monkeypatch):
    import pfdesk.ui.printing as printing

    opened = []

    class FakeDialog:
        def __init__(self, *, ctx, meeting_id, parent=None):
            opened.append(meeting_id)

        def exec(self):
            return 0

    monkeypatch.setattr(printing, "PrintMeetingDialog", FakeDialog)
    mid = page.meeting_model.row_at(0).id
    page.open_meeting(mid)
    assert page.workspace.print_btn is not None
    assert page.workspace.print_btn.text() == "印刷…"
    page.workspace.print_btn.click()
    assert opened == [mid]


def test_unsaved_minutes_come_back_after_a_crash(qtbot, demo_ctx, monkeypatch):
    from pfdesk.ui.meetings.ws_minutes import MinutesTab

    mid = next(r.id for r in meetings.list_meetings(demo_ctx, fy=2026) if r.decisions)
    tab = MinutesTab(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.editor.setPlainText("停電直前に書いていた要点筆記")
    tab.editor.save_draft_now()  # what the autosave timer does while typing
    saved = minutes.get_minutes(demo_ctx, mid).items[0].agenda.summary
    assert "停電直前" not in saved  # the record itself was not saved
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    again = MinutesTab(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(again)
    again.refresh()
    assert again.editor.toPlainText() == "停電直前に書いていた要点筆記"


def test_a_meeting_entered_by_mistake_is_deleted_from_the_workspace(page, demo_ctx,
                                                                    monkeypatch):
    body = next(b for b in page.body_rows if b.kind == "plenary")
    mid = meetings.create_meeting(demo_ctx, meetings.MeetingInput(
        body_id=body.id, held_on=date(2027, 3, 1)))
    page.open_meeting(mid)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    page.workspace.delete_btn.click()
    assert page.workspace is None
    assert mid not in {r.id for r in page.meeting_model.rows}


def test_new_meeting_on_an_empty_store_says_to_add_a_body_first(qtbot, ctx, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    opened = []
    monkeypatch.setattr(NewMeetingDialog, "exec", lambda self: opened.append(self) or 0)
    p = MeetingsPage(ctx=ctx)
    qtbot.addWidget(p)
    p.refresh()
    p.new_btn.click()
    assert told and "会議体を追加" in told[0] and not opened


def test_an_organization_can_be_invited_without_naming_a_person(page, demo_ctx, monkeypatch):
    import pfdesk.ui.meetings.ws_attendance as wa

    body = next(b for b in page.body_rows if b.kind == "practitioners")
    nxt = [r for r in meetings.list_meetings(demo_ctx, body_id=body.id)
           if r.status == "planned"][0]
    page.open_meeting(nxt.id)
    ws = page.workspace
    answers = iter([lambda labels: next(x for x in labels if "機関あて" in x),
                    lambda labels: labels[0]])
    monkeypatch.setattr(wa.QInputDialog, "getItem", staticmethod(
        lambda _p, _t, _l, labels, *a, **k: (next(answers)(labels), True)))
    before = ws.attendance.model.rowCount()
    ws.attendance.add_guest()
    rows = attendance.list_attendance(demo_ctx, nxt.id)
    assert len(rows) == before + 1
    added = rows[-1]
    assert added.name == "" and added.affiliation == attendance.organization_candidates(
        demo_ctx)[0][1]


def test_long_agenda_titles_wrap_in_the_minutes_list(page, demo_ctx):
    page.open_meeting(meetings.list_meetings(demo_ctx, fy=2026)[0].id)
    items = page.workspace.minutes.items
    assert items.wordWrap()
    assert items.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_unsaved_overview_edits_survive_a_reload_and_are_offered_on_leaving(
        page, demo_ctx, monkeypatch):
    mid = [r for r in meetings.list_meetings(demo_ctx, fy=2026) if r.status == "planned"][0].id
    page.open_meeting(mid)
    ws = page.workspace
    ws.overview.place.setText("保健福祉センター 2階 研修室")
    page.refresh()  # coming back to the page from another one reloads it
    assert ws.overview.place.text() == "保健福祉センター 2階 研修室"
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    asked = []

    def question(_p, _t, text, *a, **k):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    page.back_to_list()
    assert page.workspace is ws and "保存されていません" in asked[0]
    page.back_to_list()
    assert page.workspace is None
    assert meetings.get_meeting(demo_ctx, mid).row.place == "保健福祉センター 2階 研修室"


def test_body_editor_keeps_typed_fields_and_offers_to_save_on_close(qtbot, demo_ctx,
                                                                    monkeypatch):
    from pfdesk.ui.meetings.body_editor import BodyEditor

    body = next(b for b in bodies.list_bodies(demo_ctx, 2026) if b.kind == "plenary")
    ed = BodyEditor(ctx=demo_ctx, body_id=body.id)
    qtbot.addWidget(ed)
    ed.basis.setPlainText("みどり川町ひきこもり支援ネットワーク設置要綱 第6条")
    ed.load()  # what adding or ending a member does
    assert ed.basis.toPlainText().endswith("第6条")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: answers.pop(0)))
    closed = []
    ed.finished.connect(closed.append)
    ed.reject()  # 閉じる / Esc
    assert closed == []
    ed.reject()
    assert len(closed) == 1
    assert bodies.get_body(demo_ctx, body.id).body.basis.endswith("第6条")
