"""Directory services: organizations, people, posts, search and the audit they leave."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.core.permissions import VIEWER
from pfdesk.services.context import Actor
from pfdesk.services.directory.organizations import (
    abolish_organization,
    create_organization,
    delete_organization,
    get_organization,
    list_organizations,
    update_organization,
)
from pfdesk.services.directory.people import (
    add_post,
    create_person,
    delete_person,
    end_post,
    get_person,
    list_people,
)
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput
from pfdesk.store.models import AuditEvent, Organization, Referral


def _org(ctx, name="みどり川町社会福祉協議会", kana="みどりかわちょうしゃかいふくしきょうぎかい", **kw):
    return create_organization(ctx, OrganizationInput(name=name, name_kana=kana, **kw))


def _person(ctx, org_id, family, given, fk, gk, **post):
    return create_person(
        ctx, PersonInput(family_name=family, given_name=given, family_kana=fk, given_kana=gk),
        PostInput(person_id=0, organization_id=org_id, **post),
    )


def _actions(ctx):
    with ctx.session() as s:
        return [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_typed_phone_and_postal_code_are_normalized_not_rejected(ctx):
    oid = _org(ctx, phone="０８８９ー５２ー１２３４", fax="0889（52）1235", postal_code="〒７８１２１０４",
               email="Info@Shakyo.EXAMPLE.jp")
    d = get_organization(ctx, oid).data
    assert (d.phone, d.fax, d.postal_code) == ("0889-52-1234", "0889-52-1235", "781-2104")
    assert d.email == "Info@shakyo.example.jp"
    assert "directory.org.create" in _actions(ctx)


def test_unreadable_values_name_the_field(ctx):
    with pytest.raises(ValidationError) as e:
        _org(ctx, phone="0889-52")
    assert e.value.field == "phone"
    with pytest.raises(ValidationError) as e:
        _org(ctx, kana="Shakyo")
    assert e.value.field == "name_kana"
    with pytest.raises(ValidationError) as e:
        create_organization(ctx, OrganizationInput(name="  "))
    assert e.value.field == "name"


def test_same_name_twice_is_refused_even_with_a_variant_character(ctx):
    _org(ctx, name="髙橋司法書士事務所", kana="たかはししほうしょしじむしょ")
    with pytest.raises(ValidationError) as e:
        _org(ctx, name="高橋司法書士事務所", kana="たかはししほうしょしじむしょ")
    assert "すでにあります" in e.value.message


def test_search_finds_kanji_either_kana_width_and_variants(ctx):
    oid = _org(ctx)
    _person(ctx, oid, "髙橋", "一郎", "たかはし", "いちろう", title="係長")
    _person(ctx, oid, "𠮷田", "花子", "よしだ", "はなこ")
    _person(ctx, oid, "林", "亮", "はやし", "りょう")
    names = lambda q: [p.full_name for p in list_people(ctx, query=q)]  # noqa: E731
    for q in ("高橋", "髙橋", "タカハシ", "ﾀｶﾊｼ", "たかはし　いちろう", "高橋一郎"):
        assert names(q) == ["髙橋\u3000一郎"], q
    assert names("吉田") == ["𠮷田\u3000花子"]
    assert names("林") == ["林\u3000亮"]  # one-character names work through SQL LIKE
    assert names("社会福祉協議会") == ["髙橋\u3000一郎", "林\u3000亮", "𠮷田\u3000花子"]
    assert names("100%") == []
    assert [o.name for o in list_organizations(ctx, query="ミドリカワ")] == [
        "みどり川町社会福祉協議会"]


def test_lists_are_in_gojuon_order_of_the_reading(ctx):
    oid = _org(ctx)
    for fam, fk in (("渡辺", "わたなべ"), ("安藤", "あんどう"), ("加藤", "かとう"),
                    ("後藤", "ごとう"), ("小林", "こばやし")):
        _person(ctx, oid, fam, "一", fk, "はじめ")
    assert [p.full_name.split("\u3000")[0] for p in list_people(ctx)] == [
        "安藤", "加藤", "後藤", "小林", "渡辺"]


def test_renaming_updates_what_search_finds(ctx):
    oid = _org(ctx, name="旧名称センター", kana="きゅうめいしょうせんたー")
    update_organization(ctx, oid, OrganizationInput(name="新名称センター",
                                                    name_kana="しんめいしょうせんたー"))
    assert list_organizations(ctx, query="旧名称") == []
    assert [o.id for o in list_organizations(ctx, query="しんめいしょう")] == [oid]


def test_a_successor_is_added_without_erasing_the_predecessor(ctx):
    oid = _org(ctx)
    old = _person(ctx, oid, "佐藤", "誠", "さとう", "まこと", title="課長",
                  start_on=date(2020, 4, 1))
    post_id = get_person(ctx, old).posts[0].id
    end_post(ctx, post_id, date(2024, 3, 31))
    new = _person(ctx, oid, "鈴木", "恵子", "すずき", "けいこ", title="課長",
                  start_on=date(2024, 4, 1))
    posts = get_organization(ctx, oid).posts
    assert [(p.person_name, p.current) for p in posts] == [
        ("鈴木\u3000恵子", True), ("佐藤\u3000誠", False)]
    assert [p.id for p in list_people(ctx)] == [new]
    assert {p.id for p in list_people(ctx, in_post_only=False)} == {old, new}


def test_moving_to_another_organization_keeps_history(ctx):
    a, b = _org(ctx), _org(ctx, name="みどり川町保健福祉課", kana="みどりかわちょうほけんふくしか")
    pid = _person(ctx, a, "森", "修", "もり", "おさむ", start_on=date(2022, 4, 1))
    end_post(ctx, get_person(ctx, pid).posts[0].id, date(2025, 3, 31))
    add_post(ctx, PostInput(person_id=pid, organization_id=b, title="主査",
                            start_on=date(2025, 4, 1)))
    person = get_person(ctx, pid)
    assert [p.organization_name for p in person.posts] == ["みどり川町保健福祉課",
                                                            "みどり川町社会福祉協議会"]
    assert list_people(ctx)[0].organization_name == "みどり川町保健福祉課"


def test_abolished_organization_stays_with_its_date_and_posts_end(ctx):
    oid = _org(ctx)
    _person(ctx, oid, "林", "亮", "はやし", "りょう", start_on=date(2020, 4, 1))
    assert abolish_organization(ctx, oid, date(2025, 3, 31)) == 1
    assert list_organizations(ctx) == []
    row = list_organizations(ctx, active_only=False)[0]
    assert (row.active, row.abolished_on) == (False, date(2025, 3, 31))
    assert list_people(ctx) == []


def test_nothing_referenced_is_deleted(ctx):
    oid = _org(ctx)
    with ctx.session() as s:
        from pfdesk.store.models import Case

        case = Case(case_number="R8-0001", fiscal_year=2026, serial=1,
                    intake_date=date(2026, 5, 1))
        s.add(case)
        s.flush()
        s.add(Referral(case_id=case.id, organization_id=oid, referred_on=date(2026, 5, 2)))
        s.commit()
    with pytest.raises(ValidationError) as e:
        delete_organization(ctx, oid)
    assert "廃止" in e.value.hint
    spare = _org(ctx, name="誤登録", kana="ごとうろく")
    delete_organization(ctx, spare)
    with ctx.session() as s:
        assert s.get(Organization, spare) is None
        assert s.get(Organization, oid) is not None


def test_a_person_entered_by_mistake_can_be_deleted(ctx):
    oid = _org(ctx)
    pid = _person(ctx, oid, "誤", "入力", "ご", "にゅうりょく")
    delete_person(ctx, pid)
    assert list_people(ctx, in_post_only=False) == []
    assert "directory.person.delete" in _actions(ctx)


def test_a_viewer_reads_but_cannot_write(ctx):
    oid = _org(ctx)
    viewer = ctx.acting_as(Actor("v", "閲覧者", VIEWER))
    assert list_organizations(viewer)[0].id == oid
    with pytest.raises(PermissionDenied):
        update_organization(viewer, oid, OrganizationInput(name="x"))
    with pytest.raises(PermissionDenied):
        create_person(viewer, PersonInput(family_name="山田"))


def test_demo_people_show_their_bodies_and_filter_by_field(demo_ctx):
    people = list_people(demo_ctx)
    assert len(people) > 50
    education = list_people(demo_ctx, field="education")
    assert education and len(education) < len(people)
    assert all(p.in_post for p in people)
    orgs = list_organizations(demo_ctx, active_only=False)
    assert any(not o.active and o.abolished_on for o in orgs)
