"""Notes and minutes are journaled within about two seconds, even while typing goes on."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QMessageBox

from pfdesk.services import drafts
from pfdesk.services.meetings import meetings, minutes


def _type_without_pause(qtbot, box, text: str, *, gap_ms: int = 300) -> float:
    """Type ``text`` one character at a time with short gaps, as an input method commits it."""
    started = time.monotonic()
    for ch in text:
        box.insertPlainText(ch)
        qtbot.wait(gap_ms)
    return started


def test_minutes_typed_without_a_pause_are_in_the_store_within_two_seconds(
        qtbot, demo_ctx, monkeypatch):
    from pfdesk.ui.meetings.ws_minutes import MinutesTab

    mid = next(r.id for r in meetings.list_meetings(demo_ctx, fy=2026) if r.decisions)
    tab = MinutesTab(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    item_id = tab.current_item_id
    key = f"minutes:item:{item_id}"
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    before = tab.editor.toPlainText()
    # Ten keys 0.3 s apart: the pause timer never fires, only the upper bound can.
    _type_without_pause(qtbot, tab.editor, "停電前の議事メモです。")
    draft = drafts.load_draft(demo_ctx, key)
    assert draft is not None, "nothing journaled after 3 s of typing"
    assert draft.text.startswith(before + "停電前の議事")
    # The PC dies here: the widget is never closed, the record never saved.
    assert "停電前" not in minutes.get_minutes(demo_ctx, mid).items[0].agenda.summary
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    again = MinutesTab(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(again)
    again.refresh()
    assert again.editor.toPlainText().startswith(before + "停電前の議事")


def test_a_contact_note_is_journaled_two_seconds_after_the_last_key(qtbot, demo_ctx):
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.ui.consultations.dialogs import ContactDialog

    case_id = search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id
    dlg = ContactDialog(ctx=demo_ctx, case_id=case_id)
    qtbot.addWidget(dlg)
    dlg.body.insertPlainText("母より電話")
    qtbot.wait(2100)
    # Read the store while the dialog is still open (as after a crash): the text is there.
    assert drafts.load_draft(demo_ctx, f"contact:new:{case_id}").text == "母より電話"
    again = ContactDialog(ctx=demo_ctx, case_id=case_id)
    qtbot.addWidget(again)
    assert again.body.offer_restore(ask=lambda text: True)
    assert again.body.toPlainText() == "母より電話"

