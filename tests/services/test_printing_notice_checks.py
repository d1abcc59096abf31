"""A notice is refused for a cancelled meeting and warns about past dates and closed days."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pfdesk.core.errors import ValidationError
from pfdesk.services.printing import print_meeting_document
from pfdesk.store.models import DocumentNumber, Meeting
from tests.printing_fixtures import build_meeting


def _update(ctx, meeting_id: int, **values) -> None:
    with ctx.store.session() as s:
        m = s.scalars(select(Meeting).where(Meeting.id == meeting_id)).one()
        for key, value in values.items():
            setattr(m, key, value)
        s.commit()


def test_cancelled_meeting_gets_no_notice_and_no_number(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    _update(ctx, built.meeting_id, status="cancelled")
    for kind in ("notice", "reply"):
        with pytest.raises(ValidationError) as err:
            print_meeting_document(ctx, built.meeting_id, kind, tmp_path / f"{kind}.pdf")
        assert "中止" in err.value.message and "「予定」に戻して" in err.value.hint
        assert not (tmp_path / f"{kind}.pdf").exists()
    with ctx.store.session() as s:
        assert s.scalars(select(DocumentNumber)).all() == []


@pytest.mark.parametrize(("deadline", "why"), [
    (date(2026, 11, 28), "土曜日"),
    (date(2026, 11, 23), "勤労感謝の日"),
    (date(2026, 12, 29), "年末年始"),
])
def test_reply_deadline_on_a_closed_day_is_pointed_out(ctx, tmp_path, deadline, why):
    built = build_meeting(ctx.store, "practitioners")
    _update(ctx, built.meeting_id, held_on=date(2027, 1, 14), reply_deadline=deadline)
    result = print_meeting_document(ctx, built.meeting_id, "notice", tmp_path / "n.pdf")
    assert result.pages >= 1 and result.doc_number
    assert any("回答期限" in w and why in w and "閉庁日" in w for w in result.warnings), \
        result.warnings


def test_working_day_deadline_and_future_meeting_print_without_warnings(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    _update(ctx, built.meeting_id, held_on=date(2099, 12, 10), reply_deadline=date(2099, 11, 30))
    result = print_meeting_document(ctx, built.meeting_id, "reply", tmp_path / "r.pdf")
    assert result.warnings == ()


def test_past_meeting_is_pointed_out(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    _update(ctx, built.meeting_id, held_on=date(2001, 4, 10), reply_deadline=None)
    result = print_meeting_document(ctx, built.meeting_id, "notice", tmp_path / "n.pdf")
    assert any("既に過ぎています" in w and "平成13年4月10日（火）" in w for w in result.warnings)
