"""取り消し where it was missing: 状況変更・終結・再開, a new agenda item, posts, people elsewhere.

People edited from すべてを検索 or from an organization's form are offered there too.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.directory import people as directory_people
from pfdesk.services.directory.organizations import list_organizations
from pfdesk.services.global_search import SearchHit
from pfdesk.services.meetings import agenda, meetings
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.directory.person_dialog import PersonDialog, PostDialog
from pfdesk.ui.meetings.dialogs import AgendaItemDialog
from pfdesk.ui.meetings.page import MeetingsPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _answer(monkeypatch, cls, fill, press=lambda d: d._ok()):
    """Let ``cls.exec`` fill the form and press its OK/保存 button, as the user would."""
    def exec_(self):
        fill(self)
        press(self)
        return self.result()
    monkeypatch.setattr(cls, "exec", exec_)


def _click(qtbot, bar) -> None:
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)


@pytest.fixture
def view(qtbot, ctx):
    case = cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="佐藤",
                                            given_name="花子"))
    v = CaseDetailView(ctx=ctx)
    qtbot.addWidget(v)
    v.load(case.id)
    return v


def test_a_status_change_on_the_case_screen_is_taken_back(qtbot, monkeypatch, view, ctx):
    case_id = view.case.id
    _answer(monkeypatch, dialogs.StatusDialog,
            lambda d: d.status.setCurrentIndex(d.status.findData("watch")))
    view.change_status()
    assert cases.get_case(ctx, case_id).status == "watch"
    bar = view.undo_bar
    assert bar.isVisibleTo(view) and bar.message.text().endswith("の状況を「見守り」にしました")
    _click(qtbot, bar)
    assert cases.get_case(ctx, case_id).status == "intake"
    assert view.case.status == "intake"  # the screen shows the case as it is again
    assert bar.message.text() == "ケースの状況を元に戻しました"


def test_closing_and_reopening_are_taken_back(qtbot, monkeypatch, view, ctx):
    case_id = view.case.id
    cases.change_status(ctx, case_id, "active", date(2026, 5, 2))
    view.load(case_id)
    monkeypatch.setattr("pfdesk.ui.consultations.dialogs.QMessageBox.question",
                        lambda *a, **k: dialogs.QMessageBox.StandardButton.Yes)
    _answer(monkeypatch, dialogs.CloseDialog,
            lambda d: d.reason.setCurrentIndex(d.reason.findData("moved")))
    view.close_case()
    assert cases.get_case(ctx, case_id).status == "closed"
    assert view.undo_bar.message.text().endswith("を終結しました")
    _click(qtbot, view.undo_bar)
    now = cases.get_case(ctx, case_id)
    assert (now.status, now.closed_on) == ("active", None)
    assert view.undo_bar.message.text() == "終結を取り消しました"

    closed = cases.close_case(ctx, case_id, date(2026, 6, 1), "goal_met")
    view.load(case_id)
    _answer(monkeypatch, dialogs.ReopenDialog, lambda d: d.reason.setText("再度の相談"))
    view.reopen_case()
    assert cases.get_case(ctx, case_id).status == "active"
    assert view.undo_bar.message.text().endswith("を再開しました")
    _click(qtbot, view.undo_bar)
    now = cases.get_case(ctx, case_id)
    assert (now.status, now.closed_on, now.close_reason) == (
        "closed", closed.closed_on, "goal_met")


def test_a_new_agenda_item_in_the_workspace_is_taken_back(qtbot, monkeypatch, demo_ctx):
    page = MeetingsPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    mid = [r for r in meetings.list_meetings(demo_ctx, fy=2026) if r.status == "planned"][0].id
    page.open_meeting(mid)
    ws = page.workspace
    count = len(agenda.list_agenda(demo_ctx, mid))
    _answer(monkeypatch, AgendaItemDialog, lambda d: d.title.setText("居場所づくりの報告"),
            press=lambda d: d._ok())
    ws.agenda.add_item()
    assert len(agenda.list_agenda(demo_ctx, mid)) == count + 1
    assert ws.undo_bar.isVisibleTo(ws)
    assert ws.undo_bar.message.text() == "議題「居場所づくりの報告」を追加しました"
    _click(qtbot, ws.undo_bar)
    assert len(agenda.list_agenda(demo_ctx, mid)) == count
    assert ws.undo_bar.message.text() == "議題の追加を取り消しました"


@pytest.fixture
def person_dialog(qtbot, demo_ctx):
    person = directory_people.list_people(demo_ctx)[0]
    d = PersonDialog(ctx=demo_ctx, person_id=person.id)
    qtbot.addWidget(d)
    return d


def test_posts_added_corrected_or_ended_are_taken_back(qtbot, monkeypatch, person_dialog,
                                                       demo_ctx):
    d = person_dialog
    org = list_organizations(demo_ctx)[-1]
    person_id = d.person_id

    def fill_new(p):
        p.fields.org.set_org(org.id)
        p.fields.title_edit.setText("主任")
        p.fields.start_on.set_date(date(2026, 4, 1))

    _answer(monkeypatch, PostDialog, fill_new, press=lambda p: p.save())
    d.add_post()
    posts = directory_people.get_person(demo_ctx, person_id).posts
    new = next(p for p in posts if p.organization_id == org.id and p.title == "主任")
    assert d.undo_bar.isVisibleTo(d) and d.undo_bar.message.text() == "所属・職名を追加しました"
    _click(qtbot, d.undo_bar)
    assert new.id not in [p.id for p in directory_people.get_person(demo_ctx, person_id).posts]
    assert new.id not in [r.id for r in d.posts.records]  # the form shows it gone

    post = d.posts.records[0]
    d.posts_view.selectRow(0)
    _answer(monkeypatch, PostDialog, lambda p: p.fields.title_edit.setText("課長補佐"),
            press=lambda p: p.save())
    d.edit_post()
    assert directory_people.get_post(demo_ctx, post.id).title == "課長補佐"
    assert d.undo_bar.message.text() == "所属・職名の修正を保存しました"
    _click(qtbot, d.undo_bar)
    assert directory_people.get_post(demo_ctx, post.id).title == post.title

    d.posts_view.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2027/3/31", True))
    d.end_post()
    assert directory_people.get_post(demo_ctx, post.id).end_on == date(2027, 3, 31)
    assert d.undo_bar.message.text() == "退任を記録しました"
    _click(qtbot, d.undo_bar)
    assert directory_people.get_post(demo_ctx, post.id).end_on == post.end_on


def test_a_person_opened_from_an_organization_is_taken_back_there(qtbot, monkeypatch,
                                                                  demo_ctx):
    org = next(o for o in list_organizations(demo_ctx) if o.people_in_post)
    d = OrganizationDialog(ctx=demo_ctx, org_id=org.id)
    qtbot.addWidget(d)
    person_id = d.posts.record(0).person_id
    was = directory_people.get_person(demo_ctx, person_id).data
    _answer(monkeypatch, PersonDialog, lambda p: p.edits["note"].setPlainText("4月から異動予定"),
            press=lambda p: p.save())
    d.open_person(d.posts.index(0, 0))
    assert directory_people.get_person(demo_ctx, person_id).data.note == "4月から異動予定"
    assert d.undo_bar.isVisibleTo(d)
    assert d.undo_bar.message.text().endswith("さんの情報を保存しました")
    _click(qtbot, d.undo_bar)
    assert directory_people.get_person(demo_ctx, person_id).data == was


def test_a_person_opened_from_the_search_is_taken_back_on_the_directory_page(qtbot, demo_ctx):
    from PySide6.QtWidgets import QApplication

    from pfdesk.ui.main_window import MainWindow
    from pfdesk.ui.search import open_hit

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.start()
    person = directory_people.list_people(demo_ctx)[0]
    was = directory_people.get_person(demo_ctx, person.id).data
    open_hit(window, SearchHit("person", person.id, person.full_name, ""))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, PersonDialog)
    dialog.edits["note"].setPlainText("検索から開いて修正")
    dialog.save()
    page = window.page_by_title("関係機関")
    assert directory_people.get_person(demo_ctx, person.id).data.note == "検索から開いて修正"
    qtbot.waitUntil(lambda: page.undo_bar.isVisibleTo(page), timeout=3_000)
    assert page.undo_bar.message.text().endswith("さんの情報を保存しました")
    _click(qtbot, page.undo_bar)
    assert directory_people.get_person(demo_ctx, person.id).data == was
