"""A short code list as a row of radio buttons: one click to choose, every choice visible.

For lists of up to about six entries asked on every record (相談者: 本人 / 家族 / 関係機関 …)
a drop-down costs two clicks and hides the other choices; this offers the same
``currentData()`` / ``set_value()`` as a code combo box.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget


class ChoiceButtons(QWidget):
    """Radio buttons for the (key, label) pairs of a code list, one always chosen."""

    def __init__(self, codes, current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (key, label) in enumerate(codes):
            button = QRadioButton(label)
            self.group.addButton(button, i)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.set_value(current if current in self.buttons else next(iter(self.buttons)))

    def currentData(self) -> str:  # noqa: N802 - the name QComboBox uses
        """The key of the chosen entry."""
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def set_value(self, key: str) -> None:
        """Choose the entry ``key``."""
        self.buttons[key].setChecked(True)


__all__ = ["ChoiceButtons"]
