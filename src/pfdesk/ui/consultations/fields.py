"""Input widgets of the consultation screens: 和暦 dates, date-times, code lists, checkboxes."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, parse_date_or_none, parse_time


class DateLine(QLineEdit):
    """A date typed as 2026/11/26, R8.11.26 or 令和8年11月26日, shown back in 和暦."""

    def __init__(self, label: str, *, required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label, self.required = label, required
        self.setPlaceholderText(_("例: 2026/11/26 または R8.11.26"))
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            d = parse_date_or_none(self.text())
        except ValidationError:
            return  # kept as typed; value() explains the problem on saving
        if d:
            self.setText(format_date(d, weekday=True))

    def value(self) -> date | None:
        """The date (None when blank); a ValidationError naming the field when unreadable."""
        try:
            d = parse_date_or_none(self.text())
        except ValidationError as e:
            raise ValidationError(f"「{self.label}」: {e.message}", hint=e.hint) from e
        if d is None and self.required:
            raise ValidationError(_("「{label}」を入力してください。").format(label=self.label))
        return d

    def set_value(self, d: date | None) -> None:
        """Show ``d`` in 和暦 with the weekday."""
        self.setText(format_date(d, weekday=True) if d else "")


class DateTimeLine(QWidget):
    """A date and a time side by side (相談日時)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHBoxLayout

        self.label = label
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.date = DateLine(label, required=True)
        self.time = QLineEdit()
        self.time.setPlaceholderText(_("例: 13:30"))
        self.time.setMaximumWidth(90)
        row.addWidget(self.date, 1)
        row.addWidget(self.time)

    def value(self) -> datetime:
        """The moment typed (00:00 when the time is left blank)."""
        d = self.date.value()
        t = time(0, 0)
        if self.time.text().strip():
            try:
                t = parse_time(self.time.text())
            except ValidationError as e:
                raise ValidationError(f"「{self.label}」: {e.message}", hint=e.hint) from e
        return datetime.combine(d, t)

    def set_value(self, dt: datetime) -> None:
        """Show ``dt``."""
        self.date.set_value(dt.date())
        self.time.setText(dt.strftime("%H:%M"))


def code_combo(codes, current: str | None = None, *, blank: str | None = None) -> QComboBox:
    """A combo box of a code list's labels, keys as item data (``blank`` adds an "any" item)."""
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, "")
    for key, label in codes:
        box.addItem(label, key)
    if current is not None:
        set_combo(box, current)
    return box


def set_combo(box: QComboBox, key) -> None:
    """Select the item whose data is ``key`` (the first item when there is none)."""
    box.setCurrentIndex(max(0, box.findData(key)))


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
