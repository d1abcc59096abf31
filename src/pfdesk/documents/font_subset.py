"""Embedded font subsets without TrueType hinting: a fifth of a Japanese packet's bytes.

reportlab copies each glyph of a subset as the font has it, with its hinting
instructions, and the font programs (``fpgm``, ``prep``, ``cvt ``) into every subset.
The instructions only snap outlines to a screen's pixels; PDF viewers and printers draw
the outlines unhinted (poppler, pdf.js and Acrobat do not run them), so the page looks
the same without them. :func:`strip_hinting` takes them out of a finished subset.
"""

from __future__ import annotations

import struct
from typing import Any

#: Tables that hold nothing but hinting.
_HINT_TABLES = frozenset({"fpgm", "prep", "cvt "})

# Composite glyph component flags (OpenType ``glyf``).
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_TWO_BY_TWO = 0x0080
_HAVE_INSTRUCTIONS = 0x0100


def _tables(font: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", font[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sLLL", font[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin-1")] = font[offset:offset + length]
    return tables


def _glyph_without_instructions(glyph: bytes) -> bytes:
    if len(glyph) < 10:
        return glyph
    contours = struct.unpack(">h", glyph[:2])[0]
    if contours >= 0:
        at = 10 + 2 * contours
        length = struct.unpack(">H", glyph[at:at + 2])[0]
        return glyph[:at] + b"\0\0" + glyph[at + 2 + length:]
    at = 10
    while True:
        flags = struct.unpack(">H", glyph[at:at + 2])[0]
        last = at
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            at += 2
        elif flags & _HAVE_XY_SCALE:
            at += 4
        elif flags & _HAVE_TWO_BY_TWO:
            at += 8
        if not flags & _MORE_COMPONENTS:
            break
    if not flags & _HAVE_INSTRUCTIONS:
        return glyph[:at]
    cleared = struct.pack(">H", flags & ~_HAVE_INSTRUCTIONS)
    return glyph[:last] + cleared + glyph[last + 2:at]


def strip_hinting(font: bytes) -> bytes:
    """The TrueType font ``font`` without its hinting tables and glyph instructions."""
    from reportlab.pdfbase.ttfonts import TTFontMaker

    tables = _tables(font)
    if "glyf" not in tables or "loca" not in tables or "head" not in tables:
        return font
    head = tables["head"]
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    loca = tables["loca"]
    if long_offsets:
        offsets = struct.unpack(f">{len(loca) // 4}L", loca)
    else:
        offsets = tuple(2 * x for x in struct.unpack(f">{len(loca) // 2}H", loca))
    glyf = tables["glyf"]
    out: list[bytes] = []
    new_offsets = [0]
    for start, end in zip(offsets, offsets[1:], strict=False):
        glyph = _glyph_without_instructions(glyf[start:end]) if end > start else b""
        glyph += b"\0" * (-len(glyph) % 4)
        out.append(glyph)
        new_offsets.append(new_offsets[-1] + len(glyph))
    maker: Any = TTFontMaker()
    for tag, data in tables.items():
        if tag in _HINT_TABLES:
            continue
        if tag == "glyf":
            data = b"".join(out)
        elif tag == "loca":
            data = struct.pack(f">{len(new_offsets)}L", *new_offsets)
        elif tag == "head":
            data = data[:50] + struct.pack(">h", 1) + data[52:]  # long loca offsets
        elif tag == "maxp" and len(data) >= 32:
            data = data[:26] + b"\0\0" + data[28:]  # maxSizeOfInstructions
        maker.add(tag, data)
    return maker.makeStream()


def unhinted(ttf: Any) -> Any:
    """``ttf`` (a reportlab ``TTFont``), made to embed its subsets without hinting."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    class _UnhintedFace(TTFontFace):
        def makeSubset(self, subset):  # noqa: N802 - reportlab's name
            return strip_hinting(super().makeSubset(subset))

    if type(ttf.face) is TTFontFace:
        ttf.face.__class__ = _UnhintedFace
    return ttf
