"""印刷プレビュー: pages and thumbnails in pfdesk's own window, zoom, printing through Qt."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from pfdesk.services.context import Actor
from pfdesk.store.models import AuditEvent
from pfdesk.ui.printing import PrintMeetingDialog
from pfdesk.ui.printing.preview import FIT_PAGE, PdfPreviewDialog
from pfdesk.ui.tasks import wait_for_all
from tests.printing_fixtures import build_meeting

# Preview windows are shown for real (offscreen), which the platform plugin remarks on.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

def _pdf(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(pages):
        c.drawString(100, 700, f"page {i + 1}")
        c.showPage()
    c.save()
    return path


def _to_file(target: Path, copies: int = 1):
    """A stand-in for the user's choices in Qt's print dialog: a PDF printer."""
    def choose(printer: QPrinter) -> QPrinter:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setCopyCount(copies)
        return printer
    return choose


def test_preview_shows_every_page_with_thumbnails_and_zooms(qtbot, tmp_path):
    dlg = PdfPreviewDialog(_pdf(tmp_path / "a.pdf", 3), title="テスト")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.page_views[0].pixmap() is not None
                    and not dlg.page_views[0].pixmap().isNull())
    assert dlg.thumbs.count() == 3 and len(dlg.page_views) == 3
    assert dlg.zoom_mode == FIT_PAGE and dlg.page_label.text() == "1 / 3 ページ"
    whole = dlg.page_views[0].width()
    dlg.set_zoom(200)
    assert dlg.page_views[0].width() > whole and dlg.zoom.currentText() == "200%"
    dlg.step_zoom(-1)
    assert dlg.zoom_percent() == 150
    dlg.thumbs.setCurrentRow(2)  # a click on the third thumbnail
    assert dlg.page_label.text() == "3 / 3 ページ"
    assert 2 in dlg.visible_pages()
    assert not dlg.page_views[2].pixmap().isNull()


def test_print_sends_the_pages_and_copies_to_the_printer(qtbot, tmp_path):
    dlg = PdfPreviewDialog(_pdf(tmp_path / "a.pdf", 2), title="テスト")
    qtbot.addWidget(dlg)
    dlg.ask_printer = _to_file(tmp_path / "printed.pdf", copies=2)
    dlg.print_btn.click()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 4
    assert dlg.status.text() == "印刷しました（4ページ）。"


def test_cancelled_print_dialog_prints_nothing(qtbot, tmp_path):
    dlg = PdfPreviewDialog(_pdf(tmp_path / "a.pdf", 1), title="テスト")
    qtbot.addWidget(dlg)
    dlg.ask_printer = lambda printer: None
    assert dlg.print_shown() is False and dlg.status.text() == ""


def test_save_as_pdf_copies_the_document(qtbot, tmp_path):
    dlg = PdfPreviewDialog(_pdf(tmp_path / "a.pdf", 2), title="テスト")
    qtbot.addWidget(dlg)
    dlg.ask_save_path = lambda: str(tmp_path / "保存.pdf")
    dlg.save_btn.click()
    assert len(PdfReader(tmp_path / "保存.pdf").pages) == 2
    assert "保存しました" in dlg.status.text()


def test_a_temporary_preview_is_removed_when_closed(qtbot, tmp_path):
    path = _pdf(tmp_path / "tmp.pdf", 1)
    dlg = PdfPreviewDialog(path, title="テスト", temporary=True)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.close()
    assert not path.exists()


@pytest.fixture
def meeting_dialog(qtbot, ctx):
    def make(actor_ctx=None):
        built = build_meeting(ctx.store, "practitioners")
        dlg = PrintMeetingDialog(ctx=actor_ctx or ctx, meeting_id=built.meeting_id)
        qtbot.addWidget(dlg)
        return dlg
    return make


def _finish(qtbot, dlg):
    wait_for_all()
    qtbot.waitUntil(lambda: dlg.save_btn.isEnabled(), timeout=10_000)


def test_meeting_preview_opens_in_app_and_printing_from_it_takes_the_number(
        qtbot, meeting_dialog, tmp_path, ctx):
    dlg = meeting_dialog()
    dlg.preview_btn.click()
    _finish(qtbot, dlg)
    window = dlg.preview_window
    assert window is not None and window.isVisible()
    assert window.thumbs.count() == 4  # one notice per addressee
    assert "開催通知" in window.windowTitle()
    assert dlg.number_label.text() == "印刷・保存のときに採番します"
    dlg.ask_printer = _to_file(tmp_path / "printed.pdf")
    window.print_btn.click()  # 印刷… in the preview: the dialog's own printing
    _finish(qtbot, dlg)
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 4
    assert dlg.number_label.text() == "採番済み: み保福第1号"
    assert "文書番号: み保福第1号" in window.status.text()
    # The preview now shows the notice as printed, with its number.
    first = PdfReader(window.path).pages[0].extract_text().splitlines()[0]
    assert first.replace(" ", "").replace("\u3000", "") == "み保福第1号"
    assert window.thumbs.count() == 4
    with ctx.store.session() as s:
        details = list(s.scalars(select(AuditEvent.detail_json)
                                 .where(AuditEvent.action == "print.notice")))
    assert len(details) == 2  # the preview, then the printed notice
    assert '"preview": true' in details[0] and '"preview": false' in details[1]


def test_cancelling_the_print_dialog_takes_no_number(qtbot, meeting_dialog):
    dlg = meeting_dialog()
    dlg.ask_printer = lambda printer: None
    dlg.print_btn.click()
    _finish(qtbot, dlg)
    assert dlg.number_label.text() == "印刷・保存のときに採番します"


def test_a_viewer_previews_without_a_number_but_may_not_print_the_notice(
        qtbot, meeting_dialog, ctx, tmp_path, monkeypatch):
    viewer = ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    dlg = meeting_dialog(viewer)
    shown = []
    monkeypatch.setattr("pfdesk.ui.printing.dialog.show_error",
                        lambda parent, exc: shown.append(exc.user_text()))
    dlg.preview_btn.click()
    _finish(qtbot, dlg)
    assert dlg.preview_window is not None and dlg.preview_window.thumbs.count() == 4
    dlg.ask_printer = _to_file(tmp_path / "printed.pdf")
    dlg.preview_window.print_btn.click()
    _finish(qtbot, dlg)
    assert shown and "文書番号を取って印刷することはできません" in shown[0]
    assert not (tmp_path / "printed.pdf").exists()


def test_an_attached_pdf_opens_in_the_preview(qtbot, demo_ctx, tmp_path):
    from pfdesk.services.meetings import agenda, meetings
    from pfdesk.ui.meetings.workspace import MeetingWorkspace

    row = next(r for r in meetings.list_meetings(demo_ctx) if r.status == "planned")
    item_id = agenda.add_item(demo_ctx, row.id, agenda.AgendaInput(title="広報の進め方"))
    agenda.attach_file(demo_ctx, item_id, _pdf(tmp_path / "広報案.pdf", 2), title="広報案")
    ws = MeetingWorkspace(ctx=demo_ctx, meeting_id=row.id)
    qtbot.addWidget(ws)
    ws.agenda.refresh()
    tree = ws.agenda.tree
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if "広報の進め方" in tree.topLevelItem(i).text(1))
    tree.setCurrentItem(top.child(0))
    ws.agenda.open_material()
    window = ws.agenda.preview_window
    assert window is not None and window.isVisible() and window.thumbs.count() == 2
    assert "広報案" in window.windowTitle()


def test_a_damaged_file_is_named_instead_of_shown(qtbot, tmp_path, monkeypatch):
    from pfdesk.ui.printing import preview

    bad = tmp_path / "壊れた通知.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    shown = []
    monkeypatch.setattr(preview, "show_error", lambda parent, exc: shown.append(exc.user_text()))
    assert preview.show_pdf_preview(None, bad, title="通知") is None
    assert shown and "「壊れた通知.pdf」を開けません" in shown[0]


def test_the_shown_file_is_not_held_open(qtbot, tmp_path):
    path = _pdf(tmp_path / "a.pdf", 2)
    dlg = PdfPreviewDialog(path, title="テスト")
    qtbot.addWidget(dlg)
    _pdf(path, 5)  # saved again over it (Windows refuses this while a viewer holds it)
    assert dlg.thumbs.count() == 2
    dlg.close()


def test_a_suggested_file_name_has_no_character_windows_refuses():
    from pfdesk.ui.printing.preview import safe_file_name

    assert safe_file_name("資料1/2: 案?.pdf") == "資料1_2_ 案_.pdf"


def test_the_page_shown_or_a_range_only_is_printed(qtbot, tmp_path):
    dlg = PdfPreviewDialog(_pdf(tmp_path / "a.pdf", 4), title="テスト")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.thumbs.setCurrentRow(2)  # 3ページ shown

    def current_page(printer: QPrinter) -> QPrinter:
        _to_file(tmp_path / "current.pdf")(printer)
        printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
        return printer

    dlg.ask_printer = current_page
    dlg.print_btn.click()
    printed = PdfReader(tmp_path / "current.pdf").pages
    assert len(printed) == 1

    def pages_2_to_3(printer: QPrinter) -> QPrinter:
        _to_file(tmp_path / "range.pdf")(printer)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return printer

    dlg.ask_printer = pages_2_to_3
    dlg.print_btn.click()
    assert len(PdfReader(tmp_path / "range.pdf").pages) == 2
