"""Small dialogs of a case: contacts, the quick phone entry, 取消, 終結, 再開, つなぎ, 同意.

Each dialog calls one service when OK is pressed; a problem is shown and the dialog stays
open with everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.consultations import cases, consents, contacts, referrals
from pfdesk.services.context import ServiceContext
from pfdesk.ui.autosave import AutosaveTextEdit
from pfdesk.ui.choice_buttons import ChoiceButtons
from pfdesk.ui.consultations.fields import CodeChecks, DateTimeLine
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, code_combo, set_combo
from pfdesk.ui.search_combo import SearchableCombo
from pfdesk.ui.widgets import dialog_buttons
from pfdesk.ui.window_fit import VerticalScroll


class FormDialog(QDialog):
    """A dialog with a form and OK/キャンセル; ``submit()`` does the work and may raise."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value = None
        outer = QVBoxLayout(self)
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.intro.hide()
        outer.addWidget(self.intro)
        # The fields scroll when the screen is short (125 %/150 % scaling); OK stays in sight.
        fields = QWidget()
        self.form = QFormLayout(fields)
        self.form.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(VerticalScroll(fields), 1)
        self.buttons = dialog_buttons(self, ok_text, on_ok=self._ok)
        outer.addWidget(self.buttons)

    def date_field(self, label: str, day: date) -> DateLine:
        """The required date of the step (終結日, 同意日, …), filled in with ``day``."""
        line = DateLine(label, required=True)
        line.set_value(day)
        return line

    def set_intro(self, text: str) -> None:
        """A sentence above the form saying what this does."""
        self.intro.setText(text)
        self.intro.show()

    def submit(self):
        """Do the work; return what the caller gets in ``result_value``."""
        raise NotImplementedError

    def _ok(self) -> None:
        try:
            self.result_value = self.submit()
        except Exception as e:  # noqa: BLE001 - shown; the dialog keeps what was typed
            show_error(self, e)
            return
        self.after_saved()
        self.accept()

    def after_saved(self) -> None:
        """Hook after a successful submit (drafts are discarded here)."""


class ContactDialog(FormDialog):
    """支援経過の記録 (new or correction), with the long 内容 autosaved as a draft."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, contact=None,
                 now: datetime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("経過記録の修正") if contact else _("経過記録の追加"), _("保存"), parent)
        self.ctx, self.case_id, self.contact = ctx, case_id, contact
        self.resize(760, 640)
        self.when = DateTimeLine(_("日時"))
        self.method = code_combo(codes.METHODS, "phone")
        self.requester = code_combo(codes.REQUESTERS, "self")
        self.relation = QLineEdit()
        self.relation.setPlaceholderText(_("家族のとき: 母、父 など"))
        self.staff = QLineEdit(ctx.actor.display_name)
        self.counterpart = code_combo(codes.COUNTERPARTS, "self")
        self.counterpart_org = SearchableCombo(placeholder=_("機関名・読みの一部を入力して選択"))
        self.counterpart_org.add_entry(_("（なし）"), None)
        for o in referrals.organization_choices(ctx):
            self.counterpart_org.add_entry(o.name, o.id, o.name_kana)
        self.main_topic = code_combo(codes.TOPICS, "withdrawal")
        self.topics = CodeChecks(codes.TOPICS, columns=4)
        key = f"contact:{contact.id}" if contact else f"contact:new:{case_id}"
        self.body = AutosaveTextEdit(ctx=ctx, draft_key=key)
        self.body.setPlaceholderText(_("入力中の内容は自動で下書き保存されます。"))
        self.body.setMinimumHeight(160)
        self.next_plan = QLineEdit()
        for label, w in ((_("日時 *"), self.when), (_("方法"), self.method),
                         (_("相談者"), self.requester), (_("続柄"), self.relation),
                         (_("対応者"), self.staff), (_("相手方"), self.counterpart),
                         (_("相手方機関"), self.counterpart_org),
                         (_("相談内容（主）"), self.main_topic),
                         (_("相談内容（ほか）"), self.topics), (_("内容"), self.body),
                         (_("次回予定"), self.next_plan)):
            self.form.addRow(label, w)
        if contact:
            self.when.set_value(contact.occurred_at)
            set_combo(self.method, contact.method)
            set_combo(self.requester, contact.requester)
            self.relation.setText(contact.relation)
            self.staff.setText(contact.staff)
            set_combo(self.counterpart, contact.counterpart)
            set_combo(self.counterpart_org, contact.counterpart_org_id)
            set_combo(self.main_topic, contact.main_topic)
            self.topics.set_value([t for t in contact.topics if t != contact.main_topic])
            self.body.set_text_quietly(contact.body)
            self.next_plan.setText(contact.next_plan)
        else:
            self.when.set_value((now or datetime.now()).replace(second=0, microsecond=0))

    def submit(self):
        data = contacts.ContactInput(
            occurred_at=self.when.value(), method=self.method.currentData(),
            requester=self.requester.currentData(), relation=self.relation.text(),
            staff=self.staff.text(), counterpart=self.counterpart.currentData(),
            counterpart_org_id=self.counterpart_org.currentData(),
            topics=self.topics.value(), main_topic=self.main_topic.currentData(),
            body=self.body.toPlainText(), next_plan=self.next_plan.text(),
        )
        if self.contact:
            try:
                return contacts.update_contact(self.ctx, self.contact.id, data,
                                               seen=self.contact)
            except EditConflict as e:
                # Corrected elsewhere meanwhile: shown, the text kept; the next OK saves it
                # on top of the contact as it is now.
                self.contact = e.current
                raise
        return contacts.add_contact(self.ctx, self.case_id, data)

    def after_saved(self) -> None:
        self.body.discard_draft()

    def reject(self) -> None:
        if self.body.pending():
            self.body.save_draft_now()
        super().reject()


class QuickPhoneDialog(FormDialog):
    """電話の簡易入力: case, when, who called, about what, and what was said."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, case_label: str,
                 now: datetime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("電話の簡易入力"), _("記録する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.resize(680, 420)
        self.set_intro(_("電話1件を5項目で記録します。対応者はあなた（{me}）になります。"
                         "詳しい項目はあとから経過記録で直せます。").format(
                             me=ctx.actor.display_name))
        self.case_label = QLabel(case_label)
        self.when = DateTimeLine(_("日時"))
        self.when.set_value((now or datetime.now()).replace(second=0, microsecond=0))
        # Asked on every call: one click on a visible choice instead of a drop-down.
        self.requester = ChoiceButtons(codes.REQUESTERS, "family")
        self.topic = code_combo(codes.TOPICS, "withdrawal")
        self.body = AutosaveTextEdit(ctx=ctx, draft_key=f"quick:{case_id}")
        self.body.setPlaceholderText(_("入力中の内容は自動で下書き保存されます。"))
        self.body.setMinimumHeight(120)
        for label, w in ((_("ケース"), self.case_label), (_("日時 *"), self.when),
                         (_("相談者"), self.requester), (_("相談内容"), self.topic),
                         (_("内容"), self.body)):
            self.form.addRow(label, w)

    def submit(self):
        return contacts.quick_phone_entry(
            self.ctx, self.case_id, self.when.value(), self.requester.currentData(),
            self.topic.currentData(), self.body.toPlainText())

    def after_saved(self) -> None:
        self.body.discard_draft()

    def reject(self) -> None:
        if self.body.pending():
            self.body.save_draft_now()
        super().reject()


class ReasonDialog(FormDialog):
    """取消 (void) with a required reason; ``action(reason)`` does it."""

    def __init__(self, title: str, what: str, action: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, _("取消する"), parent)
        self.action = action
        self.set_intro(_("{what}を取消します。記録は削除されず、取消の理由とともに経過に残ります。")
                       .format(what=what))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("例: 別のケースに入力したため"))
        self.form.addRow(_("取消の理由 *"), self.reason)

    def submit(self):
        return self.action(self.reason.text())


class CloseDialog(FormDialog):
    """終結: date and 終結理由 (chosen by the user: there is no default reason)."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("ケースの終結"), _("終結する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.on = self.date_field(_("終結日"), today)
        self.reason = code_combo(codes.CLOSE_REASONS, blank=_("（選んでください）"))
        self.reason.setCurrentIndex(0)
        self.note = QLineEdit()
        self.form.addRow(_("終結日 *"), self.on)
        self.form.addRow(_("終結理由 *"), self.reason)
        self.form.addRow(_("補足"), self.note)
        self.contact_count = sum(
            1 for c in contacts.list_contacts(ctx, case_id) if not c.voided)
        if self.contact_count == 0:
            self.set_intro(_("⚠ このケースには相談（経過記録）が1件もありません。"
                             "相談を記録してから終結するか、終結してよいか確かめてください。"))

    def submit(self):
        if not self.reason.currentData():
            raise ValidationError(_("終結理由を選んでください。"), field="reason",
                                  hint=_("「目標達成」「連絡途絶」などから、あてはまるものを選びます。"))
        return cases.close_case(self.ctx, self.case_id, self.on.required_value(),
                                self.reason.currentData(), self.note.text())

    def _ok(self) -> None:
        if self.contact_count == 0 and self.reason.currentData() and QMessageBox.question(
            self, _("相談の記録がないケース"),
            _("このケースには相談（経過記録）が1件もありません。このまま終結しますか？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        super()._ok()


class ReopenDialog(FormDialog):
    """再開: date, new status and why."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("ケースの再開"), _("再開する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.on = self.date_field(_("再開日"), today)
        self.status = QComboBox()
        self.status.addItem(codes.CASE_STATUSES.label("active"), "active")
        self.status.addItem(codes.CASE_STATUSES.label("watch"), "watch")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("例: 家族から再度の相談があった"))
        self.form.addRow(_("再開日 *"), self.on)
        self.form.addRow(_("再開後の状況"), self.status)
        self.form.addRow(_("再開の理由 *"), self.reason)

    def submit(self):
        return cases.reopen_case(self.ctx, self.case_id, self.on.required_value(),
                                 self.reason.text(),
                                 self.status.currentData())


class StatusDialog(FormDialog):
    """Move an open case between 受付, 支援中 and 見守り."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, current: str, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("状況の変更"), _("変更する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.status = QComboBox()
        for k in ("intake", "active", "watch"):
            if k != current:
                self.status.addItem(codes.CASE_STATUSES.label(k), k)
        self.on = self.date_field(_("変更日"), today)
        self.reason = QLineEdit()
        self.form.addRow(_("新しい状況"), self.status)
        self.form.addRow(_("変更日 *"), self.on)
        self.form.addRow(_("理由・メモ"), self.reason)

    def submit(self):
        return cases.change_status(self.ctx, self.case_id, self.status.currentData(),
                                   self.on.required_value(), self.reason.text())


class ReferralDialog(FormDialog):
    """つなぎの追加: organization, つなぎ先区分, date."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("つなぎの追加"), _("登録する"), parent)
        self.ctx, self.case_id = ctx, case_id
        # Sixty and more organizations: found by typing part of the name or reading.
        self.org = SearchableCombo(placeholder=_("機関名・読みの一部を入力して選択"))
        self.org.add_entry(_("（構成機関以外・機関未登録）"), None)
        self.kinds: dict[int, str] = {}
        for o in referrals.organization_choices(ctx):
            self.org.add_entry(o.name, o.id, o.name_kana)
            self.kinds[o.id] = o.kind
        self.category = code_combo(codes.REFERRAL_CATEGORIES, "other")
        # Choosing the organization proposes its usual category; the user may change it.
        self.org.currentIndexChanged.connect(lambda _i: set_combo(
            self.category, referrals.category_for_kind(self.kinds.get(self.org.currentData(), ""))))
        self.on = self.date_field(_("紹介日"), today)
        self.note = QLineEdit()
        self.form.addRow(_("つなぎ先"), self.org)
        self.form.addRow(_("つなぎ先区分 *"), self.category)
        self.form.addRow(_("紹介日 *"), self.on)
        self.form.addRow(_("備考"), self.note)
        # つなぎ passes the person's information on: say so when no consent covers it.
        self.consents = consents.list_consents(ctx, case_id)
        self.consent_warning = QLabel("")
        self.consent_warning.setWordWrap(True)
        self.consent_warning.setStyleSheet("color: #a04000;")
        self.form.addRow("", self.consent_warning)
        self.org.currentIndexChanged.connect(lambda _i: self._show_consent())
        self.on.textChanged.connect(lambda _t: self._show_consent())
        self._show_consent()

    def consent_problem(self) -> str:
        """Why no consent covers this つなぎ ("" when one does)."""
        try:
            day = self.on.required_value()
        except ValidationError:
            return ""
        if day is None:
            return ""
        live = [c for c in self.consents if c.in_force(day)]
        if not live:
            return _("同意なし：この日に有効な情報共有の同意がありません。つなぎ先に本人の情報を"
                     "伝える前に同意を得て、「同意」タブに記録してください。")
        org = self.org.currentData()
        if org is not None and not any(c.scope_all or org in c.organization_ids for c in live):
            return _("同意の範囲に「{org}」が入っていません。情報を伝える前に、同意の範囲を"
                     "確かめてください。").format(org=self.org.currentText())
        return ""

    def _show_consent(self) -> None:
        text = self.consent_problem()
        self.consent_warning.setText(f"⚠ {text}" if text else "")
        self.consent_warning.setVisible(bool(text))

    def _ok(self) -> None:
        problem = self.consent_problem()
        if problem and QMessageBox.question(
            self, _("同意のないつなぎ"),
            problem + "\n\n" + _("同意がないまま、このつなぎを記録しますか？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        super()._ok()

    def submit(self):
        return referrals.add_referral(self.ctx, self.case_id, self.org.currentData(),
                                      self.category.currentData(), self.on.required_value(),
                                      self.note.text())


class ReferralStatusDialog(FormDialog):
    """つなぎの状況: 利用開始, 終了 or 中断, with the date."""

    def __init__(self, *, ctx: ServiceContext, referral, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("つなぎの状況"), _("変更する"), parent)
        self.ctx, self.referral = ctx, referral
        self.status = QComboBox()
        nxt = {"referred": ("started", "interrupted"), "started": ("ended", "interrupted")}
        for k in nxt.get(referral.status, ()):
            self.status.addItem(codes.REFERRAL_STATUSES.label(k), k)
        self.on = self.date_field(_("日付"), today)
        self.form.addRow(_("つなぎ先"), QLabel(referral.organization_name
                                            or codes.REFERRAL_CATEGORIES.label(referral.category)))
        self.form.addRow(_("新しい状況"), self.status)
        self.form.addRow(_("日付 *"), self.on)

    def submit(self):
        if self.status.count() == 0:
            raise ValidationError(
                _("このつなぎは終了または中断しているため、これ以上変えられません。"))
        return referrals.set_referral_status(self.ctx, self.referral.id,
                                             self.status.currentData(), self.on.required_value())


class ConsentDialog(FormDialog):
    """情報共有の同意: date, method, and scope (all members or chosen organizations)."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("情報共有の同意"), _("記録する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.resize(560, 560)
        self.on = self.date_field(_("同意日"), today)
        self.method = code_combo(codes.CONSENT_METHODS, "written")
        self.all = QRadioButton(_("プラットフォーム構成機関すべて"))
        self.listed = QRadioButton(_("次の機関のみ"))
        group = QButtonGroup(self)
        group.addButton(self.all)
        group.addButton(self.listed)
        self.all.setChecked(True)
        self.orgs = QListWidget()
        # Rows as tall as their check box, so the boxes do not overlap the names.
        row = QSize(0, max(self.orgs.fontMetrics().height(), 16) + 8)
        for o in referrals.organization_choices(ctx):
            item = QListWidgetItem(o.name, self.orgs)
            item.setSizeHint(row)
            item.setData(Qt.ItemDataRole.UserRole, o.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.orgs.setEnabled(False)
        self.listed.toggled.connect(self.orgs.setEnabled)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(60)
        self.form.addRow(_("同意日 *"), self.on)
        self.form.addRow(_("方法"), self.method)
        self.form.addRow(_("範囲"), self.all)
        self.form.addRow("", self.listed)
        self.form.addRow("", self.orgs)
        self.form.addRow(_("備考"), self.note)

    def chosen(self) -> list[int]:
        """The checked organizations."""
        return [self.orgs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.orgs.count())
                if self.orgs.item(i).checkState() == Qt.CheckState.Checked]

    def submit(self):
        return consents.record_consent(
            self.ctx, self.case_id, self.on.required_value(), self.all.isChecked(),
            self.chosen() if self.listed.isChecked() else (), self.method.currentData(),
            self.note.toPlainText())


class WithdrawDialog(FormDialog):
    """同意の撤回: the date the person withdrew it."""

    def __init__(self, *, ctx: ServiceContext, consent_id: int, today: date,
                 parent: QWidget | None = None):
        super().__init__(_("同意の撤回"), _("撤回を記録する"), parent)
        self.ctx, self.consent_id = ctx, consent_id
        self.set_intro(_("撤回日以降、このケースの情報は会議資料などで共有できなくなります。"))
        self.on = self.date_field(_("撤回日"), today)
        self.form.addRow(_("撤回日 *"), self.on)

    def submit(self):
        return consents.withdraw_consent(self.ctx, self.consent_id, self.on.required_value())
