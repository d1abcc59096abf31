"""The first start on an empty store: greet the user and set up the municipality."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen, shown_value
from pfdesk.services.settings import (
    MUNICIPALITY_LABELS,
    Municipality,
    get_municipality,
    save_municipality,
)
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
        # What is stored as the dialog opens (empty on a new store): another PC's set-up
        # saved meanwhile is then refused, never overwritten.
        self.seen: Municipality = get_municipality(ctx)
        # The form scrolls inside the dialog on a short screen (150 % scaling).
        layout.addWidget(VerticalScroll(self.form), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("はじめる"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Save, or keep the dialog open with the problem shown.

        On a new shared store another PC may finish its はじめての設定 while this one is
        open: then nothing typed here is saved over it; the user is told who set it up
        and with what, and pfdesk starts with the stored settings.
        """
        try:
            save_municipality(self.ctx, self.form.value(), seen=self.seen)
        except EditConflict as e:
            stored = current_seen(e).values
            if not stored.is_complete:  # only partly set elsewhere: shown, saved on top next
                self.seen = stored
                self.form.error.setText(e.user_text())
                return
            QMessageBox.information(self, _("ほかのパソコンで設定済みです"),
                                    set_up_elsewhere_text(e, self.form.value()))
            super().accept()
            return
        except ValidationError as e:
            self.form.show_error(e)
            return
        super().accept()


def set_up_elsewhere_text(e: EditConflict, typed: Municipality) -> str:
    """The message when another PC saved the settings first: who, when, with what.

    Also what was typed here (not saved), to enter in 設定 where it should replace them.
    """
    stored = current_seen(e).values
    lines = [_("このデータの「はじめての設定」は、ほかのパソコンで済んでいました。"
               "保存されている設定で pfdesk を始めます。"), "", e.message]
    differs = [(label, shown_value(getattr(typed, name)))
               for name, label in MUNICIPALITY_LABELS
               if getattr(typed, name).strip() and getattr(typed, name) != getattr(stored, name)]
    if differs:
        lines += ["", _("あなたが入力した内容（保存していません）:")]
        lines += [f"・{label}: {value}" for label, value in differs]
    lines += ["", _("変更が必要なときは、「設定」の「自治体・事務局」で直してください。")]
    return "\n".join(lines)
