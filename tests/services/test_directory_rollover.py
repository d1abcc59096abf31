"""年度更新 and 統合: posts to check each April; merging duplicates keeps every reference."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from pfdesk.core.errors import ValidationError
from pfdesk.services.directory.merge import merge_organizations, merge_people
from pfdesk.services.directory.organizations import create_organization, list_organizations
from pfdesk.services.directory.people import create_person, end_post, get_person, list_people
from pfdesk.services.directory.rollover import (
    ENDED,
    UNCONFIRMED,
    add_successor,
    confirm_posts,
    rollover_list,
)
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.store.models import (
    ActionItem,
    Attendance,
    Body,
    BodyMembership,
    Case,
    Consent,
    ConsentOrganization,
    Meeting,
    Organization,
    Person,
    Post,
    Referral,
)


def _setup(ctx):
    oid = create_organization(ctx, OrganizationInput(name="みどり川町保健福祉課",
                                                     name_kana="みどりかわちょうほけんふくしか"))
    pid = create_person(ctx, PersonInput(family_name="佐藤", given_name="誠",
                                         family_kana="さとう", given_kana="まこと"),
                        PostInput(0, oid, title="課長", start_on=date(2020, 4, 1)))
    post_id = get_person(ctx, pid).posts[0].id
    with ctx.session() as s:
        s.get(Post, post_id).confirmed_fy = 2020  # entered long ago, never confirmed since
        s.commit()
    return oid, pid, post_id


def test_unconfirmed_posts_are_listed_then_confirmed(ctx):
    _oid, _pid, post_id = _setup(ctx)
    fy = rollover_list(ctx).fiscal_year
    items = rollover_list(ctx).items
    assert [(i.post_id, i.reason) for i in items] == [(post_id, UNCONFIRMED)]
    confirm_posts(ctx, [post_id])
    assert rollover_list(ctx).items == []
    assert rollover_list(ctx, fy + 1).items[0].post_id == post_id  # next April asks again


def test_adding_a_successor_ends_the_predecessor_the_day_before(ctx):
    oid, pid, post_id = _setup(ctx)
    fy = rollover_list(ctx).fiscal_year
    new_post = add_successor(ctx, post_id, date(fy, 4, 1),
                             person=PersonInput(family_name="髙橋", given_name="恵子",
                                                family_kana="たかはし", given_kana="けいこ"))
    old = get_person(ctx, pid).posts[0]
    assert old.end_on == date(fy, 3, 31)
    people = list_people(ctx)
    assert [p.full_name for p in people] == ["髙橋\u3000恵子"]
    assert people[0].title == "課長" and people[0].organization_id == oid
    assert new_post != post_id
    assert rollover_list(ctx).items == []
    with pytest.raises(ValidationError):
        add_successor(ctx, new_post, date(2019, 4, 1), person_id=pid)


def test_a_post_that_ended_without_successor_is_listed_until_dismissed(ctx):
    _oid, _pid, post_id = _setup(ctx)
    fy = rollover_list(ctx).fiscal_year
    end_post(ctx, post_id, date(fy, 3, 31))
    items = rollover_list(ctx).items
    assert [(i.post_id, i.reason) for i in items] == [(post_id, ENDED)]
    confirm_posts(ctx, [post_id])
    assert rollover_list(ctx).items == []


def test_demo_rollover_has_both_kinds(demo_ctx):
    data = rollover_list(demo_ctx)
    assert data.fiscal_year == 2026
    assert data.ended >= 1 and data.unconfirmed >= 1


def _references(ctx, oid, pid):
    with ctx.session() as s:
        body = Body(name="実務者会議", kind="practitioners")
        s.add(body)
        s.flush()
        meeting = Meeting(body_id=body.id, fiscal_year=2026, number=1,
                          held_on=date(2026, 6, 1))
        case = Case(case_number="R8-0001", fiscal_year=2026, serial=1,
                    intake_date=date(2026, 5, 1), route_org_id=oid)
        s.add_all([meeting, case])
        s.flush()
        consent = Consent(case_id=case.id, given_on=date(2026, 5, 1))
        s.add(consent)
        s.flush()
        s.add_all([
            BodyMembership(body_id=body.id, person_id=pid, organization_id=oid),
            Attendance(meeting_id=meeting.id, person_id=pid, organization_id=oid),
            Referral(case_id=case.id, organization_id=oid, referred_on=date(2026, 5, 2)),
            ConsentOrganization(consent_id=consent.id, organization_id=oid),
            ActionItem(body_id=body.id, meeting_id=meeting.id, description="連絡",
                       assignee_person_id=pid, assignee_org_id=oid,
                       created_on=datetime(2026, 6, 1)),
        ])
        s.commit()
        return consent.id


def test_merging_organizations_moves_every_reference(ctx):
    keep = create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会",
                                                      name_kana="みどりかわちょうしゃかいふくしきょうぎかい"))
    dup = create_organization(ctx, OrganizationInput(name="社会福祉法人みどり川町社協",
                                                     phone="0889-53-3333"))
    pid = create_person(ctx, PersonInput(family_name="林"), PostInput(0, dup, title="事務局長"))
    consent_id = _references(ctx, dup, pid)
    with ctx.session() as s:  # the consent already covers the kept one too
        s.add(ConsentOrganization(consent_id=consent_id, organization_id=keep))
        s.commit()
    result = merge_organizations(ctx, keep, dup)
    assert result.moved["post"] == 1 and result.moved["referral"] == 1
    assert "phone" in result.filled
    with ctx.session() as s:
        for model, col in ((Post, Post.organization_id), (Referral, Referral.organization_id),
                           (Case, Case.route_org_id), (Attendance, Attendance.organization_id),
                           (BodyMembership, BodyMembership.organization_id),
                           (ActionItem, ActionItem.assignee_org_id)):
            assert s.scalars(select(col)).all() == [keep], model
        assert s.scalars(select(ConsentOrganization.organization_id)).all() == [keep]
        assert s.get(Organization, dup).merged_into_id == keep
    assert [o.id for o in list_organizations(ctx, active_only=False)] == [keep]
    assert list_organizations(ctx)[0].phone == "0889-53-3333"


def test_merging_people_keeps_history_and_references(ctx):
    oid = create_organization(ctx, OrganizationInput(name="A課"))
    keep = create_person(ctx, PersonInput(family_name="髙橋", given_name="一郎"),
                         PostInput(0, oid, title="主査", start_on=date(2020, 4, 1),
                                   end_on=date(2023, 3, 31)))
    dup = create_person(ctx, PersonInput(family_name="高橋", given_name="一郎",
                                         family_kana="たかはし", given_kana="いちろう"),
                        PostInput(0, oid, title="係長", start_on=date(2023, 4, 1)))
    _references(ctx, oid, dup)
    merge_people(ctx, keep, dup)
    person = get_person(ctx, keep)
    assert [p.title for p in person.posts] == ["係長", "主査"]
    assert person.data.family_kana == "たかはし"  # filled from the merged record
    assert [m.body_name for m in person.memberships] == ["実務者会議"]
    with ctx.session() as s:
        assert s.scalars(select(Attendance.person_id)).all() == [keep]
        assert s.scalars(select(ActionItem.assignee_person_id)).all() == [keep]
        assert s.get(Person, dup).merged_into_id == keep
    assert [p.id for p in list_people(ctx, in_post_only=False)] == [keep]
    assert [p.id for p in list_people(ctx, query="たかはし")] == [keep]
    with pytest.raises(ValidationError):
        merge_people(ctx, keep, keep)
