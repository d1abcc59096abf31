"""The shared office PDF style: Japanese text, page furniture, stamping and merging."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Spacer

from pfdesk.core.errors import FileProblem
from pfdesk.documents import pdf
from pfdesk.documents.pdf import (
    build_pdf,
    grid_table,
    kv_table,
    merge_pdfs,
    paragraph,
    stamp_pdf,
    styles,
)

MARKING = "取扱注意・会議終了後回収"

def page_texts(source) -> list[str]:
    """The text of each page, with line breaks removed (wrapped lines join up again)."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    return [page.extract_text().replace("\n", "") for page in PdfReader(io.BytesIO(data)).pages]


def agenda_story() -> list:
    return [
        paragraph("第3回 いの町ひきこもり支援プラットフォーム実務者会議 次第", "title"),
        paragraph("令和8年11月26日（木）", "body_right"),
        paragraph("1　開会", "heading"),
        paragraph("社会福祉法第106条の6に基づく支援会議として開催します。"
                  "髙橋委員、山﨑委員（㈱いの就労支援センター）から報告があります。"),
        Spacer(1, 6),
        kv_table([("日時", "令和8年11月26日（木）14時00分〜16時00分"),
                  ("場所", "いの町役場 3階 第1会議室（オンライン併用）")]),
        PageBreak(),
        paragraph("2　議題", "heading"),
        grid_table(["所属", "職名", "氏名"], [["いの町社会福祉協議会", "主任", "濵田 次郎"]]),
    ]


def test_two_page_document_with_furniture(tmp_path):
    path = tmp_path / "次第.pdf"
    pages = build_pdf(path, agenda_story(), title="第3回実務者会議 次第",
                      author="いの町 保健福祉課", header_right="資料1", marking=MARKING,
                      copy_label="No. 3")
    assert pages == 2
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    assert reader.metadata.title == "第3回実務者会議 次第"
    assert reader.metadata.author == "いの町 保健福祉課"
    first, second = page_texts(path)
    assert "髙橋委員、山﨑委員" in first and "㈱いの就労支援センター" in first
    assert "濵田 次郎" in second
    for number, text in enumerate((first, second), 1):
        assert "資料1" in text
        assert MARKING in text
        assert "No. 3" in text
        assert f"- {number} -" in text
    assert [p.name for p in tmp_path.iterdir()] == ["次第.pdf"]


def test_first_page_header_off_and_no_page_numbers(tmp_path):
    path = tmp_path / "通知.pdf"
    story = [paragraph("開催について（通知）"), PageBreak(), paragraph("別紙")]
    build_pdf(path, story, title="通知", header_right="資料1", marking=MARKING,
              page_numbers=False, first_page_header=False)
    first, second = page_texts(path)
    assert "資料1" not in first and "資料1" in second
    assert MARKING in first and MARKING in second
    assert not re.search(r"- \d -", first + second)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_fonts_are_embedded_subsets(tmp_path):
    path = tmp_path / "a.pdf"
    build_pdf(path, agenda_story(), title="a", header_right="資料1", marking=MARKING)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    fonts = out.splitlines()[2:]
    assert fonts, out
    for line in fonts:
        match = re.match(r"(\S+).*?\s(yes|no)\s+(yes|no)\s+(?:yes|no)\s+\d+", line)
        name, emb, sub = match.groups()
        assert (emb, sub) == ("yes", "yes"), line
        assert "+" in name


def test_long_table_repeats_header_and_splits_huge_cell(tmp_path):
    path = tmp_path / "名簿.pdf"
    rows = [[f"機関{i}", "主任", f"氏名{i}"] for i in range(80)]
    rows.append(["議事の概要", "", "長い発言が続きます。" * 600])
    pages = build_pdf(path, [grid_table(["所属機関", "職名", "氏名"], rows)], title="名簿")
    texts = page_texts(path)
    assert pages == len(texts) >= 4
    assert all("所属機関" in t for t in texts)


def test_paragraph_keeps_markup_characters_as_text(tmp_path):
    path = tmp_path / "a.pdf"
    build_pdf(path, [paragraph("A&B <b>太字ではない</b>\n2行目")], title="a")
    text = page_texts(path)[0]
    assert "A&B <b>太字ではない</b>" in text and "2行目" in text


def test_styles():
    st = styles()
    assert set(st) == {"title", "heading", "body", "body_right", "small", "cell",
                       "cell_small", "center"}
    assert st["body"].fontSize == 10.5 and st["body"].fontName == "PfMincho"
    assert st["heading"].fontName == st["cell"].fontName == "PfGothic"
    assert all(s.wordWrap == "CJK" for s in st.values())


def attachment(pages: int = 3) -> bytes:
    """A PDF from elsewhere: portrait, landscape and a page turned with /Rotate."""
    buffer = io.BytesIO()
    c = Canvas(buffer)
    for i in range(pages):
        c.setPageSize(landscape(A4) if i == 1 else A4)
        c.drawString(100, 400, f"Attachment page {i + 1}")
        c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    if pages >= 3:
        writer.pages[2].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_stamp_puts_furniture_on_every_page():
    stamped = stamp_pdf(attachment(), header_right="資料2", marking=MARKING, page_offset=4,
                        total_pages=None)
    texts = page_texts(stamped)
    assert len(texts) == 3
    for i, text in enumerate(texts):
        assert f"Attachment page {i + 1}" in text
        assert "資料2" in text and MARKING in text
        assert f"- {i + 5} -" in text


def test_stamp_with_total_and_without_numbers():
    stamped = stamp_pdf(attachment(2), header_right="資料3", marking=None, page_offset=0,
                        total_pages=12)
    assert ["- 1 / 12 -" in t for t in page_texts(stamped)] == [True, False]
    assert "- 2 / 12 -" in page_texts(stamped)[1]
    bare = stamp_pdf(attachment(1), header_right="資料3", marking=None, page_offset=0,
                     total_pages=None, page_numbers=False)
    assert "- 1 -" not in page_texts(bare)[0]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_stamp_lands_top_right_as_the_reader_sees_the_page(tmp_path):
    path = tmp_path / "stamped.pdf"
    path.write_bytes(stamp_pdf(attachment(), header_right="資料2", marking=None,
                               page_offset=0, total_pages=None))
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert len(pages) == 3
    for width, height, body in pages:
        word = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>資料2<', body)
        assert word, body
        x, y = float(word.group(1)), float(word.group(2))
        assert x > float(width) * 0.75 and y < float(height) * 0.1


def test_unreadable_attachment_is_file_problem():
    with pytest.raises(FileProblem) as info:
        stamp_pdf(b"not a pdf", header_right="資料1", marking=None, page_offset=0,
                  total_pages=None, source="参考資料.pdf")
    assert "「参考資料.pdf」を PDF として読み込めません" in info.value.message


def test_password_protected_attachment_is_file_problem():
    writer = PdfWriter(clone_from=io.BytesIO(attachment(1)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(FileProblem) as info:
        stamp_pdf(out.getvalue(), header_right="資料1", marking=None, page_offset=0,
                  total_pages=None, source="保護.pdf")
    assert "パスワード" in info.value.message


def test_merge_keeps_order_and_first_title(tmp_path):
    path = tmp_path / "次第.pdf"
    build_pdf(path, agenda_story(), title="会議資料一式", header_right="資料1")
    merged = merge_pdfs([path.read_bytes(), attachment(3)])
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 5
    assert reader.metadata.title == "会議資料一式"
    assert "Attachment page 1" in reader.pages[2].extract_text()


def test_no_japanese_font_is_explained(monkeypatch):
    from pfdesk.documents import glyphs

    monkeypatch.setattr(glyphs, "_registered", None)
    monkeypatch.setattr(glyphs, "find_japanese_font", lambda *a, **k: None)
    with pytest.raises(FileProblem) as info:
        pdf.register_fonts()
    assert "日本語フォントが見つからない" in info.value.message
    assert "BIZ UDゴシック" in info.value.hint and "入れ直す" in info.value.hint


def test_rare_kanji_print_as_typed_or_in_their_everyday_form(tmp_path):
    import subprocess

    from pfdesk.core.fonts import find_fallback_fonts
    from pfdesk.documents.pdf import build_pdf, paragraph, printable

    out = tmp_path / "rare.pdf"
    build_pdf(out, [paragraph("出席者　𠮷田　翔太　髙橋　山﨑")], title="名簿")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "髙橋" in text and "山﨑" in text
    fallbacks = find_fallback_fonts()
    if fallbacks:
        # Drawn as typed from the fallback font, and found again by text search.
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        assert fallbacks[0].path.stem.lower()[:5] in fonts.lower().replace("-", "")
        assert "𠮷田" in text
    else:
        assert "吉田" in text  # no font has it: the everyday form, never a blank box
    assert printable("𠮷田").endswith("田") and "\ufffd" not in printable("𠮷田")


def _word_boxes(data: bytes, tmp_path) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of every word, y measured from the top of the page."""
    import xml.etree.ElementTree as ET

    path = tmp_path / "boxes.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    return [(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in ET.fromstring(out).iter(f"{ns}word")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_stamped_boxes_never_cover_the_attachments_own_heading(tmp_path):
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4)
    # A heading right at the top and text in the corners, as scanned forms have.
    c.setFont("Helvetica", 14)
    c.drawString(30, A4[1] - 22, "TOPLEFT heading of the attached report")
    c.drawRightString(A4[0] - 20, A4[1] - 22, "TOPRIGHT")
    c.drawString(30, 60, "BOTTOMLINE")
    c.showPage()
    c.save()
    stamped = stamp_pdf(buffer.getvalue(), header_right="資料2", marking=MARKING,
                        page_offset=0, total_pages=None)
    words = _word_boxes(stamped, tmp_path)
    boxes = [w for w in words if w[0] in ("資料2",) or "取扱注意" in w[0]]
    content = [w for w in words if w[0] in ("TOPLEFT", "TOPRIGHT", "BOTTOMLINE")]
    assert len(boxes) == 2 and len(content) == 3
    furniture_bottom = max(b[4] for b in boxes)
    assert all(w[2] > furniture_bottom for w in content), (boxes, content)
    # Shrunk, not cut: the content still spans nearly the whole width (about 94%).
    right = next(w for w in content if w[0] == "TOPRIGHT")
    assert right[3] > A4[0] * 0.9
    assert 0.92 < pdf.stamp_scale(A4[1]) < 0.95


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_unmarked_attachment_keeps_its_size(tmp_path):
    original = attachment(1)
    plain = stamp_pdf(original, header_right=None, marking=None, page_offset=0,
                      total_pages=None)
    before = [w for w in _word_boxes(original, tmp_path) if w[0] == "Attachment"]
    after = [w for w in _word_boxes(plain, tmp_path) if w[0] == "Attachment"]
    assert before and after == before
