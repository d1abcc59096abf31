"""Printing rights (issue 12, item 6): 閲覧者 preview only; identifying packets numbered."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied
from pfdesk.documents.packet import SUPPORT_MARKING
from pfdesk.services.context import Actor
from pfdesk.services.printing import PrintOptions, print_meeting_document
from pfdesk.store.models import DocumentNumber
from tests.printing_fixtures import build_meeting

VIEWER = Actor("etsuran", "閲覧 花子", "viewer")


def _pages(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(path).pages]


def test_viewer_may_preview_a_notice_but_not_take_a_number(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    viewer = ctx.acting_as(VIEWER)
    preview = print_meeting_document(viewer, built.meeting_id, "notice", tmp_path / "v.pdf",
                                     PrintOptions(preview=True))
    assert preview.doc_number == "み保福第　　号"
    with pytest.raises(PermissionDenied, match="文書番号"):
        print_meeting_document(viewer, built.meeting_id, "notice", tmp_path / "n.pdf")
    assert not (tmp_path / "n.pdf").exists()
    with ctx.session() as s:
        assert s.scalars(select(DocumentNumber)).all() == []
    # The secretariat still can.
    assert print_meeting_document(ctx, built.meeting_id, "notice",
                                  tmp_path / "a.pdf").doc_number == "み保福第1号"


def test_packet_with_a_consented_case_sheet_is_numbered_and_logged(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")  # case 2 consented to all members
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "packet", out, PrintOptions(copies=3))
    assert "consented" in result.levels.values() and result.copies == 3
    *pages, log = _pages(out)
    per_copy = len(pages) // 3
    for i, page in enumerate(pages):
        assert f"{SUPPORT_MARKING}No.{i // per_copy + 1}／3" in page, i
    assert "配付番号管理表" in log
    assert all(f"No.{k}／3" in log for k in (1, 2, 3))


def test_packet_without_identifying_sheets_is_not_numbered(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners", consents=False)
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "packet", out)
    assert set(result.levels.values()) == {"pseudonymized"} and result.copies == 1
    text = "".join(_pages(out))
    assert "No.1／" not in text and "配付番号管理表" not in text
