"""Input widgets only the consultation screens use: 相談日時 and multi-valued code checkboxes.

Dates, times and code-list combo boxes come from :mod:`pfdesk.ui.fields`.
"""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QWidget

from pfdesk.ui.fields import DateLine, TimeLine


class DateTimeLine(QWidget):
    """A date and a time side by side (相談日時)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.date = DateLine(label, required=True)
        self.time = TimeLine(label)
        row.addWidget(self.date, 1)
        row.addWidget(self.time)

    def value(self) -> datetime:
        """The moment typed (00:00 when the time is left blank)."""
        d = self.date.required_value()
        return datetime.combine(d, self.time.value() or time(0, 0))

    def set_value(self, dt: datetime) -> None:
        """Show ``dt``."""
        self.date.set_value(dt.date())
        self.time.set_value(dt.time())


class CodeChecks(QWidget):
    """Checkboxes for a multi-valued code (課題, きっかけ, 相談内容), a few per row."""

    def __init__(self, codes, *, columns: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(codes):
            box = QCheckBox(label)
            self.boxes[key] = box
            grid.addWidget(box, i // columns, i % columns)

    def value(self) -> tuple[str, ...]:
        """The checked keys in list order."""
        return tuple(k for k, b in self.boxes.items() if b.isChecked())

    def set_value(self, keys) -> None:
        """Check exactly ``keys``."""
        wanted = set(keys)
        for k, b in self.boxes.items():
            b.setChecked(k in wanted)
