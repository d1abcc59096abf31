"""The 関係機関 lists read plain columns: every field of each line is what it was before.

The people list shows each person's main post (a current one, the 担当窓口 first, then the
latest started), a phone taken from the post, else the person, else the organization,
and the 会議体 the person sits on; these lines are checked value for value.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from pfdesk.services.directory.organizations import (
    abolish_organization,
    create_organization,
    list_organizations,
)
from pfdesk.services.directory.people import add_post, create_person, list_people
from pfdesk.services.directory.rollover import ENDED, rollover_list
from pfdesk.services.directory.types import (
    OrganizationInput,
    OrganizationRow,
    PersonInput,
    PersonRow,
    PostInput,
)
from pfdesk.services.meetings import bodies
from pfdesk.store.models import Post

TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=800)


def _town(ctx) -> dict[str, int]:
    ids = {
        "shakyo": create_organization(ctx, OrganizationInput(
            name="みどり川町社会福祉協議会", name_kana="みどりかわちょうしゃかいふくしきょうぎかい",
            field="welfare", kind="social_welfare_council", phone="0889-52-1111",
            address="みどり川町1-1")),
        "hoken": create_organization(ctx, OrganizationInput(
            name="あおば保健所", name_kana="あおばほけんじょ", field="health",
            phone="0889-52-2222", department="精神保健係", postal_code="781-2104")),
        "old": create_organization(ctx, OrganizationInput(
            name="旧相談センター", name_kana="きゅうそうだんせんたー")),
    }

    def person(family, given, fk, gk, **kw):
        return create_person(ctx, PersonInput(family_name=family, given_name=given,
                                              family_kana=fk, given_kana=gk, **kw))

    def post(pid, org, **kw):
        return add_post(ctx, PostInput(person_id=pid, organization_id=ids[org], **kw))

    # Two current posts: the 担当窓口 one is the main post although it started earlier.
    ids["yamada"] = person("山田", "太郎", "やまだ", "たろう", phone="090-0000-0000")
    post(ids["yamada"], "shakyo", title="相談員", start_on=TODAY - timedelta(days=30),
         is_contact=False, email="yamada@shakyo.example.jp")
    post(ids["yamada"], "hoken", department="精神保健係", title="保健師",
         start_on=LONG_AGO, phone="090-1111-2222")
    # No phone on the post: the person's; no e-mail on the post: the person's.
    ids["sato"] = person("佐藤", "花子", "さとう", "はなこ", phone="03-1234-5678",
                         email="hanako@example.jp")
    post(ids["sato"], "shakyo", department="地域福祉係", start_on=LONG_AGO)
    # Neither: the organization's phone.
    ids["suzuki"] = person("鈴木", "一郎", "すずき", "いちろう")
    post(ids["suzuki"], "shakyo", start_on=LONG_AGO)
    # Only an ended post: listed only without 在任中のみ, with that post, not in post.
    ids["tanaka"] = person("田中", "次郎", "たなか", "じろう")
    post(ids["tanaka"], "hoken", title="主事", start_on=LONG_AGO,
         end_on=TODAY - timedelta(days=10))
    # No post at all, and no reading: after the readings, by the name.
    ids["ito"] = person("伊藤", "", "", "", phone="0889-00-0000")
    abolish_organization(ctx, ids["old"], TODAY - timedelta(days=5))
    council = bodies.create_body(ctx, bodies.BodyInput(name="代表者会議", kind="plenary"))
    working = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    for body in (working, council):
        bodies.add_member(ctx, body, bodies.MemberInput(person_id=ids["yamada"],
                                                        start_on=LONG_AGO))
    bodies.add_member(ctx, working, bodies.MemberInput(
        person_id=ids["sato"], start_on=LONG_AGO, end_on=TODAY - timedelta(days=1)))
    ids["council"], ids["working"] = council, working
    return ids


def test_each_person_line_carries_the_main_post_phone_and_bodies(ctx):
    ids = _town(ctx)
    yamada = PersonRow(
        id=ids["yamada"], full_name="山田　太郎", full_kana="やまだ　たろう",
        organization_id=ids["hoken"], organization_name="あおば保健所", department="精神保健係",
        title="保健師", phone="090-1111-2222", email="", in_post=True,
        bodies="代表者会議、実務者会議")
    sato = PersonRow(
        id=ids["sato"], full_name="佐藤　花子", full_kana="さとう　はなこ",
        organization_id=ids["shakyo"], organization_name="みどり川町社会福祉協議会",
        department="地域福祉係", title="", phone="03-1234-5678", email="hanako@example.jp",
        in_post=True, bodies="")
    suzuki = PersonRow(
        id=ids["suzuki"], full_name="鈴木　一郎", full_kana="すずき　いちろう",
        organization_id=ids["shakyo"], organization_name="みどり川町社会福祉協議会",
        department="", title="", phone="0889-52-1111", email="", in_post=True, bodies="")
    tanaka = PersonRow(
        id=ids["tanaka"], full_name="田中　次郎", full_kana="たなか　じろう",
        organization_id=ids["hoken"], organization_name="あおば保健所", department="",
        title="主事", phone="0889-52-2222", email="", in_post=False, bodies="")
    ito = PersonRow(
        id=ids["ito"], full_name="伊藤", full_kana="", organization_id=None,
        organization_name="", department="", title="", phone="0889-00-0000", email="",
        in_post=False, bodies="")
    # The bodies are the seats held today, in the bodies' order (実務者会議 was made second).
    assert list_people(ctx) == [sato, suzuki, yamada]
    assert list_people(ctx, in_post_only=False) == [sato, suzuki, tanaka, yamada, ito]
    assert list_people(ctx, query="ほけんじょ", in_post_only=False) == [tanaka, yamada]
    assert list_people(ctx, field="health") == [yamada]
    assert list_people(ctx, body_id=ids["working"]) == [yamada]
    assert list_people(ctx, body_id=ids["working"], in_post_only=False) == [sato, yamada]
    assert list_people(ctx, organization_id=ids["shakyo"]) == [sato, suzuki, yamada]


def test_each_organization_line_is_as_the_form_saved_it(ctx):
    ids = _town(ctx)
    shakyo = OrganizationRow(
        id=ids["shakyo"], name="みどり川町社会福祉協議会",
        name_kana="みどりかわちょうしゃかいふくしきょうぎかい", field="welfare",
        kind="social_welfare_council", department="", phone="0889-52-1111", postal_code="", address="みどり川町1-1",
        active=True, abolished_on=None, people_in_post=3)
    hoken = OrganizationRow(
        id=ids["hoken"], name="あおば保健所", name_kana="あおばほけんじょ", field="health",
        kind="other", department="精神保健係", phone="0889-52-2222", postal_code="781-2104",
        address="", active=True, abolished_on=None, people_in_post=1)
    old = OrganizationRow(
        id=ids["old"], name="旧相談センター", name_kana="きゅうそうだんせんたー", field="other",
        kind="other", department="", phone="", postal_code="", address="", active=False,
        abolished_on=TODAY - timedelta(days=5), people_in_post=0)
    assert list_organizations(ctx) == [hoken, shakyo]
    assert list_organizations(ctx, active_only=False) == [hoken, old, shakyo]
    # 山田 sits on it and holds a current post in both.
    assert list_organizations(ctx, body_id=ids["council"]) == [hoken, shakyo]


def test_the_ended_post_waits_in_the_rollover_with_its_names(ctx):
    ids = _town(ctx)
    with ctx.session() as s:  # entered long ago, never confirmed since
        s.execute(update(Post).where(Post.person_id == ids["tanaka"]).values(confirmed_fy=2020))
        s.commit()
    ended = [i for i in rollover_list(ctx).items if i.reason == ENDED]
    assert [(i.person_id, i.person_name, i.person_kana, i.organization_id,
             i.organization_name, i.organization_kana, i.title) for i in ended] == [
        (ids["tanaka"], "田中　次郎", "たなか　じろう", ids["hoken"], "あおば保健所",
         "あおばほけんじょ", "主事")]
