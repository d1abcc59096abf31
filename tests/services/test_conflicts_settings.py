"""Two PCs on one store: the 秘匿 rule, the 保存年限 and the 地域課題 tags are never lost.

The rule and the periods are whole settings: a save from a form opened before the other
PC's save is refused, says who saved and what changed, writes nothing, and saving again
on top of the setting as it is now stores the kept input. The tags are check boxes: the
user's own ticks and unticks go onto the tags as stored, so a tag the other PC added
stays (tests/postgres runs this module on a server too).
"""

from __future__ import annotations

from datetime import date

import pytest

from pfdesk.core.errors import EditConflict
from pfdesk.services.area_issues import tags
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.meetings import agenda, bodies, meetings
from pfdesk.services.retention import periods_of, retention_periods, set_retention_periods
from pfdesk.services.small_counts import (
    SmallCountRule,
    get_small_count_rule,
    set_small_count_rule,
)


@pytest.fixture
def pc2(ctx, second_store) -> ServiceContext:
    """Another administrator working on the second PC."""
    return ServiceContext(store=second_store, actor=Actor("sato", "佐藤", "admin"))


def _refused(call, who: str) -> EditConflict:
    with pytest.raises(EditConflict) as caught:
        call()
    text = caught.value.user_text()
    assert "あなたが画面を開いた後に、ほかのパソコンか画面で" in text and f"（{who}、" in text
    assert "あなたの入力はまだ保存していません" in text and "もう一度" in text
    return caught.value


def test_a_stale_small_count_rule_is_refused_and_saved_on_top_knowingly(ctx, pc2):
    on_pc1, on_pc2 = get_small_count_rule(ctx), get_small_count_rule(pc2)
    set_small_count_rule(pc2, SmallCountRule(True, "primary", 3), seen=on_pc2)

    typed = SmallCountRule(False, "secondary", 2)  # PC 1 only meant to switch it off
    e = _refused(lambda: set_small_count_rule(ctx, typed, seen=on_pc1), "sato")
    assert "設定（小さい数の秘匿）は" in e.message
    assert dict(e.changed) == {"秘匿の方法": "小さい数だけを隠す（合計から計算できる場合があります）",
                               "秘匿する数の上限": "3"}
    assert get_small_count_rule(ctx) == SmallCountRule(True, "primary", 3)  # nothing written

    set_small_count_rule(ctx, typed, seen=e.current.values)  # read, saved on top
    assert get_small_count_rule(pc2) == typed


def test_a_fresh_small_count_rule_and_one_saved_without_a_form_go_through(ctx, pc2):
    set_small_count_rule(ctx, SmallCountRule(True, "secondary", 3),
                         seen=get_small_count_rule(ctx))
    set_small_count_rule(pc2, SmallCountRule(True, "secondary", 4),
                         seen=get_small_count_rule(pc2))
    set_small_count_rule(ctx, SmallCountRule(True, "secondary", 5))  # no form: as before
    assert get_small_count_rule(pc2).threshold == 5


def test_the_hiding_command_refuses_to_undo_a_change_made_since_it_read_the_rule(
        ctx, pc2, monkeypatch, capsys):
    """``pfdesk hiding --threshold 3`` builds on the rule it read; a change in between wins."""
    import argparse

    from pfdesk.cli import stats
    from pfdesk.services import small_counts

    real = small_counts.get_small_count_rule

    def read_then_other_pc_saves(c):
        rule = real(c)
        set_small_count_rule(pc2, SmallCountRule(False, "secondary", 2), seen=real(pc2))
        return rule

    monkeypatch.setattr(small_counts, "get_small_count_rule", read_then_other_pc_saves)
    args = argparse.Namespace(on=False, off=False, rule=None, threshold=3)
    with pytest.raises(EditConflict) as caught:
        stats._run_hiding(args, ctx)
    assert dict(caught.value.changed) == {"秘匿する": "いいえ"}
    assert get_small_count_rule(ctx) == SmallCountRule(False, "secondary", 2)


def test_stale_retention_periods_are_refused_and_saved_on_top_knowingly(ctx, pc2):
    on_pc1, on_pc2 = periods_of(retention_periods(ctx)), periods_of(retention_periods(pc2))
    set_retention_periods(pc2, {"closed_case": 10, "voided_case": 1}, seen=on_pc2)

    typed = {"closed_case": 5, "voided_case": 3}  # PC 1 changed only the voided cases
    e = _refused(lambda: set_retention_periods(ctx, typed, seen=on_pc1), "sato")
    assert e.message.startswith("保存年限は")
    assert dict(e.changed) == {"終結した相談ケース（終結後）": "10年"}
    assert periods_of(retention_periods(ctx)) == {"closed_case": 10, "voided_case": 1}

    saved = set_retention_periods(ctx, {**typed, "closed_case": 10}, seen=e.current.values)
    assert periods_of(saved) == {"closed_case": 10, "voided_case": 3}
    assert periods_of(retention_periods(pc2)) == {"closed_case": 10, "voided_case": 3}


def test_retention_periods_from_a_fresh_form_never_conflict(ctx, pc2):
    set_retention_periods(ctx, {"closed_case": 7}, seen=periods_of(retention_periods(ctx)))
    saved = set_retention_periods(pc2, {"voided_case": 2},
                                  seen=periods_of(retention_periods(pc2)))
    assert periods_of(saved) == {"closed_case": 7, "voided_case": 2}


def _case(ctx) -> int:
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="鷹取",
                                            given_name="翔")).id


def test_a_case_tag_added_on_another_pc_is_kept_by_a_stale_form(ctx, pc2):
    case_id = _case(ctx)
    tags.set_case_issues(ctx, case_id, ["transport", "awareness"])
    on_pc1, on_pc2 = tags.case_issues(ctx, case_id), tags.case_issues(pc2, case_id)
    # PC 2 adds 居場所の不足 and takes 相談窓口が知られていない off.
    tags.set_case_issues(pc2, case_id, ["transport", "ibasho_lack"], seen=on_pc2)

    # PC 1's form still shows its first tags; the user ticks 家族の高齢化 and unticks 移動手段.
    stored = tags.set_case_issues(ctx, case_id, ["awareness", "family_aging"], seen=on_pc1)
    assert stored == ("ibasho_lack", "family_aging")
    assert tags.case_issues(pc2, case_id) == ("ibasho_lack", "family_aging")


def test_without_a_form_the_case_tags_are_exactly_the_given_ones(ctx, pc2):
    case_id = _case(ctx)
    tags.set_case_issues(ctx, case_id, ["transport"])
    tags.set_case_issues(pc2, case_id, ["ibasho_lack"], seen=tags.case_issues(pc2, case_id))
    assert tags.set_case_issues(ctx, case_id, ["awareness"]) == ("awareness",)


def test_an_item_tag_added_on_another_pc_is_kept_and_the_merge_audited(ctx, pc2):
    from sqlalchemy import select

    from pfdesk.store.models import AuditEvent

    body = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10), place="保健センター"), invite=False)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所の報告"))
    on_pc1 = tags.item_issues(ctx, item)
    tags.set_item_issues(pc2, item, ["medical_link"], seen=tags.item_issues(pc2, item))

    assert tags.set_item_issues(ctx, item, ["ibasho_lack"], seen=on_pc1) == (
        "ibasho_lack", "medical_link")
    with ctx.session() as s:
        detail = s.scalars(select(AuditEvent.detail_json).where(
            AuditEvent.action == "area_issues.item").order_by(AuditEvent.id.desc())).first()
    assert "kept_from_elsewhere" in detail and "medical_link" in detail
