"""The case form when another PC saved the case meanwhile: told what changed, text kept."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QMessageBox

from pfdesk.services.consultations import cases
from pfdesk.ui.consultations.case_form import CaseFormDialog
from tests.services.test_case_conflicts import FORM


def test_a_stale_form_keeps_the_text_and_saves_on_the_second_press(qtbot, ctx, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    made = cases.create_case(ctx, FORM)
    dialog = CaseFormDialog(ctx=ctx, case=cases.get_case(ctx, made.id))
    qtbot.addWidget(dialog)
    # Meanwhile another PC saves the case.
    cases.update_case(ctx, made.id, replace(FORM, lead_staff="川口"),
                      seen=cases.get_case(ctx, made.id))
    dialog.policy.setPlainText("居場所の見学に誘う")
    dialog.save()
    assert len(shown) == 1 and "主担当: 川口" in shown[0]
    assert dialog.result() == 0 and dialog.result_case is None  # still open, nothing saved
    assert dialog.policy.toPlainText() == "居場所の見学に誘う"
    assert cases.get_case(ctx, made.id).policy == ""
    dialog.save()  # the user read the message and saves again
    assert len(shown) == 1
    assert dialog.result_case is not None and dialog.result_case.policy == "居場所の見学に誘う"
    assert cases.get_case(ctx, made.id).policy == "居場所の見学に誘う"


def test_a_stale_contact_dialog_keeps_the_text_and_saves_on_the_second_ok(qtbot, ctx,
                                                                          monkeypatch):
    from datetime import datetime

    from pfdesk.services.consultations import contacts
    from pfdesk.ui.consultations.dialogs import ContactDialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    made = cases.create_case(ctx, FORM)
    entry = contacts.ContactInput(occurred_at=datetime(2026, 5, 2, 10), body="母から電話")
    added = contacts.add_contact(ctx, made.id, entry)
    dialog = ContactDialog(ctx=ctx, case_id=made.id, contact=added)
    qtbot.addWidget(dialog)
    contacts.update_contact(ctx, added.id, replace(entry, next_plan="来週訪問"), seen=added)
    dialog.body.setPlainText("母から電話。本人は同席せず")
    dialog._ok()
    assert len(shown) == 1 and "次回予定: 来週訪問" in shown[0]
    assert dialog.result_value is None
    assert dialog.body.toPlainText() == "母から電話。本人は同席せず"
    dialog._ok()
    assert len(shown) == 1
    assert contacts.list_contacts(ctx, made.id)[0].body == "母から電話。本人は同席せず"
