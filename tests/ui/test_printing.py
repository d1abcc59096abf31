"""The print dialog: choose a document, preview it, save it; numbers and errors shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from pfdesk.ui.printing import PrintMeetingDialog
from pfdesk.ui.tasks import wait_for_all
from tests.printing_fixtures import build_meeting


@pytest.fixture
def dialog_for(qtbot, ctx):
    def make(kind="practitioners"):
        built = build_meeting(ctx.store, kind)
        dlg = PrintMeetingDialog(ctx=ctx, meeting_id=built.meeting_id)
        qtbot.addWidget(dlg)
        opened: list[Path] = []
        dlg.open_file = lambda p: opened.append(Path(p)) or True
        return dlg, opened
    return make


def _finish(qtbot, dlg):
    wait_for_all()
    qtbot.waitUntil(lambda: dlg.save_btn.isEnabled(), timeout=10_000)


def test_preview_opens_a_pdf_and_takes_no_number(qtbot, dialog_for):
    dlg, opened = dialog_for()
    assert dlg.kind() == "notice" and "宛先ごとに1枚（4通）" in dlg.per_person.text()
    dlg.preview_btn.click()
    _finish(qtbot, dlg)
    assert opened and opened[0].exists()
    first_line = PdfReader(opened[0]).pages[0].extract_text().splitlines()[0]
    assert first_line.replace(" ", "").replace("\u3000", "") == "み保福第号"  # blank serial
    assert dlg.number_label.text() == "印刷・保存のときに採番します"


def test_save_writes_the_chosen_document_and_shows_the_number(qtbot, dialog_for, tmp_path):
    dlg, _opened = dialog_for()
    target = tmp_path / "通知.pdf"
    dlg.ask_save_path = lambda: target
    dlg.save_btn.click()
    _finish(qtbot, dlg)
    assert target.exists() and "文書番号: み保福第1号" in dlg.status.text()
    assert dlg.number_label.text() == "採番済み: み保福第1号"
    dlg.set_kind("signin")
    assert not dlg.issued_on.isEnabled() and not dlg.addressee_widget.isEnabled()
    dlg.ask_save_path = lambda: tmp_path / "受付.pdf"
    dlg.save_btn.click()
    _finish(qtbot, dlg)
    assert "署名" in PdfReader(tmp_path / "受付.pdf").pages[0].extract_text()


def test_support_meeting_offers_copies_for_the_packet(qtbot, dialog_for, tmp_path):
    dlg, opened = dialog_for("support_meeting")
    dlg.set_kind("packet")
    assert dlg.copies.isEnabled() and dlg.copies.value() == 4
    dlg.copies.setValue(2)
    dlg.preview_btn.click()
    _finish(qtbot, dlg)
    assert dlg.last_result.copies == 2
    assert "No. 2" in PdfReader(opened[-1]).pages[-1].extract_text()


def test_unreadable_date_is_reported_and_nothing_written(qtbot, dialog_for, monkeypatch):
    dlg, opened = dialog_for()
    shown = []
    monkeypatch.setattr("pfdesk.ui.printing.dialog.show_error",
                        lambda parent, exc: shown.append(exc.user_text()))
    dlg.issued_on.setText("来週")
    dlg.preview_btn.click()
    assert shown and "発信日" in shown[0] and not opened


def test_locked_file_message(qtbot, dialog_for, tmp_path, monkeypatch):
    dlg, _opened = dialog_for()
    shown = []
    monkeypatch.setattr("pfdesk.ui.printing.dialog.show_error",
                        lambda parent, exc: shown.append(exc.user_text()))

    def locked(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pfdesk.core.atomic.os.replace", locked)
    dlg.ask_save_path = lambda: tmp_path / "n.pdf"
    dlg.save_btn.click()
    _finish(qtbot, dlg)
    assert shown and "閉じてから" in shown[0]
