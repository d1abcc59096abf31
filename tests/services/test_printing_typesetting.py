"""Every printed document kind, read back: 禁則 holds, no name or date broken, shipped fonts."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from pfdesk.core.wareki import format_date
from pfdesk.services.directory.printing import print_directory
from pfdesk.services.printing import DOC_KINDS, PrintOptions, print_meeting_document
from pfdesk.store.models import Body, Meeting
from tests.documents.pdf_lines import kinsoku_violations, pdf_lines

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")


SHIPPED = {"BIZUDGothic-Regular", "BIZUDMincho-Regular"}
FALLBACK = {"IPAmjMincho"}  # only for 人名 characters the shipped fonts lack (𠮷)


def _fonts(path) -> set[str]:
    """Base names of the fonts embedded in ``path`` (pdffonts), subset prefixes removed."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:]}


def _needles(ctx, meeting_id: int) -> list[str]:
    """The meeting's date and its attendees' names, as they are printed (spaces removed)."""
    with ctx.session() as s:
        m = s.get(Meeting, meeting_id)
        names = [re.sub(r"\s", "", a.name) for a in m.attendance if len(a.name.strip()) > 2]
        return [format_date(m.held_on, weekday=True), *names]


def _broken(lines: list[str], needles: list[str]) -> list[str]:
    """Needles that appear only across a line break: a name or a date broken inside."""
    flat = [re.sub(r"\s", "", t) for t in lines]
    joined = "".join(flat)
    return [n for n in needles if n in joined and not any(n in t for t in flat)]


def _latest_meeting_per_kind(ctx) -> dict[str, int]:
    with ctx.session() as s:
        rows = s.execute(select(Body.kind, Meeting.id).join(Body)
                         .where(Meeting.status != "cancelled")
                         .order_by(Meeting.held_on)).all()
    return {kind: mid for kind, mid in rows}


@pytest.mark.slow
def test_no_line_of_any_document_breaks_the_rules(demo_ctx, tmp_path):
    meetings = _latest_meeting_per_kind(demo_ctx)
    assert len(meetings) >= 4
    bad: list[str] = []
    for body_kind, mid in meetings.items():
        for kind, _label in DOC_KINDS:
            out = tmp_path / f"{body_kind}-{kind}.pdf"
            print_meeting_document(demo_ctx, mid, kind, out, PrintOptions(preview=True,
                                                                          copies=2))
            lines = [text for _page, text in pdf_lines(out)]
            assert lines, out.name
            bad += [f"{out.name} {v}" for v in kinsoku_violations(out)]
            bad += [f"{out.name} broken: {n}" for n in _broken(lines, _needles(demo_ctx, mid))]
            bad += [f"{out.name} font: {f}" for f in _fonts(out) - SHIPPED - FALLBACK]
        summary = tmp_path / f"{body_kind}-議事要旨.pdf"
        print_meeting_document(demo_ctx, mid, "minutes", summary,
                               PrintOptions(preview=True, minutes_heading="議事要旨"))
        bad += [f"{summary.name} {v}" for v in kinsoku_violations(summary)]
    # The 名簿 of everyone in post and of each 会議体.
    with demo_ctx.session() as s:
        bodies = s.scalars(select(Body.id)).all()
    for body_id in [None, *bodies]:
        out = tmp_path / f"名簿-{body_id}.pdf"
        print_directory(demo_ctx, out, body_id=body_id)
        bad += [f"{out.name} {v}" for v in kinsoku_violations(out)]
        bad += [f"{out.name} font: {f}" for f in _fonts(out) - SHIPPED - FALLBACK]
    assert bad == []
