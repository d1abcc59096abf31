"""Two PCs adding and removing 委員 seats and 出欠 rows: nothing is lost or doubled unseen.

A seat or an invitee removed from a list shown before another PC changed it stays, with
a message of what changed and who saved it; one already removed elsewhere is said so;
the same guest or an overlapping seat added on two PCs lands once, even sent at the same
moment. Each PC is its own open store on the same data (tests/postgres runs this module
on a server too).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pfdesk.core.errors import EditConflict, NotFound, ValidationError
from pfdesk.core.permissions import ADMIN
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.directory import organizations, people
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.services.meetings import attendance, bodies, meetings


@pytest.fixture
def pc2(second_store) -> ServiceContext:
    """田中 (an administrator too) working on the second PC."""
    return ServiceContext(store=second_store,
                          actor=Actor(user_name="tanaka", display_name="田中", role=ADMIN))


def _person(ctx, family: str, given: str, org: int) -> int:
    return people.create_person(ctx, PersonInput(family_name=family, given_name=given),
                                PostInput(person_id=0, organization_id=org, title="主査",
                                          start_on=date(2024, 4, 1)))


@pytest.fixture
def body_with_seat(ctx):
    """A body with one seat: 森野 花子 of the 社協, 委員 from R6.4.1."""
    org = organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    person = _person(ctx, "森野", "花子", org)
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    seat = bodies.add_member(ctx, body, bodies.MemberInput(
        person_id=person, organization_id=org, start_on=date(2024, 4, 1)))
    return body, seat, person, org


def _meeting(ctx) -> int:
    body = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    return meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10), place="保健センター"), invite=False)


# 1. Removing a seat -------------------------------------------------------------------

def test_a_seat_changed_on_another_pc_is_not_removed_unseen(ctx, pc2, body_with_seat):
    body, seat, person, org = body_with_seat
    shown = bodies.get_body(ctx, body).members[0]  # PC1's list
    on_pc2 = bodies.get_body(pc2, body).members[0]
    bodies.update_member(pc2, seat, bodies.MemberInput(  # PC2 makes her 会長 to R9.3.31
        person_id=person, organization_id=org, role="chair", start_on=date(2024, 4, 1),
        end_on=date(2027, 3, 31)), seen=on_pc2)

    with pytest.raises(EditConflict) as caught:
        bodies.remove_member(ctx, seat, seen=shown)
    text = caught.value.user_text()
    assert "委員（森野　花子 さん）は、あなたが一覧を開いた後に" in text
    assert "（tanaka、" in text and "委員はまだ削除していません" in text
    assert dict(caught.value.changed) == {"役職": "会長", "委嘱期間の終了": "令和9年3月31日"}
    m = bodies.get_body(ctx, body).members[0]  # the seat and PC2's change stay
    assert (m.id, m.role, m.end_on) == (seat, "chair", date(2027, 3, 31))

    bodies.remove_member(ctx, seat, seen=m)  # from the list as it is now
    assert bodies.get_body(pc2, body).members == []


def test_a_seat_removed_from_a_fresh_list_goes_and_old_callers_still_work(
        ctx, pc2, body_with_seat):
    body, seat, person, org = body_with_seat
    # PC2 changes a seat PC1 does not touch; PC1's list is shown after that change.
    other = bodies.add_member(pc2, body, bodies.MemberInput(
        person_id=_person(pc2, "川村", "次郎", org), organization_id=org))
    shown = {m.id: m for m in bodies.get_body(ctx, body).members}
    bodies.remove_member(ctx, seat, seen=shown[seat])
    assert [m.id for m in bodies.get_body(pc2, body).members] == [other]
    bodies.remove_member(pc2, other)  # no list given (as before): removed
    assert bodies.get_body(ctx, body).members == []


def test_a_seat_already_removed_on_another_pc_is_said_so(ctx, pc2, body_with_seat):
    body, seat, person, org = body_with_seat
    shown = bodies.get_body(ctx, body).members[0]
    bodies.remove_member(pc2, seat, seen=bodies.get_body(pc2, body).members[0])
    with pytest.raises(NotFound) as caught:
        bodies.remove_member(ctx, seat, seen=shown)
    assert caught.value.message.startswith(
        "委員（森野　花子 さん）は、ほかのパソコンか画面ですでに削除されています（tanaka、")
    with pytest.raises(NotFound):  # without the row shown: still a message, not a crash
        bodies.remove_member(ctx, seat)


def test_a_removed_seat_whose_number_went_to_a_new_one_leaves_the_new_one(
        ctx, pc2, body_with_seat):
    body, seat, person, org = body_with_seat
    shown = bodies.get_body(ctx, body).members[0]
    bodies.remove_member(pc2, seat)
    # A data file hands the freed number to the next seat (a server does not).
    new = bodies.add_member(pc2, body, bodies.MemberInput(
        person_id=_person(pc2, "川村", "次郎", org), organization_id=org))
    with pytest.raises(NotFound) as caught:
        bodies.remove_member(ctx, new if new == seat else seat, seen=shown)
    assert "森野　花子 さん）は、ほかのパソコンか画面ですでに削除" in caught.value.message
    assert [m.name for m in bodies.get_body(ctx, body).members] == ["川村　次郎"]


# 2. Removing an invitee ---------------------------------------------------------------

def test_an_invitee_whose_response_came_in_on_another_pc_stays(ctx, pc2):
    mid = _meeting(ctx)
    aid = attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    shown = attendance.list_attendance(ctx, mid)[0]
    attendance.record_response(pc2, aid, attendance.ResponseInput(
        response="proxy", responded_on=date(2026, 6, 1), proxy_name="川村　次郎"),
        seen=attendance.list_attendance(pc2, mid)[0])

    with pytest.raises(EditConflict) as caught:
        attendance.remove_attendee(ctx, aid, seen=shown)
    text = caught.value.user_text()
    assert "山本　一郎 さんの出欠は、あなたが一覧を開いた後に" in text and "（tanaka、" in text
    assert "まだ出欠名簿から外していません" in text
    assert dict(caught.value.changed) == {"出欠": "代理出席", "回答日": "令和8年6月1日",
                                          "代理出席者の氏名": "川村　次郎"}
    row = attendance.list_attendance(ctx, mid)[0]
    assert (row.id, row.proxy_name) == (aid, "川村　次郎")

    attendance.remove_attendee(ctx, aid, seen=row)  # knowingly, from the list as now
    assert attendance.list_attendance(pc2, mid) == []


def test_an_invitee_already_taken_off_on_another_pc_is_said_so(ctx, pc2):
    mid = _meeting(ctx)
    org = organizations.create_organization(ctx, OrganizationInput(name="ハローワークみどり川"))
    guest = attendance.add_attendee(ctx, mid, name="山本　一郎")
    by_org = attendance.add_attendee(ctx, mid, organization_id=org)
    shown = attendance.list_attendance(ctx, mid)
    for r in attendance.list_attendance(pc2, mid):
        attendance.remove_attendee(pc2, r.id, seen=r)
    with pytest.raises(NotFound) as caught:
        attendance.remove_attendee(ctx, guest, seen=shown[0])
    assert caught.value.message.startswith(
        "山本　一郎 さんは、ほかのパソコンか画面ですでに出欠名簿から外されています（tanaka、")
    with pytest.raises(NotFound) as caught:
        attendance.remove_attendee(ctx, by_org, seen=shown[1])
    assert caught.value.message.startswith("ハローワークみどり川は、ほかのパソコンか画面で")


def test_a_freed_number_given_to_a_new_invitee_does_not_take_them_off(ctx, pc2):
    mid = _meeting(ctx)
    aid = attendance.add_attendee(ctx, mid, name="山本　一郎")
    shown = attendance.list_attendance(ctx, mid)[0]
    attendance.remove_attendee(pc2, aid)
    new = attendance.add_attendee(pc2, mid, name="川村　次郎")
    with pytest.raises(NotFound):
        attendance.remove_attendee(ctx, new if new == aid else aid, seen=shown)
    assert [r.name for r in attendance.list_attendance(ctx, mid)] == ["川村　次郎"]


# 3. Adding the same guest or seat on two PCs -----------------------------------------

def test_the_same_guest_added_on_two_pcs_is_listed_once(ctx, pc2):
    mid = _meeting(ctx)
    attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社会福祉協議会")
    for name, affiliation in (("山本　一郎", "社会福祉協議会"), ("山本 一郎", "社会福祉協議会 "),
                              ("山本一郎", "社会福祉協議会")):
        with pytest.raises(ValidationError) as caught:
            attendance.add_attendee(pc2, mid, name=name, affiliation=affiliation)
        assert caught.value.message == "山本　一郎 さん（社会福祉協議会）はすでに出欠名簿にいます。"
        assert caught.value.field == "name"
    # Someone of the same name from another organization is someone else.
    attendance.add_attendee(pc2, mid, name="山本　一郎", affiliation="保健所")
    assert [(r.name, r.affiliation) for r in attendance.list_attendance(ctx, mid)] == [
        ("山本　一郎", "社会福祉協議会"), ("山本　一郎", "保健所")]

    attendance.add_attendee(ctx, mid, name="川村　次郎")  # no 所属 given, twice
    with pytest.raises(ValidationError, match="川村　次郎 さん（所属なし）はすでに"):
        attendance.add_attendee(pc2, mid, name="川村　次郎")


def test_overlapping_seats_added_on_two_pcs_land_once(ctx, pc2):
    org = organizations.create_organization(ctx, OrganizationInput(name="社会福祉協議会"))
    person = _person(ctx, "森野", "花子", org)
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    bodies.add_member(ctx, body, bodies.MemberInput(  # PC1: from R9.4.1
        person_id=person, organization_id=org, start_on=date(2027, 4, 1)))
    # PC2, on a list shown before: from R8.4.1 to R10.3.31, which covers R9.4.1 on.
    typed = bodies.MemberInput(person_id=person, organization_id=org,
                               start_on=date(2026, 4, 1), end_on=date(2028, 3, 31))
    with pytest.raises(ValidationError) as caught:
        bodies.add_member(pc2, body, typed)
    assert caught.value.message.startswith(
        "森野　花子 さんはこの期間すでに委員です（委嘱期間 令和9年4月1日～）。")
    with pytest.raises(ValidationError, match="すでに委員"):  # no term typed at all
        bodies.add_member(pc2, body, bodies.MemberInput(person_id=person))
    assert len(bodies.get_body(ctx, body).members) == 1

    # The term before it, ending the day before, is a seat of its own.
    bodies.add_member(pc2, body, replace(typed, end_on=date(2027, 3, 31)))
    assert sorted(m.start_on for m in bodies.get_body(ctx, body).members) == [
        date(2026, 4, 1), date(2027, 4, 1)]


def _at_once(*calls) -> list[object]:
    """Run ``calls`` on threads started together; each one's result or the error raised."""
    import threading

    start = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            out[i] = calls[i]()
        except Exception as e:  # noqa: BLE001 - the refusal is the result looked at
            out[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_the_same_guest_and_seat_sent_at_the_same_moment_land_once(ctx, pc2):
    mid = _meeting(ctx)
    results = _at_once(
        lambda: attendance.add_attendee(ctx, mid, name="山本　一郎", affiliation="社協"),
        lambda: attendance.add_attendee(pc2, mid, name="山本　一郎", affiliation="社協"))
    assert sorted(type(r).__name__ for r in results) == ["ValidationError", "int"]
    assert len(attendance.list_attendance(ctx, mid)) == 1

    org = organizations.create_organization(ctx, OrganizationInput(name="社会福祉協議会"))
    person = _person(ctx, "森野", "花子", org)
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    results = _at_once(
        lambda: bodies.add_member(ctx, body, bodies.MemberInput(
            person_id=person, start_on=date(2026, 4, 1))),
        lambda: bodies.add_member(pc2, body, bodies.MemberInput(
            person_id=person, start_on=date(2027, 4, 1))))
    assert sorted(type(r).__name__ for r in results) == ["ValidationError", "int"]
    assert len(bodies.get_body(ctx, body).members) == 1
