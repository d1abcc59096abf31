"""Embedded font subsets lose their hinting, and nothing else."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from reportlab.pdfbase.ttfonts import TTFontFace

from pfdesk.documents.font_subset import _tables, strip_hinting

FONT = Path(__file__).parents[2] / "resources" / "fonts" / "BIZUDGothic-Regular.ttf"
TEXT = "取扱注意・会議終了後回収　No. 3／6 みどり川町（令和8年）ÅéüÇ①…「」"


def _glyphs(font: bytes) -> list[bytes]:
    tables = _tables(font)
    long_offsets = struct.unpack(">h", tables["head"][50:52])[0] == 1
    loca = tables["loca"]
    offsets = (struct.unpack(f">{len(loca) // 4}L", loca) if long_offsets
               else [2 * x for x in struct.unpack(f">{len(loca) // 2}H", loca)])
    return [tables["glyf"][a:b] for a, b in zip(offsets, offsets[1:], strict=False)]


def _outline(glyph: bytes) -> tuple:
    """A glyph's outline: its points (simple) or its components (composite), no hints."""
    if not glyph:
        return ()
    contours = struct.unpack(">h", glyph[:2])[0]
    if contours >= 0:
        at = 10 + 2 * contours
        length = struct.unpack(">H", glyph[at:at + 2])[0]
        points = glyph[at + 2 + length:].rstrip(b"\0")
        return (glyph[:at], points)
    return (glyph[:10], glyph[10:].rstrip(b"\0"))


def _subset() -> tuple[bytes, bytes]:
    face = TTFontFace(str(FONT))
    codes = sorted({ord(c) for c in TEXT})
    hinted = face.makeSubset(list(range(32, 127)) + codes)
    return hinted, strip_hinting(hinted)


def test_the_outlines_metrics_and_character_map_stay_and_the_hints_go():
    hinted, plain = _subset()
    before, after = _tables(hinted), _tables(plain)
    assert {"fpgm", "prep", "cvt "} <= set(before)
    assert not {"fpgm", "prep", "cvt "} & set(after)
    for tag in ("cmap", "hmtx", "hhea", "OS/2", "name", "post"):
        assert after[tag] == before[tag], tag
    old, new = _glyphs(hinted), _glyphs(plain)
    assert len(old) == len(new) > 100
    composite = 0
    for a, b in zip(old, new, strict=True):
        if a and struct.unpack(">h", a[:2])[0] < 0:
            composite += 1
            flags_a = a[10:12]
            assert (struct.unpack(">H", flags_a)[0] & 0x0100) or _outline(a) == _outline(b)
        else:
            assert _outline(a) == _outline(b)
        if b and struct.unpack(">h", b[:2])[0] >= 0:
            contours = struct.unpack(">h", b[:2])[0]
            assert b[10 + 2 * contours:12 + 2 * contours] == b"\0\0"  # no instructions
    assert len(plain) < 0.85 * len(hinted)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_text_drawn_with_the_unhinted_subset_looks_the_same(tmp_path):
    """The same page, with the font as reportlab embeds it and without its hints."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from pfdesk.documents.font_subset import unhinted

    images = []
    for name, wrap in (("SubsetTestHinted", lambda f: f), ("SubsetTestPlain", unhinted)):
        font = wrap(TTFont(name, str(FONT)))
        # a face name of its own: reportlab makes a font of a known face an alias of it
        font.face.name = type(font.face.name)(bytes(font.face.name) + name.encode())
        pdfmetrics.registerFont(font)
        pdf = tmp_path / f"{name}.pdf"
        c = Canvas(str(pdf))
        for i, size in enumerate((7, 9, 10.5, 14, 24)):
            c.setFont(name, size)
            c.drawString(40, 780 - 40 * i, TEXT)
        c.save()
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / name)],
                       check=True)
        images.append(next(tmp_path.glob(f"{name}*.png")).read_bytes())
    a, b = (Image.open(io.BytesIO(png)).convert("RGB") for png in images)
    assert ImageChops.invert(a).getbbox()  # text was drawn
    assert ImageChops.difference(a, b).getbbox() is None


def test_a_composite_glyph_keeps_its_components_and_loses_its_instructions():
    """(The shipped faces have no composite glyphs; a font chosen in the settings may.)"""
    from pfdesk.documents.font_subset import _glyph_without_instructions

    header = struct.pack(">hhhhh", -1, 0, 0, 500, 700)
    first = struct.pack(">HHhh", 0x0001 | 0x0020, 7, 120, -40)  # word args, more follow
    second = struct.pack(">HHbbh", 0x0008 | 0x0100, 9, 3, 4, 0x2000)  # scale, instructions
    glyph = header + first + second + struct.pack(">H", 3) + b"\x01\x02\x03"
    cleared = struct.pack(">HHbbh", 0x0008, 9, 3, 4, 0x2000)
    assert _glyph_without_instructions(glyph) == header + first + cleared
    without = header + first + cleared
    assert _glyph_without_instructions(without) == without
