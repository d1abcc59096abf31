"""設定: the municipality, its secretariat and how documents are numbered."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.encryption import encryption_status
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.security.widgets import show_encryption_status
from pfdesk.ui.settings.municipality_form import MunicipalityForm


class SettingsPage(Page):
    """Settings that shape every document and return."""

    title = _("設定")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        outer = page_layout(self, _("設定"))
        # The sections together are taller than a 1366×768 screen: they scroll.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        layout.addWidget(QLabel(_("自治体・事務局")))
        self._loaded: Municipality | None = None  # what the form showed when loaded or saved
        self.form = MunicipalityForm()
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.saved = QLabel("")
        row.addWidget(self.saved)
        self.save_button = QPushButton(_("保存"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(_("データの暗号化")))
        self.encryption = QLabel("")
        self.encryption.setWordWrap(True)
        layout.addWidget(self.encryption)
        from pfdesk.ui.settings.language import LanguageBox

        self.language = LanguageBox()  # per user: every role may choose it
        layout.addWidget(self.language)
        from pfdesk.ui.theme_size import TextSizeBox

        self.text_size = TextSizeBox()  # per user, applied at once
        layout.addWidget(self.text_size)
        from pfdesk.ui.settings.small_counts import SmallCountBox

        self.small_counts = SmallCountBox(ctx=ctx)  # shown to those who see figures
        layout.addWidget(self.small_counts)
        self.small_counts.setVisible(ctx.actor.can(Permission.STATS_READ))
        from pfdesk.ui.settings.database import DatabaseBox

        self.database = DatabaseBox(ctx=ctx)  # shown to all, changed by administrators
        layout.addWidget(self.database)
        layout.addStretch(1)
        writable = ctx.actor.can(Permission.SETTINGS_WRITE)
        self.save_button.setEnabled(writable)
        if not writable:
            self.saved.setText(_("設定の変更は管理者が行います。"))

    def refresh(self) -> None:
        """Load the stored settings (keeping what was typed and not saved yet)."""
        if not self.unsaved_changes():
            loaded = self._loaded = get_municipality(self.ctx)
            self.form.set_value(loaded)
        else:
            self.saved.setText(_("保存していない変更があります。"))
        show_encryption_status(self.encryption, encryption_status(self.ctx))
        if self.ctx.actor.can(Permission.STATS_READ):
            self.small_counts.refresh()

    def run_action(self, action: str) -> None:
        """"documents": put the cursor in 文書番号の記号 (or 発信者 when only that is empty)."""
        if action == "documents":
            edits = self.form.edits
            empty = [n for n in ("doc_number_prefix", "sender") if not edits[n].text().strip()]
            edits[empty[0] if empty else "doc_number_prefix"].setFocus()

    def save(self) -> bool:
        """Validate and store; the message says what was saved or what is missing."""
        try:
            save_municipality(self.ctx, self.form.value(), seen=self._loaded)
        except EditConflict as e:
            # Saved on another PC since this page loaded: the typed values stay, the
            # message says what changed, and the next save goes on top of it.
            self._loaded = current_seen(e).values
            self.form.error.setText(e.user_text())
            self.saved.setText("")
            return False
        except ValidationError as e:
            self.form.show_error(e)
            return False
        self.form.error.setText("")
        self._loaded = self.form.value()
        self.saved.setText(_("保存しました。"))
        return True

    def unsaved_changes(self) -> str:
        """The municipality form when it differs from what is stored."""
        if self._loaded is None or not self.ctx.actor.can(Permission.SETTINGS_WRITE):
            return ""
        return _("設定（自治体・事務局）") if self.form.value() != self._loaded else ""

    def save_changes(self) -> bool:
        """Save the form (the problem is shown on the page when it cannot be saved)."""
        return self.save()
