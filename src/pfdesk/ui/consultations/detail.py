"""One case on screen: status and consent on top, tabs 本人/経過/つなぎ/同意/タイムライン.

The behaviour of the screen: it fills the layout of
:mod:`pfdesk.ui.consultations.detail_layout`, says which buttons a role sees, runs the
case's own actions (簡易入力, 経過を追加, 編集, 状況, 終結, 再開, 取消) and reloads every
tab after a save; each record tab has its controller in
:mod:`pfdesk.ui.consultations.case_tabs`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import drafts
from pfdesk.services.consultations import cases, consents
from pfdesk.services.consultations.search import working_today
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.case_tabs import (
    ConsentsTab,
    ContactsTab,
    PersonTab,
    ReferralsTab,
    TimelineTab,
)
from pfdesk.ui.consultations.detail_layout import CaseScreenLayout
from pfdesk.ui.people.tab import PeopleTab
from pfdesk.ui.support.tab import SupportTab
from pfdesk.ui.undo_offers import consultation_offer

_AGE = {k: _(v) for k, v in AGE_BANDS}
_CONSENT_STYLE = "padding:8px; font-weight:bold; border-radius:4px; "
_CONSENT_GIVEN = "background:#e6f4ea; color:#1e5b2f; border:1px solid #9bd0a8;"
_CONSENT_MISSING = "background:#fff4e5; color:#8a4b00; border:1px solid #f0c080;"


class CaseDetailView(CaseScreenLayout):
    """The case screen. ``back`` asks the page to show the list again; ``changed`` to refresh."""

    back = Signal()
    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        self.ctx = ctx
        self.case: cases.CaseDetail | None = None
        self.today: date = date.today()  # the working day, set again on each load
        can_write = ctx.actor.can(Permission.CASE_WRITE)
        can_ident = ctx.actor.can(Permission.CASE_IDENTIFY)
        self.back_button.clicked.connect(self.back.emit)
        self.undo_bar.changed.connect(self._after_undo)
        self.who_looked_button.setVisible(ctx.actor.can(Permission.AUDIT_READ))
        self.who_looked_button.clicked.connect(self.show_who_looked)
        for b in self.write_buttons:
            b.setVisible(can_write and (can_ident or b in (
                self.status_button, self.close_button, self.reopen_button, self.void_button)))
        for b, slot in ((self.quick_button, self.quick_entry),
                        (self.add_contact_button, self.add_contact),
                        (self.edit_button, self.edit_case),
                        (self.status_button, self.change_status),
                        (self.close_button, self.close_case),
                        (self.reopen_button, self.reopen_case),
                        (self.void_button, self.void_case)):
            b.clicked.connect(slot)

        self.person_tab = PersonTab()
        self.contacts_tab = ContactsTab(self, can_write=can_write, can_ident=can_ident)
        self.referrals_tab = ReferralsTab(self, can_write=can_write)
        self.consents_tab = ConsentsTab(self, can_write=can_write)
        self.support_tab = SupportTab(ctx=ctx)
        self.support_tab.changed.connect(self._reload_after_change)
        self.people_tab = PeopleTab(ctx=ctx)
        self.people_tab.changed.connect(self._reload_after_change)
        self.timeline_tab = TimelineTab(self)
        for tab, label in ((self.person_tab, _("本人")), (self.contacts_tab, _("経過")),
                           (self.referrals_tab, _("つなぎ")), (self.consents_tab, _("同意")),
                           (self.support_tab, _("支援計画")), (self.people_tab, _("本人・家族")),
                           (self.timeline_tab, _("タイムライン"))):
            self.tabs.addTab(tab, label)
        # The tables and fields, by the names the rest of the window knows them by.
        self.person_fields = self.person_tab.fields
        self.contacts, self.contacts_view = self.contacts_tab.records, self.contacts_tab.view
        self.referrals, self.referrals_view = (self.referrals_tab.records,
                                               self.referrals_tab.view)
        self.consents, self.consents_view = self.consents_tab.records, self.consents_tab.view
        self.timeline, self.timeline_view = self.timeline_tab.records, self.timeline_tab

    # --- the case shown -------------------------------------------------------------------

    def shown_case(self) -> cases.CaseDetail:
        """The case shown (the tabs and buttons act only after :meth:`load`)."""
        assert self.case is not None
        return self.case

    def load(self, case_id: int) -> None:
        """Show the case (each view is recorded in the audit log by the services)."""
        c = cases.get_case(self.ctx, case_id)
        if self.case is not None and self.case.id != case_id:
            self.undo_bar.clear()  # the offer was about the case shown before
        self.case = c
        self.today = working_today(self.ctx)
        self._show_header(c)
        self._show_drafts(case_id)
        closed = c.status == "closed"
        self.close_button.setEnabled(not closed and not c.voided)
        self.reopen_button.setEnabled(closed and not c.voided)
        for b in (self.quick_button, self.add_contact_button, self.edit_button,
                  self.status_button, self.void_button):
            b.setEnabled(not c.voided)
        self.status_button.setEnabled(not closed and not c.voided)
        self.person_tab.show_case(c)
        self.contacts_tab.load(case_id)
        self.referrals_tab.load(case_id)
        self.consents_tab.load(case_id)
        self.support_tab.load(case_id, today=self.today, editable=not c.voided and not closed)
        self.people_tab.load(case_id, editable=not c.voided)
        self.timeline_tab.load(case_id)

    def _show_header(self, c: cases.CaseDetail) -> None:
        voided = _("【取消済】") if c.voided else ""
        self.title.setText(f"{voided}{c.case_number}　{c.full_name}")
        last = format_date(c.last_contact.date()) if c.last_contact else _("なし")
        status = c.status_label
        if c.status == "closed" and c.closed_on:
            status += _("（{d}・{r}）").format(d=format_date(c.closed_on),
                                             r=codes.CLOSE_REASONS.label(c.close_reason))
        self.summary.setText(_("状況: {status}　　{sex}・{age}　　主担当: {lead}　　"
                               "受付日: {intake}　　相談 {n} 件（最終 {last}）").format(
            status=status, sex=codes.SEXES.label(c.sex), age=_AGE.get(c.age_band, c.age_band),
            lead=c.lead_staff or "—", intake=format_date(c.intake_date), n=c.contact_count,
            last=last))
        state = consents.consent_state(self.ctx, c.id)
        self.consent_banner.setText(("✔ " if state.has_consent else "⚠ ") + state.text)
        self.consent_banner.setStyleSheet(
            _CONSENT_STYLE + (_CONSENT_GIVEN if state.has_consent else _CONSENT_MISSING))
        self.void_banner.setVisible(c.voided)
        self.void_banner.setText(_("このケースは取消されています。理由: {r}").format(
            r=c.void_reason))

    def _show_drafts(self, case_id: int) -> None:
        where = {f"contact:new:{case_id}": _("「経過を追加」"),
                 f"quick:{case_id}": _("「電話の簡易入力」")}
        found = drafts.existing_drafts(self.ctx, list(where))
        self.draft_banner.setVisible(bool(found))
        if found:
            self.draft_banner.setText(_(
                "保存されていない経過記録の下書きがあります。{buttons}を押すと復元できます。").format(
                    buttons="・".join(where[k] for k in found)))

    def _reload_after_change(self) -> None:
        self.load(self.shown_case().id)
        self.changed.emit()

    def _after_undo(self) -> None:
        """Show the case again after 取り消し (done, or refused because it changed)."""
        if self.case is not None:
            self.load(self.case.id)
            self.changed.emit()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show ``dialog``; after a save, reload the case and offer 取り消し."""
        before = self.case  # as shown: a 状況変更, 終結 or 再開 goes back to it
        if dialog.exec():
            self.load(self.shown_case().id)
            self.changed.emit()
            offer = consultation_offer(dialog, case=before)
            if offer is not None:
                self.undo_bar.offer(offer)
            return True
        self._show_drafts(self.shown_case().id)  # a cancelled note stays as a draft
        return False

    # --- the case's own actions -------------------------------------------------------

    def show_who_looked(self) -> None:
        """The audit log of this case alone: who viewed, edited, printed or exported it."""
        from pfdesk.ui.security.audit_viewer import AuditDialog

        if self.case is None:
            return
        AuditDialog(ctx=self.ctx, parent=self, case_id=self.case.id).exec()

    def quick_entry(self) -> None:
        """電話の簡易入力 for this case."""
        d = dialogs.QuickPhoneDialog(ctx=self.ctx, case_id=self.shown_case().id,
                                     case_label=self.title.text(), parent=self)
        d.body.offer_restore()
        self.run_dialog(d)

    def add_contact(self) -> None:
        """経過を追加."""
        d = dialogs.ContactDialog(ctx=self.ctx, case_id=self.shown_case().id, parent=self)
        d.body.offer_restore()
        self.run_dialog(d)

    def edit_contact(self) -> None:
        """Correct the contact selected on 経過 (that tab's action)."""
        self.contacts_tab.edit_contact()

    def void_contact(self) -> None:
        """取消 the contact selected on 経過 (that tab's action)."""
        self.contacts_tab.void_contact()

    def add_referral(self) -> None:
        """つなぎの追加 (the つなぎ tab's action; the screenshot tour opens it from here)."""
        self.referrals_tab.add_referral()

    def add_consent(self) -> None:
        """同意の記録 (the 同意 tab's action)."""
        self.consents_tab.add_consent()

    def edit_case(self) -> None:
        """ケースを編集."""
        d = CaseFormDialog(ctx=self.ctx, case=self.shown_case(), parent=self)
        d.offer_drafts()
        self.run_dialog(d)

    def change_status(self) -> None:
        """状況を変更 (受付/支援中/見守り)."""
        c = self.shown_case()
        self.run_dialog(dialogs.StatusDialog(ctx=self.ctx, case_id=c.id, current=c.status,
                                             today=self.today, parent=self))

    def close_case(self) -> None:
        """終結."""
        self.run_dialog(dialogs.CloseDialog(ctx=self.ctx, case_id=self.shown_case().id,
                                            today=self.today, parent=self))

    def reopen_case(self) -> None:
        """再開."""
        self.run_dialog(dialogs.ReopenDialog(ctx=self.ctx, case_id=self.shown_case().id,
                                             today=self.today, parent=self))

    def void_case(self) -> None:
        """ケースを取消."""
        c, ctx = self.shown_case(), self.ctx
        self.run_dialog(dialogs.ReasonDialog(
            _("ケースの取消"), _("ケース {n}").format(n=c.case_number),
            lambda reason: cases.void_case(ctx, c.id, reason), self))
