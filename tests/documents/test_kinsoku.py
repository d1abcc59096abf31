"""Japanese line breaking and table layout, read back from the PDF as laid out."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, paragraph, styles
from tests.documents.pdf_lines import kinsoku_violations, pdf_lines

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")

PROSE = ("令和8年11月13日（金）に開催した会議では、「居場所づくり」と「家族支援」について"
         "意見交換を行った。あおば心療内科クリニックの医師から、ひきこもり状態の方が"
         "地域のサポートステーションへつながった事例（2件）の報告があった。"
         "今後は、月1回の学習会を続ける。……以上。")


def _narrow_story(make) -> list:
    """PROSE in one-cell tables of many widths, so every break position comes up."""
    st = styles()
    return [Table([[make(PROSE, st["cell"])]], colWidths=[width]) for width in WIDTHS]


WIDTHS = range(60, 200, 7)


def _ours(text, style):
    return paragraph(text, style)


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(tmp_path):
    path = tmp_path / "a.pdf"
    build_pdf(path, _narrow_story(_ours), title="禁則")
    assert kinsoku_violations(path) == []
    # The same text with reportlab's own CJK wrapping breaks the rules: the check has teeth.
    plain = tmp_path / "plain.pdf"
    build_pdf(plain, _narrow_story(Paragraph), title="禁則なし")
    assert kinsoku_violations(plain)


def test_dates_numbers_and_katakana_words_stay_on_one_line(tmp_path):
    path = tmp_path / "a.pdf"
    build_pdf(path, _narrow_story(_ours), title="禁則")
    lines = [text for _page, text in pdf_lines(path)]
    cell = styles()["cell"]
    for word in ("令和8年11月13日（金）", "クリニック", "サポートステーション", "2件", "1回"):
        # Every cell wide enough to hold the word has it whole on one line.
        room = stringWidth(word, cell.fontName, cell.fontSize) + 12  # default padding 6+6
        whole = sum(word in line for line in lines)
        assert whole >= sum(1 for w in WIDTHS if w >= room) > 0, (word, whole)


def _bbox_words(path):
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    return [(w.text, float(w.get("xMax")), float(w.get("yMin")))
            for w in ET.fromstring(out).iter(f"{ns}word")]


def test_names_are_kept_whole_and_numbers_right_aligned(tmp_path):
    path = tmp_path / "a.pdf"
    rows = [["あおば心療内科クリニック 地域医療連携室 精神保健福祉士", "長谷川 健太郎", "12"],
            ["東雲県立こころの医療センター", "岡本 健太", "1,234"],
            ["NPO法人ひだまり", "森 一", "7"]]
    build_pdf(path, [grid_table(["所属", "氏名", "件数"], rows)], title="名簿")
    lines = [text for _page, text in pdf_lines(path)]
    for name in ("長谷川健太郎", "岡本健太", "森一"):
        assert any(name in line.replace(" ", "") for line in lines), name
    right_edges = {text: x for text, x, _y in _bbox_words(path) if text in ("12", "1,234", "7")}
    assert len(right_edges) == 3
    assert max(right_edges.values()) - min(right_edges.values()) < 1.0


def test_rows_move_to_the_next_page_whole_with_the_header(tmp_path):
    path = tmp_path / "a.pdf"
    rows = [[f"行{i:02d}", "発言の要旨です。" * 12 + f"おわり{i:02d}"] for i in range(40)]
    build_pdf(path, [grid_table(["番号", "内容"], rows)], title="表")
    pages: dict[int, set[int]] = {}
    for page, text in pdf_lines(path):
        for i in range(40):
            if f"行{i:02d}" in text or f"おわり{i:02d}" in text:
                pages.setdefault(i, set()).add(page)
    assert len(pages) == 40 and all(len(p) == 1 for p in pages.values()), pages
    heads = [page for page, text in pdf_lines(path) if text == "番号"]
    assert len(heads) == max(max(p) for p in pages.values()) >= 2


def test_a_heading_never_stays_alone_at_the_foot_of_a_page(tmp_path):
    path = tmp_path / "a.pdf"
    st = styles()
    filler = [paragraph("本文の行です。" * 3) for _ in range(35)]
    build_pdf(path, [*filler, paragraph("（3）議題　相談受付状況について", "heading"),
                     paragraph("事務局から資料に基づき説明した。")], title="見出し")
    lines = pdf_lines(path)
    heading_page = next(p for p, t in lines if "相談受付状況について" in t)
    body_page = next(p for p, t in lines if "資料に基づき説明" in t)
    assert heading_page == body_page
    assert st["heading"].keepWithNext


def test_measured_columns_fit_the_frame(tmp_path):
    table = grid_table(["No.", "所属", "氏名"], [["1", "みどり川町保健福祉課", "髙橋 健一"]])
    assert abs(sum(table._argW) - FRAME_WIDTH) < 0.01
    assert table._argW[0] < table._argW[2] < table._argW[1]


def test_a_style_without_cjk_wrapping_still_breaks_the_japanese_way(tmp_path):
    plain_style = styles()["body"].clone("plain", wordWrap=None)
    path = tmp_path / "a.pdf"
    build_pdf(path, [Table([[paragraph(PROSE, plain_style)]], colWidths=[w]) for w in WIDTHS],
              title="禁則")
    assert kinsoku_violations(path) == []
    assert "\u2060" not in "".join(text for _p, text in pdf_lines(path))


def _line_texts(para) -> list[str]:
    return ["".join(str(w.text) for w in line.words) for line in para.blPara.lines]


def test_a_paragraph_wrapped_again_breaks_as_a_fresh_one_at_every_width():
    """Lines kept from the last wrap are reused only at that same width."""
    st = styles()
    kept = paragraph(PROSE, st["cell"])
    for width in (90, 90, 150, 90, 61, 61, 150):
        fresh = paragraph(PROSE, st["cell"])
        assert kept.wrap(width, 1000) == fresh.wrap(width, 1000)
        assert _line_texts(kept) == _line_texts(fresh)
        assert len(_line_texts(kept)) > 1
    # A split paragraph's halves still carry their own lines (its _splitpara shortcut).
    kept.wrap(90, 1000)
    first, rest = kept.split(90, kept.height / 2)
    first.wrap(90, 1000)
    rest.wrap(90, 1000)
    assert "".join(_line_texts(first) + _line_texts(rest)) == "".join(_line_texts(kept))
