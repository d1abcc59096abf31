"""Coming back to the 関係機関 page reloads its lists only when the directory changed."""

from __future__ import annotations

import pytest

from pfdesk.services.directory import people as people_service
from pfdesk.services.directory.types import PersonInput, PostInput
from pfdesk.ui.directory import page as page_module
from pfdesk.ui.directory.page import DirectoryPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.current_only.setChecked(False)
    p.refresh()
    return p


def _names(page) -> set[str]:
    return {r.full_name for r in page.people.records}


def test_revisiting_an_unchanged_directory_does_not_load_it_again(page, monkeypatch):
    calls = []
    monkeypatch.setattr(page_module, "list_people",
                        lambda *a, **k: calls.append(1) or people_service.list_people(*a, **k))
    page.refresh()
    page.refresh()
    assert calls == []


def test_a_change_made_elsewhere_shows_on_the_next_visit(page, demo_ctx):
    before = len(page.people.records)
    org_id = page.orgs.records[0].id
    people_service.create_person(demo_ctx, PersonInput(family_name="鷲尾", given_name="遥",
                                                       family_kana="わしお", given_kana="はるか"),
                                 PostInput(person_id=0, organization_id=org_id, title="主事"))
    page.refresh()
    assert len(page.people.records) == before + 1
    assert "鷲尾　遥" in _names(page)
    person = next(r for r in page.people.records if r.full_name == "鷲尾　遥")
    people_service.update_person(demo_ctx, person.id, PersonInput(
        family_name="鷲尾", given_name="遙", family_kana="わしお", given_kana="はるか"))
    page.refresh()
    assert "鷲尾　遙" in _names(page) and "鷲尾　遥" not in _names(page)
