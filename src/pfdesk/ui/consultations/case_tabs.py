"""Behaviour of the case screen's record tabs: what each loads and what its buttons do.

One controller per tab, each built on its layout from
:mod:`pfdesk.ui.consultations.case_tab_views`. A tab acts on the case its screen shows
and runs its dialogs through the screen (:class:`CaseScreen`), which reloads the case and
offers 取り消し after a save.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QDialog, QTableView, QWidget

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_datetime, format_year_month_text
from pfdesk.services.consultations import cases, consents, contacts, referrals, timeline
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_tab_views import (
    ContactsTabView,
    PersonTabView,
    RecordsTabView,
    TimelineView,
    fit_columns,
)
from pfdesk.ui.consultations.models import (
    ListModel,
    consent_model,
    contact_model,
    referral_model,
    timeline_model,
)
from pfdesk.ui.errors import show_error

_AGE = {k: _(v) for k, v in AGE_BANDS}


class CaseScreen(Protocol):
    """What a tab needs from the screen it sits in."""

    ctx: ServiceContext
    today: date

    def shown_case(self) -> cases.CaseDetail:
        """The case on screen."""
        ...

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show ``dialog``; after a save, reload the case (and offer 取り消し)."""
        ...


def selected_record(parent: QWidget, view: QTableView, model: ListModel) -> Any:
    """The record of the current row, or None after saying that a row must be chosen."""
    index = view.currentIndex()
    if not index.isValid():
        show_error(parent, ValidationError(_("先に一覧から行を選んでください。")))
        return None
    return model.rows[index.row()]


class PersonTab(PersonTabView):
    """本人: the case's person and intake, read only."""

    def show_case(self, c: cases.CaseDetail) -> None:
        """Fill every row from ``c`` (— for what is not known)."""
        birth = (format_date(c.birth_date) + "　" if c.birth_date else _("生年月日不明　"))
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
            "onset": format_year_month_text(c.onset) or _("不明"), "intake": _("{d}　受付者: {who}").format(
                d=format_date(c.intake_date), who=c.intake_staff or "—"),
            "route": route, "chief": c.chief_complaint,
            "issues": "、".join(codes.TOPICS.label(k) for k in c.issues),
            "triggers": "、".join(codes.TRIGGERS.label(k) for k in c.triggers),
            "policy": c.policy, "goal": c.goal, "history": history,
        }
        for key, lab in self.fields.items():
            lab.setText(values.get(key, "") or "—")


class ContactsTab(ContactsTabView):
    """経過: the contacts, the selected one's whole text, 修正 and 取消."""

    def __init__(self, screen: CaseScreen, *, can_write: bool, can_ident: bool) -> None:
        records = contact_model()
        super().__init__(records)
        self.records = records
        records.setParent(self)
        self.case_screen = screen
        self.edit_button.setVisible(can_write and can_ident)
        self.void_button.setVisible(can_write)
        self.edit_button.clicked.connect(self.edit_contact)
        self.void_button.clicked.connect(self.void_contact)
        self.view.selectionModel().currentRowChanged.connect(self._show_contact)
        self.view.doubleClicked.connect(lambda _i: self.edit_contact())

    def load(self, case_id: int) -> None:
        """Show the case's contacts (nothing selected)."""
        self.records.set_rows(contacts.list_contacts(self.case_screen.ctx, case_id))
        self.text.clear()
        fit_columns(self.view)

    def _show_contact(self, current: QModelIndex | QPersistentModelIndex,
                      _previous: QModelIndex | QPersistentModelIndex) -> None:
        if not current.isValid():
            self.text.clear()
            return
        r = self.records.rows[current.row()]
        head = format_datetime(r.occurred_at) + "　" + codes.METHODS.label(r.method)
        void = _("\n【取消：{reason}】").format(reason=r.void_reason) if r.voided else ""
        plan = _("\n次回予定: {p}").format(p=r.next_plan) if r.next_plan else ""
        self.text.setPlainText(f"{head}{void}\n\n{r.body}{plan}")

    def edit_contact(self) -> None:
        """Correct the selected contact (a voided one is refused)."""
        r = selected_record(self, self.view, self.records)
        if r is None or not self.edit_button.isVisible():
            return
        if r.voided:
            show_error(self, ValidationError(_("取消済みの記録は修正できません。")))
            return
        d = dialogs.ContactDialog(ctx=self.case_screen.ctx, case_id=self.case_screen.shown_case().id,
                                  contact=r, parent=self)
        d.body.offer_restore()
        self.case_screen.run_dialog(d)

    def void_contact(self) -> None:
        """取消 the selected contact."""
        r = selected_record(self, self.view, self.records)
        if r is not None:
            ctx = self.case_screen.ctx
            self.case_screen.run_dialog(dialogs.ReasonDialog(
                _("経過記録の取消"), _("{d} の経過記録").format(
                    d=format_datetime(r.occurred_at)),
                lambda reason: contacts.void_contact(ctx, r.id, reason), self))


class ReferralsTab(RecordsTabView):
    """つなぎ: add a referral, move one on (利用開始・終了・中断), 取消."""

    def __init__(self, screen: CaseScreen, *, can_write: bool) -> None:
        records = referral_model()
        super().__init__(records, (_("つなぎを追加"), _("状況を変更（利用開始・終了・中断）"),
                                   _("選んだつなぎを取消")))
        self.records = records
        records.setParent(self)
        self.case_screen = screen
        for b, slot in zip(self.buttons, (self.add_referral, self.referral_status,
                                          self.void_referral), strict=True):
            b.setVisible(can_write)
            b.clicked.connect(slot)

    def load(self, case_id: int) -> None:
        """Show the case's referrals."""
        self.records.set_rows(referrals.list_referrals(self.case_screen.ctx, case_id))
        fit_columns(self.view)

    def add_referral(self) -> None:
        """つなぎを追加."""
        s = self.case_screen
        s.run_dialog(dialogs.ReferralDialog(ctx=s.ctx, case_id=s.shown_case().id,
                                            today=s.today, parent=self))

    def referral_status(self) -> None:
        """Move the selected referral on."""
        r = selected_record(self, self.view, self.records)
        if r is not None:
            s = self.case_screen
            s.run_dialog(dialogs.ReferralStatusDialog(ctx=s.ctx, referral=r, today=s.today,
                                                      parent=self))

    def void_referral(self) -> None:
        """取消 the selected referral."""
        r = selected_record(self, self.view, self.records)
        if r is not None:
            ctx = self.case_screen.ctx
            self.case_screen.run_dialog(dialogs.ReasonDialog(
                _("つなぎの取消"), _("{org}へのつなぎ").format(
                    org=r.organization_name or codes.REFERRAL_CATEGORIES.label(r.category)),
                lambda reason: referrals.void_referral(ctx, r.id, reason), self))


class ConsentsTab(RecordsTabView):
    """同意: record a consent, its withdrawal, or 取消 one entered by mistake."""

    def __init__(self, screen: CaseScreen, *, can_write: bool) -> None:
        records = consent_model()
        super().__init__(records, (_("同意を記録"), _("撤回を記録"), _("選んだ記録を取消")))
        self.records = records
        records.setParent(self)
        self.case_screen = screen
        for b, slot in zip(self.buttons, (self.add_consent, self.withdraw_consent,
                                          self.void_consent), strict=True):
            b.setVisible(can_write)
            b.clicked.connect(slot)

    def load(self, case_id: int) -> None:
        """Show the case's consents."""
        self.records.set_rows(consents.list_consents(self.case_screen.ctx, case_id))
        fit_columns(self.view)

    def add_consent(self) -> None:
        """同意を記録."""
        s = self.case_screen
        s.run_dialog(dialogs.ConsentDialog(ctx=s.ctx, case_id=s.shown_case().id, today=s.today,
                                           parent=self))

    def withdraw_consent(self) -> None:
        """撤回を記録 for the selected consent."""
        r = selected_record(self, self.view, self.records)
        if r is not None:
            s = self.case_screen
            s.run_dialog(dialogs.WithdrawDialog(ctx=s.ctx, consent_id=r.id, today=s.today,
                                                parent=self))

    def void_consent(self) -> None:
        """取消 the selected consent (entered by mistake)."""
        r = selected_record(self, self.view, self.records)
        if r is not None:
            ctx = self.case_screen.ctx
            self.case_screen.run_dialog(dialogs.ReasonDialog(
                _("同意の記録の取消"), _("{d} の同意の記録").format(d=format_date(r.given_on)),
                lambda reason: consents.void_consent(ctx, r.id, reason), self))


class TimelineTab(TimelineView):
    """タイムライン: every event of the case in order, the latest in view."""

    def __init__(self, screen: CaseScreen) -> None:
        records = timeline_model()
        super().__init__(records)
        self.records = records
        records.setParent(self)
        self.case_screen = screen

    def load(self, case_id: int) -> None:
        """Show the case's events and scroll to the latest."""
        self.records.set_rows(timeline.case_timeline(self.case_screen.ctx, case_id))
        fit_columns(self)
        self.horizontalHeader().resizeSection(2, 320)
        self.scrollToBottom()
