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
