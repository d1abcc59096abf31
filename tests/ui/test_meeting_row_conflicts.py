"""The 委員 list and the 出欠 list when another PC changed, removed or added the same row.

The window removes only the row as it showed it: a row changed elsewhere since stays,
the message says what changed, and the list then shows the row as it is now, so the
next press knowingly removes it. The same guest typed on two PCs is listed once.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox

from pfdesk.core.permissions import ADMIN
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.directory import organizations, people
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.services.meetings import attendance, bodies, meetings


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The warnings the window shows (the message box replaced); every question is Yes."""
    out: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: out.append(text))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    return out


@pytest.fixture
def pc2(store):
    """田中 on a second PC, with the same data open."""
    from pfdesk.store.engine import open_store

    other = open_store(store.paths)
    yield ServiceContext(store=other,
                         actor=Actor(user_name="tanaka", display_name="田中", role=ADMIN))
    other.close()


@pytest.fixture
def editor(qtbot, ctx):
    """The body editor on a body with 森野 花子's seat, as PC1 opened it."""
    from pfdesk.ui.meetings.body_editor import BodyEditor

    org = organizations.create_organization(ctx, OrganizationInput(name="社会福祉協議会"))
    person = people.create_person(ctx, PersonInput(family_name="森野", given_name="花子"),
                                  PostInput(person_id=0, organization_id=org, title="主査"))
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    bodies.add_member(ctx, body, bodies.MemberInput(person_id=person, organization_id=org))
    ed = BodyEditor(ctx=ctx, body_id=body)
    qtbot.addWidget(ed)
    return ed


def test_removing_a_seat_changed_elsewhere_keeps_it_and_shows_it_as_now(editor, pc2, shown):
    body = editor.body_id
    seat = editor.members.row_at(0)
    bodies.update_member(pc2, seat.id, bodies.MemberInput(  # PC2 makes her 会長
        person_id=seat.person_id, organization_id=seat.organization_id, role="chair"),
        seen=bodies.get_body(pc2, body).members[0])
    editor.table.selectRow(0)
    editor.remove_member()
    assert len(shown) == 1
    assert "役職: 会長" in shown[0] and "（tanaka、" in shown[0]
    assert "委員はまだ削除していません" in shown[0]
    assert [m.role for m in bodies.get_body(pc2, body).members] == ["chair"]
    assert editor.members.row_at(0).role_label == "会長"  # the list shows it as now
    editor.table.selectRow(0)
    editor.remove_member()  # read, removed knowingly
    assert len(shown) == 1 and editor.members.rowCount() == 0
    assert bodies.get_body(pc2, body).members == []


def test_removing_a_seat_removed_elsewhere_says_so_and_clears_it(editor, pc2, shown):
    body = editor.body_id
    bodies.remove_member(pc2, editor.members.row_at(0).id)
    editor.table.selectRow(0)
    editor.remove_member()
    assert len(shown) == 1 and "森野　花子 さん）は、ほかのパソコンか画面ですでに削除" in shown[0]
    assert editor.members.rowCount() == 0 and bodies.get_body(pc2, body).members == []


@pytest.fixture
def tab(qtbot, ctx):
    """The 出欠 tab of a meeting with two guests, as PC1 shows it."""
    from pfdesk.ui.meetings.ws_attendance import AttendanceTab

    body = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10)), invite=False)
    attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    attendance.add_attendee(ctx, mid, name="川村　次郎", affiliation="保健所")
    t = AttendanceTab(ctx=ctx, meeting_id=mid)
    qtbot.addWidget(t)
    t.refresh()
    return t


def test_taking_off_an_invitee_who_answered_elsewhere_keeps_them(tab, pc2, shown):
    mid = tab.meeting_id
    yamamoto = attendance.list_attendance(pc2, mid)[0]
    attendance.record_response(pc2, yamamoto.id, attendance.ResponseInput(  # PC2
        response="absent", note="出張のため"), seen=yamamoto)
    selection = tab.table.selectionModel()
    for row in (0, 1):  # both chosen; only 川村 is as the list showed
        selection.select(tab.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    tab.remove()
    assert len(shown) == 1 and "山本　一郎 さんの出欠は" in shown[0]
    assert "出欠: 欠席" in shown[0] and "備考: 出張のため" in shown[0]
    assert "まだ出欠名簿から外していません" in shown[0]
    assert [r.name for r in attendance.list_attendance(pc2, mid)] == ["山本　一郎"]
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).response == "absent"
    assert "欠席 1" in tab.summary.text()
    tab.table.selectRow(0)
    tab.remove()  # read, taken off knowingly
    assert len(shown) == 1 and attendance.list_attendance(pc2, mid) == []


def test_a_guest_added_on_both_pcs_is_listed_once(tab, pc2, shown, monkeypatch):
    import pfdesk.ui.meetings.ws_attendance as wa

    mid = tab.meeting_id
    attendance.add_attendee(pc2, mid, name="森　三郎", affiliation="ハローワーク")  # PC2
    monkeypatch.setattr(wa.QInputDialog, "getItem", staticmethod(
        lambda _p, _t, _l, labels, *a, **k: (labels[0], True)))  # 氏名で入力する
    typed = iter(["森 三郎", "ハローワーク"])
    monkeypatch.setattr(wa.QInputDialog, "getText", staticmethod(
        lambda *a, **k: (next(typed), True)))
    assert tab.model.rowCount() == 2  # PC1 does not show 森 yet
    tab.add_guest()
    assert shown == ["森　三郎 さん（ハローワーク）はすでに出欠名簿にいます。\n"
                     "ほかのパソコンか画面で追加された方も、一覧を表示し直すと見えます。"
                     "同じ氏名の別の方なら、所属を書き分けてください。"]
    assert [tab.model.row_at(i).name for i in range(tab.model.rowCount())] == [
        "山本　一郎", "川村　次郎", "森　三郎"]  # the list now shows PC2's guest, once


def test_a_seat_added_on_both_pcs_is_listed_once(editor, pc2, shown):
    body = editor.body_id
    org = organizations.create_organization(pc2, OrganizationInput(name="保健所"))
    person = people.create_person(pc2, PersonInput(family_name="川村", given_name="次郎"),
                                  PostInput(person_id=0, organization_id=org, title="保健師"))
    bodies.add_member(pc2, body, bodies.MemberInput(  # PC2 seats him from R9.4.1
        person_id=person, organization_id=org, start_on=date(2027, 4, 1)))
    editor.candidate.addItem("川村　次郎（保健所　保健師）", (person, org))  # PC1's list
    editor.candidate.setCurrentIndex(editor.candidate.count() - 1)
    editor.start_on.set_value(date(2026, 4, 1))
    editor.add_member()
    assert len(shown) == 1
    assert "川村　次郎 さんはこの期間すでに委員です（委嘱期間 令和9年4月1日～）" in shown[0]
    assert editor.members.rowCount() == 2  # PC2's seat now shows, once
    assert len(bodies.get_body(pc2, body).members) == 2
