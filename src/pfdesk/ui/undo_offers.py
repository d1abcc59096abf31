"""Which 取り消し a form's dialog offers once it saved: the dialog's before and after values.

The dialogs keep what they showed (``contact``, ``case``) and what the service returned
(``result_value``, ``result_case``); this turns that into the offer the bar shows.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from pfdesk.services import undo
from pfdesk.services.consultations import cases, consents, contacts, referrals


def consultation_offer(dialog: QDialog) -> undo.Undo | None:
    """The offer after a case dialog saved (None when what it saved cannot be taken back)."""
    from pfdesk.ui.consultations import dialogs
    from pfdesk.ui.consultations.case_form import CaseFormDialog

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
