"""Printing says which characters it could not print as typed, instead of dropping them."""

from __future__ import annotations

from sqlalchemy import select

from pfdesk.services.printing import print_meeting_document
from pfdesk.store.models import Meeting
from tests.printing_fixtures import build_meeting


def _set_place(ctx, meeting_id: int, place: str) -> None:
    with ctx.store.session() as s:
        s.scalars(select(Meeting).where(Meeting.id == meeting_id)).one().place = place
        s.commit()


def test_agenda_reports_a_character_no_font_has(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    _set_place(ctx, built.meeting_id, "みどり川町\ue123会館 2階")  # private use: in no font
    result = print_meeting_document(ctx, built.meeting_id, "agenda", tmp_path / "次第.pdf")
    assert len(result.warnings) == 1
    assert "U+E123" in result.warnings[0] and "会館" in result.warnings[0]
    _set_place(ctx, built.meeting_id, "みどり川町中央会館 2階")
    clean = print_meeting_document(ctx, built.meeting_id, "agenda", tmp_path / "次第2.pdf")
    assert clean.warnings == ()
