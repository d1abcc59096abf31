"""Which 取り消し a form's dialog offers once it saved: the dialog's before and after values.

The dialogs keep what they showed (``contact``, ``case``) and what the service returned
(``result_value``, ``result_case``); this turns that into the offer the bar shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from pfdesk.services import undo
from pfdesk.services.consultations import cases, consents, contacts, referrals

if TYPE_CHECKING:
    from pfdesk.ui.undo import UndoBar


def consultation_offer(dialog: QDialog, *,
                       case: cases.CaseDetail | None = None) -> undo.Undo | None:
    """The offer after a case dialog saved (None when what it saved cannot be taken back).

    ``case`` is the case as the screen showed it before the dialog: a 状況変更, 終結 or 再開
    is taken back to its status then.
    """
    from pfdesk.ui.consultations import dialogs
    from pfdesk.ui.consultations.case_form import CaseFormDialog

    if isinstance(dialog, dialogs.StatusDialog | dialogs.CloseDialog | dialogs.ReopenDialog):
        after = getattr(dialog, "result_value", None)
        if case is None or not isinstance(after, cases.CaseDetail) or (
                after.status == case.status):
            return None
        return undo.case_status_changed(case, after)

    if isinstance(dialog, CaseFormDialog):
        after = dialog.result_case
        if not isinstance(after, cases.CaseDetail):
            return None
        if dialog.case is None:
            return undo.case_created(after)
        return undo.case_edited(dialog.case, after)
    result = getattr(dialog, "result_value", None)
    if isinstance(dialog, dialogs.ContactDialog) and isinstance(result, contacts.ContactRow):
        if dialog.contact is None:
            return undo.contact_added(result)
        return undo.contact_edited(dialog.contact, result)
    if isinstance(dialog, dialogs.QuickPhoneDialog) and isinstance(result, contacts.ContactRow):
        return undo.contact_added(result)
    if isinstance(dialog, dialogs.ReferralDialog) and isinstance(result, referrals.ReferralRow):
        return undo.referral_added(result)
    if isinstance(dialog, dialogs.ConsentDialog) and isinstance(result, consents.ConsentRow):
        return undo.consent_added(result)
    return None


def offer_when_saved(dialog: QDialog, bar: UndoBar) -> None:
    """Offer on ``bar`` what ``dialog`` saved, once it is closed with 保存 (non-modal dialogs).

    A person or organization opened from すべてを検索 shows its 「取り消し」 on the
    関係機関 page it opens over, as when it is opened from the page's list.
    """
    def finished(result: int) -> None:
        offer = getattr(dialog, "saved_offer", None)
        if result == QDialog.DialogCode.Accepted and isinstance(offer, undo.Undo):
            bar.offer(offer)

    dialog.finished.connect(finished)
