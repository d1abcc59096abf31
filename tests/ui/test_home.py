"""ホーム: 「はじめにすること」 on a new store — steps, their buttons, ✓ 済, and the demo town."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from pfdesk.services.consultations import cases
from pfdesk.services.directory.organizations import OrganizationInput, create_organization
from pfdesk.services.meetings import bodies
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.directory.import_dialog import ImportDialog
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.main_window import MainWindow
from pfdesk.ui.meetings.body_editor import BodyEditor

STEP_KEYS = ("directory", "bodies", "cases", "settings")


def _set_up(ctx) -> None:
    """What the first-start set-up leaves: the name and the 担当課, nothing more."""
    save_municipality(ctx, Municipality(name="いの町", secretariat="ほけん福祉課"))


@pytest.fixture
def window(qtbot, ctx):
    _set_up(ctx)
    w = MainWindow(ctx=ctx)
    qtbot.addWidget(w)
    w.start()
    return w


def test_a_new_store_shows_four_numbered_steps_none_done(window):
    home = window.page(0)
    panel = home.first_steps
    assert panel.isVisibleTo(home)
    for key in STEP_KEYS:
        widgets, state, _buttons = panel.rows[key]
        assert all(w.isVisibleTo(panel) for w in widgets)
        assert state.text() == "未"
    texts = [panel.rows[k][0][0].text() + panel.rows[k][0][1].text() for k in STEP_KEYS]
    assert texts[0].startswith("①") and "関係機関" in texts[0] and "Excel" in texts[0]
    assert texts[1].startswith("②") and "会議体" in texts[1]
    assert texts[2].startswith("③") and "相談" in texts[2]
    assert texts[3].startswith("④") and "文書番号の記号" in texts[3]


@pytest.mark.parametrize("key, index, label, dialog", [
    ("directory", 0, "関係機関", ImportDialog),
    ("directory", 1, "関係機関", OrganizationDialog),
    ("bodies", 0, "会議", BodyEditor),
    ("cases", 0, "相談", CaseFormDialog),
    ("settings", 0, "設定", None),
])
def test_a_step_button_opens_the_page_and_its_form(qtbot, window, monkeypatch,
                                                   key, index, label, dialog):
    opened = []
    for cls in (ImportDialog, OrganizationDialog, BodyEditor, CaseFormDialog):
        monkeypatch.setattr(cls, "exec", lambda self: opened.append(type(self)) or 0)
    button = window.page(0).first_steps.button(key, index)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.page_by_title(label)
    assert window.nav.currentItem().text() == label
    assert opened == ([dialog] if dialog else [])


def test_the_settings_step_puts_the_cursor_in_the_document_number_mark(qtbot, window,
                                                                        monkeypatch):
    settings = window.page_by_title("設定")
    focused = []
    for name, edit in settings.form.edits.items():
        monkeypatch.setattr(edit, "setFocus", lambda *_a, n=name: focused.append(n))
    qtbot.mouseClick(window.page(0).first_steps.button("settings"), Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is settings
    assert focused == ["doc_number_prefix"]


def test_steps_turn_done_as_the_store_fills_and_the_panel_goes(window, ctx):
    home = window.page(0)
    panel = home.first_steps

    def done() -> set[str]:
        home.refresh()
        return {k for k in STEP_KEYS if panel.is_done(k)}

    assert done() == set()
    create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    assert done() == {"directory"}
    bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    assert done() == {"directory", "bodies"}
    cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 11, 2), family_name="高橋", given_name="一郎",
        family_kana="タカハシ", given_kana="イチロウ", sex="male"))
    assert done() == {"directory", "bodies", "cases"}
    assert panel.rows["cases"][1].text() == "✓ 済"
    m = get_municipality(ctx)
    m.doc_number_prefix = "い保福"
    save_municipality(ctx, m)
    assert done() == {"directory", "bodies", "cases"}  # the 発信者 is still missing
    m.sender = "いの町長　山田　一郎"
    save_municipality(ctx, m)
    home.refresh()
    assert not panel.isVisibleTo(home)


def test_the_demo_town_shows_no_first_steps(qtbot, demo_ctx):
    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    w.start()
    assert w.page(0).summary.first_steps is None
    assert not w.page(0).first_steps.isVisibleTo(w.page(0))


def test_a_viewer_is_not_offered_the_case_step(qtbot, ctx):
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.ui.home import HomePage

    _set_up(ctx)
    viewer = ServiceContext(store=ctx.store, actor=Actor("eturan", "閲覧　花子", "viewer"))
    page = HomePage(ctx=viewer)
    qtbot.addWidget(page)
    page.refresh()
    assert page.first_steps.isVisibleTo(page)
    assert not page.first_steps.rows["cases"][1].isVisibleTo(page)
    assert page.first_steps.rows["bodies"][1].isVisibleTo(page)
    assert not page.first_steps.button("bodies").isEnabled()  # registering is not theirs
    assert page.first_steps.button("settings").isEnabled()


def test_the_administrator_is_asked_for_the_audit_sheet_until_it_is_printed(qtbot, ctx, tmp_path):
    from pfdesk.services.audit_anchor import print_audit_sheet
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.ui.home import HomePage

    _set_up(ctx)  # its audit entry starts the seal: the first key waits to be printed
    page = HomePage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.audit_reminder.isVisibleTo(page)
    assert "検証キー" in page.audit_reminder.text()
    staff = HomePage(ctx=ServiceContext(store=ctx.store, actor=Actor("tanto", "担当", "staff")))
    qtbot.addWidget(staff)
    staff.refresh()
    assert not staff.audit_reminder.isVisibleTo(staff)
    print_audit_sheet(ctx, tmp_path / "sheet.pdf")
    page.refresh()
    assert not page.audit_reminder.isVisibleTo(page)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the page is shown for real
def test_the_figure_cards_drop_to_two_columns_on_a_narrow_page(qtbot, ctx):
    """At 150 % scaling or 特大 text the four figures reflow instead of widening the page."""
    from pfdesk.ui.home import HomePage

    _set_up(ctx)
    page = HomePage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.resize(1100, 600)
    page.show()
    qtbot.waitUntil(lambda: page.figures.columns == 4)
    top = {page.fig_orgs.y(), page.fig_people.y(), page.fig_cases.y(), page.fig_actions.y()}
    assert len(top) == 1  # one row
    narrow = page.figures.minimumSizeHint().width()
    page.resize(narrow + 40, 600)
    qtbot.waitUntil(lambda: page.figures.columns == 2)
    qtbot.waitUntil(lambda: page.fig_cases.y() > page.fig_orgs.y())
    assert page.fig_people.y() == page.fig_orgs.y()
    assert page.fig_cases.x() == page.fig_orgs.x()  # the second row starts at the left
    # The figures ask for two cards' width, not four, so the page fits a narrow window.
    cards = (page.fig_orgs, page.fig_people, page.fig_cases, page.fig_actions)
    assert narrow < sum(c.minimumSizeHint().width() for c in cards)
    page.resize(1100, 600)
    qtbot.waitUntil(lambda: page.figures.columns == 4)
