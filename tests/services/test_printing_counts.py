"""出席者名簿 and 会議録 count the 委員等 apart from the 事務局 who run the meeting."""

from __future__ import annotations

import re

from pypdf import PdfReader

from pfdesk.services.printing import PrintOptions, print_meeting_document
from tests.printing_fixtures import build_meeting


def _text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def test_roster_and_minutes_count_the_secretariat_separately(ctx, tmp_path):
    # Invited: 事務局 森野 (出席), 会長 (出席), a member by proxy, one absent, one undecided.
    built = build_meeting(ctx.store, "practitioners", consents=False)
    opts = PrintOptions(preview=True)
    print_meeting_document(ctx, built.meeting_id, "roster", tmp_path / "roster.pdf", opts)
    roster = _text(tmp_path / "roster.pdf")
    assert "委員等4名（うち出席2名）事務局1名傍聴者2名" in roster
    assert "森野和也" in roster  # still listed by name

    print_meeting_document(ctx, built.meeting_id, "minutes", tmp_path / "minutes.pdf", opts)
    minutes = _text(tmp_path / "minutes.pdf")
    present = minutes.split("出席者", 1)[1].split("欠席者", 1)[0]
    assert present.startswith("委員等2名")
    assert "川端さゆり" in present and "森野和也" not in present
    staff = minutes.split("事務局", 1)[1].split("議題", 1)[0]
    assert staff.startswith("1名") and "森野和也" in staff
