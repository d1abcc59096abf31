"""Form fields that tidy what is typed (phone, 〒, dates, readings) and flag problems inline.

A value is normalized when the user leaves the field (full-width digits, odd hyphens); only
what cannot be understood is marked red, with the reason under the form. Also the 保存 buttons
and the 破棄/削除 questions every directory form shares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from pfdesk.core import kana
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import normalize_email, normalize_phone, normalize_postal
from pfdesk.core.wareki import format_date, parse_date_or_none
from pfdesk.ui.widgets import dialog_buttons

#: ``date`` inside :class:`DateEdit`, whose method of that name hides the type.
_Date = date

_ERROR_STYLE = "border: 1px solid #b00020; background: #fff6f6;"


def _reading(text: str) -> str:
    value = kana.to_hiragana(text)
    if value and not kana.is_reading(value):
        raise ValidationError(_("ふりがな「{t}」にかな以外の文字があります。").format(t=text),
                              hint=_("ひらがなかカタカナで入力してください。"))
    return value


def _date_text(text: str) -> str:
    d = parse_date_or_none(text)
    return d.strftime("%Y/%m/%d") if d else ""


NORMALIZERS: dict[str, Callable[[str], str]] = {
    "phone": normalize_phone,
    "postal": normalize_postal,
    "email": normalize_email,
    "reading": _reading,
    "date": _date_text,
}


class CheckedLineEdit(QLineEdit):
    """A line edit that normalizes its text on leaving and shows what it cannot accept."""

    problem = Signal(str)  # "" when fine

    def __init__(self, kind: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.error = ""
        self.editingFinished.connect(self.check)

    def check(self) -> bool:
        """Normalize the text; mark the field and return False when it cannot be read."""
        if self.kind is None:
            return True
        try:
            value = NORMALIZERS[self.kind](self.text())
        except ValidationError as e:
            self.mark(e.message + ("\n" + e.hint if e.hint else ""))
            return False
        if value != self.text():
            self.setText(value)
        self.mark("")
        return True

    def mark(self, message: str) -> None:
        """Show ``message`` as this field's problem ("" clears it)."""
        self.error = message
        self.setStyleSheet(_ERROR_STYLE if message else "")
        self.setToolTip(message)
        self.problem.emit(message)


class DateEdit(CheckedLineEdit):
    """A date typed as 2026/4/1, R8.4.1 or 令和8年4月1日; shown back as 2026/04/01 (和暦 tip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("date", parent)
        self.setPlaceholderText(_("例: 2026/4/1 または R8.4.1"))
        self.textChanged.connect(self._tip)

    def _tip(self) -> None:
        try:
            d = parse_date_or_none(self.text())
        except ValidationError:
            return
        if not self.error:
            self.setToolTip(format_date(d) if d else "")

    def date(self) -> date | None:
        """The date entered, None when blank; raises ValidationError when unreadable."""
        return parse_date_or_none(self.text())

    def set_date(self, d: _Date | None) -> None:
        """Show ``d``."""
        self.setText(d.strftime("%Y/%m/%d") if d else "")


class FormErrors(QLabel):
    """The red line under a form that says what to fix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)

    def show_field_problems(self, edits: Mapping[str, QWidget]) -> None:
        """Show the first field problem in form order ("" when every field reads fine)."""
        problems = [w.error for w in edits.values() if isinstance(w, CheckedLineEdit) and w.error]
        self.setText(problems[0] if problems else "")

    def show_error(self, e: ValidationError, edits: Mapping[str, QWidget]) -> None:
        """Show the error and mark/focus the field it names."""
        for name, w in edits.items():
            if isinstance(w, CheckedLineEdit):
                w.mark(e.message if name == e.field else "")
            else:
                w.setStyleSheet(_ERROR_STYLE if name == e.field else "")
        # After marking: a field's "problem" signal would otherwise clear this text again,
        # leaving a red outline with no words.
        self.setText(e.user_text())
        if e.field in edits:
            edits[e.field].setFocus()


def add_rows(form: QFormLayout, rows: list[tuple[str, QWidget]]) -> None:
    """Add labelled rows; labels get a mnemonic-free buddy so clicks focus the field."""
    for label, widget in rows:
        form.addRow(label, widget)


def discard_ok(parent: QWidget) -> bool:
    """Ask before closing a form whose typed text is not saved; True to throw it away."""
    return QMessageBox.question(
        parent, _("確認"), _("入力した内容は保存されていません。破棄して閉じますか？"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    ) == QMessageBox.StandardButton.Discard


def delete_ok(parent: QWidget, text: str) -> bool:
    """Ask 削除 with ``text``; いいえ is the default so Enter does not delete."""
    return QMessageBox.question(
        parent, _("削除"), text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    ) == QMessageBox.StandardButton.Yes


def save_buttons(dialog: QDialog, save: Callable[[], object]) -> QDialogButtonBox:
    """保存 (runs ``save``) and キャンセル, as every directory form has them."""
    return dialog_buttons(dialog, _("保存"), ok=QDialogButtonBox.StandardButton.Save,
                          on_ok=save)
