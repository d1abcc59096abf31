"""Documents draw in the shipped BIZ UD fonts; characters no font has are reported, not lost."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import pytest

from pfdesk.core.fonts import find_fallback_fonts
from pfdesk.documents.glyphs import collect_glyph_problems, markup, printable
from pfdesk.documents.pdf import GOTHIC, build_pdf, grid_table, paragraph

needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None,
                                   reason="poppler-utils not installed")

# A character in no Japanese font at all (a private-use code point).
NOWHERE = "\ue123"


def embedded_fonts(path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:]]


def text_of(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_poppler
def test_documents_embed_only_the_shipped_fonts(tmp_path):
    path = tmp_path / "a.pdf"
    build_pdf(path, [paragraph("第3回 実務者会議 次第", "title"),
                     paragraph("令和8年11月26日（木）に開催します。"),
                     grid_table(["所属", "氏名"], [["いの町社会福祉協議会", "濵田 次郎"]])],
              title="次第", header_right="資料1", marking="取扱注意")
    names = set(embedded_fonts(path))
    assert names == {"BIZUDGothic-Regular", "BIZUDMincho-Regular"}, names


@needs_poppler
def test_a_character_no_font_has_is_reported_with_where_it_was(tmp_path, caplog):
    path = tmp_path / "a.pdf"
    with caplog.at_level(logging.WARNING), collect_glyph_problems() as problems:
        build_pdf(path, [paragraph(f"出席者　山{NOWHERE}　花子"),
                         paragraph(f"出席者　山{NOWHERE}　花子")], title="名簿")
    assert len(problems) == 1  # the same name twice is one report
    problem = problems[0]
    assert problem.char == NOWHERE and problem.printed_as == "〓"
    assert "山" in problem.text and "花子" in problem.text
    message = problem.message()
    assert "U+E123" in message and "どのフォントにもない" in message and "〓" in message
    assert "U+E123" in caplog.text
    assert "山〓" in text_of(path)  # a visible mark, not a silently shorter name


def test_everyday_form_when_no_font_has_the_rare_one(monkeypatch):
    from pfdesk.documents import glyphs

    monkeypatch.setattr(glyphs, "_fallback_fonts", [])  # as on a PC without IPAmj明朝
    with collect_glyph_problems() as problems:
        text = markup("𠮷田　翔太", GOTHIC)
    assert text.startswith("吉田")
    assert problems and problems[0].char == "𠮷" and problems[0].printed_as == "吉"


@needs_poppler
def test_ivs_prints_the_base_character_and_says_so(tmp_path):
    path = tmp_path / "a.pdf"
    name = "辻\U000e0100　一郎"  # 一点しんにょうの辻
    with collect_glyph_problems() as problems:
        build_pdf(path, [paragraph(name)], title="名簿")
        label = printable(name)
    assert label == "辻　一郎"
    text = text_of(path)
    assert "辻" in text and "\U000e0100" not in text
    assert [p.char for p in problems] == ["辻\U000e0100"]
    assert "標準の字形「辻」" in problems[0].message()


def test_standard_variation_selector_is_dropped_quietly_when_the_base_prints():
    with collect_glyph_problems() as problems:
        assert printable("葛\ufe00飾") == "葛飾"
    assert problems == []


@needs_poppler
@pytest.mark.skipif(not find_fallback_fonts(), reason="IPAmj明朝 (fonts-ipamj-mincho) not installed")
def test_rare_name_character_comes_from_ipamj_mincho(tmp_path):
    path = tmp_path / "a.pdf"
    rare = "𠮷"  # in IPAmj明朝, not in the BIZ UD fonts
    with collect_glyph_problems() as problems:
        build_pdf(path, [paragraph(f"{rare}野　花子")], title="名簿")
    assert problems == []
    assert any(re.search("ipamj", f, re.I) for f in embedded_fonts(path))
    assert f"{rare}野" in text_of(path)
