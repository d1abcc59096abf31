"""設定 → 文字の大きさ: ordinary text at 標準, 大きめ or 特大, applied at once and kept per user."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from pfdesk.core.i18n import _
from pfdesk.ui.theme import TEXT_SIZES, current_text_size, set_text_size


class TextSizeBox(QWidget):
    """A choice of the text size; every open window follows it at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("文字の大きさ")))
        self.combo = QComboBox()
        for key, (label, pt) in TEXT_SIZES.items():
            self.combo.addItem(_("{label}（{pt:g}ポイント）").format(label=_(label), pt=pt), key)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current_text_size())))
        self.combo.currentIndexChanged.connect(self.choose)
        row.addWidget(self.combo)
        # One line, not wrapped: a wrapping label in a row asks for a tall page.
        note = QLabel(_("すぐに切り替わり、次に起動したときも同じ大きさです。"))
        row.addWidget(note)
        row.addStretch(1)

    def choose(self) -> None:
        """Apply and keep the chosen size."""
        set_text_size(str(self.combo.currentData()))
