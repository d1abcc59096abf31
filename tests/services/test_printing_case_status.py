"""A case sheet in a meeting packet shows the 状況 of the meeting day, not today's."""

from __future__ import annotations

import re
from datetime import date, datetime

from pypdf import PdfReader

from pfdesk.services.printing import PrintOptions, print_meeting_document
from pfdesk.store.models import Case, CaseStatusChange
from tests.printing_fixtures import build_meeting


def _sheet_status(text: str, case_number: str) -> str:
    """The value after 「状況」 on the sheet of ``case_number``."""
    sheet = text.split(case_number, 1)[1]
    return re.search(r"(?<!就労・就学)状況(受付|支援中|見守り|終結)", sheet).group(1)


def test_case_sheet_shows_the_status_on_the_meeting_day(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")  # full sheets, 12/10 meeting
    when = datetime(2026, 4, 1)
    with ctx.store.session() as s:
        first, second, third = (s.get(Case, i) for i in built.case_ids)
        # Closed after the meeting: it was still 支援中 when discussed.
        s.add_all([
            CaseStatusChange(case_id=first.id, changed_on=date(2026, 4, 11), from_status="",
                             to_status="intake", created_at=when),
            CaseStatusChange(case_id=first.id, changed_on=date(2026, 5, 1),
                             from_status="intake", to_status="active", created_at=when),
            CaseStatusChange(case_id=first.id, changed_on=date(2026, 12, 20),
                             from_status="active", to_status="closed", created_at=when),
            # Put on 見守り before the meeting, back to 支援中 after it.
            CaseStatusChange(case_id=second.id, changed_on=date(2026, 11, 1),
                             from_status="active", to_status="watch", created_at=when),
            CaseStatusChange(case_id=second.id, changed_on=date(2027, 1, 5),
                             from_status="watch", to_status="active", created_at=when),
        ])
        first.status, second.status = "closed", "active"
        numbers = first.case_number, second.case_number, third.case_number
        s.commit()
    out = tmp_path / "packet.pdf"
    print_meeting_document(ctx, built.meeting_id, "packet", out,
                           PrintOptions(preview=True, copies=1))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    assert _sheet_status(text, numbers[0]) == "支援中"
    assert _sheet_status(text, numbers[1]) == "見守り"
    assert _sheet_status(text, numbers[2]) == "支援中"  # no history kept: as recorded
