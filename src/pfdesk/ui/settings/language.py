"""設定 → 表示の言語: Japanese (default) or English, kept per user for the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pfdesk.core.i18n import LANGUAGES, _, current_language
from pfdesk.preferences import save_language, saved_language


class LanguageBox(QWidget):
    """A choice of the display language; the window switches at the next start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("表示の言語 / Language")))
        self.combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.combo.addItem(name, code)
        chosen = saved_language() or current_language()
        self.combo.setCurrentIndex(max(0, self.combo.findData(chosen)))
        self.combo.currentIndexChanged.connect(self.choose)
        row.addWidget(self.combo)
        row.addStretch(1)
        layout.addLayout(row)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def choose(self) -> None:
        """Keep the chosen language for the next start and say so."""
        code = self.combo.currentData()
        save_language(code)
        if code == current_language():
            self.note.setText("")
        else:
            self.note.setText(_("次に pfdesk を起動したときから、{name}で表示します。"
                                " / pfdesk will be shown in {name} from its next start.").format(
                name=LANGUAGES[code]))
