"""The 進行管理 page: the latest 実務者会議's 台帳, recording findings, printing."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.consultations import timeline
from pfdesk.services.context import Actor
from pfdesk.ui.progress import page as progress_page
from pfdesk.ui.progress.page import FindingDialog, ProgressPage


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the ledger opens in the print preview
def test_the_page_shows_every_open_case_and_records_findings(qtbot, demo_ctx, qtmodeltester,
                                                            tmp_path, monkeypatch):
    page = ProgressPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert "実務者会議" in page.meeting.currentText()
    qtbot.waitUntil(lambda: not page.loading)
    n = len(page.model.rows)
    assert n > 50 and f"終結していないケース {n}件" in page.summary.text()
    qtmodeltester.check(page.model)

    page.table.selectRow(0)
    lines = page.selected_lines()
    d = FindingDialog(ctx=demo_ctx, meeting_id=page.meeting.currentData(), lines=lines,
                      parent=page)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    d._ok()  # no finding chosen
    assert d.result_value is None and "所見を選んで" in shown[-1]
    d.finding.setCurrentIndex(d.finding.findData("close_candidate"))
    d.note.setText("本人の意思を確認")
    d._ok()
    assert d.result_value == 1
    page.load_ledger()
    qtbot.waitUntil(lambda: not page.loading)
    assert "所見の記録済み 1件" in page.summary.text()
    case_id = lines[0].case_id
    titles = [e.title for e in timeline.case_timeline(demo_ctx, case_id)]
    assert any(t.endswith("進行管理：終結候補") for t in titles)

    out = tmp_path / "ledger.pdf"
    monkeypatch.setattr(progress_page, "ask_save_path", lambda *a, **k: str(out))
    page.print_ledger()  # written off the GUI thread, then shown in the print preview
    qtbot.waitUntil(lambda: getattr(page, "preview_window", None) is not None)
    told = page.preview_window.status.text()
    assert "書き出しました" in told and str(out) in told
    assert "進行管理台帳" in PdfReader(out).pages[0].extract_text()


def test_a_viewer_sees_no_names_and_cannot_record(qtbot, demo_ctx):
    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    page = ProgressPage(ctx=viewer)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.model.rowCount() > 50
    assert all(not r.name for r in page.model.rows)
    assert not page.finding_button.isVisibleTo(page)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the list of issues rebuilt in the dialog
def test_area_issues_tab_tags_an_agenda_item_with_a_new_issue(qtbot, demo_ctx):
    from pfdesk.services.area_issues import report, tags
    from pfdesk.ui.area_issues.dialogs import IssuesDialog

    page = ProgressPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    tab = page.area_tab
    assert tab.items.rowCount() == 0  # read when the tab is looked at
    page.tabs.setCurrentWidget(tab)
    assert tab.year.currentData() == 2026 and tab.counts.rowCount() >= 8
    assert tab.items.rowCount() > 0
    item_id = tab.item_ids[0]
    d = IssuesDialog(ctx=demo_ctx, what="議題", current=tags.item_issues(demo_ctx, item_id),
                     save=lambda keys: tags.set_item_issues(demo_ctx, item_id, keys), parent=tab)
    d.new_issue.setText("冬の移動が難しい")
    d.add_issue()
    assert d.checks.value()[-1].startswith("x")  # the new issue, checked at once
    d._ok()
    tab.load()
    assert "冬の移動が難しい" in tab.items.item(0, 2).text()
    rows = {r.label: r for r in report.area_issue_report(demo_ctx, 2026).rows}
    assert rows["冬の移動が難しい"].items >= 1


def test_the_minutes_of_a_practitioners_meeting_open_the_ledger_for_findings(qtbot, demo_ctx):
    from PySide6.QtWidgets import QPushButton
    from sqlalchemy import select

    from pfdesk.store.models import Body, Meeting
    from pfdesk.ui.meetings.ws_minutes import MinutesTab
    from pfdesk.ui.progress.dialog import LedgerDialog

    with demo_ctx.session() as s:
        practitioners = s.scalar(select(Meeting.id).join(Body).where(
            Body.kind == "practitioners", Meeting.status == "held").order_by(Meeting.held_on))
        plenary = s.scalar(select(Meeting.id).join(Body).where(Body.kind == "plenary"))

    def buttons(meeting_id):
        tab = MinutesTab(ctx=demo_ctx, meeting_id=meeting_id)
        qtbot.addWidget(tab)
        return [b.text() for b in tab.findChildren(QPushButton)]

    assert "進行管理の所見…" in buttons(practitioners)
    assert "進行管理の所見…" not in buttons(plenary)
    d = LedgerDialog(ctx=demo_ctx, meeting_id=practitioners)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: not d.loading)
    assert d.model.rowCount() > 10 and "所見の記録済み" in d.summary.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, showing a page
def test_leaving_the_page_lets_go_of_the_ledger_and_coming_back_reads_it(qtbot, demo_ctx):
    page = ProgressPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    n = len(page.model.rows)
    assert n > 50 and page.ledger is not None
    page.hide()  # another page chosen in the window
    assert page.ledger is None and page.model.rowCount() == 0
    page.show()
    page.refresh()  # as the window does when the page is chosen again
    assert "読み込んでいます" in page.summary.text()
    qtbot.waitUntil(lambda: not page.loading)
    assert len(page.model.rows) == n and f"終結していないケース {n}件" in page.summary.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_ledger_read_while_the_page_was_left_is_not_shown(qtbot, demo_ctx):
    page = ProgressPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.hide()  # left before the 台帳 arrived
    assert not page.loading
    from pfdesk.ui.tasks import wait_for_all

    wait_for_all()
    qtbot.wait(50)  # its result, delivered on the window's thread, is dropped
    assert page.ledger is None and page.model.rowCount() == 0
