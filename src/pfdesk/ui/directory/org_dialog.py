"""The organization form: 名称, ふりがな, 分野, 種別, contact details, 廃止, and its posts.

For roles that may read cases it also lists the cases referred to it (つなぎ).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.codes import FIELDS, ORG_KINDS
from pfdesk.core.errors import EditConflict, KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, parse_date
from pfdesk.services import undo
from pfdesk.services.consultations.referrals import referrals_for_organization
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.organizations import (
    abolish_organization,
    create_organization,
    delete_organization,
    get_organization,
    restore_organization,
    update_organization,
)
from pfdesk.services.directory.types import OrganizationInput
from pfdesk.services.edit_versions import Seen, current_seen
from pfdesk.services.masking import can_identify
from pfdesk.ui.directory.fields import CheckedLineEdit, FormErrors, delete_ok, discard_ok
from pfdesk.ui.directory.models import PostsModel, ReferralsModel
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import code_combo, set_combo
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.widgets import dialog_buttons, table_view
from pfdesk.ui.window_fit import VerticalScroll


class OrganizationDialog(QDialog):
    """Create (``org_id=None``) or edit an organization."""

    def __init__(self, *, ctx: ServiceContext, org_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.org_id = ctx, org_id
        self.saved_offer: undo.Undo | None = None  # the edit saved, to be taken back
        self.setWindowTitle(_("関係機関の登録") if org_id is None else _("関係機関の編集"))
        self.resize(780, 740)
        layout = QVBoxLayout(self)
        # 「… さんの情報を保存しました　［取り消し］」 after a person opened from here saved.
        self.undo_bar = UndoBar(ctx=ctx)
        self.undo_bar.changed.connect(self._after_undo)
        layout.addWidget(self.undo_bar)
        form = QFormLayout()
        self.note = QPlainTextEdit()
        self.edits: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {
            "name": QLineEdit(), "name_kana": CheckedLineEdit("reading"),
            "field": code_combo(FIELDS), "kind": code_combo(ORG_KINDS),
            "department": QLineEdit(), "postal_code": CheckedLineEdit("postal"),
            "address": QLineEdit(), "phone": CheckedLineEdit("phone"),
            "fax": CheckedLineEdit("phone"), "email": CheckedLineEdit("email"),
            "networks": QLineEdit(), "note": self.note,
        }
        e = self.edits
        e["name"].setPlaceholderText(_("例: みどり川町社会福祉協議会"))
        e["name_kana"].setPlaceholderText(_("例: みどりかわちょうしゃかいふくしきょうぎかい"))
        e["department"].setPlaceholderText(_("例: 地域福祉課（連絡の窓口になる部署）"))
        e["postal_code"].setPlaceholderText(_("例: 781-2104"))
        e["phone"].setPlaceholderText(_("例: 0889-52-1234"))
        e["networks"].setPlaceholderText(_("例: 自立支援協議会、自殺対策ネットワーク"))
        e["note"].setFixedHeight(60)
        self.note.setTabChangesFocus(True)
        for key, label in (
            ("name", _("名称（必須）")), ("name_kana", _("ふりがな")), ("field", _("分野")),
            ("kind", _("種別")), ("department", _("窓口（部署）")), ("postal_code", _("郵便番号")),
            ("address", _("住所")), ("phone", _("電話")), ("fax", _("FAX")),
            ("email", _("メール")), ("networks", _("所属ネットワーク")), ("note", _("備考")),
        ):
            form.addRow(label, e[key])
        # Twelve fields: they scroll when the screen is short (150 % scaling), the list of
        # the people in post and the buttons stay in sight.
        fields = QWidget()
        fields.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(VerticalScroll(fields))
        self.state = QLabel("")
        self.errors = FormErrors()
        layout.addWidget(self.state)
        layout.addWidget(self.errors)
        for w in e.values():
            if isinstance(w, CheckedLineEdit):
                w.problem.connect(lambda _m: self.errors.show_field_problems(self.edits))
        self.tabs = QTabWidget()
        self.posts = PostsModel(self)
        self.posts_view = table_view(self.posts)
        self.tabs.addTab(self.posts_view, _("在任者（過去の担当者も残ります）"))
        # Referrals are case data: only roles that may read cases get the tab at all.
        self.show_referrals = org_id is not None and ctx.actor.can(Permission.CASE_READ)
        self.referrals = ReferralsModel(self, identify=can_identify(ctx.actor))
        self.referrals_view = table_view(self.referrals, alternating=True)
        if self.show_referrals:
            self.tabs.addTab(self.referrals_view, _("つなぎ"))
        layout.addWidget(self.tabs, 1)
        self.posts_view.doubleClicked.connect(self.open_person)
        row = QHBoxLayout()
        self.add_person_button = QPushButton(_("この機関に担当者を追加…"))
        self.add_person_button.clicked.connect(self.add_person)
        self.abolish_button = QPushButton(_("廃止にする…"))
        self.abolish_button.clicked.connect(self.abolish)
        self.delete_button = QPushButton(_("削除（誤登録のとき）"))
        self.delete_button.clicked.connect(self.delete)
        row.addWidget(self.add_person_button)
        row.addWidget(self.abolish_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        buttons = dialog_buttons(self, _("保存"), ok=QDialogButtonBox.StandardButton.Save,
                                 on_ok=self.save)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        row.addWidget(buttons)
        layout.addLayout(row)
        writable = ctx.actor.can(Permission.DIRECTORY_WRITE)
        self.save_button.setEnabled(writable)
        for b in (self.abolish_button, self.delete_button, self.add_person_button):
            b.setEnabled(writable and org_id is not None)
        self._loaded = self.value()
        if org_id is not None:
            self.load()
        e["name"].setFocus()

    def load(self) -> None:
        """Fill the form from the store."""
        org_id = self._org_id()
        d = get_organization(self.ctx, org_id)
        for key, w in self.edits.items():
            value = getattr(d.data, key)
            if isinstance(w, QComboBox):  # 分野, 種別
                set_combo(w, value)
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
            else:
                w.setText(value)
        self.posts.set_records(d.posts)
        self.posts_view.resizeColumnsToContents()
        if self.show_referrals:
            self.referrals.set_records(referrals_for_organization(self.ctx, org_id))
            self.referrals_view.resizeColumnsToContents()
            self.tabs.setTabText(1, _("つなぎ（この機関への紹介 {n} 件）").format(
                n=len(self.referrals.records)))
        if d.active:
            self.state.setText("")
            self.abolish_button.setText(_("廃止にする…"))
        else:
            when = format_date(d.abolished_on) if d.abolished_on else ""
            self.state.setText(_("この機関は{when}に廃止されています。").format(when=when))
            self.state.setStyleSheet("color: #8a5a00;")
            self.abolish_button.setText(_("廃止を取り消す"))
        self.active = d.active
        self._loaded = self.value()
        self.seen = Seen(d.version, d.data)  # a save refused when another PC saved since

    def _org_id(self) -> int:
        """The organization shown (loading, 廃止 and 削除 need it stored)."""
        assert self.org_id is not None
        return self.org_id

    def value(self) -> OrganizationInput:
        """What is in the form now."""
        vals = {}
        for key, w in self.edits.items():
            if isinstance(w, QComboBox):  # 分野, 種別
                vals[key] = w.currentData()
            elif isinstance(w, QPlainTextEdit):
                vals[key] = w.toPlainText()
            else:
                vals[key] = w.text()
        return OrganizationInput(**vals)

    def save(self) -> bool:
        """Check every field, then store; on a problem the form stays open with it marked."""
        bad = [w for w in self.edits.values() if isinstance(w, CheckedLineEdit) and not w.check()]
        if bad:
            bad[0].setFocus()
            return False
        try:
            if self.org_id is None:
                self.org_id = create_organization(self.ctx, self.value())
            else:
                before = get_organization(self.ctx, self.org_id).data
                update_organization(self.ctx, self.org_id, self.value(), seen=self.seen)
                after = get_organization(self.ctx, self.org_id).data
                if after != before:  # offered by the page: 「…を保存しました　［取り消し］」
                    self.saved_offer = undo.organization_edited(self.org_id, before, after)
        except ValidationError as e:
            self.errors.show_error(e, self.edits)
            return False
        except EditConflict as e:
            self.seen = current_seen(e)  # shown, the form kept; the next save goes on top
            show_error(self, e)
            return False
        except KnownError as e:
            show_error(self, e)
            return False
        self.accept()
        return True

    def reject(self) -> None:
        """Close; ask first if something typed would be lost."""
        if self.value() != self._loaded and not discard_ok(self):
            return
        super().reject()

    def abolish(self) -> None:
        """廃止 with a date (today by default), or undo it."""
        try:
            if not getattr(self, "active", True):
                restore_organization(self.ctx, self._org_id())
            else:
                text, ok = QInputDialog.getText(
                    self, _("廃止"),
                    _("廃止日を入力してください（この日で在任中の担当者も退任になります）:"),
                    text=date.today().strftime("%Y/%m/%d"),
                )
                if not ok:
                    return
                abolish_organization(self.ctx, self._org_id(), parse_date(text))
            self.load()
        except KnownError as e:
            show_error(self, e)

    def add_person(self) -> None:
        """Register a new person posted in this organization."""
        from pfdesk.ui.directory.person_dialog import PersonDialog

        if PersonDialog(ctx=self.ctx, org_id=self.org_id, parent=self).exec():
            self.load()

    def _after_undo(self) -> None:
        if self.org_id is not None:
            self.load()

    def open_person(self, index) -> None:
        """Open the person of the double-clicked post."""
        from pfdesk.ui.directory.person_dialog import PersonDialog

        post = self.posts.record(index.row())
        dlg = PersonDialog(ctx=self.ctx, person_id=post.person_id, parent=self)
        saved = dlg.exec()
        self.load()
        if saved and dlg.saved_offer is not None:
            self.undo_bar.offer(dlg.saved_offer)

    def delete(self) -> None:
        """Delete an organization entered by mistake (refused once anything refers to it)."""
        if not delete_ok(self, _("この機関の記録を削除しますか？（誤って登録した場合だけ使います）")):
            return
        try:
            delete_organization(self.ctx, self._org_id())
        except KnownError as e:
            show_error(self, e)
            return
        self._loaded = self.value()
        self.done(QDialog.DialogCode.Accepted)
