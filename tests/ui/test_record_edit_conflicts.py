"""Forms of meetings, minutes, the directory, plans and the rest when another PC saved.

The rest: bodies, responses, assessments, the survey and the settings.

Each is shown what changed, keeps what the user typed, writes nothing on the refused
save, and saves the typed text on the second press (as the case form does).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.directory import organizations, people
from pfdesk.services.directory.types import OrganizationInput, PersonInput
from pfdesk.services.edit_versions import Seen
from pfdesk.services.meetings import agenda, bodies, meetings, minutes


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The warnings the forms show (the message box replaced)."""
    out: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: out.append(text))
    return out


def _meeting(ctx) -> int:
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    return meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10), place="保健センター"), invite=False)


def _saved_elsewhere_meeting(ctx, mid: int, **changes) -> None:
    seen = meetings.seen_of(meetings.get_meeting(ctx, mid))
    meetings.update_meeting(ctx, mid, replace(seen.values, **changes), seen=seen)


def test_meeting_overview_keeps_the_typed_place(qtbot, ctx, shown):
    from pfdesk.ui.meetings.workspace import OverviewTab

    mid = _meeting(ctx)
    tab = OverviewTab(ctx=ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.load(meetings.get_meeting(ctx, mid))
    _saved_elsewhere_meeting(ctx, mid, note="資料は当日配布")  # another PC
    tab.place.setText("役場 第2会議室")
    assert tab.save() is False
    assert len(shown) == 1 and "備考: 資料は当日配布" in shown[0]
    assert tab.place.text() == "役場 第2会議室"
    assert meetings.get_meeting(ctx, mid).row.place == "保健センター"
    assert tab.save() is True  # read, saved again on top
    assert meetings.get_meeting(ctx, mid).row.place == "役場 第2会議室"


def test_agenda_item_dialog_keeps_the_typed_title(qtbot, ctx, shown):
    from pfdesk.ui.meetings.dialogs import AgendaItemDialog

    mid = _meeting(ctx)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所の報告"))
    dialog = AgendaItemDialog(ctx=ctx, meeting_id=mid, row=agenda.list_agenda(ctx, mid)[0])
    qtbot.addWidget(dialog)
    seen = agenda.seen_of(agenda.list_agenda(ctx, mid)[0])
    agenda.update_item(ctx, item, replace(seen.values, presenter="社協 山本"), seen=seen)
    dialog.title.setText("居場所の利用状況")
    dialog._ok()
    assert len(shown) == 1 and "説明者: 社協 山本" in shown[0]
    assert dialog.title.text() == "居場所の利用状況"
    assert agenda.list_agenda(ctx, mid)[0].title == "居場所の報告"
    dialog._ok()
    assert agenda.list_agenda(ctx, mid)[0].title == "居場所の利用状況"


def test_minutes_summary_keeps_the_typed_text(qtbot, ctx, shown):
    from pfdesk.ui.meetings.ws_minutes import MinutesTab

    mid = _meeting(ctx)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("ケース検討"))
    tab = MinutesTab(ctx=ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    minutes.save_summary(ctx, item, "見守りを続ける。", seen_text="")  # another PC
    tab.editor.setPlainText("家庭訪問を提案。")
    tab.save_summary()
    assert len(shown) == 1 and "要点筆記: 見守りを続ける。" in shown[0]
    assert tab.editor.toPlainText() == "家庭訪問を提案。"
    assert minutes.get_minutes(ctx, mid).items[0].agenda.summary == "見守りを続ける。"
    tab.editor.setPlainText("見守りを続ける。家庭訪問を提案。")
    tab.save_summary()
    assert len(shown) == 1
    assert minutes.get_minutes(ctx, mid).items[0].agenda.summary == "見守りを続ける。家庭訪問を提案。"


def test_organization_and_person_dialogs_keep_the_typed_text(qtbot, ctx, shown):
    from pfdesk.ui.directory.org_dialog import OrganizationDialog
    from pfdesk.ui.directory.person_dialog import PersonDialog

    org = organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    dialog = OrganizationDialog(ctx=ctx, org_id=org)
    qtbot.addWidget(dialog)
    d = organizations.get_organization(ctx, org)
    organizations.update_organization(ctx, org, replace(d.data, phone="0120-111-222"),
                                      seen=Seen(d.version, d.data))
    dialog.edits["note"].setPlainText("担当は地域福祉係")
    assert dialog.save() is False
    assert len(shown) == 1 and "電話: 0120-111-222" in shown[0]
    assert dialog.edits["note"].toPlainText() == "担当は地域福祉係"
    assert dialog.save() is True
    now = organizations.get_organization(ctx, org).data
    assert now.note == "担当は地域福祉係"
    # The form's phone (shown before the other save) is what the user saved knowingly.
    assert now.phone == ""

    person = people.create_person(ctx, PersonInput(family_name="森野", given_name="花子"))
    pdialog = PersonDialog(ctx=ctx, person_id=person)
    qtbot.addWidget(pdialog)
    p = people.get_person(ctx, person)
    people.update_person(ctx, person, replace(p.data, family_kana="もりの"),
                         seen=Seen(p.version, p.data))
    pdialog.edits["email"].setText("hanako@example.jp")
    assert pdialog.save() is False
    assert "姓（ふりがな）: もりの" in shown[1]
    assert pdialog.edits["email"].text() == "hanako@example.jp"
    assert people.get_person(ctx, person).data.email == ""
    assert pdialog.save() is True
    assert people.get_person(ctx, person).data.email == "hanako@example.jp"


def test_plan_dialog_keeps_the_typed_plan(qtbot, ctx, shown):
    from pfdesk.services.consultations import cases
    from pfdesk.services.support import plans
    from pfdesk.ui.support.dialogs import PlanDialog
    from tests.services.test_support_cycle import plan_input

    case = cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 5, 1), family_name="高橋", given_name="一郎"))
    dialog = PlanDialog(ctx=ctx, case_id=case.id, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    plans.save_plan(ctx, case.id, plan_input(), seen_version=0)  # another PC's first plan
    dialog.goals.item(0, 1).setText("週に1回は外に出たい")
    dialog.actions_table.item(0, 0).setText("居場所の見学に同行")
    dialog.actions_table.item(0, 1).setText("山田")
    dialog.review_on.setText("2026/09/01")
    dialog.note.setPlainText("2台目で作成")
    dialog._ok()
    assert len(shown) == 1 and "第1版が保存されています" in shown[0]
    assert "目標: 週に1回は散歩に出たい" in shown[0]  # what the other PC's version says
    assert dialog.result_value is None and dialog.note.toPlainText() == "2台目で作成"
    assert dialog.goals.item(0, 1).text() == "週に1回は外に出たい"
    assert [p.version for p in plans.list_plans(ctx, case.id)] == [1]
    dialog._ok()
    assert dialog.result_value.version == 2 and dialog.result_value.note == "2台目で作成"


def test_action_status_dialog_keeps_the_typed_note(qtbot, ctx, shown):
    from pfdesk.services.meetings import actions
    from pfdesk.ui.meetings.dialogs import ActionStatusDialog

    mid = _meeting(ctx)
    aid = minutes.add_action(ctx, mid, None, minutes.ActionInput("見学日程の調整",
                                                               assignee_text="社協"))
    dialog = ActionStatusDialog(ctx=ctx, row=actions.list_actions(ctx)[0], meeting_id=mid)
    qtbot.addWidget(dialog)
    actions.update_action_status(ctx, aid, actions.ActionUpdate(  # another PC
        status="in_progress", progress_note="候補日を連絡済み"),
        seen=actions.list_actions(ctx)[0])
    dialog.note.setPlainText("7/20 に見学")
    dialog._ok()
    assert len(shown) == 1 and "経過: 候補日を連絡済み" in shown[0]
    assert dialog.note.toPlainText() == "7/20 に見学"
    assert actions.list_actions(ctx)[0].progress_note == "候補日を連絡済み"
    dialog._ok()
    assert actions.list_actions(ctx)[0].progress_note == "7/20 に見学"


def test_body_editor_keeps_the_typed_basis(qtbot, ctx, shown):
    from pfdesk.ui.meetings.body_editor import BodyEditor

    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners",
                                                    note="年2回"))
    editor = BodyEditor(ctx=ctx, body_id=body)
    qtbot.addWidget(editor)
    seen = bodies.body_seen(bodies.get_body(ctx, body).body)  # another PC
    bodies.update_body(ctx, body, replace(seen, secretariat="保健福祉課"), seen=seen)
    editor.basis.setPlainText("設置要綱第3条")
    assert editor.save() is False
    assert len(shown) == 1 and "事務局: 保健福祉課" in shown[0]
    assert editor.basis.toPlainText() == "設置要綱第3条"
    assert bodies.get_body(ctx, body).body.basis == ""
    assert editor.save() is True  # read, saved on top
    b = bodies.get_body(ctx, body).body
    assert (b.basis, b.note) == ("設置要綱第3条", "年2回")


def test_response_dialog_keeps_the_typed_proxy(qtbot, ctx, shown):
    from pfdesk.services.meetings import attendance
    from pfdesk.ui.meetings.dialogs import ResponseDialog

    mid = _meeting(ctx)
    aid = attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    dialog = ResponseDialog(ctx=ctx, row=attendance.list_attendance(ctx, mid)[0])
    qtbot.addWidget(dialog)
    attendance.record_response(ctx, aid, attendance.ResponseInput(  # another PC
        response="absent", note="出張のため"), seen=attendance.list_attendance(ctx, mid)[0])
    dialog.response.setCurrentIndex(dialog.response.findData("proxy"))
    dialog.proxy_name.setText("川村　次郎")
    dialog._ok()
    assert len(shown) == 1 and "備考: 出張のため" in shown[0] and "出欠: 欠席" in shown[0]
    assert dialog.proxy_name.text() == "川村　次郎"
    assert attendance.list_attendance(ctx, mid)[0].response == "absent"
    dialog._ok()
    row = attendance.list_attendance(ctx, mid)[0]
    assert (row.response, row.proxy_name) == ("proxy", "川村　次郎")


def test_assessment_dialog_keeps_the_typed_sheet(qtbot, ctx, shown):
    from pfdesk.services.consultations import cases
    from pfdesk.services.support import assessments
    from pfdesk.ui.support.dialogs import AssessmentDialog

    case = cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 5, 1), family_name="高橋", given_name="一郎"))
    dialog = AssessmentDialog(ctx=ctx, case_id=case.id, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    assessments.record_assessment(ctx, case.id, assessments.AssessmentInput(  # another PC
        assessed_on=date(2026, 5, 20), needs="日中の居場所"), seen_version=0)
    dialog.texts["person_situation"].setPlainText("昼夜逆転、家族とは話す")
    dialog._ok()
    assert len(shown) == 1 and "第1版が保存されています" in shown[0]
    assert "ニーズ: 日中の居場所" in shown[0]
    assert dialog.result_value is None
    assert dialog.texts["person_situation"].toPlainText() == "昼夜逆転、家族とは話す"
    assert [a.version for a in assessments.list_assessments(ctx, case.id)] == [1]
    dialog._ok()
    assert dialog.result_value.version == 2
    assert dict(dialog.result_value.texts)["本人の状況"] == "昼夜逆転、家族とは話す"


def test_settings_page_keeps_the_typed_phone(qtbot, ctx):
    from pfdesk.services.settings import Municipality, get_municipality, save_municipality
    from pfdesk.ui.settings.page import SettingsPage

    save_municipality(ctx, Municipality(name="みどり川町", secretariat="保健福祉課"))
    page = SettingsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    stored = get_municipality(ctx)  # another PC sets the sender
    save_municipality(ctx, replace(stored, sender="みどり川町長　山田　一郎"), seen=stored)
    page.form.edits["phone"].setText("0889-00-1234")
    assert page.save() is False
    assert "文書の発信者: みどり川町長　山田　一郎" in page.form.error.text()
    assert page.form.edits["phone"].text() == "0889-00-1234"
    assert get_municipality(ctx).phone == ""
    assert page.save() is True  # read, saved on top
    assert get_municipality(ctx).phone == "0889-00-1234"


def test_survey_answers_dialog_keeps_the_typed_rows(qtbot, ctx):
    from pfdesk.services.survey import answers, surveys
    from pfdesk.services.survey.template import PersonAnswer
    from pfdesk.ui.survey.answers_dialog import AnswersDialog

    organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    sid = surveys.save_survey(ctx, surveys.SurveyInput(fiscal_year=2026, title="実態把握調査"))
    surveys.set_respondents(ctx, sid, surveys.respondent_candidates(ctx))
    rid = surveys.get_survey(ctx, sid).respondents[0].id
    dialog = AnswersDialog(ctx=ctx, answers=answers.respondent_answers(ctx, rid))
    qtbot.addWidget(dialog)
    answers.save_answers(ctx, rid, known_count=3, persons=[PersonAnswer(sex="male")],
                         seen=answers.respondent_answers(ctx, rid))  # another PC
    dialog.add_row(PersonAnswer(sex="female", age_band="40s"))
    dialog.add_row(PersonAnswer(sex="male", age_band="20s"))
    dialog.save()
    assert "把握している人数: 3" in dialog.error.text() and "1人: 男性" in dialog.error.text()
    assert dialog.table.rowCount() == 2 and dialog.result() == 0  # kept, still open
    assert len(answers.respondent_answers(ctx, rid).persons) == 1
    dialog.save()  # read, saved on top
    got = answers.respondent_answers(ctx, rid).persons
    assert [(p.sex, p.age_band) for p in got] == [("female", "40s"), ("male", "20s")]


def test_respondents_dialog_keeps_the_ticks(qtbot, ctx):
    from PySide6.QtCore import Qt

    from pfdesk.services.survey import surveys
    from pfdesk.ui.survey.dialogs import RespondentsDialog

    for name in ("みどり川町社会福祉協議会", "みどり川町地域包括支援センター"):
        organizations.create_organization(ctx, OrganizationInput(name=name))
    sid = surveys.save_survey(ctx, surveys.SurveyInput(fiscal_year=2026, title="実態把握調査"))
    dialog = RespondentsDialog(ctx=ctx, detail=surveys.get_survey(ctx, sid))
    qtbot.addWidget(dialog)
    centre = next(c for c in surveys.respondent_candidates(ctx)
                  if "包括" in c.organization_name)
    surveys.set_respondents(ctx, sid, [centre], seen=())  # another PC
    social = next(i for i, c in enumerate(dialog.candidates) if "社会福祉" in c.organization_name)
    dialog.list.item(social).setCheckState(Qt.CheckState.Checked)
    dialog.save()
    assert "地域包括支援センター" in dialog.error.text()
    assert [r.organization_name for r in surveys.get_survey(ctx, sid).respondents] == [
        "みどり川町地域包括支援センター"]
    assert dialog.list.item(social).checkState() == Qt.CheckState.Checked
    dialog.save()  # read, saved on top: the user's ticks
    assert [r.organization_name for r in surveys.get_survey(ctx, sid).respondents] == [
        "みどり川町社会福祉協議会"]


def test_survey_dialog_keeps_the_typed_title(qtbot, ctx):
    from pfdesk.services.survey import surveys
    from pfdesk.ui.survey.dialogs import SurveyDialog

    sid = surveys.save_survey(ctx, surveys.SurveyInput(fiscal_year=2026, title="実態把握調査"))
    dialog = SurveyDialog(ctx=ctx, fiscal_year=2026, detail=surveys.get_survey(ctx, sid))
    qtbot.addWidget(dialog)
    surveys.save_survey(ctx, surveys.SurveyInput(  # another PC sets the deadline
        fiscal_year=2026, title="実態把握調査", deadline=date(2026, 10, 30)), sid,
        seen=surveys.get_survey(ctx, sid))
    dialog.title_edit.setText("令和8年度 実態把握調査")
    dialog.save()
    assert "提出期限: 令和8年10月30日" in dialog.error.text()
    assert dialog.title_edit.text() == "令和8年度 実態把握調査"
    assert surveys.get_survey(ctx, sid).title == "実態把握調査"
    dialog.save()  # read, saved on top
    assert surveys.get_survey(ctx, sid).title == "令和8年度 実態把握調査"


def test_one_click_attendance_on_a_stale_list_is_refused_then_goes_on_top(qtbot, ctx, shown):
    from pfdesk.services.meetings import attendance
    from pfdesk.ui.meetings.ws_attendance import AttendanceTab

    mid = _meeting(ctx)
    aid = attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    tab = AttendanceTab(ctx=ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    attendance.record_response(ctx, aid, attendance.ResponseInput(  # another PC
        response="proxy", proxy_name="川村　次郎"), seen=attendance.list_attendance(ctx, mid)[0])
    tab.table.selectRow(0)
    tab.quick("absent")
    assert len(shown) == 1 and "代理出席者の氏名: 川村　次郎" in shown[0]
    assert attendance.list_attendance(ctx, mid)[0].response == "proxy"
    assert tab.model.row_at(0).response == "proxy"  # the list now shows it
    tab.table.selectRow(0)
    tab.quick("absent")  # read, saved on top
    assert attendance.list_attendance(ctx, mid)[0].response == "absent"


def test_ending_a_term_changed_elsewhere_is_refused_then_goes_on_top(qtbot, ctx, shown):
    from pfdesk.services.directory.types import PostInput
    from pfdesk.ui.meetings.body_editor import BodyEditor

    org = organizations.create_organization(ctx, OrganizationInput(name="社会福祉協議会"))
    person = people.create_person(ctx, PersonInput(family_name="森野", given_name="花子"),
                                  PostInput(person_id=0, organization_id=org, title="主査"))
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    seat = bodies.add_member(ctx, body, bodies.MemberInput(person_id=person,
                                                           organization_id=org))
    editor = BodyEditor(ctx=ctx, body_id=body)
    qtbot.addWidget(editor)
    bodies.update_member(ctx, seat, bodies.MemberInput(  # another PC makes her 会長
        person_id=person, organization_id=org, role="chair"),
        seen=bodies.get_body(ctx, body).members[0])
    editor.table.selectRow(0)
    editor.end_on.set_value(date(2027, 3, 31))
    editor.end_member()
    assert len(shown) == 1 and "役職: 会長" in shown[0]
    assert bodies.get_body(ctx, body).members[0].end_on is None
    assert editor.end_on.value() == date(2027, 3, 31)  # the typed date stays
    editor.table.selectRow(0)
    editor.end_member()  # read, saved on top
    m = bodies.get_body(ctx, body).members[0]
    assert (m.role, m.end_on) == ("chair", date(2027, 3, 31))
