"""Empty lists on a new store say what to do; the demo town and a search do not show that."""

from __future__ import annotations

from datetime import date

from pfdesk.services.consultations import cases
from pfdesk.services.directory.organizations import OrganizationInput, create_organization
from pfdesk.services.meetings import bodies
from pfdesk.ui.consultations.page import ConsultationsPage
from pfdesk.ui.directory.page import DirectoryPage
from pfdesk.ui.meetings.page import MeetingsPage


def _page(qtbot, cls, ctx):
    page = cls(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not getattr(page, "loading", False))  # read in the background
    return page


def test_directory_on_a_new_store_points_to_the_import(qtbot, ctx):
    page = _page(qtbot, DirectoryPage, ctx)
    assert page.empty_hint.isVisibleTo(page)
    assert "取り込み…" in page.empty_hint.text()
    page.search.setText("社協")
    page.reload(False)
    assert not page.empty_hint.isVisibleTo(page)  # a search that finds nothing is no new store
    page.search.setText("")
    create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert not page.empty_hint.isVisibleTo(page)


def test_directory_of_the_demo_town_has_no_hint(qtbot, demo_ctx):
    page = _page(qtbot, DirectoryPage, demo_ctx)
    assert not page.empty_hint.isVisibleTo(page)


def test_meetings_without_bodies_say_to_add_one(qtbot, ctx):
    page = _page(qtbot, MeetingsPage, ctx)
    assert page.empty_hint.isVisibleTo(page)
    assert "会議体を追加…" in page.empty_hint.text()
    bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    page.refresh()
    assert not page.empty_hint.isVisibleTo(page)


def test_meetings_of_the_demo_town_have_no_hint(qtbot, demo_ctx):
    page = _page(qtbot, MeetingsPage, demo_ctx)
    assert not page.empty_hint.isVisibleTo(page)


def test_case_list_on_a_new_store_points_to_new_intake(qtbot, ctx):
    page = _page(qtbot, ConsultationsPage, ctx)
    assert page.empty.isVisibleTo(page)
    assert "ケースはまだありません" in page.empty.text()
    assert "＋ 新規受付" in page.empty.text()
    page.search.setText("高橋")
    page.reload()
    assert "条件に合うケースはありません" in page.empty.text()
    page.search.setText("")
    detail = cases.create_case(ctx, cases.CaseInput(
        intake_date=date(2026, 11, 2), family_name="高橋", given_name="一郎",
        family_kana="タカハシ", given_kana="イチロウ", sex="male"))
    cases.void_case(ctx, detail.id, "二重登録")
    page.reload()
    # Only a voided case: the list is empty, but the store is not new.
    assert "ケースはまだありません" not in page.empty.text()


def test_case_list_of_the_demo_town_has_no_new_store_hint(qtbot, demo_ctx):
    page = _page(qtbot, ConsultationsPage, demo_ctx)
    assert "ケースはまだありません" not in page.empty.text()
    assert not page.empty.isVisibleTo(page)
