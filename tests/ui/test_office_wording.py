"""Office wording on every page and the main dialogs.

No None, no internal names, no .toml, no English buttons. The scanner is
pfdesk.ui.text_audit (the screenshot tour uses it too).
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox, QTabWidget

from pfdesk.ui.text_audit import findings_in, problems_in_text


@pytest.mark.parametrize("text", [
    "ケースID=None", "kind=stats", "終結理由: goal_met", "記入設定（.toml）", "Cancel",
    "SHA-256（先頭）", "persons.total", "&Yes", "True",
])
def test_the_scanner_catches_developer_language(text):
    assert problems_in_text(text)


@pytest.mark.parametrize("text", [
    "令和8年11月26日（木）", "R8-0064", "例: 2026/11/26 または R8.11.26", "OK", "pfdesk",
    "hokenfukushi@town.midorikawa.example.jp", "Excel ブック（.xlsx）", "PDF", "0889-52-0123",
    "利用者名: demo ／ パスワード: demo", "データ: /tmp/pfdesk-tour/data_x", "ID",
])
def test_the_scanner_leaves_office_text_alone(text):
    assert problems_in_text(text) == []


def test_every_page_and_tab_reads_as_office_japanese(qtbot, demo_ctx):
    from pfdesk.ui.main_window import PAGES, MainWindow

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    found = {}
    for index, (label, _m, _c) in enumerate(PAGES):
        window.show_page(index)
        found[label] = findings_in(window)
        for tabs in window.page(index).findChildren(QTabWidget):
            for t in range(tabs.count()):
                tabs.setCurrentIndex(t)
                found[f"{label}/{tabs.tabText(t)}"] = findings_in(window)
    assert {k: v for k, v in found.items() if v} == {}


def test_the_case_screen_and_a_meeting_read_as_office_japanese(qtbot, demo_ctx):
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.services.meetings import meetings
    from pfdesk.ui.consultations.page import ConsultationsPage
    from pfdesk.ui.meetings.workspace import MeetingWorkspace

    page = ConsultationsPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.open_case(search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id)
    tabs = page.detail.findChild(QTabWidget)
    for t in range(tabs.count()):
        tabs.setCurrentIndex(t)
        assert findings_in(page) == [], tabs.tabText(t)
    held = next(r for r in meetings.list_meetings(demo_ctx, fy=2026) if r.decisions)
    ws = MeetingWorkspace(ctx=demo_ctx, meeting_id=held.id)
    qtbot.addWidget(ws)
    for t in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(t)
        assert findings_in(ws) == [], ws.tabs.tabText(t)


def test_the_main_dialogs_read_as_office_japanese(qtbot, demo_ctx):
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.services.directory.organizations import list_organizations
    from pfdesk.services.directory.people import list_people
    from pfdesk.services.meetings import bodies, meetings
    from pfdesk.ui.consultations import dialogs
    from pfdesk.ui.consultations.case_form import CaseFormDialog
    from pfdesk.ui.directory.org_dialog import OrganizationDialog
    from pfdesk.ui.directory.person_dialog import PersonDialog
    from pfdesk.ui.meetings.dialogs import NewMeetingDialog
    from pfdesk.ui.printing.dialog import PrintMeetingDialog
    from pfdesk.ui.security.audit_viewer import AuditDialog
    from pfdesk.ui.security.users import UsersDialog

    case_id = search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id
    today = date(2026, 11, 26)
    meeting = meetings.list_meetings(demo_ctx, fy=2026)[0].id
    made = [
        CaseFormDialog(ctx=demo_ctx, today=today),
        dialogs.ContactDialog(ctx=demo_ctx, case_id=case_id),
        dialogs.CloseDialog(ctx=demo_ctx, case_id=case_id, today=today),
        dialogs.ReferralDialog(ctx=demo_ctx, case_id=case_id, today=today),
        dialogs.ConsentDialog(ctx=demo_ctx, case_id=case_id, today=today),
        PersonDialog(ctx=demo_ctx, person_id=list_people(demo_ctx)[0].id),
        OrganizationDialog(ctx=demo_ctx, org_id=list_organizations(demo_ctx)[0].id),
        NewMeetingDialog(ctx=demo_ctx, bodies=bodies.list_bodies(demo_ctx)),
        PrintMeetingDialog(ctx=demo_ctx, meeting_id=meeting),
        AuditDialog(ctx=demo_ctx),
        UsersDialog(ctx=demo_ctx),
    ]
    found = {}
    for d in made:
        qtbot.addWidget(d)
        found[d.windowTitle()] = findings_in(d)
    assert {k: v for k, v in found.items() if v} == {}


def test_question_boxes_say_hai_and_iie(qtbot, qapp):
    from PySide6.QtCore import QTranslator

    from pfdesk.ui.translations import install_qt_translations

    install_qt_translations(qapp)
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "会議の削除", "削除しますか？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(box)
        assert findings_in(box) == []
    finally:
        for t in qapp.findChildren(QTranslator, "pfdesk-qt-ja"):
            qapp.removeTranslator(t)
            t.setParent(None)


def test_the_audit_log_shows_searches_and_closures_in_office_words(qtbot, demo_ctx):
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.ui.security.audit_viewer import AuditDialog

    rows = search_cases(demo_ctx, CaseFilter(status="active", text="田")).rows
    cases.close_case(demo_ctx, rows[0].id, date(2026, 11, 26), "goal_met", "")
    d = AuditDialog(ctx=demo_ctx)
    qtbot.addWidget(d)
    assert findings_in(d) == []
    from pfdesk.services.audit_log import AuditFilter, search_audit

    texts = [e.detail for e in search_audit(demo_ctx, AuditFilter()).entries[:5]]
    assert any("該当件数" in t for t in texts)
