"""The fonts documents are drawn in, and what happens to a character they cannot draw.

Every document uses the BIZ UD fonts shipped with pfdesk (``core.fonts``), so a packet
looks the same on every PC. A character they lack (a rare 人名 異体字 such as 𠮷) comes
from IPAmj明朝 when the computer has it; else it prints in its everyday form (𠮷 → 吉)
or as 〓, and each such character is reported with the text it was in, never dropped
silently. Variation selectors (辻󠄀 = 辻 + U+E0100) cannot be drawn by reportlab, which
maps characters, not sequences, to glyphs: they are removed with a report, so 辻 prints
instead of 辻 plus a black bar.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from pfdesk.core import fonts as core_fonts
from pfdesk.core.errors import FileProblem
from pfdesk.core.i18n import _
from pfdesk.core.kana import ITAIJI
from pfdesk.core.tabular import GETA
from pfdesk.documents.font_subset import unhinted

log = logging.getLogger(__name__)

GOTHIC = "PfGothic"
MINCHO = "PfMincho"

#: Not drawn: joins its neighbours so no line breaks between them (see ``kinsoku``).
WORD_JOINER = "\u2060"
_PASS_THROUGH = frozenset("\n\t " + WORD_JOINER)

_lock = threading.Lock()
_registered: tuple[str, str] | None = None
_fallback_fonts: list[tuple[str, dict[int, int]]] | None = None


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16.

    reportlab writes every code as four hex digits, so 𠮷 (U+20BB7) came back from
    copy-and-paste or text search as ₻; a CMap must give UTF-16BE (a surrogate pair).
    """
    cmap = _reportlab_cmap(fontname, [0] * len(subset))
    lines = [
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>"
        for i, v in enumerate(subset)
    ]
    head, _sep, tail = cmap.partition("beginbfchar\n")
    return head + "beginbfchar\n" + "\n".join(lines) + tail[tail.index("\nendbfchar"):]


_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def find_japanese_font(style: core_fonts.Style = "gothic") -> core_fonts.FontFile | None:
    """The font of ``style`` documents use (the shipped one unless a setting names another)."""
    return core_fonts.find_japanese_font(style)


def register_fonts() -> tuple[str, str]:
    """Register the gothic and mincho fonts with reportlab (once per process).

    Returns the reportlab font names ("PfGothic", "PfMincho"); mincho falls back to the
    gothic font when there is none. Raises :class:`FileProblem` if there is no font at all
    (the shipped files deleted and none installed).
    """
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        gothic = find_japanese_font("gothic")
        if gothic is None:
            raise FileProblem(
                _("日本語フォントが見つからないため、PDF を作成できません。"),
                hint=_("pfdesk に同梱の BIZ UDゴシック（resources/fonts）が見当たりません。"
                       "pfdesk を入れ直すか、BIZ UDゴシック または IPAexゴシック を"
                       "インストールしてから、もう一度お試しください。"),
            )
        mincho = find_japanese_font("mincho") or gothic
        for name, font in ((GOTHIC, gothic), (MINCHO, mincho)):
            try:
                ttf = TTFont(name, str(font.path), subfontIndex=font.subfont_index)
            except (TTFError, OSError) as exc:
                raise FileProblem(
                    _("フォント「{family}」を読み込めないため、PDF を作成できません。").format(
                        family=font.family
                    ),
                    hint=_("pfdesk を入れ直してから、もう一度お試しください。"),
                    where=str(font.path),
                ) from exc
            pdfmetrics.registerFont(unhinted(ttf))
            # There is no separate bold face: map <b> to the same font rather than fail.
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                          boldItalic=name)
        _registered = (GOTHIC, MINCHO)
        return _registered


def _glyphs(font_name: str) -> dict[int, int]:
    return pdfmetrics.getFont(font_name).face.charToGlyph


def _fallbacks() -> list[tuple[str, dict[int, int]]]:
    """Fallback fonts, registered on first need (a wide-coverage font is large to parse)."""
    global _fallback_fonts
    with _lock:
        if _fallback_fonts is None:
            _fallback_fonts = []
            for i, font in enumerate(core_fonts.find_fallback_fonts()):
                name = f"PfFallback{i}"
                try:
                    ttf = TTFont(name, str(font.path), subfontIndex=font.subfont_index)
                except (TTFError, OSError):
                    log.warning("fallback font %s cannot be read; skipped", font.path)
                    continue
                pdfmetrics.registerFont(ttf)
                pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                              boldItalic=name)
                _fallback_fonts.append((name, ttf.face.charToGlyph))
        return _fallback_fonts


# ---------------------------------------------------------------------------------------------
# Reporting


@dataclass(frozen=True)
class GlyphProblem:
    """A character that could not be printed as typed, and the text it was in."""

    char: str  # as typed, with its variation selector if it had one
    text: str  # the text it was in (shortened), so the user can find it
    printed_as: str

    def message(self) -> str:
        """The Japanese sentence the print dialog and the log show."""
        codes = " ".join(f"U+{ord(c):04X}" for c in self.char)
        if self.printed_as and self.char.startswith(self.printed_as):
            return _("「{text}」の「{char}」（{codes}）は異体字の指定を印刷できないため、"
                     "標準の字形「{base}」で印刷しました。").format(
                text=self.text, char=self.char, codes=codes, base=self.printed_as)
        return _("「{text}」の文字「{char}」（{codes}）はどのフォントにもないため、"
                 "「{sub}」で印刷しました。").format(
            text=self.text, char=self.char, codes=codes, sub=self.printed_as)


_collector: ContextVar[list[GlyphProblem] | None] = ContextVar("pfdesk_glyphs", default=None)


@contextmanager
def collect_glyph_problems() -> Iterator[list[GlyphProblem]]:
    """Gather the characters printed otherwise than typed while the block runs (no repeats)."""
    found: list[GlyphProblem] = []
    token = _collector.set(found)
    try:
        yield found
    finally:
        _collector.reset(token)


def _report(problem: GlyphProblem) -> None:
    found = _collector.get()
    if found is not None:
        if problem in found:
            return
        found.append(problem)
    log.warning("%s", problem.message())


def _context(text: str, at: int) -> str:
    start = max(0, at - 12)
    snippet = text[start:at + 12].replace("\n", " ").replace(WORD_JOINER, "")
    return ("…" if start else "") + snippet + ("…" if at + 12 < len(text) else "")


# ---------------------------------------------------------------------------------------------
# Text for reportlab


def _is_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _substitute(ch: str, glyphs: dict[int, int]) -> str:
    """The everyday form of a rare character (𠮷 → 吉) if the font has it, else 〓."""
    sub = ITAIJI.get(ch, GETA)
    return sub if all(ord(c) in glyphs for c in sub) else GETA


def _runs(text: str, font: str, *, fallbacks: bool) -> Iterator[tuple[str, str | None]]:
    """(character, fallback font or None) for each printable character; reports the rest."""
    glyphs = _glyphs(font)
    n = len(text)
    for i, ch in enumerate(text):
        if _is_selector(ch):
            continue  # reported with the character it follows
        selector = text[i + 1] if i + 1 < n and _is_selector(text[i + 1]) else ""
        if ord(ch) in glyphs or ch in _PASS_THROUGH:
            if selector and ord(selector) >= 0xE0100:
                # An IVS picks one glyph of several; only the base glyph can be printed.
                _report(GlyphProblem(ch + selector, _context(text, i), ch))
            yield ch, None
            continue
        if fallbacks:
            chosen = next((name for name, cover in _fallbacks() if ord(ch) in cover), None)
            if chosen:
                yield ch, chosen
                continue
        sub = _substitute(ch, glyphs)
        _report(GlyphProblem(ch + selector, _context(text, i), sub))
        yield sub, None


def printable(text: Any, font: str = GOTHIC) -> str:
    """Plain text for drawing on a canvas in ``font``: characters it lacks are substituted."""
    register_fonts()
    plain = "" if text is None else str(text)
    return "".join(ch for ch, _f in _runs(plain, font, fallbacks=False))


def markup(text: str, font: str) -> str:
    """Escaped Paragraph markup of ``text``; characters ``font`` lacks come from a fallback."""
    register_fonts()
    out: list[str] = []
    for ch, fallback in _runs(text, font, fallbacks=True):
        out.append(f'<font name="{fallback}">{ch}</font>' if fallback else escape(ch))
    return "".join(out)
