"""One case on screen: status and consent on top, tabs 本人/経過/つなぎ/同意/タイムライン."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS, PERIOD_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import drafts
from pfdesk.services.consultations import cases, consents, contacts, referrals, timeline
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.models import (
    consent_model,
    contact_model,
    referral_model,
    timeline_model,
)
from pfdesk.ui.errors import show_error
from pfdesk.ui.people.tab import PeopleTab
from pfdesk.ui.support.tab import SupportTab
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.undo_offers import consultation_offer

_AGE = {k: _(v) for k, v in AGE_BANDS}
_PERIOD = {k: _(v) for k, v in PERIOD_BANDS}


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class CaseDetailView(QWidget):
    """The case screen. ``back`` asks the page to show the list again; ``changed`` to refresh."""

    back = Signal()
    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: cases.CaseDetail | None = None
        self.today: date = date.today()  # the working day, set again on each load
        can_write = ctx.actor.can(Permission.CASE_WRITE)
        can_ident = ctx.actor.can(Permission.CASE_IDENTIFY)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        top = QHBoxLayout()
        self.back_button = QPushButton(_("← 一覧へ戻る"))
        self.back_button.clicked.connect(self.back.emit)
        self.title = QLabel("")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.back_button)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        outer.addLayout(top)
        # 「…を保存しました　［取り消し］」 for a short while after a save.
        self.undo_bar = UndoBar(ctx=ctx)
        self.undo_bar.changed.connect(self._after_undo)
        outer.addWidget(self.undo_bar)
        self.summary = QLabel("")
        outer.addWidget(self.summary)
        self.consent_banner = QLabel("")
        self.consent_banner.setObjectName("consentBanner")
        self.consent_banner.setWordWrap(True)
        outer.addWidget(self.consent_banner)
        self.void_banner = QLabel("")
        self.void_banner.setStyleSheet(
            "background:#fdecea; color:#8a1c1c; padding:6px; border:1px solid #e0a0a0;")
        self.void_banner.hide()
        outer.addWidget(self.void_banner)
        # A note typed before the PC froze or the app was closed is kept as a draft; say so
        # here, where the clerk comes back, not only inside the dialog that would offer it.
        self.draft_banner = QLabel("")
        self.draft_banner.setWordWrap(True)
        self.draft_banner.setStyleSheet(
            "background:#fff8d6; color:#5c4a00; padding:6px; border:1px solid #e6cf70;")
        self.draft_banner.hide()
        outer.addWidget(self.draft_banner)

        self.quick_button = QPushButton(_("電話の簡易入力"))
        self.add_contact_button = QPushButton(_("経過を追加"))
        self.edit_button = QPushButton(_("ケースを編集"))
        self.status_button = QPushButton(_("状況を変更"))
        self.close_button = QPushButton(_("終結"))
        self.reopen_button = QPushButton(_("再開"))
        self.void_button = QPushButton(_("ケースを取消"))
        self.who_looked_button = QPushButton(_("このケースを見た人"))
        self.who_looked_button.setToolTip(_("このケースの閲覧・編集・印刷・書き出しの記録（監査ログ）"))
        self.who_looked_button.setVisible(ctx.actor.can(Permission.AUDIT_READ))
        self.who_looked_button.clicked.connect(self.show_who_looked)
        actions = _buttons(self.quick_button, self.add_contact_button, self.edit_button,
                           self.status_button, self.close_button, self.reopen_button,
                           self.void_button, self.who_looked_button)
        outer.addLayout(actions)
        self.write_buttons = [self.quick_button, self.add_contact_button, self.edit_button,
                              self.status_button, self.close_button, self.reopen_button,
                              self.void_button]
        for b in self.write_buttons:
            b.setVisible(can_write and (can_ident or b in (
                self.status_button, self.close_button, self.reopen_button, self.void_button)))
        self.quick_button.clicked.connect(self.quick_entry)
        self.add_contact_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_case)
        self.status_button.clicked.connect(self.change_status)
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button.clicked.connect(self.reopen_case)
        self.void_button.clicked.connect(self.void_case)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self._build_person_tab()
        self._build_contacts_tab(can_write, can_ident)
        self._build_referrals_tab(can_write)
        self._build_consents_tab(can_write)
        self.support_tab = SupportTab(ctx=ctx)
        self.support_tab.changed.connect(self._reload_after_change)
        self.tabs.addTab(self.support_tab, _("支援計画"))
        self.people_tab = PeopleTab(ctx=ctx)
        self.people_tab.changed.connect(self._reload_after_change)
        self.tabs.addTab(self.people_tab, _("本人・家族"))
        self.timeline = timeline_model(self)
        self.timeline_view = _table(self.timeline)
        self.timeline_view.setWordWrap(True)
        self.timeline_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.timeline_view, _("タイムライン"))

    def _reload_after_change(self) -> None:
        self.load(self._shown().id)
        self.changed.emit()

    def _shown(self) -> cases.CaseDetail:
        """The case shown (the tabs and buttons act only after :meth:`load`)."""
        assert self.case is not None
        return self.case

    def show_who_looked(self) -> None:
        """The audit log of this case alone: who viewed, edited, printed or exported it."""
        from pfdesk.ui.security.audit_viewer import AuditDialog

        if self.case is None:
            return
        AuditDialog(ctx=self.ctx, parent=self, case_id=self.case.id).exec()

    def _after_undo(self) -> None:
        """Show the case again after 取り消し (done, or refused because it changed)."""
        if self.case is not None:
            self.load(self.case.id)
            self.changed.emit()

    # --- building ---------------------------------------------------------------------

    def _build_person_tab(self) -> None:
        w = QWidget()
        form = QFormLayout(w)
        self.person_fields: dict[str, QLabel] = {}
        for key, label in (
            ("name", _("氏名")), ("kana", _("ふりがな")), ("sex", _("性別")),
            ("birth", _("生年月日・年代")), ("address", _("住所")), ("phone", _("連絡先")),
            ("household", _("同居家族")), ("work", _("就労・就学状況")),
            ("school", _("学校・勤務先")), ("onset", _("状態の開始時期")),
            ("intake", _("受付")), ("route", _("相談経路")), ("chief", _("主訴")),
            ("issues", _("課題")), ("triggers", _("きっかけ")), ("policy", _("支援方針")),
            ("goal", _("目標")), ("history", _("状況の履歴")),
        ):
            lab = QLabel("")
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.person_fields[key] = lab
            form.addRow(label, lab)
        self.tabs.addTab(w, _("本人"))

    def _build_contacts_tab(self, can_write: bool, can_ident: bool) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.contacts = contact_model(self)
        self.contacts_view = _table(self.contacts)
        self.contact_text = QPlainTextEdit()
        self.contact_text.setReadOnly(True)
        self.contact_text.setPlaceholderText(_("行を選ぶと内容の全文をここに表示します。"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.contacts_view)
        split.addWidget(self.contact_text)
        split.setSizes([300, 120])
        self.edit_contact_button = QPushButton(_("選んだ記録を修正"))
        self.void_contact_button = QPushButton(_("選んだ記録を取消"))
        self.edit_contact_button.setVisible(can_write and can_ident)
        self.void_contact_button.setVisible(can_write)
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.void_contact_button.clicked.connect(self.void_contact)
        lay.addLayout(_buttons(self.edit_contact_button, self.void_contact_button))
        lay.addWidget(split, 1)
        self.contacts_view.selectionModel().currentRowChanged.connect(self._show_contact)
        self.contacts_view.doubleClicked.connect(lambda _i: self.edit_contact())
        self.tabs.addTab(w, _("経過"))

    def _build_referrals_tab(self, can_write: bool) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.referrals = referral_model(self)
        self.referrals_view = _table(self.referrals)
        add = QPushButton(_("つなぎを追加"))
        status = QPushButton(_("状況を変更（利用開始・終了・中断）"))
        void = QPushButton(_("選んだつなぎを取消"))
        for b in (add, status, void):
            b.setVisible(can_write)
        add.clicked.connect(self.add_referral)
        status.clicked.connect(self.referral_status)
        void.clicked.connect(self.void_referral)
        lay.addLayout(_buttons(add, status, void))
        lay.addWidget(self.referrals_view, 1)
        self.tabs.addTab(w, _("つなぎ"))

    def _build_consents_tab(self, can_write: bool) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.consents = consent_model(self)
        self.consents_view = _table(self.consents)
        add = QPushButton(_("同意を記録"))
        withdraw = QPushButton(_("撤回を記録"))
        void = QPushButton(_("選んだ記録を取消"))
        for b in (add, withdraw, void):
            b.setVisible(can_write)
        add.clicked.connect(self.add_consent)
        withdraw.clicked.connect(self.withdraw_consent)
        void.clicked.connect(self.void_consent)
        lay.addLayout(_buttons(add, withdraw, void))
        lay.addWidget(self.consents_view, 1)
        self.tabs.addTab(w, _("同意"))

    # --- loading ----------------------------------------------------------------------

    def load(self, case_id: int) -> None:
        """Show the case (each view is recorded in the audit log by the services)."""
        c = cases.get_case(self.ctx, case_id)
        if self.case is not None and self.case.id != case_id:
            self.undo_bar.clear()  # the offer was about the case shown before
        self.case = c
        self.today = _today(self.ctx)
        voided = _("【取消済】") if c.voided else ""
        self.title.setText(f"{voided}{c.case_number}　{c.full_name}")
        age = _AGE.get(c.age_band, c.age_band)
        last = format_date(c.last_contact.date()) if c.last_contact else _("なし")
        status = c.status_label
        if c.status == "closed" and c.closed_on:
            status += _("（{d}・{r}）").format(d=format_date(c.closed_on),
                                             r=codes.CLOSE_REASONS.label(c.close_reason))
        self.summary.setText(_("状況: {status}　　{sex}・{age}　　主担当: {lead}　　"
                               "受付日: {intake}　　相談 {n} 件（最終 {last}）").format(
            status=status, sex=codes.SEXES.label(c.sex), age=age, lead=c.lead_staff or "—",
            intake=format_date(c.intake_date), n=c.contact_count, last=last))
        state = consents.consent_state(self.ctx, case_id)
        self.consent_banner.setText(("✔ " if state.has_consent else "⚠ ") + state.text)
        self.consent_banner.setStyleSheet(
            "padding:8px; font-weight:bold; border-radius:4px; "
            + ("background:#e6f4ea; color:#1e5b2f; border:1px solid #9bd0a8;"
               if state.has_consent else
               "background:#fff4e5; color:#8a4b00; border:1px solid #f0c080;"))
        self.void_banner.setVisible(c.voided)
        self.void_banner.setText(_("このケースは取消されています。理由: {r}").format(
            r=c.void_reason))
        self._show_drafts(case_id)
        closed = c.status == "closed"
        self.close_button.setEnabled(not closed and not c.voided)
        self.reopen_button.setEnabled(closed and not c.voided)
        for b in (self.quick_button, self.add_contact_button, self.edit_button,
                  self.status_button, self.void_button):
            b.setEnabled(not c.voided)
        self.status_button.setEnabled(not closed and not c.voided)
        self._fill_person(c)
        self.contacts.set_rows(contacts.list_contacts(self.ctx, case_id))
        self.contact_text.clear()
        self.referrals.set_rows(referrals.list_referrals(self.ctx, case_id))
        self.consents.set_rows(consents.list_consents(self.ctx, case_id))
        self.support_tab.load(case_id, today=self.today, editable=not c.voided and not closed)
        self.people_tab.load(case_id, editable=not c.voided)
        self.timeline.set_rows(timeline.case_timeline(self.ctx, case_id))
        for view in (self.contacts_view, self.referrals_view, self.consents_view,
                     self.timeline_view):
            view.resizeColumnsToContents()
            header = view.horizontalHeader()
            for i in range(view.model().columnCount() - 1):
                header.resizeSection(i, min(header.sectionSize(i), 260))
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Timeline rows show their whole text; a case has tens of entries, not thousands.
        self.timeline_view.horizontalHeader().resizeSection(2, 320)
        self.timeline_view.scrollToBottom()

    def _fill_person(self, c: cases.CaseDetail) -> None:
        birth = (format_date(c.birth_date) + "　" if c.birth_date else _("生年月日不明　"))
        onset = c.onset or _("不明")
        route = codes.ROUTES.label(c.route) + (f"（{c.route_org_name}）" if c.route_org_name
                                               else "")
        history = "\n".join(
            f"{format_date(h.changed_on)}　{codes.CASE_STATUSES.label(h.to_status)}"
            + (f"　{h.reason}" if h.reason else "") for h in c.history)
        values = {
            "name": c.full_name, "kana": f"{c.family_kana}　{c.given_kana}".strip("　"),
            "sex": codes.SEXES.label(c.sex),
            "birth": birth + _AGE.get(c.age_band, c.age_band),
            "address": c.address, "phone": c.phone, "household": c.household,
            "work": codes.WORK_STATUSES.label(c.work_status), "school": c.school_or_employer,
            "onset": onset, "intake": _("{d}　受付者: {who}").format(
                d=format_date(c.intake_date), who=c.intake_staff or "—"),
            "route": route, "chief": c.chief_complaint,
            "issues": "、".join(codes.TOPICS.label(k) for k in c.issues),
            "triggers": "、".join(codes.TRIGGERS.label(k) for k in c.triggers),
            "policy": c.policy, "goal": c.goal, "history": history,
        }
        for key, lab in self.person_fields.items():
            lab.setText(values.get(key, "") or "—")

    def _show_contact(self, current, _previous) -> None:
        if not current.isValid():
            self.contact_text.clear()
            return
        r = self.contacts.rows[current.row()]
        head = r.occurred_at.strftime("%Y/%m/%d %H:%M") + "　" + codes.METHODS.label(r.method)
        void = _("\n【取消：{reason}】").format(reason=r.void_reason) if r.voided else ""
        plan = _("\n次回予定: {p}").format(p=r.next_plan) if r.next_plan else ""
        self.contact_text.setPlainText(f"{head}{void}\n\n{r.body}{plan}")

    def _show_drafts(self, case_id: int) -> None:
        where = {f"contact:new:{case_id}": _("「経過を追加」"),
                 f"quick:{case_id}": _("「電話の簡易入力」")}
        found = drafts.existing_drafts(self.ctx, list(where))
        self.draft_banner.setVisible(bool(found))
        if found:
            self.draft_banner.setText(_(
                "保存されていない経過記録の下書きがあります。{buttons}を押すと復元できます。").format(
                    buttons="・".join(where[k] for k in found)))

    # --- actions ----------------------------------------------------------------------

    def _run(self, dialog) -> bool:
        if dialog.exec():
            self.load(self._shown().id)
            self.changed.emit()
            offer = consultation_offer(dialog)
            if offer is not None:
                self.undo_bar.offer(offer)
            return True
        self._show_drafts(self._shown().id)  # a cancelled note stays as a draft
        return False

    def _selected(self, view, model):
        index = view.currentIndex()
        if not index.isValid():
            show_error(self, _no_selection())
            return None
        return model.rows[index.row()]

    def quick_entry(self) -> None:
        """電話の簡易入力 for this case."""
        d = dialogs.QuickPhoneDialog(ctx=self.ctx, case_id=self._shown().id,
                                     case_label=self.title.text(), parent=self)
        d.body.offer_restore()
        self._run(d)

    def add_contact(self) -> None:
        """経過を追加."""
        d = dialogs.ContactDialog(ctx=self.ctx, case_id=self._shown().id, parent=self)
        d.body.offer_restore()
        self._run(d)

    def edit_contact(self) -> None:
        """Correct the selected contact."""
        r = self._selected(self.contacts_view, self.contacts)
        if r is None or not self.edit_contact_button.isVisible():
            return
        if r.voided:
            show_error(self, _voided())
            return
        d = dialogs.ContactDialog(ctx=self.ctx, case_id=self._shown().id, contact=r, parent=self)
        d.body.offer_restore()
        self._run(d)

    def void_contact(self) -> None:
        """取消 the selected contact."""
        r = self._selected(self.contacts_view, self.contacts)
        if r is not None:
            self._run(dialogs.ReasonDialog(
                _("経過記録の取消"), _("{d} の経過記録").format(
                    d=r.occurred_at.strftime("%Y/%m/%d %H:%M")),
                lambda reason: contacts.void_contact(self.ctx, r.id, reason), self))

    def edit_case(self) -> None:
        """ケースを編集."""
        d = CaseFormDialog(ctx=self.ctx, case=self._shown(), parent=self)
        d.offer_drafts()
        self._run(d)

    def change_status(self) -> None:
        """状況を変更 (受付/支援中/見守り)."""
        self._run(dialogs.StatusDialog(ctx=self.ctx, case_id=self._shown().id,
                                       current=self._shown().status, today=self.today, parent=self))

    def close_case(self) -> None:
        """終結."""
        self._run(dialogs.CloseDialog(ctx=self.ctx, case_id=self._shown().id, today=self.today,
                                      parent=self))

    def reopen_case(self) -> None:
        """再開."""
        self._run(dialogs.ReopenDialog(ctx=self.ctx, case_id=self._shown().id, today=self.today,
                                       parent=self))

    def void_case(self) -> None:
        """ケースを取消."""
        case_id = self._shown().id
        self._run(dialogs.ReasonDialog(
            _("ケースの取消"), _("ケース {n}").format(n=self._shown().case_number),
            lambda reason: cases.void_case(self.ctx, case_id, reason), self))

    def add_referral(self) -> None:
        """つなぎを追加."""
        self._run(dialogs.ReferralDialog(ctx=self.ctx, case_id=self._shown().id, today=self.today,
                                         parent=self))

    def referral_status(self) -> None:
        """Move the selected referral on."""
        r = self._selected(self.referrals_view, self.referrals)
        if r is not None:
            self._run(dialogs.ReferralStatusDialog(ctx=self.ctx, referral=r, today=self.today,
                                                   parent=self))

    def void_referral(self) -> None:
        """取消 the selected referral."""
        r = self._selected(self.referrals_view, self.referrals)
        if r is not None:
            self._run(dialogs.ReasonDialog(
                _("つなぎの取消"), _("{org}へのつなぎ").format(
                    org=r.organization_name or codes.REFERRAL_CATEGORIES.label(r.category)),
                lambda reason: referrals.void_referral(self.ctx, r.id, reason), self))

    def add_consent(self) -> None:
        """同意を記録."""
        self._run(dialogs.ConsentDialog(ctx=self.ctx, case_id=self._shown().id, today=self.today,
                                        parent=self))

    def withdraw_consent(self) -> None:
        """撤回を記録 for the selected consent."""
        r = self._selected(self.consents_view, self.consents)
        if r is not None:
            self._run(dialogs.WithdrawDialog(ctx=self.ctx, consent_id=r.id, today=self.today,
                                             parent=self))

    def void_consent(self) -> None:
        """取消 the selected consent (entered by mistake)."""
        r = self._selected(self.consents_view, self.consents)
        if r is not None:
            self._run(dialogs.ReasonDialog(
                _("同意の記録の取消"), _("{d} の同意の記録").format(d=format_date(r.given_on)),
                lambda reason: consents.void_consent(self.ctx, r.id, reason), self))


def _today(ctx: ServiceContext) -> date:
    from pfdesk.services.consultations.search import working_today

    return working_today(ctx)


def _no_selection():
    from pfdesk.core.errors import ValidationError

    return ValidationError(_("先に一覧から行を選んでください。"))


def _voided():
    from pfdesk.core.errors import ValidationError

    return ValidationError(_("取消済みの記録は修正できません。"))

