"""The municipality form, used on the 設定 page and in the first-start set-up."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.settings import Municipality
from pfdesk.ui.widgets import error_label

LABELS: dict[str, tuple[str, str]] = {
    "prefecture": (_("都道府県"), _("例: 高知県")),
    "name": (_("自治体名（必須）"), _("例: いの町")),
    "platform_name": (_("プラットフォームの名称"), _("例: いの町ひきこもり支援ネットワーク")),
    "platform_established": (_("設置年月"), _("例: 2021-04")),
    "secretariat": (_("事務局の担当課（必須）"), _("例: ほけん福祉課")),
    "sender": (_("文書の発信者"), _("例: いの町長　山田　一郎")),
    "contact_person": (_("担当者"), _("例: 地域福祉係　森野")),
    "phone": (_("電話"), ""),
    "fax": (_("FAX"), ""),
    "email": (_("メール"), ""),
    "postal_code": (_("郵便番号"), _("例: 781-2192")),
    "address": (_("所在地"), ""),
    "doc_number_prefix": (_("文書番号の記号"), _("例: い保福（→ い保福第12号）")),
}


class MunicipalityForm(QWidget):
    """Edits a :class:`Municipality`; marks the field a ValidationError names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for f in fields(Municipality):
            label, placeholder = LABELS[f.name]
            edit = QLineEdit()
            edit.setObjectName(f.name)
            edit.setPlaceholderText(placeholder)
            form.addRow(label, edit)
            self.edits[f.name] = edit
        self.error = error_label()
        form.addRow(self.error)

    def set_value(self, m: Municipality) -> None:
        """Fill the fields."""
        for name, edit in self.edits.items():
            edit.setText(getattr(m, name))

    def value(self) -> Municipality:
        """The entered settings (trimmed)."""
        return Municipality(**{n: e.text().strip() for n, e in self.edits.items()})

    def show_error(self, e: ValidationError) -> None:
        """Show the message under the form and focus the field it names."""
        self.error.setText(e.user_text())
        for name, edit in self.edits.items():
            edit.setStyleSheet("border: 1px solid #b00020;" if name == e.field else "")
        if e.field in self.edits:
            self.edits[e.field].setFocus()
