"""Status chips: a table cell's status drawn as a small coloured label (受付, 支援中, 予定 …).

:class:`StatusChipDelegate` reads the cell's text, finds its tone in :data:`TONES` (built
from the code lists, so the English catalogue works too) and paints a rounded chip; a
text it does not know is drawn as usual. A trailing ⚠ (a meeting with a scheduling
warning) gives the warning tone.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from pfdesk.core import codes

#: Tone → (background, text) colours.
PALETTE: dict[str, tuple[str, str]] = {
    "new": ("#dbeafe", "#1e3a8a"),
    "active": ("#d7efe5", "#14532d"),
    "watch": ("#fdefc8", "#6b4a00"),
    "done": ("#e5e7eb", "#374151"),
    "stopped": ("#f3e1e1", "#7f1d1d"),
    "warning": ("#ffe7b3", "#7a4b00"),
}

_KEYS: dict[str, str] = {
    # ケース状況
    "intake": "new", "active": "active", "watch": "watch", "closed": "done",
    # 開催状況
    "planned": "new", "held": "done", "cancelled": "stopped",
    # 宿題事項の対応状況
    "open": "new", "in_progress": "active", "done": "done", "dropped": "stopped",
    # つなぎ状況
    "referred": "new", "started": "active", "ended": "done", "interrupted": "stopped",
}
_LISTS = (codes.CASE_STATUSES, codes.MEETING_STATUSES, codes.ACTION_STATUSES,
          codes.REFERRAL_STATUSES)
WARNING_MARK = "⚠"


def tones() -> dict[str, str]:
    """Each status label (in the language shown) → its tone."""
    out: dict[str, str] = {}
    for code_list in _LISTS:
        for key, tone in _KEYS.items():
            label = code_list.label(key)
            if label != key:  # a key the list does not have comes back as it is
                out.setdefault(label, tone)
    return out


def tone_of(text: str, known: dict[str, str]) -> str | None:
    """The tone of a cell showing ``text`` (None: not a status)."""
    clean = text.replace(WARNING_MARK, "").strip()
    if clean not in known:
        return None
    return "warning" if WARNING_MARK in text else known[clean]


class StatusChipDelegate(QStyledItemDelegate):
    """Draws a known status as a chip; anything else as the view would."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known = tones()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        """The chip over the cell's usual background (selection and stripes stay)."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        tone = tone_of(text, self.known)
        if tone is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        bg, ink = PALETTE[tone]
        metrics = opt.fontMetrics
        label = text.strip()
        width = metrics.horizontalAdvance(label) + 14
        height = metrics.height() + 4
        rect = QRectF(opt.rect.x() + 4, opt.rect.center().y() - height / 2 + 1,
                      min(width, opt.rect.width() - 8), height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QPen(QColor(ink)))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Room for the chip's padding."""
        size = super().sizeHint(option, index)
        return QSize(size.width() + 16, size.height())


def chip_status_columns(view) -> list[int]:
    """Give the status columns of ``view`` (状況, 対応状況, つなぎ状況) the chip delegate.

    Returns the columns given it. Call after the model is set.
    """
    from pfdesk.core.i18n import _

    headers = {_("状況"), _("対応状況"), _("つなぎ状況"), _("開催状況")}
    model = view.model()
    delegate = StatusChipDelegate(view)
    done = []
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) in headers:
            view.setItemDelegateForColumn(column, delegate)
            done.append(column)
    return done
