"""保存年限: periods set by the administrator, the 廃棄候補一覧, and irreversible disposal."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services import retention
from pfdesk.services.audit_log import search_audit
from pfdesk.services.context import Actor
from pfdesk.store.models import Case, Contact, Draft, Referral

NAME = "秘密野"


def _case(s, serial, *, closed_on=None, voided_at=None, birth=date(1990, 5, 1)):
    case = Case(
        case_number=f"R2-{serial:04d}", fiscal_year=2020, serial=serial,
        intake_date=date(2020, 6, 1), family_name=NAME, given_name="花子",
        family_kana="ヒミツノ", given_kana="ハナコ", birth_date=birth, address="みどり川町1-2",
        phone="0889-00-0000", household="母", school_or_employer="町立中学校",
        chief_complaint="外に出られない", policy="訪問", goal="通所", sex="female",
        status="closed" if closed_on else "support", closed_on=closed_on, voided_at=voided_at,
        issues_json='["social"]', search_text=f"ひみつの {NAME}",
    )
    s.add(case)
    s.flush()
    s.add(Contact(case_id=case.id, occurred_at=datetime(2020, 6, 1, 10), body=f"{NAME}さん来所",
                  next_plan="再訪問", main_topic="social"))
    s.add(Referral(case_id=case.id, referred_on=date(2020, 7, 1), note="同行"))
    return case


@pytest.fixture
def cases(ctx):
    with ctx.session() as s:
        old = _case(s, 1, closed_on=date(2020, 9, 30))
        recent = _case(s, 2, closed_on=date(2024, 3, 31))
        active = _case(s, 3)
        voided = _case(s, 4, voided_at=datetime(2024, 1, 10, 9))
        s.commit()
        return old.id, recent.id, active.id, voided.id


def test_default_periods_and_admin_sets_them(ctx):
    periods = {p.record_type: p.years for p in retention.retention_periods(ctx)}
    assert periods == {"closed_case": 5, "voided_case": 1}
    retention.set_retention_periods(ctx, {"closed_case": 10})
    assert retention.retention_periods(ctx)[0].years == 10
    with pytest.raises(ValidationError, match="1〜30年"):
        retention.set_retention_periods(ctx, {"closed_case": 0})
    staff = ctx.acting_as(Actor("tanaka", "", "staff"))
    with pytest.raises(PermissionDenied):
        retention.set_retention_periods(staff, {"closed_case": 1})


def test_yearly_candidates_follow_the_periods(ctx, cases):
    old, recent, _active, voided = cases
    as_of = retention.year_end(2025)  # 2026-03-31
    found = retention.disposal_candidates(ctx, as_of)
    assert [c.case_id for c in found] == [old, voided]
    assert found[0].due_on == date(2025, 9, 30) and found[0].record_label.startswith("終結")
    assert NAME not in repr(found)
    retention.set_retention_periods(ctx, {"closed_case": 1})
    assert recent in [c.case_id for c in retention.disposal_candidates(ctx, as_of)]


def test_disposal_removes_personal_fields_and_keeps_codes(ctx, cases, tmp_path):
    old, recent, *_ = cases
    as_of = date(2026, 3, 31)
    assert retention.export_candidates(ctx, tmp_path / "list.csv", as_of) == 2
    rows = list(csv.reader((tmp_path / "list.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][0] == "R2-0001"
    with pytest.raises(ValidationError, match="保存年限が過ぎていない"):
        retention.dispose_cases(ctx, [old, recent], as_of, approval="保福第12号")
    with ctx.session() as s:
        s.add_all([Draft(user_name="admin", draft_key=f"case:{old}:policy", text=NAME),
                   Draft(user_name="admin", draft_key=f"quick:{old}", text=NAME),
                   Draft(user_name="admin", draft_key=f"case:{recent}:policy", text=NAME)])
        s.commit()
    assert retention.dispose_cases(ctx, [old], as_of, approval="保福第12号") == ["R2-0001"]
    with ctx.session() as s:
        case = s.get(Case, old)
        assert case.family_name == case.address == case.chief_complaint == case.search_text == ""
        assert case.birth_date is None and case.disposed_at is not None
        assert (case.sex, case.age_band, case.status) == ("female", "30s", "closed")
        assert case.issues_json == '["social"]'
        contact = s.query(Contact).filter_by(case_id=old).one()
        assert contact.body == "" and contact.main_topic == "social"
        assert s.query(Referral).filter_by(case_id=old).one().note == ""
        assert s.get(Case, recent).family_name == NAME
        assert [d.draft_key for d in s.query(Draft)] == [f"case:{recent}:policy"]
    assert old not in [c.case_id for c in retention.disposal_candidates(ctx, as_of)]
    entry = search_audit(ctx).entries[0]
    assert entry.action == "retention.dispose" and entry.target_ids == str(old)
    ctx.store.close()
    raw = ctx.store.paths.store.read_bytes()
    assert "外に出られない".encode() in raw  # still in the recent case
    assert "R2-0001" in entry.detail and "保福第12号" in entry.detail


def test_disposed_text_is_gone_from_the_file(ctx):
    with ctx.session() as s:
        case = _case(s, 9, closed_on=date(2015, 1, 1))
        case.chief_complaint = "一度だけの特別な文言"
        s.commit()
        cid = case.id
    retention.dispose_cases(ctx, [cid], date(2026, 1, 1), approval="保福第13号")
    ctx.store.close()
    data = ctx.store.paths.store.read_bytes()
    for suffix in ("-wal",):
        wal = ctx.store.paths.store.with_name(ctx.store.paths.store.name + suffix)
        if wal.exists():
            data += wal.read_bytes()
    assert "一度だけの特別な文言".encode() not in data


def test_disposal_needs_an_approval_and_a_date_that_has_come(ctx, cases):
    old, *_ = cases
    from datetime import timedelta

    with pytest.raises(ValidationError, match="決裁番号"):
        retention.dispose_cases(ctx, [old], date(2026, 3, 31))
    with pytest.raises(ValidationError, match="今日より後"):
        retention.dispose_cases(ctx, [old], date.today() + timedelta(days=3650), approval="x")
    with ctx.session() as s:
        assert s.get(Case, old).family_name == NAME  # nothing changed


def test_disposal_removes_the_case_from_meeting_text_and_attachments(ctx, cases):
    from pfdesk.store.models import ActionItem, AgendaItem, Body, Decision, Material, Meeting

    old, recent, *_ = cases
    att = ctx.store.paths.attachments / "case.pdf"
    att.write_bytes(b"%PDF-1.4 " + NAME.encode())
    with ctx.session() as s:
        old_case = s.get(Case, old)
        body = Body(name="ケース会議", kind="case_conference")
        s.add(body)
        s.flush()
        m = Meeting(body_id=body.id, fiscal_year=2020, number=1, held_on=date(2020, 6, 1),
                    next_plan=f"次回も{NAME}さんの件を確認")
        s.add(m)
        s.flush()
        linked = AgendaItem(meeting_id=m.id, position=1, title="個別ケースの検討",
                            case_id=old, summary=f"{old_case.address}に住む本人の状況")
        other = AgendaItem(meeting_id=m.id, position=2, title=f"{NAME}さんの家族について")
        s.add_all([linked, other])
        s.flush()
        s.add_all([Decision(agenda_item_id=linked.id, position=1, text="訪問を続ける"),
                   Material(agenda_item_id=linked.id, position=1, title="経過",
                            stored_name="case.pdf"),
                   ActionItem(body_id=body.id, meeting_id=m.id, case_id=old,
                              description="母親に連絡")])
        s.commit()
    retention.dispose_cases(ctx, [old], date(2026, 3, 31), approval="保福第12号")
    with ctx.session() as s:
        texts = [t for (t,) in s.execute(select(AgendaItem.title))] + \
            [t for (t,) in s.execute(select(AgendaItem.summary))] + \
            [t for (t,) in s.execute(select(Meeting.next_plan))] + \
            [t for (t,) in s.execute(select(Decision.text))] + \
            [t for (t,) in s.execute(select(ActionItem.description))] + \
            [t for (t,) in s.execute(select(Material.title))]
    assert not any(NAME in t for t in texts), texts
    assert any("R2-0001" in t for t in texts)  # the number stands where the name was
    assert not att.exists()


def test_after_disposal_no_file_of_the_data_folder_holds_the_identity(ctx, cases, tmp_path):
    from pfdesk.services.backup import (
        backup_store,
        backups_before_disposal,
        shred_backups_before_disposal,
    )

    old, *others = cases
    with ctx.session() as s:
        for cid in others:  # only the disposed case carries NAME now
            s.get(Case, cid).family_name = "別人"
            s.get(Case, cid).search_text = "べつじん"
        for c in s.scalars(select(Contact)).all():
            if c.case_id != old:
                c.body = "別人さん来所"
        s.commit()
    ctx.store.checkpoint()
    backup_store(ctx)  # holds the identity
    retention.dispose_cases(ctx, [old], date(2026, 3, 31), approval="保福第12号")
    assert len(backups_before_disposal(ctx)) == 1
    gone = shred_backups_before_disposal(ctx)
    assert len(gone) == 1 and backups_before_disposal(ctx) == []
    assert len(list(ctx.store.paths.backups.glob("*.zip"))) == 1  # the new recovery point
    ctx.store.close()
    secret = NAME.encode()
    hits = []
    for f in ctx.store.paths.root.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            if secret in data:
                hits.append(f.name)
            if f.suffix == ".zip":
                import zipfile

                with zipfile.ZipFile(f) as z:
                    hits += [f"{f.name}:{n}" for n in z.namelist() if secret in z.read(n)]
    assert hits == []  # the store, its WAL and freed pages, backups, drafts: nothing left
