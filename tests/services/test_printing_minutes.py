"""The 会議録 says when it opened and closed, who recorded it and when; 議事要旨 is public."""

from __future__ import annotations

import re

from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.services.printing import PrintOptions, print_meeting_document
from pfdesk.store.models import Attendance, Meeting
from tests.printing_fixtures import build_meeting


def _text(path) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages)


def _previous(ctx, built) -> int:
    with ctx.store.session() as s:
        current = s.get(Meeting, built.meeting_id)
        return s.scalars(select(Meeting.id).where(Meeting.body_id == current.body_id,
                                                  Meeting.id != current.id)).one()


def test_minutes_record_times_recorder_date_and_next_meeting(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    out = tmp_path / "会議録.pdf"
    print_meeting_document(ctx, _previous(ctx, built), "minutes", out,
                           PrintOptions(minutes_signature=True))
    text = _text(out)
    assert "開会・閉会開会14時閉会16時" in text
    assert "記録者" + ctx.actor.display_name in text and "作成日令和" in text
    # The next meeting of the body, in 和暦 with 曜日, then the free text.
    assert "次回予定令和8年12月10日（木）14時～15時30分みどり川町保健センター" in text
    assert "相違ないことを確認します" in text and "署名" in text
    plain = tmp_path / "plain.pdf"
    print_meeting_document(ctx, _previous(ctx, built), "minutes", plain)
    assert "相違ないことを確認します" not in _text(plain)


def test_case_minutes_are_handled_with_care(ctx, tmp_path):
    built = build_meeting(ctx.store, "case_conference")
    out = tmp_path / "会議録.pdf"
    print_meeting_document(ctx, built.meeting_id, "minutes", out)
    assert "取扱注意" in _text(out)


def test_public_summary_has_decisions_and_counts_but_no_names(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    full, public = tmp_path / "会議録.pdf", tmp_path / "議事要旨.pdf"
    print_meeting_document(ctx, built.meeting_id, "minutes", full)
    print_meeting_document(ctx, built.meeting_id, "minutes", public,
                           PrintOptions(minutes_heading="議事要旨"))
    full_text, public_text = _text(full), _text(public)
    assert "議事要旨" in public_text and "決定事項" in public_text and "委員等" in public_text
    with ctx.store.session() as s:
        names = [re.sub(r"\s", "", n) for n in s.scalars(select(Attendance.name).where(
            Attendance.meeting_id == built.meeting_id)).all()]
    names = [n for n in names if n]
    assert names and any(n in full_text for n in names)
    assert [n for n in names if n in public_text] == []
    assert public_text != full_text.replace("会議録", "議事要旨")


def test_the_public_summary_of_case_minutes_names_no_case_and_is_not_marked(demo_ctx, tmp_path):
    from pfdesk.store.models import AgendaItem, Case, Decision

    with demo_ctx.store.session() as s:
        item = s.scalars(select(AgendaItem).join(Meeting).where(
            AgendaItem.case_id.is_not(None), Meeting.publicity == "closed")).first()
        case = s.get(Case, item.case_id)
        meeting_id, name = item.meeting_id, f"{case.family_name}{case.given_name}"
        # A decision of an open item that names the case in free text.
        other = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                   AgendaItem.case_id.is_(None))).first()
        if other is None:
            other = AgendaItem(meeting_id=meeting_id, position=99, title="地域の居場所",
                               publicity="public")
            s.add(other)
            s.flush()
        other.publicity = "public"
        s.add(Decision(agenda_item_id=other.id, position=9, text=f"{name}さんの家族会参加を支援する"))
        s.commit()
    out = tmp_path / "議事要旨.pdf"
    print_meeting_document(demo_ctx, meeting_id, "minutes", out,
                           PrintOptions(minutes_heading="議事要旨"))
    text = _text(out)
    assert name not in text and "取扱注意" not in text
    assert "家族会参加を支援する" in text  # the decision itself is published
