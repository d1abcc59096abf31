"""The packet: 次第, 名簿, then each material with its 資料番号 on every page."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from pfdesk.core.errors import FileProblem
from pfdesk.documents.meeting.data import MeetingInfo, Office
from pfdesk.documents.packet import (
    GENERATED,
    PDF,
    SEPARATE,
    SUPPORT_MARKING,
    PacketData,
    PacketMaterial,
    write_packet,
)
from pfdesk.documents.pdf import paragraph

OFFICE = Office(municipality="みどり川町", secretariat="保健福祉課", sender="町長")
MEETING = MeetingInfo(id=1, title="第1回支援会議", body_name="支援会議", body_kind="support_meeting",
                      body_kind_label="支援会議", held_on=date(2026, 12, 10))


def _attached(pages: int) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    for i in range(pages):
        c.drawString(72, 700, f"attached {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _materials() -> tuple[PacketMaterial, ...]:
    return (
        PacketMaterial("資料1", "集計", GENERATED, build=lambda: [paragraph("集計表の本文")]),
        PacketMaterial("資料2", "県の報告", PDF, data=_attached(3), file_name="県.pdf"),
        PacketMaterial("参考資料", "名簿", SEPARATE, file_name="名簿.xlsx"),
    )


def _pages(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def test_every_material_page_carries_its_number(tmp_path):
    out = tmp_path / "packet.pdf"
    pages = write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=_materials()))
    text = _pages(out)
    assert pages == len(text) == 2 + 1 + 3 + 1
    assert "次第" in text[0] and "出席者名簿" in text[1]
    assert "資料1" in text[2] and "集計表の本文" in text[2]
    for page in text[3:6]:
        assert "資料2" in page and "attached" in page
    assert "参考資料" in text[6] and "名簿.xlsx）は別途配布します" in text[6]


def test_support_packet_is_marked_and_numbered_on_every_page_of_every_copy(tmp_path):
    out = tmp_path / "packet.pdf"
    data = PacketData(office=OFFICE, meeting=MEETING, materials=_materials(),
                      marking=SUPPORT_MARKING, copies=3, numbered=True)
    pages = write_packet(out, data)
    text = _pages(out)
    assert pages == 3 * 7
    for i, page in enumerate(text):
        assert f"{SUPPORT_MARKING}No.{i // 7 + 1}" in page, i


def test_damaged_attachment_names_the_file_and_writes_nothing(tmp_path):
    out = tmp_path / "packet.pdf"
    bad = (PacketMaterial("資料1", "壊れた資料", PDF, data=b"%PDF-1.4 broken", file_name="壊れた.pdf"),)
    with pytest.raises(FileProblem) as err:
        write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=bad))
    assert "壊れた.pdf" in err.value.user_text()
    assert not out.exists()
