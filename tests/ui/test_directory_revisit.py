"""Coming back to the 関係機関 page reloads its lists only when the directory changed."""

from __future__ import annotations

import pytest

from pfdesk.services.directory import people as people_service
from pfdesk.services.directory.types import PersonInput, PostInput
from pfdesk.ui.directory import page_lists
from pfdesk.ui.directory.page import DirectoryPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.current_only.setChecked(False)
    p.refresh()
    qtbot.waitUntil(lambda: not p.loading)
    return p


def _names(page) -> set[str]:
    return {r.full_name for r in page.people.records}


def test_revisiting_an_unchanged_directory_does_not_load_it_again(qtbot, page, monkeypatch):
    calls = []
    monkeypatch.setattr(page_lists, "list_people",
                        lambda *a, **k: calls.append(1) or people_service.list_people(*a, **k))
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert calls == []


def test_a_change_made_elsewhere_shows_on_the_next_visit(qtbot, page, demo_ctx):
    before = len(page.people.records)
    org_id = page.orgs.records[0].id
    people_service.create_person(demo_ctx, PersonInput(family_name="鷲尾", given_name="遥",
                                                       family_kana="わしお", given_kana="はるか"),
                                 PostInput(person_id=0, organization_id=org_id, title="主事"))
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert len(page.people.records) == before + 1
    assert "鷲尾　遥" in _names(page)
    person = next(r for r in page.people.records if r.full_name == "鷲尾　遥")
    people_service.update_person(demo_ctx, person.id, PersonInput(
        family_name="鷲尾", given_name="遙", family_kana="わしお", given_kana="はるか"))
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert "鷲尾　遙" in _names(page) and "鷲尾　遥" not in _names(page)


def test_the_first_show_reads_the_lists_off_the_gui_thread(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    assert p.loading and not p.people.records  # refresh() returned before the lists came
    qtbot.waitUntil(lambda: not p.loading)
    assert len(p.people.records) > 20 and p.orgs.records
    assert "担当者（" in p.tabs.tabText(0) and p.rollover.fiscal_year


def test_a_search_typed_while_the_lists_load_is_what_the_page_shows(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    p.search.setText("保健")  # before the background read arrives
    qtbot.waitUntil(lambda: not p.loading and not p.searching)
    from pfdesk.services.directory.organizations import list_organizations

    found = {o.id for o in list_organizations(demo_ctx, query="保健")}
    assert {o.id for o in p.orgs.records} == found
    assert 0 < len(found) < len(list_organizations(demo_ctx))


def test_a_filter_reads_the_lists_off_the_gui_thread_and_shows_the_last_choice(qtbot, page):
    everyone = len(page.people.records)
    page.field.setCurrentIndex(page.field.findData("education"))
    assert page.searching and len(page.people.records) == everyone  # not read yet
    page.field.setCurrentIndex(page.field.findData("welfare"))  # changed again at once
    page.search.setText("田")
    page._timer.timeout.emit()
    qtbot.waitUntil(lambda: not page.searching)
    from pfdesk.services.directory.people import list_people

    expected = {p.id for p in list_people(page.ctx, query="田", field="welfare",
                                          in_post_only=False)}
    assert {r.id for r in page.people.records} == expected
    assert 0 < len(expected) < everyone
