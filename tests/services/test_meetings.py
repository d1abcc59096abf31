"""Meeting services: bodies, 回次, invitations, responses, agenda and materials, minutes."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor
from pfdesk.services.meetings import agenda, attendance, bodies, meetings, minutes, study
from pfdesk.store.models import AuditEvent, Organization, Person, Post


@pytest.fixture
def people(store):
    """Two people in post at two organizations; the first changes post in April 2026."""
    with store.session() as s:
        hall = Organization(name="みどり川町保健福祉課", kind="municipal_lead")
        csw = Organization(name="みどり川町社会福祉協議会", kind="social_welfare_council")
        a = Person(family_name="森野", given_name="花子", family_kana="もりの",
                   given_kana="はなこ")
        b = Person(family_name="髙橋", given_name="健一", family_kana="たかはし",
                   given_kana="けんいち")
        s.add_all([hall, csw, a, b])
        s.flush()
        s.add_all([
            Post(person_id=a.id, organization_id=hall.id, department="地域福祉係",
                 title="主査", start_on=date(2020, 4, 1), end_on=date(2026, 3, 31)),
            Post(person_id=a.id, organization_id=hall.id, department="地域福祉係",
                 title="係長", start_on=date(2026, 4, 1)),
            Post(person_id=b.id, organization_id=csw.id, title="事務局長"),
        ])
        s.commit()
        return {"a": a.id, "b": b.id, "hall": hall.id, "csw": csw.id}


def _body(ctx, people, **kw):
    body_id = bodies.create_body(ctx, bodies.BodyInput(
        name="実務者会議", kind="practitioners", **kw))
    bodies.add_member(ctx, body_id, bodies.MemberInput(
        person_id=people["a"], organization_id=people["hall"], role="secretariat"))
    bodies.add_member(ctx, body_id, bodies.MemberInput(
        person_id=people["b"], organization_id=people["csw"], role="chair",
        end_on=date(2027, 3, 31)))
    return body_id


def test_numbering_per_fiscal_year_and_running(ctx, people):
    fiscal = _body(ctx, people)
    running = bodies.create_body(ctx, bodies.BodyInput(
        name="個別ケース会議", kind="case_conference", numbering="running"))
    ids = [meetings.create_meeting(ctx, meetings.MeetingInput(body_id=fiscal, held_on=d))
           for d in (date(2025, 6, 1), date(2026, 2, 1), date(2026, 6, 1))]
    numbers = [meetings.get_meeting(ctx, i).row.number for i in ids]
    assert numbers == [1, 2, 1]  # FY2026 starts again at 第1回
    run = [meetings.create_meeting(ctx, meetings.MeetingInput(body_id=running, held_on=d))
           for d in (date(2025, 6, 1), date(2026, 6, 1))]
    assert [meetings.get_meeting(ctx, i).row.number for i in run] == [1, 2]
    assert meetings.get_meeting(ctx, ids[2]).row.title == "第1回実務者会議"


def test_invitations_snapshot_post_of_the_day(ctx, people):
    body_id = _body(ctx, people)
    m_old = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                               held_on=date(2026, 2, 1)))
    m_new = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                               held_on=date(2026, 6, 1)))
    old = {r.name: r for r in attendance.list_attendance(ctx, m_old)}
    new = {r.name: r for r in attendance.list_attendance(ctx, m_new)}
    assert old["森野　花子"].title == "主査"
    assert new["森野　花子"].title == "係長"
    assert new["森野　花子"].affiliation == "みどり川町保健福祉課　地域福祉係"
    assert new["髙橋　健一"].role_label == "会長"
    assert all(r.response == "pending" for r in new.values())
    # Inviting again adds nobody; a member whose term ended is not invited.
    assert attendance.invite_members(ctx, m_new) == 0
    late = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                              held_on=date(2027, 6, 1)))
    assert [r.name for r in attendance.list_attendance(ctx, late)] == ["森野　花子"]


def test_responses_proxy_and_day_marks(ctx, people):
    body_id = _body(ctx, people)
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 1)))
    rows = attendance.list_attendance(ctx, mid)
    with pytest.raises(ValidationError) as e:
        attendance.record_response(ctx, rows[0].id, attendance.ResponseInput("proxy"))
    assert e.value.field == "proxy_name"
    attendance.record_response(ctx, rows[0].id, attendance.ResponseInput(
        "proxy", responded_on=date(2026, 5, 20), proxy_name="田中　亮", proxy_title="主任"))
    attendance.record_response(ctx, rows[1].id, attendance.ResponseInput(
        "present", late=True))
    with pytest.raises(ValidationError):
        attendance.record_response(ctx, rows[1].id, attendance.ResponseInput(
            "absent", left_early=True))
    got = {r.id: r for r in attendance.list_attendance(ctx, mid)}
    assert got[rows[0].id].shown_response == "代理出席（田中　亮　主任）"
    assert got[rows[0].id].responded_on == date(2026, 5, 20)
    assert got[rows[1].id].shown_response == "出席（遅参）"
    assert got[rows[1].id].responded_on is not None  # answered today by default
    row = meetings.list_meetings(ctx, fy=2026)[0]
    assert (row.invited, row.present, row.pending) == (2, 2, 0)
    m = minutes.get_minutes(ctx, mid)
    assert {a.name for a in m.attendees} == {"森野　花子", "髙橋　健一"}


def test_agenda_order_and_material_numbers(ctx, people, tmp_path):
    body_id = _body(ctx, people)
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 1)))
    report = agenda.add_item(ctx, mid, agenda.AgendaInput("学習会の報告", kind="report"))
    first = agenda.add_item(ctx, mid, agenda.AgendaInput("相談状況", presenter="事務局"))
    second = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所づくり",
                                                          publicity="public"))
    pdf = tmp_path / "統計.pdf"
    pdf.write_bytes(b"%PDF-1.4 demo")
    xlsx = tmp_path / "名簿.xlsx"
    xlsx.write_bytes(b"PK demo")
    agenda.attach_file(ctx, report, pdf, title="学習会アンケート")
    agenda.attach_file(ctx, second, xlsx)
    agenda.attach_file(ctx, first, pdf, title="相談受付状況")
    agenda.attach_file(ctx, first, xlsx, title="参考の名簿", is_reference=True)
    rows = agenda.list_agenda(ctx, mid)
    assert [r.label for r in rows] == ["議題(1)", "議題(2)", "報告(1)"]
    mats = [(m.number_label, m.title) for r in rows for m in r.materials]
    assert mats == [("資料1", "相談受付状況"), ("参考資料", "参考の名簿"), ("資料2", "名簿"),
                    ("資料3", "学習会アンケート")]
    assert rows[1].publicity_label == "公開" and rows[0].publicity_label == "非公開"
    stored = agenda.material_path(ctx, rows[0].materials[0].id)
    assert stored.parent == ctx.store.paths.attachments
    assert stored.read_bytes() == b"%PDF-1.4 demo"
    assert rows[0].materials[0].sha256 == stored.stem
    agenda.move_item(ctx, second, -1)
    assert [r.title for r in agenda.list_agenda(ctx, mid)][:2] == ["居場所づくり", "相談状況"]
    txt = tmp_path / "memo.txt"
    txt.write_text("x")
    with pytest.raises(ValidationError):
        agenda.attach_file(ctx, first, txt)


def test_minutes_decisions_and_study(ctx, people):
    body_id = bodies.create_body(ctx, bodies.BodyInput(name="学習会", kind="study",
                                                       default_publicity="public"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 20)))
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("講演"))
    minutes.save_summary(ctx, item, "元当事者の講演。")
    minutes.add_decision(ctx, item, "次回は居場所づくりをテーマにする。")
    minutes.set_next_plan(ctx, mid, "10月 保健福祉センター")
    study.save_study(ctx, mid, study.StudyInput(
        theme="ひきこもり元当事者から学ぶ", lecturer="若葉 蒼", residents=12, agencies=7,
        families=4))
    meetings.set_meeting_status(ctx, mid, "held")
    m = minutes.get_minutes(ctx, mid)
    assert m.items[0].agenda.summary == "元当事者の講演。"
    assert [d.text for d in m.items[0].decisions] == ["次回は居場所づくりをテーマにする。"]
    assert m.meeting.next_plan == "10月 保健福祉センター"
    totals = study.study_totals(ctx, 2026)
    assert (totals.sessions, totals.total) == (1, 23)
    assert totals.themes == ("ひきこもり元当事者から学ぶ",)
    assert meetings.list_meetings(ctx, fy=2026)[0].decisions == 1


def test_support_meeting_is_always_closed(ctx):
    with pytest.raises(ValidationError):
        bodies.create_body(ctx, bodies.BodyInput(
            name="支援会議", kind="support_meeting", default_publicity="public"))
    body_id = bodies.create_body(ctx, bodies.BodyInput(name="支援会議", kind="support_meeting"))
    with pytest.raises(ValidationError):
        meetings.create_meeting(ctx, meetings.MeetingInput(
            body_id=body_id, held_on=date(2026, 6, 1), publicity="public"))


def test_viewer_reads_but_cannot_write_and_writes_are_audited(ctx, people):
    body_id = _body(ctx, people)
    viewer = ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    assert [b.name for b in bodies.list_bodies(viewer)] == ["実務者会議"]
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(viewer, meetings.MeetingInput(body_id=body_id,
                                                              held_on=date(2026, 6, 1)))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 1)))
    with ctx.store.session() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
        targets = s.scalars(select(AuditEvent.target_ids)
                            .where(AuditEvent.action == "meetings.meeting.create")).all()
    assert "meetings.body.create" in actions and "meetings.member.add" in actions
    assert targets == [str(mid)]


def test_generated_materials_are_numbered_with_the_files(ctx, people):
    body_id = _body(ctx, people)
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 1)))
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("相談状況"))
    agenda.add_generated_material(ctx, item, "stats")
    agenda.add_generated_material(ctx, item, "actions", is_reference=True)
    with pytest.raises(ValidationError):
        agenda.add_generated_material(ctx, item, "case_sheet")  # no case linked
    mats = agenda.list_agenda(ctx, mid)[0].materials
    assert [(m.number_label, m.title, m.generated) for m in mats] == [
        ("資料1", "相談受付状況（統計）", "stats"), ("参考資料", "宿題事項の対応状況", "actions")]


def test_non_members_can_be_invited(ctx, people):
    body_id = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 7, 1)))
    assert attendance.list_attendance(ctx, mid) == []
    labels = dict(attendance.guest_candidates(ctx))
    assert labels[people["b"]] == "髙橋　健一（みどり川町社会福祉協議会）"
    attendance.add_attendee(ctx, mid, person_id=people["b"])
    with pytest.raises(ValidationError):
        attendance.add_attendee(ctx, mid, person_id=people["b"])
    attendance.add_attendee(ctx, mid, name="東雲県 担当者", affiliation="東雲県障害保健福祉課")
    rows = attendance.list_attendance(ctx, mid)
    assert [(r.name, r.affiliation, r.role_label) for r in rows] == [
        ("髙橋　健一", "みどり川町社会福祉協議会", "オブザーバー"),
        ("東雲県 担当者", "東雲県障害保健福祉課", "オブザーバー"),
    ]


def test_moving_a_meeting_into_another_year_renumbers_it(ctx, people):
    body_id = _body(ctx, people)
    a = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                           held_on=date(2026, 3, 10)))
    may = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 5, 10)))
    meetings.update_meeting(ctx, a, meetings.MeetingInput(
        body_id=body_id, held_on=date(2026, 4, 20), place="役場", observers=2))
    row = meetings.get_meeting(ctx, a).row
    # 4/20 comes before 5/10: 第1回 of FY2026, and the May meeting moves up to 第2回.
    assert (row.fiscal_year, row.number, row.place) == (2026, 1, "役場")
    assert meetings.get_meeting(ctx, may).row.number == 2
    with pytest.raises(ValidationError) as e:
        meetings.update_meeting(ctx, a, meetings.MeetingInput(
            body_id=body_id, held_on=date(2026, 4, 20), start_time=time(15, 0),
            end_time=time(13, 0)))
    assert e.value.field == "end_time"
    meetings.set_meeting_status(ctx, a, "cancelled")
    assert meetings.get_meeting(ctx, a).row.status_label == "中止"


def test_removing_an_agenda_item_keeps_its_action_items(ctx, people):
    body_id = _body(ctx, people)
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                             held_on=date(2026, 6, 1)))
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所"))
    minutes.add_action(ctx, mid, item, minutes.ActionInput("会場を探す", assignee_text="社協"))
    agenda.remove_item(ctx, item)
    m = minutes.get_minutes(ctx, mid)
    assert m.items == () and [a.description for a in m.other_actions] == ["会場を探す"]


def test_only_unrecorded_meetings_can_be_deleted(ctx, people):
    body_id = _body(ctx, people)
    wrong = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                               held_on=date(2026, 6, 1)))
    agenda.add_item(ctx, wrong, agenda.AgendaInput("仮の議題"))
    meetings.delete_meeting(ctx, wrong)
    assert meetings.list_meetings(ctx) == []
    kept = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id,
                                                              held_on=date(2026, 6, 1)))
    item = agenda.add_item(ctx, kept, agenda.AgendaInput("相談状況"))
    minutes.add_decision(ctx, item, "了承")
    with pytest.raises(ValidationError) as e:
        meetings.delete_meeting(ctx, kept)
    assert "中止" in e.value.hint
    assert [r.id for r in meetings.list_meetings(ctx)] == [kept]


def test_meeting_without_a_body_is_refused_plainly(ctx):
    with pytest.raises(ValidationError) as err:
        meetings.create_meeting(ctx, meetings.MeetingInput(body_id=None, held_on=date(2026, 12, 1)))
    assert "会議体を選んでください" in err.value.user_text() and err.value.field == "body_id"


def test_closed_day_warning_says_the_office_is_closed(ctx):
    from pfdesk.services.meetings import calendar

    (text,) = calendar.scheduling_warnings(ctx, date(2026, 12, 29))
    assert text.startswith("令和8年12月29日（火）は「年末年始」で、役場の閉庁日です。")
    (text,) = calendar.scheduling_warnings(ctx, date(2027, 1, 11))
    assert "「成人の日」で、役場の閉庁日です" in text
    assert calendar.scheduling_warnings(ctx, date(2027, 1, 12)) == []
