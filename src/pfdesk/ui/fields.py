"""Input widgets the forms of several areas share: 和暦 dates, times, code-list combo boxes."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

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
        # Room for the longest 和暦 date (「令和」 never scrolled out of sight) and for the
        # example, which would otherwise end in 「R8…」.
        fm = self.fontMetrics()
        widest = max(fm.horizontalAdvance(_("令和10年12月28日（水）")),
                     fm.horizontalAdvance(self.placeholderText()))
        self.setMinimumWidth(widest + 24)
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            d = parse_date_or_none(self.text())
        except ValidationError:
            return  # kept as typed; value() explains the problem on saving
        if d:
            self.setText(format_date(d, weekday=True))
            self.setCursorPosition(0)

    def value(self) -> date | None:
        """The date (None when blank); a ValidationError naming the field when unreadable."""
        try:
            d = parse_date_or_none(self.text())
        except ValidationError as e:
            raise ValidationError(f"「{self.label}」: {e.message}", hint=e.hint) from e
        if d is None and self.required:
            raise ValidationError(_("「{label}」を入力してください。").format(label=self.label))
        return d

    def required_value(self) -> date:
        """The date of a field that must be filled: a ValidationError naming it when blank."""
        d = self.value()
        if d is None:
            raise ValidationError(_("「{label}」を入力してください。").format(label=self.label))
        return d

    def set_value(self, d: date | None) -> None:
        """Show ``d`` in 和暦 with the weekday (blank for None), from its beginning."""
        self.setText(format_date(d, weekday=True) if d else "")
        self.setCursorPosition(0)


class TimeLine(QLineEdit):
    """A time typed as 13:30, 13時30分 or 1330."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPlaceholderText(_("例: 13:30"))
        self.setMaximumWidth(90)

    def value(self) -> time | None:
        """The time, None when blank; a ValidationError naming the field when unreadable."""
        if not self.text().strip():
            return None
        try:
            return parse_time(self.text())
        except ValidationError as e:
            raise ValidationError(f"「{self.label}」: {e.message}", hint=e.hint) from e

    def set_value(self, t: time | None) -> None:
        """Show ``t`` as 13:30."""
        self.setText(t.strftime("%H:%M") if t else "")


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
