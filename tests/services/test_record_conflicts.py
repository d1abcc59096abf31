"""Two PCs editing the same record: meetings, minutes, the directory, plans and the rest.

The rest: assessments, bodies and seats, responses, materials, the survey, the settings.

As for cases (test_case_conflicts): the later save from a form opened before the other
PC's save is refused, says who saved and what changed, writes nothing, and saving again
on top of the record as it is now stores the kept text. Each PC is its own open store
on the same data (tests/postgres runs this module on a server too).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from pfdesk.core.errors import EditConflict
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory import organizations, people
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.services.edit_versions import Seen
from pfdesk.services.meetings import agenda, bodies, meetings, minutes


@pytest.fixture
def pc2(ctx, second_store) -> ServiceContext:
    """The same user working on the second PC."""
    return ServiceContext(store=second_store, actor=ctx.actor)


def _refused(call) -> EditConflict:
    with pytest.raises(EditConflict) as caught:
        call()
    text = caught.value.user_text()
    assert "あなたが画面を開いた後に、ほかのパソコンか画面で" in text and "（admin、" in text
    assert "あなたの入力はまだ保存していません" in text and "もう一度" in text
    return caught.value


def _meeting(ctx) -> int:
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    return meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10), place="保健センター"), invite=False)


def test_a_stale_meeting_form_is_refused_and_the_typed_place_kept(ctx, pc2):
    mid = _meeting(ctx)
    on_pc1 = meetings.seen_of(meetings.get_meeting(ctx, mid))
    on_pc2 = meetings.seen_of(meetings.get_meeting(pc2, mid))

    meetings.update_meeting(ctx, mid, replace(on_pc1.values, start_time=time(14),
                                              note="資料は当日配布"), seen=on_pc1)
    typed = replace(on_pc2.values, place="役場 第2会議室")
    e = _refused(lambda: meetings.update_meeting(pc2, mid, typed, seen=on_pc2))
    assert "会議「第1回実務者会議」" in e.message
    assert dict(e.changed) == {"開始時刻": "14:00", "備考": "資料は当日配布"}
    assert meetings.get_meeting(ctx, mid).row.place == "保健センター"  # nothing written

    meetings.update_meeting(pc2, mid, typed, seen=e.current)  # saved knowingly
    now = meetings.get_meeting(ctx, mid)
    assert now.row.place == "役場 第2会議室" and now.version == 3


def test_saves_from_fresh_meeting_forms_never_conflict(ctx, pc2):
    mid = _meeting(ctx)
    seen = meetings.seen_of(meetings.get_meeting(ctx, mid))
    meetings.update_meeting(ctx, mid, replace(seen.values, observers=2), seen=seen)
    seen = meetings.seen_of(meetings.get_meeting(pc2, mid))
    meetings.update_meeting(pc2, mid, replace(seen.values, observers=3), seen=seen)
    assert meetings.get_meeting(ctx, mid).observers == 3


def test_a_stale_agenda_item_is_refused(ctx, pc2):
    mid = _meeting(ctx)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所の報告"))
    on_pc1 = agenda.seen_of(agenda.list_agenda(ctx, mid)[0])
    on_pc2 = agenda.seen_of(agenda.list_agenda(pc2, mid)[0])
    agenda.update_item(ctx, item, replace(on_pc1.values, presenter="社協 山本"), seen=on_pc1)
    e = _refused(lambda: agenda.update_item(
        pc2, item, replace(on_pc2.values, title="居場所の利用状況"), seen=on_pc2))
    assert dict(e.changed) == {"説明者": "社協 山本"}
    assert agenda.list_agenda(ctx, mid)[0].title == "居場所の報告"


def test_minutes_texts_saved_elsewhere_are_not_overwritten(ctx, pc2):
    mid = _meeting(ctx)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("ケース検討"))
    minutes.save_summary(ctx, item, "見守りを続ける。", seen_text="")
    e = _refused(lambda: minutes.save_summary(pc2, item, "家庭訪問を提案。", seen_text=""))
    assert "要点筆記: 見守りを続ける。" in e.message
    assert e.current == "見守りを続ける。"
    minutes.save_summary(pc2, item, "見守りを続ける。家庭訪問を提案。", seen_text=e.current)
    assert minutes.get_minutes(ctx, mid).items[0].agenda.summary.endswith("家庭訪問を提案。")

    minutes.set_next_plan(ctx, mid, "9月 保健センター", seen_text="")
    e = _refused(lambda: minutes.set_next_plan(pc2, mid, "10月", seen_text=""))
    assert "次回予定: 9月 保健センター" in e.message

    d = minutes.add_decision(ctx, item, "月1回訪問する。")
    minutes.update_decision(ctx, d, "月2回訪問する。", seen_text="月1回訪問する。")
    e = _refused(lambda: minutes.update_decision(pc2, d, "毎週訪問する。",
                                                 seen_text="月1回訪問する。"))
    assert "決定事項: 月2回訪問する。" in e.message
    assert [x.text for x in minutes.get_minutes(ctx, mid).items[0].decisions] == [
        "月2回訪問する。"]


def test_directory_records_edited_on_two_pcs(ctx, pc2):
    org = organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    d1, d2 = organizations.get_organization(ctx, org), organizations.get_organization(pc2, org)
    organizations.update_organization(ctx, org, replace(d1.data, phone="0120-111-222"),
                                      seen=Seen(d1.version, d1.data))
    e = _refused(lambda: organizations.update_organization(
        pc2, org, replace(d2.data, note="担当は地域福祉係"), seen=Seen(d2.version, d2.data)))
    assert "関係機関「みどり川町社会福祉協議会」" in e.message
    assert dict(e.changed) == {"電話": "0120-111-222"}
    assert organizations.get_organization(ctx, org).data.note == ""

    person = people.create_person(ctx, PersonInput(family_name="森野", given_name="花子"),
                                  PostInput(person_id=0, organization_id=org, title="主査",
                                            start_on=date(2024, 4, 1)))
    p1, p2 = people.get_person(ctx, person), people.get_person(pc2, person)
    people.update_person(ctx, person, replace(p1.data, family_kana="もりの"),
                         seen=Seen(p1.version, p1.data))
    e = _refused(lambda: people.update_person(pc2, person, replace(p2.data, email="h@x.jp"),
                                              seen=Seen(p2.version, p2.data)))
    assert "森野　花子 さんの情報" in e.message and dict(e.changed) == {"姓（ふりがな）": "もりの"}

    post = p1.posts[0]
    people.end_post(ctx, post.id, date(2026, 3, 31))  # 異動 recorded on PC1
    typed = PostInput(person_id=person, organization_id=org, title="係長",
                      start_on=date(2024, 4, 1))
    e = _refused(lambda: people.update_post(pc2, post.id, typed,
                                            seen=Seen(post.version, post)))
    assert "在任期間の終了: 令和8年3月31日" in e.message
    assert people.get_post(ctx, post.id).title == "主査"
    people.update_post(pc2, post.id, replace(typed, end_on=date(2026, 3, 31)),
                       seen=Seen(e.current.version, e.current.values))
    assert people.get_post(ctx, post.id).title == "係長"


def test_a_plan_revised_on_another_pc_is_not_superseded_unread(ctx, pc2):
    from pfdesk.services.consultations import cases
    from pfdesk.services.support import plans
    from tests.services.test_support_cycle import plan_input

    case = cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 5, 1), family_name="高橋", given_name="一郎"))
    plans.save_plan(ctx, case.id, plan_input(), seen_version=0)
    e = _refused(lambda: plans.save_plan(pc2, case.id, plan_input(note="2台目"), seen_version=0))
    assert "第1版が保存されています" in e.message
    assert "目標: 週に1回は散歩に出たい" in e.message
    assert [p.version for p in plans.list_plans(ctx, case.id)] == [1]
    saved = plans.save_plan(pc2, case.id, plan_input(note="2台目"),
                            seen_version=e.current.version)
    assert saved.version == 2 and saved.note == "2台目"


def test_an_action_item_changed_on_another_pc_is_not_overwritten(ctx, pc2):
    from pfdesk.services.meetings import actions

    mid = _meeting(ctx)
    aid = minutes.add_action(ctx, mid, None, minutes.ActionInput(
        "居場所の見学日程を調整", assignee_text="社協", due_on=date(2026, 7, 31)))
    on_pc1 = actions.list_actions(ctx)[0]
    on_pc2 = actions.list_actions(pc2)[0]
    actions.update_action_status(ctx, aid, actions.ActionUpdate(
        status="done", progress_note="7/20 見学済み"), seen=on_pc1)
    e = _refused(lambda: actions.update_action(
        pc2, aid, minutes.ActionInput("居場所の見学日程を再調整", assignee_text="社協",
                                      due_on=date(2026, 8, 31)), seen=on_pc2))
    assert "宿題事項" in e.message and dict(e.changed)["経過"] == "7/20 見学済み"
    e = _refused(lambda: actions.update_action_status(
        pc2, aid, actions.ActionUpdate(status="in_progress"), seen=on_pc2))
    now = actions.list_actions(ctx, open_only=False)[0]  # nothing written
    assert (now.status, now.due_on) == ("done", date(2026, 7, 31))
    actions.update_action(pc2, aid, minutes.ActionInput(
        "居場所の見学日程を再調整", assignee_text="社協", due_on=date(2026, 8, 31)),
        seen=e.current.values)  # read, saved on top
    assert actions.list_actions(ctx, open_only=False)[0].due_on == date(2026, 8, 31)


def test_a_body_and_a_seat_changed_on_another_pc_are_not_overwritten(ctx, pc2):
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners",
                                                    note="年2回"))
    on_pc1 = bodies.body_seen(bodies.get_body(ctx, body).body)
    on_pc2 = bodies.body_seen(bodies.get_body(pc2, body).body)
    bodies.update_body(ctx, body, replace(on_pc1, secretariat="保健福祉課",
                                          default_publicity="public"), seen=on_pc1)
    typed = replace(on_pc2, basis="要綱第3条")
    e = _refused(lambda: bodies.update_body(pc2, body, typed, seen=on_pc2))
    assert "会議体「実務者会議」" in e.message
    assert dict(e.changed) == {"公開区分": "公開", "事務局": "保健福祉課"}
    assert bodies.get_body(ctx, body).body.basis == ""  # nothing written
    now = bodies.body_seen(bodies.get_body(pc2, body).body)  # the form, after reading
    bodies.update_body(pc2, body, replace(now, basis="要綱第3条"), seen=now)
    b = bodies.get_body(ctx, body).body
    assert (b.basis, b.secretariat, b.note) == ("要綱第3条", "保健福祉課", "年2回")

    org = organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    person = people.create_person(ctx, PersonInput(family_name="森野", given_name="花子"),
                                  PostInput(person_id=0, organization_id=org, title="主査",
                                            start_on=date(2024, 4, 1)))
    seat = bodies.add_member(ctx, body, bodies.MemberInput(person_id=person,
                                                           organization_id=org))
    m1 = bodies.get_body(ctx, body).members[0]
    m2 = bodies.get_body(pc2, body).members[0]
    bodies.update_member(ctx, seat, replace(bodies.MemberInput(person_id=person,
                                                               organization_id=org),
                                            role="chair"), seen=m1)
    typed_seat = bodies.MemberInput(person_id=person, organization_id=org,
                                    end_on=date(2027, 3, 31))
    e = _refused(lambda: bodies.update_member(pc2, seat, typed_seat, seen=m2))
    assert "委員（森野　花子 さん）" in e.message and dict(e.changed) == {"役職": "会長"}
    assert bodies.get_body(ctx, body).members[0].end_on is None
    bodies.update_member(pc2, seat, replace(typed_seat, role="chair"),
                         seen=bodies.get_body(pc2, body).members[0])
    m = bodies.get_body(ctx, body).members[0]
    assert (m.role, m.end_on) == ("chair", date(2027, 3, 31))


def test_a_response_recorded_on_another_pc_is_not_overwritten(ctx, pc2):
    from pfdesk.services.meetings import attendance

    mid = _meeting(ctx)
    aid = attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    on_pc1 = attendance.list_attendance(ctx, mid)[0]
    on_pc2 = attendance.list_attendance(pc2, mid)[0]
    attendance.record_response(ctx, aid, attendance.ResponseInput(
        response="absent", responded_on=date(2026, 6, 1), note="出張のため"), seen=on_pc1)
    typed = attendance.ResponseInput(response="proxy", proxy_name="川村　次郎")
    e = _refused(lambda: attendance.record_response(pc2, aid, typed, seen=on_pc2))
    assert "山本　一郎 さんの出欠" in e.message
    assert dict(e.changed) == {"出欠": "欠席", "回答日": "令和8年6月1日", "備考": "出張のため"}
    assert attendance.list_attendance(ctx, mid)[0].proxy_name == ""  # nothing written
    attendance.record_response(pc2, aid, typed, seen=e.current.values)  # read, on top
    assert attendance.list_attendance(ctx, mid)[0].proxy_name == "川村　次郎"


def test_a_material_renamed_on_another_pc_is_not_renamed_back(ctx, pc2):
    mid = _meeting(ctx)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("相談状況の報告"))
    mat = agenda.add_generated_material(ctx, item, "stats")
    on_pc1 = agenda.list_agenda(ctx, mid)[0].materials[0]
    on_pc2 = agenda.list_agenda(pc2, mid)[0].materials[0]
    agenda.update_material(ctx, mat, title="相談受付状況（令和8年度上半期）",
                           is_reference=False, seen=on_pc1)
    # PC2 marks it 参考資料 from its stale list: that would put the old name back.
    e = _refused(lambda: agenda.update_material(pc2, mat, title=on_pc2.title,
                                                is_reference=True, seen=on_pc2))
    assert dict(e.changed) == {"資料名": "相談受付状況（令和8年度上半期）"}
    now = agenda.list_agenda(pc2, mid)[0].materials[0]
    assert (now.title, now.is_reference) == ("相談受付状況（令和8年度上半期）", False)
    agenda.update_material(pc2, mat, title=now.title, is_reference=True, seen=now)
    now = agenda.list_agenda(ctx, mid)[0].materials[0]
    assert (now.title, now.is_reference) == ("相談受付状況（令和8年度上半期）", True)


def test_an_assessment_made_on_another_pc_is_not_superseded_unread(ctx, pc2):
    from pfdesk.services.consultations import cases
    from pfdesk.services.support import assessments

    case = cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 5, 1), family_name="高橋", given_name="一郎"))
    assessments.record_assessment(ctx, case.id, assessments.AssessmentInput(
        assessed_on=date(2026, 5, 20), assessor="保健師 森", urgency="high",
        needs="日中の居場所"), seen_version=0)
    typed = assessments.AssessmentInput(assessed_on=date(2026, 5, 21), assessor="山田",
                                        person_situation="昼夜逆転")
    e = _refused(lambda: assessments.record_assessment(pc2, case.id, typed, seen_version=0))
    assert "アセスメントは" in e.message and "第1版が保存されています" in e.message
    assert "記入者: 保健師 森" in e.message and "ニーズ: 日中の居場所" in e.message
    assert [a.version for a in assessments.list_assessments(ctx, case.id)] == [1]
    saved = assessments.record_assessment(pc2, case.id, typed,
                                          seen_version=e.current.version)
    assert saved.version == 2 and saved.assessor == "山田"


def test_settings_saved_on_another_pc_are_not_overwritten(ctx, pc2):
    from pfdesk.services.settings import Municipality, get_municipality, save_municipality

    save_municipality(ctx, Municipality(name="みどり川町", secretariat="保健福祉課"))
    on_pc1, on_pc2 = get_municipality(ctx), get_municipality(pc2)
    save_municipality(ctx, replace(on_pc1, sender="みどり川町長　山田　一郎",
                                   doc_number_prefix="み保福"), seen=on_pc1)
    typed = replace(on_pc2, phone="0889-00-1234")
    e = _refused(lambda: save_municipality(pc2, typed, seen=on_pc2))
    assert "設定（自治体・事務局）は" in e.message
    assert dict(e.changed) == {"文書の発信者": "みどり川町長　山田　一郎",
                               "文書番号の記号": "み保福"}
    assert get_municipality(ctx).phone == ""  # nothing written
    save_municipality(pc2, replace(typed, doc_number_prefix="み保福"),
                      seen=e.current.values)  # read, saved on top
    now = get_municipality(ctx)
    assert (now.phone, now.doc_number_prefix) == ("0889-00-1234", "み保福")


def _survey_with(ctx, *org_names: str) -> int:
    from pfdesk.services.survey import surveys

    for name in org_names:
        organizations.create_organization(ctx, OrganizationInput(name=name))
    sid = surveys.save_survey(ctx, surveys.SurveyInput(fiscal_year=2026, title="実態把握調査"))
    return sid


def test_survey_answers_entered_on_another_pc_are_not_overwritten(ctx, pc2):
    from pfdesk.services.survey import answers, surveys
    from pfdesk.services.survey.template import PersonAnswer

    sid = _survey_with(ctx, "みどり川町社会福祉協議会")
    surveys.set_respondents(ctx, sid, surveys.respondent_candidates(ctx))
    rid = surveys.get_survey(ctx, sid).respondents[0].id
    on_pc1, on_pc2 = answers.respondent_answers(ctx, rid), answers.respondent_answers(pc2, rid)
    answers.save_answers(ctx, rid, known_count=2, answered_on=date(2026, 10, 1), persons=[
        PersonAnswer(sex="male", age_band="30s", period="1y_3y")], seen=on_pc1)
    typed = [PersonAnswer(sex="female", age_band="40s", period="unknown")]
    e = _refused(lambda: answers.save_answers(pc2, rid, known_count=1, persons=typed,
                                              seen=on_pc2))
    assert "みどり川町社会福祉協議会の回答" in e.message
    assert dict(e.changed)["把握している人数"] == "2"
    assert dict(e.changed)["記入された回答"].startswith("1人: 男性・30代")
    assert answers.respondent_answers(ctx, rid).persons[0].sex == "male"  # nothing written
    answers.save_answers(pc2, rid, known_count=1, persons=typed, seen=e.current.values)
    assert answers.respondent_answers(ctx, rid).persons[0].sex == "female"


def test_respondents_added_on_another_pc_are_not_dropped_unread(ctx, pc2):
    from pfdesk.services.survey import surveys

    sid = _survey_with(ctx, "みどり川町社会福祉協議会", "みどり川町地域包括支援センター")
    social, centre = sorted(surveys.respondent_candidates(ctx),
                            key=lambda c: c.organization_name != "みどり川町社会福祉協議会")
    surveys.set_respondents(ctx, sid, [social])
    on_pc1, on_pc2 = surveys.get_survey(ctx, sid), surveys.get_survey(pc2, sid)
    surveys.set_respondents(ctx, sid, [social, centre], seen=on_pc1.respondents)
    e = _refused(lambda: surveys.set_respondents(pc2, sid, [social],
                                                  seen=on_pc2.respondents))
    assert "調査「実態把握調査」の回答者" in e.message
    assert "地域包括支援センター" in dict(e.changed)["回答者"]
    assert len(surveys.get_survey(ctx, sid).respondents) == 2  # nothing dropped
    surveys.set_respondents(pc2, sid, [social],
                            seen=surveys.get_survey(pc2, sid).respondents)  # read, on top
    assert len(surveys.get_survey(ctx, sid).respondents) == 1


def test_survey_settings_changed_on_another_pc_are_not_overwritten(ctx, pc2):
    from pfdesk.services.survey import surveys

    sid = _survey_with(ctx)
    on_pc1, on_pc2 = surveys.get_survey(ctx, sid), surveys.get_survey(pc2, sid)
    surveys.save_survey(ctx, surveys.SurveyInput(
        fiscal_year=2026, title="実態把握調査", deadline=date(2026, 10, 30),
        questions={"family": {"enabled": False}}), sid, seen=on_pc1)
    typed = surveys.SurveyInput(fiscal_year=2026, title="令和8年度 実態把握調査")
    e = _refused(lambda: surveys.save_survey(pc2, typed, sid, seen=on_pc2))
    assert "調査「実態把握調査」" in e.message
    changed = dict(e.changed)
    assert changed["提出期限"] == "令和8年10月30日" and "家族構成" not in changed["質問"]
    assert surveys.get_survey(ctx, sid).title == "実態把握調査"  # nothing written
    surveys.save_survey(pc2, typed, sid, seen=surveys.get_survey(pc2, sid))  # on top
    assert surveys.get_survey(ctx, sid).title == "令和8年度 実態把握調査"
