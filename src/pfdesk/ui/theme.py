"""pfdesk's one look: colours, type sizes, spacing and icons, applied once at start.

A quiet palette for a long working day (Qt's Fusion style everywhere, so Windows and Linux
look the same), a style sheet for what has a role of its own (page headings, sections,
cards, warnings, the navigation), striped tables, and the Lucide icons shipped as SVG text
under ``resources/icons/lucide``. The text size is a per-user preference chosen in 設定 and
applied live (:func:`set_text_size`).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QWidget

from pfdesk.core.i18n import N_
from pfdesk.paths import resources_dir

#: The house colours (the green of the pfdesk icon is the accent).
ACCENT = "#227860"
ACCENT_DARK = "#185a48"
ACCENT_LIGHT = "#e3f1ec"
INK = "#1f2a33"
MUTED = "#5b6873"
WINDOW = "#f4f6f7"
SURFACE = "#ffffff"
LINE = "#d3dadf"
STRIPE = "#f1f5f4"
HEADING = "#17453a"
WARNING_BG = "#fff4ce"
WARNING_LINE = "#e0c060"
WARNING_INK = "#5c4300"
DANGER = "#b3261e"
OK = "#1e7b34"

#: Text sizes offered in 設定: key → (label, point size of ordinary text).
TEXT_SIZES: dict[str, tuple[str, float]] = {
    "standard": (N_("標準"), 10.5),
    "large": (N_("大きめ"), 12.0),
    "largest": (N_("特大"), 13.5),
}
DEFAULT_TEXT_SIZE = "standard"

_ICON_SIZES = (16, 20, 24, 32, 48)


def point_size(key: str | None) -> float:
    """The point size of ordinary text for the size ``key`` (標準 when unknown)."""
    return TEXT_SIZES.get(key or "", TEXT_SIZES[DEFAULT_TEXT_SIZE])[1]


def stylesheet(pt: float) -> str:
    """The application style sheet for ordinary text of ``pt`` points."""
    h1 = round(pt * 1.5, 1)
    h2 = round(pt * 1.15, 1)
    big = round(pt * 2.1, 1)
    nav = round(pt * 1.1, 1)
    # Wide enough for the longest label (4 characters) beside its icon at every size.
    nav_width = max(150, round(nav * 96 / 72 * 4.4 + 84))
    return f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QLabel#pageHeading {{ font-size: {h1}pt; font-weight: bold; color: {HEADING};
    padding-bottom: 2px; }}
QLabel[role="section"] {{ font-size: {h2}pt; font-weight: bold; color: {HEADING}; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="warning"] {{ background: {WARNING_BG}; border: 1px solid {WARNING_LINE};
    border-radius: 4px; padding: 6px 8px; color: {WARNING_INK}; }}
QLabel[role="figure"] {{ font-size: {big}pt; font-weight: bold; color: {ACCENT_DARK}; }}
QFrame[role="card"] {{ background: {SURFACE}; border: 1px solid {LINE}; border-radius: 6px; }}
QFrame[role="card"] QLabel {{ background: transparent; border: none; }}
QFrame[role="card"] QListWidget {{ border: none; background: {SURFACE}; }}
QListWidget#navigation {{ background: #e9eef0; border: none; border-right: 1px solid {LINE};
    font-size: {nav}pt; padding-top: 6px; outline: 0;
    min-width: {nav_width}px; max-width: {nav_width}px; }}
QListWidget#navigation::item {{ padding: 7px 8px; margin: 1px 6px; border-radius: 5px;
    color: {INK}; }}
QListWidget#navigation::item:hover {{ background: #dde6e9; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QTableView {{ gridline-color: #e4e9ec; selection-background-color: #cfe6de;
    selection-color: {INK}; alternate-background-color: {STRIPE}; }}
QHeaderView::section {{ background: #e9eef0; color: {INK}; padding: 4px 6px;
    border: none; border-right: 1px solid {LINE}; border-bottom: 1px solid #c3ccd2; }}
QLineEdit#globalSearch {{ border: 1px solid #b9c4cb; border-radius: 11px;
    padding: 1px 8px; background: {SURFACE}; }}
QLineEdit#globalSearch:focus {{ border: 1px solid {ACCENT}; }}
QStatusBar {{ background: #e9eef0; color: {MUTED}; }}
QTabWidget::pane {{ border: 1px solid {LINE}; top: -1px; background: {SURFACE}; }}
QGroupBox {{ font-weight: bold; color: {HEADING}; }}
"""


def palette() -> QPalette:
    """The quiet palette under the style sheet."""
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: WINDOW, QPalette.ColorRole.WindowText: INK,
        QPalette.ColorRole.Base: SURFACE, QPalette.ColorRole.AlternateBase: STRIPE,
        QPalette.ColorRole.Text: INK, QPalette.ColorRole.Button: "#eef1f3",
        QPalette.ColorRole.ButtonText: INK, QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffe8",
        QPalette.ColorRole.ToolTipText: INK, QPalette.ColorRole.PlaceholderText: "#7f8a93",
        QPalette.ColorRole.Link: ACCENT_DARK,
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa4ab"))
    return p


class _StripedTables(QObject):
    """Every table drawn with alternate row colours, whoever built it."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Polish and isinstance(obj, QTableView):
            obj.setAlternatingRowColors(True)
        return False


_striper: _StripedTables | None = None


def apply_theme(app: QApplication, text_size: str | None = None) -> None:
    """Give ``app`` the pfdesk look, with ordinary text at the size ``text_size``.

    ``None`` takes the size chosen in 設定 (標準 when none was chosen).
    """
    from pfdesk.preferences import saved_text_size

    global _striper
    if _striper is None:
        app.setStyle("Fusion")
        app.setPalette(palette())
        _striper = _StripedTables(app)
        app.installEventFilter(_striper)
    key = text_size or saved_text_size() or DEFAULT_TEXT_SIZE
    pt = point_size(key)
    font = QFont(app.font())
    font.setPointSizeF(pt)
    app.setFont(font)
    app.setStyleSheet(stylesheet(pt))
    app.setProperty("pfdeskTextSize", key)


def reset_theme(app: QApplication) -> None:
    """Back to Qt's own look (for tests that apply the theme to the shared application)."""
    global _striper
    if _striper is not None:
        app.removeEventFilter(_striper)
        _striper.deleteLater()
        _striper = None
    app.setStyleSheet("")
    app.setProperty("pfdeskTextSize", None)


def current_text_size() -> str:
    """The size key in use now."""
    app = QApplication.instance()
    key = app.property("pfdeskTextSize") if app is not None else None
    return str(key) if key in TEXT_SIZES else DEFAULT_TEXT_SIZE


def set_text_size(key: str) -> None:
    """Keep ``key`` for the next start and apply it to every open window now."""
    from pfdesk.preferences import save_text_size

    if key not in TEXT_SIZES:
        raise ValueError(key)
    save_text_size(key)
    apply_text_size(key)


def apply_text_size(key: str) -> None:
    """Show every open window with ordinary text at the size ``key`` (not kept)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    old, new = point_size(current_text_size()), point_size(key)
    apply_theme(app, key)
    for w in app.allWidgets():
        # Widgets that chose a font of their own (a bigger title, a figure) keep their
        # ratio to ordinary text.
        if w.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            ratio = w.property("pfdeskFontRatio")
            f = w.font()
            if ratio is None:
                ratio = f.pointSizeF() / old
                w.setProperty("pfdeskFontRatio", ratio)
            f.setPointSizeF(float(ratio) * new)
            w.setFont(f)
    if old != new:
        for header in (w for w in app.allWidgets() if isinstance(w, QHeaderView)):
            _scale_sections(header, new / old)


def _scale_sections(header: QHeaderView, ratio: float) -> None:
    """Column widths set for the old text size, scaled so dates are not cut to 「2026/11…」."""
    if header.orientation() != Qt.Orientation.Horizontal:
        return
    last = header.count() - 1
    for i in range(header.count()):
        if i == last and header.stretchLastSection():
            continue
        if header.sectionResizeMode(i) in (QHeaderView.ResizeMode.Interactive,
                                           QHeaderView.ResizeMode.Fixed):
            header.resizeSection(i, round(header.sectionSize(i) * ratio))


def set_role(widget: QWidget, role: str) -> QWidget:
    """Give ``widget`` a style role ("section", "warning", "card", "muted", "figure")."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return widget


def icon_path(name: str):
    """The SVG file of the Lucide icon ``name``."""
    return resources_dir() / "icons" / "lucide" / f"{name}.svg"


@cache
def _svg(name: str) -> str:
    return icon_path(name).read_text(encoding="utf-8")


def icon_pixmap(name: str, size: int, colour: str = INK) -> QPixmap:
    """The icon ``name`` drawn in ``colour`` at ``size`` pixels."""
    text = _svg(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    pm = QPixmap(QSize(size, size))
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pm


def icon(name: str, colour: str = INK, selected: str = "#ffffff") -> QIcon:
    """A QIcon of the Lucide icon ``name``: ``colour`` normally, ``selected`` when selected."""
    result = QIcon()
    for size in _ICON_SIZES:
        result.addPixmap(icon_pixmap(name, size, colour), QIcon.Mode.Normal)
        result.addPixmap(icon_pixmap(name, size, selected), QIcon.Mode.Selected)
        result.addPixmap(icon_pixmap(name, size, "#a0a8ae"), QIcon.Mode.Disabled)
    return result
