"""すべてを検索: every kind found with the usual folding, and nothing a role may not see."""

from __future__ import annotations

import json

from sqlalchemy import select

from pfdesk.services.context import Actor
from pfdesk.services.global_search import search_everything
from pfdesk.store.models import AgendaItem, AuditEvent, Case, Meeting


def _group(results, kind):
    return next((g for g in results.groups if g.kind == kind), None)


def test_every_kind_is_found_and_grouped_with_the_usual_folding(demo_ctx):
    # Half-width katakana finds 保健 in organization names (folded like the directory search).
    r = search_everything(demo_ctx, "ﾎｹﾝ")
    orgs = _group(r, "organization")
    assert orgs is not None and any(h.title == "みどり川町保健センター" for h in orgs.hits)
    # 髙橋 finds 高橋 too (異体字), as people and as cases, grouped in the fixed order.
    r = search_everything(demo_ctx, "髙橋")
    kinds = [g.kind for g in r.groups]
    assert kinds == sorted(kinds, key=["organization", "person", "case", "meeting",
                                       "minutes"].index)
    people = _group(r, "person")
    assert {h.title[:2] for h in people.hits} == {"高橋", "髙橋"}
    assert any("高橋" in h.title for h in _group(r, "case").hits)
    # A place finds meetings; words of the 要点筆記 find the minutes, with the words shown.
    assert _group(search_everything(demo_ctx, "研修室"), "meeting").total > 0
    minutes = _group(search_everything(demo_ctx, "自室で過ごす"), "minutes")
    assert minutes.total > 0 and "自室で過ごす" in minutes.hits[0].detail
    # Meetings stop being read once both kinds have more than are shown: "at least".
    r = search_everything(demo_ctx, "研修室", per_kind=3)
    meetings, minutes = _group(r, "meeting"), _group(r, "minutes")
    assert meetings.more and minutes.more and len(meetings.hits) == 3 and meetings.total > 3
    # More than the shown hits: the total still says how many.
    r = search_everything(demo_ctx, "居場所", per_kind=3)
    cases = _group(r, "case")
    assert len(cases.hits) == 3 and cases.total > 3


def test_empty_query_finds_nothing_and_nothing_matching_says_so(demo_ctx):
    assert search_everything(demo_ctx, "   ").groups == ()
    assert search_everything(demo_ctx, "存在しない語ぬぬぬ").total == 0


def _name_in_minutes(demo_ctx) -> tuple[str, int]:
    """A case's name typed into the 要点筆記 of an item not linked to it (kept as typed)."""
    with demo_ctx.store.session() as s:
        case = s.scalars(select(Case).order_by(Case.id)).first()
        item = s.scalars(select(AgendaItem).join(Meeting).where(
            AgendaItem.case_id.is_(None), Meeting.status == "held")).first()
        name = f"{case.family_name}{case.given_name}"
        item.summary = f"{name}さんの件を共有した。"
        s.commit()
        return name, item.meeting_id


def test_a_viewer_finds_no_case_and_no_identity_in_minutes(demo_ctx):
    name, meeting_id = _name_in_minutes(demo_ctx)
    full = search_everything(demo_ctx, name)
    assert meeting_id in [h.id for h in _group(full, "minutes").hits]
    assert _group(full, "case").total >= 1

    viewer = demo_ctx.acting_as(Actor("iin", "委員", "viewer"))
    seen = search_everything(viewer, name)
    assert _group(seen, "case") is None
    assert "相談ケース" in seen.not_searched
    minutes = _group(seen, "minutes")
    assert minutes is None or meeting_id not in [h.id for h in minutes.hits]
    assert all(name not in h.title + h.detail for g in seen.groups for h in g.hits)


def test_the_access_log_records_the_search_but_not_its_words(demo_ctx):
    search_everything(demo_ctx, "髙橋")
    with demo_ctx.store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "search")
                          .order_by(AuditEvent.id.desc())).first()
        detail = json.loads(event.detail_json)
    assert detail["results"] > 0
    detail = json.dumps(detail, ensure_ascii=False)
    assert "髙橋" not in detail and "高橋" not in detail
    assert "担当者" in detail  # which kinds were found, in office words
