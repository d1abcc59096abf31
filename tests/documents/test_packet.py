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


def _font_objects(path) -> list[str]:
    import subprocess

    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()[2:]


@pytest.mark.skipif(__import__("shutil").which("pdffonts") is None,
                    reason="poppler-utils not installed")
def test_copies_share_one_set_of_fonts_and_stay_small(tmp_path):
    generated = tuple(m for m in _materials() if m.kind != PDF)
    one, thirty = tmp_path / "1.pdf", tmp_path / "30.pdf"
    write_packet(one, PacketData(office=OFFICE, meeting=MEETING, materials=generated,
                                 marking=SUPPORT_MARKING, copies=1, numbered=True))
    pages = write_packet(thirty, PacketData(office=OFFICE, meeting=MEETING,
                                            materials=generated, marking=SUPPORT_MARKING,
                                            copies=30, numbered=True))
    assert pages == 30 * 4
    fonts = _font_objects(thirty)
    # Fonts are subset once for all copies: as many font objects as for a single copy.
    assert len(fonts) == len(_font_objects(one)) <= 4, fonts
    assert {f.split()[0].split("+")[1] for f in fonts} <= {"BIZUDGothic-Regular",
                                                           "BIZUDMincho-Regular"}
    assert thirty.stat().st_size / pages < 30_000


def test_the_copies_markings_use_the_pages_own_fonts(tmp_path):
    """Each copy's marking is drawn with the font objects of the pages it is stamped on.

    (Drawn on a canvas of its own, the marking embedded another subset of the Gothic
    face, 14 KB of a 150 KB packet.)
    """
    out = tmp_path / "packet.pdf"
    generated = tuple(m for m in _materials() if m.kind != PDF)
    pages = write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=generated,
                                         marking=SUPPORT_MARKING, copies=3, numbered=True))
    reader = PdfReader(out)
    assert pages == len(reader.pages) == 3 * 4

    def fonts(resources) -> set[int]:
        return {ref.idnum for ref in resources["/Font"].get_object().values()}

    for k, page in enumerate(reader.pages):
        mark = page["/Resources"]["/XObject"]["/PfdeskMark"].get_object()
        assert fonts(mark["/Resources"]) <= fonts(page["/Resources"])
        assert f"No.{k // 4 + 1}／3" in re.sub(r"\s+", "", page.extract_text())


def test_packet_metadata_names_the_meeting_and_the_municipality(tmp_path):
    out = tmp_path / "packet.pdf"
    write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=_materials(),
                                 marking=SUPPORT_MARKING, copies=2, numbered=True))
    meta = PdfReader(out).metadata
    assert meta.title == "第1回支援会議　会議資料"
    assert meta.author == "みどり川町　保健福祉課"
    assert "次第・出席者名簿・資料1・資料2・参考資料" in meta.subject and "2部" in meta.subject


def test_attached_pages_restart_numbering_and_keep_their_size(tmp_path):
    out = tmp_path / "packet.pdf"
    write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=_materials()))
    text = _pages(out)
    assert [("-1-" in t, "-2-" in t, "-3-" in t) for t in text[3:6]] == [
        (True, False, False), (False, True, False), (False, False, True)]
    reader = PdfReader(out)
    assert all(round(float(p.mediabox.width)) == 595 for p in reader.pages)


def test_closing_part_follows_the_last_copy_in_the_same_build(tmp_path):
    out = tmp_path / "packet.pdf"
    generated = tuple(m for m in _materials() if m.kind != PDF)
    pages = write_packet(out, PacketData(
        office=OFFICE, meeting=MEETING, materials=generated, marking=SUPPORT_MARKING,
        copies=2, numbered=True, closing=lambda: [paragraph("配付番号管理表の本文", "title")]))
    text = _pages(out)
    assert pages == len(text) == 2 * 4 + 1
    assert "配付番号管理表の本文" in text[-1] and SUPPORT_MARKING in text[-1]
    assert "No.1" not in text[-1] and "No.2" not in text[-1]
    assert len(_font_objects(out)) <= 4


def test_numbered_copies_share_one_layout_and_differ_only_in_their_stamp(tmp_path):
    out = tmp_path / "packet.pdf"
    heard: list[tuple[int, int]] = []
    pages = write_packet(out, PacketData(office=OFFICE, meeting=MEETING, materials=_materials(),
                                         marking=SUPPORT_MARKING, copies=3, numbered=True),
                         progress=lambda done, total: heard.append((done, total)))
    assert pages == 3 * 7 and heard[0] == (0, 3) and heard[-1] == (3, 3)
    reader = PdfReader(out)

    def content_refs(page) -> list[int]:
        return [ref.idnum for ref in page["/Contents"]]

    first, second = reader.pages[0], reader.pages[7]  # 次第 of copies 1 and 2
    # The laid-out page is stored once; each copy adds only its own stamp around it.
    assert content_refs(first)[1:-1] == content_refs(second)[1:-1]
    stamps = [p["/Resources"]["/XObject"]["/PfdeskMark"].get_data() for p in (first, second)]
    assert stamps[0] != stamps[1]  # 「No. 1／3」 and 「No. 2／3」


@pytest.mark.skipif(__import__("shutil").which("pdftoppm") is None,
                    reason="poppler-utils not installed")
def test_a_stamped_copy_looks_exactly_like_its_marking_drawn_with_the_page(tmp_path):
    """The stamp sits where the page furniture draws a marking, attached pages included."""
    import subprocess

    numbered, drawn = tmp_path / "numbered.pdf", tmp_path / "drawn.pdf"
    write_packet(numbered, PacketData(office=OFFICE, meeting=MEETING, materials=_materials(),
                                      marking=SUPPORT_MARKING, copies=2, numbered=True))
    write_packet(drawn, PacketData(office=OFFICE, meeting=MEETING, materials=_materials(),
                                   marking=f"{SUPPORT_MARKING}　No. 2／2"))
    for page in (1, 4, 7):  # 次第, an attached page, the separate cover
        images = []
        for pdf, number in ((numbered, page + 7), (drawn, page)):
            prefix = tmp_path / f"{pdf.stem}-{number}"
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number),
                            "-singlefile", str(pdf), str(prefix)], check=True)
            images.append(prefix.with_suffix(".png").read_bytes())
        assert images[0] == images[1], page
