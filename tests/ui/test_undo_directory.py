"""取り消し of a save in 関係機関: a person's or an organization's previous values come back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pfdesk.services.directory.organizations import get_organization, update_organization
from pfdesk.services.directory.people import get_person
from pfdesk.ui import undo as undo_ui
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.directory.page import ORGS_TAB, PEOPLE_TAB, DirectoryPage
from pfdesk.ui.directory.person_dialog import PersonDialog


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    p.open_after_print = False
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: not p.loading)
    return p


def _answer(monkeypatch, cls, fill):
    """Let the dialog's ``exec`` type into the form and press 保存, as the user would."""
    def exec_(self):
        fill(self)
        self.save()
        return self.result()
    monkeypatch.setattr(cls, "exec", exec_)


def test_a_person_edit_is_taken_back(page, demo_ctx, qtbot, monkeypatch):
    page.tabs.setCurrentIndex(PEOPLE_TAB)
    page.people_view.selectRow(0)
    person_id = page._selected()[0].id
    was = get_person(demo_ctx, person_id).data
    _answer(monkeypatch, PersonDialog, lambda d: d.edits["note"].setPlainText("4月から異動予定"))
    page.open_selected()
    assert get_person(demo_ctx, person_id).data.note == "4月から異動予定"
    assert page.undo_bar.isVisibleTo(page)
    assert page.undo_bar.message.text().endswith("さんの情報を保存しました")
    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    assert get_person(demo_ctx, person_id).data == was


def test_an_organization_edit_is_taken_back_unless_saved_again(page, demo_ctx, qtbot,
                                                              monkeypatch):
    page.tabs.setCurrentIndex(ORGS_TAB)
    page.orgs_view.selectRow(0)
    org_id = page._selected()[0].id
    was = get_organization(demo_ctx, org_id).data
    _answer(monkeypatch, OrganizationDialog, lambda d: d.edits["note"].setPlainText("窓口移転"))
    page.open_selected()
    assert page.undo_bar.message.text() == f"関係機関「{was.name}」を保存しました"
    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    assert get_organization(demo_ctx, org_id).data == was

    page.orgs_view.selectRow(0)
    page.open_selected()  # saved again, then someone else saves on top of it
    now = get_organization(demo_ctx, org_id).data
    update_organization(demo_ctx, org_id, type(now)(**{**now.__dict__, "note": "他の人の変更"}))
    shown = []
    monkeypatch.setattr(undo_ui, "show_error", lambda _p, e: shown.append(e.user_text()))
    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    assert shown and "取り消せません" in shown[0]
    assert get_organization(demo_ctx, org_id).data.note == "他の人の変更"
