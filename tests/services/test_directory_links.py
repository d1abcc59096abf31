"""The directory's links to the other areas.

会議体 seats are handed to a successor at 年度更新, and a merged person's attendance and
action items are still shown in the meetings area.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.core.permissions import VIEWER
from pfdesk.services.context import Actor
from pfdesk.services.directory.merge import merge_people
from pfdesk.services.directory.organizations import create_organization
from pfdesk.services.directory.people import create_person, get_person
from pfdesk.services.directory.rollover import (
    add_successor,
    hand_over_seats,
    seats_to_hand_over,
)
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.services.meetings.actions import list_actions
from pfdesk.services.meetings.attendance import list_attendance
from pfdesk.services.meetings.bodies import get_body
from pfdesk.store.models import ActionItem, Attendance, Body, BodyMembership, Meeting, Person


def _post_with_seats(ctx):
    oid = create_organization(ctx, OrganizationInput(name="みどり川町保健福祉課"))
    other = create_organization(ctx, OrganizationInput(name="NPO法人ひだまりの家"))
    pid = create_person(ctx, PersonInput(family_name="佐藤", given_name="誠",
                                         family_kana="さとう", given_kana="まこと"),
                        PostInput(0, oid, title="課長", start_on=date(2022, 4, 1)))
    with ctx.session() as s:
        bodies = [Body(name="代表者会議", kind="plenary"), Body(name="実務者会議",
                  kind="practitioners"), Body(name="学習会", kind="study")]
        s.add_all(bodies)
        s.flush()
        s.add_all([
            BodyMembership(body_id=bodies[0].id, person_id=pid, organization_id=oid,
                           role="vice_chair", start_on=date(2025, 4, 1),
                           end_on=date(2027, 3, 31)),
            BodyMembership(body_id=bodies[1].id, person_id=pid, organization_id=None,
                           role="member", start_on=date(2024, 4, 1)),
            # held through another affiliation: stays with the person
            BodyMembership(body_id=bodies[2].id, person_id=pid, organization_id=other,
                           role="member", start_on=date(2024, 4, 1)),
        ])
        s.commit()
        ids = [b.id for b in bodies]
    return pid, get_person(ctx, pid).posts[0].id, ids


def test_a_successor_takes_over_the_predecessors_seats(ctx):
    pid, post_id, (plenary, practitioners, study) = _post_with_seats(ctx)
    seats = seats_to_hand_over(ctx, post_id, date(2026, 4, 1))
    assert [(x.body_name, x.role_label) for x in seats] == [("代表者会議", "副会長"),
                                                          ("実務者会議", "委員")]
    new_post = add_successor(ctx, post_id, date(2026, 4, 1),
                             person=PersonInput(family_name="髙橋", given_name="恵子"))
    created = hand_over_seats(ctx, post_id, new_post, [x.membership_id for x in seats])
    assert len(created) == 2
    successor = get_person(ctx, pid + 1)
    assert [(m.body_name, m.role, m.start_on, m.end_on) for m in successor.memberships] == [
        ("代表者会議", "vice_chair", date(2026, 4, 1), date(2027, 3, 31)),
        ("実務者会議", "member", date(2026, 4, 1), None)]
    old = {m.body_name: m for m in get_person(ctx, pid).memberships}
    assert old["代表者会議"].end_on == date(2026, 3, 31)
    assert old["実務者会議"].end_on == date(2026, 3, 31)
    assert old["学習会"].end_on is None
    # the meetings area sees the new member as current and the old one as former
    members = {(m.name, m.current) for m in get_body(ctx, plenary).members}
    assert ("髙橋\u3000恵子", True) in members and ("佐藤\u3000誠", False) in members
    # nothing left to hand over, and a second try is refused whole
    assert seats_to_hand_over(ctx, post_id, date(2026, 4, 1)) == []
    with pytest.raises(ValidationError):
        hand_over_seats(ctx, post_id, new_post, [seats[0].membership_id])
    with ctx.session() as s:
        assert s.scalar(select(func.count()).select_from(BodyMembership)) == 5


def test_handing_over_seats_needs_write_permission(ctx):
    _pid, post_id, _ids = _post_with_seats(ctx)
    viewer = ctx.acting_as(Actor(user_name="v", display_name="閲覧", role=VIEWER))
    new_post = add_successor(ctx, post_id, date(2026, 4, 1),
                             person=PersonInput(family_name="髙橋", given_name="恵子"))
    seats = seats_to_hand_over(viewer, post_id, date(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        hand_over_seats(viewer, post_id, new_post, [x.membership_id for x in seats])


def test_a_merged_person_keeps_attendance_and_action_items_in_the_meetings_area(demo_ctx):
    with demo_ctx.session() as s:
        pid, meeting_id = s.execute(select(Attendance.person_id, Attendance.meeting_id)
                                    .where(Attendance.person_id.is_not(None))
                                    .order_by(Attendance.id)).first()
        attended = s.scalars(select(Attendance.meeting_id)
                             .where(Attendance.person_id == pid)).all()
        person = s.get(Person, pid)
        family, given = person.family_name, person.given_name
        meeting = s.get(Meeting, meeting_id)
        item = ActionItem(body_id=meeting.body_id, meeting_id=meeting.id,
                          description="家族会の案内を配る", assignee_person_id=pid,
                          assignee_text=person.full_name, created_on=datetime(2026, 6, 1))
        s.add(item)
        s.commit()
        item_id = item.id
    assert attended, "the demo person should have attended meetings"
    keep = create_person(demo_ctx, PersonInput(family_name=family, given_name=given))
    merge_people(demo_ctx, keep, pid)  # the record with the history is the one that goes
    viewer = demo_ctx.acting_as(Actor(user_name="v", display_name="閲覧", role=VIEWER))
    for meeting_id in attended:
        rows = [r for r in list_attendance(viewer, meeting_id) if r.person_id == keep]
        assert len(rows) == 1 and rows[0].name.startswith(family)
        assert not [r for r in list_attendance(viewer, meeting_id) if r.person_id == pid]
    actions = [a for a in list_actions(viewer, open_only=False)
               if a.assignee_person_id == keep]
    assert item_id in {a.id for a in actions}
    assert [a.assignee_text for a in actions if a.id == item_id] == [person.full_name]
