"""The first start on an empty store: greet the user and set up the municipality."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.settings import save_municipality
from pfdesk.ui.settings.municipality_form import MunicipalityForm
from pfdesk.ui.window_fit import VerticalScroll


class FirstStartDialog(QDialog):
    """Asks for the municipality and secretariat; nothing else is filled in."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("pfdesk へようこそ"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("pfdesk へようこそ。\n"
              "はじめに、自治体とプラットフォーム事務局の情報を入力してください。\n"
              "ここで入力した内容は、開催通知などの文書や報告に使われます。"
              "あとから「設定」で変更できます。")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = MunicipalityForm()
        # The form scrolls inside the dialog on a short screen (150 % scaling).
        layout.addWidget(VerticalScroll(self.form), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("はじめる"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Save, or keep the dialog open with the problem shown."""
        try:
            save_municipality(self.ctx, self.form.value())
        except ValidationError as e:
            self.form.show_error(e)
            return
        super().accept()
