"""Make Qt draw Japanese with the shipped BIZ UDPゴシック, whatever the PC has installed."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def apply_japanese_font(app: QApplication, point_size: float = 10.5) -> str | None:
    """Load the shipped Japanese font into Qt and make it the application font.

    BIZ UDPゴシック (proportional kana) reads best on screen; ``PFDESK_FONT`` may name
    another. Returns the family name, or None when no Japanese font was found (logged;
    the caller tells the user once).
    """
    from pfdesk.core.fonts import find_japanese_font

    found = find_japanese_font("pgothic")
    if found is None:
        log.warning("no Japanese font found; Qt falls back to the system default")
        return None
    font_id = QFontDatabase.addApplicationFont(str(found.path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else found.family
    font = QFont(family)
    font.setPointSizeF(point_size)
    # Without the hint, fontconfig may substitute a Chinese CJK face for kanji.
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    log.info("application font: %s (%s)", family, found.path)
    return family
