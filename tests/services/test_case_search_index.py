"""The trigram index finds exactly the cases a LIKE over the folded text finds, and stays current."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, text

from pfdesk.core.kana import fold
from pfdesk.services.consultations import cases, contacts
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.store import search_index
from pfdesk.store.models import Case

# Names, readings in every width and script, 異体字, places, notes, numbers, mixed terms.
QUERIES = [
    "たかは", "タカハ", "ﾀｶﾊ", "ﾀｶﾊｼ", "たかはし", "高橋", "髙橋", "高橋 翔太", "髙橋翔太",
    "さとう", "サトウ", "佐々木", "山﨑", "𠮷田", "吉田", "ハセガワ", "はせがわ", "長谷川",
    "緑ヶ丘", "緑ケ丘", "みどり川町", "本町", "０８８９", "0889-5", "0889－5", "R6-", "r6-0",
    "自室から", "昼夜逆転", "サポステ", "ｻﾎﾟｽﾃ", "居場所", "家族会の案内", "来月訪問",
    "2週間", "２週間後", "森", "林", "母", "た", "高", "xyz", "ない語句です", "本人 電話",
    "たか はし", "高橋 居場所 電話", '"引用', "50%", "a_b", "しののめ", "コーヒー",
]


def _all_numbers(ctx, text: str) -> list[str]:
    page = search_cases(ctx, CaseFilter(text=text, include_voided=True), limit=100_000)
    assert page.total == len(page.rows)
    return sorted(r.case_number for r in page.rows)


def _like_numbers(ctx, text: str) -> list[str]:
    terms = [t for t in (fold(p) for p in text.split()) if t]
    with ctx.store.session() as s:
        rows = s.execute(select(Case.case_number, Case.search_text)).all()
    return sorted(n for n, haystack in rows if all(t in haystack for t in terms))


def _indexed(ctx, term: str) -> list[int]:
    with ctx.store.session() as s:
        return list(s.scalars(search_index.case_ids_matching([fold(term)])))


def test_a_new_store_has_the_index_and_its_triggers(store):
    with store.session() as s:
        names = set(s.scalars(text(
            "SELECT name FROM sqlite_master WHERE name LIKE 'case_search%'")))
    assert {"case_search", "case_search_insert", "case_search_update",
            "case_search_delete"} <= names


def test_searches_of_three_characters_go_through_the_index(demo_ctx):
    # With the index emptied, a 3-character term finds nothing while a 2-character one
    # (LIKE) still does: the long terms are looked up in the index, not in the text.
    with demo_ctx.store.session() as s:
        s.execute(text("INSERT INTO case_search(case_search) VALUES ('delete-all')"))
        s.commit()
    assert _all_numbers(demo_ctx, "たかは") == []
    assert _all_numbers(demo_ctx, "たか")


@pytest.mark.parametrize("query", QUERIES)
def test_index_and_like_agree_on_the_demo_town(demo_ctx, query):
    assert _all_numbers(demo_ctx, query) == _like_numbers(demo_ctx, query)


@pytest.mark.parametrize("query", ["林", "たか", "電話", "r6", "高橋 居場所 電話"])
def test_short_terms_page_through_the_same_cases_as_the_count(demo_ctx, query):
    # A term matched with LIKE is read once for the count and the page together: the
    # pages still follow the list's order, without gaps or repeats, up to the count.
    whole = search_cases(demo_ctx, CaseFilter(text=query), limit=100_000)
    seen, offset = [], 0
    while True:
        page = search_cases(demo_ctx, CaseFilter(text=query), offset=offset, limit=7)
        assert page.total == whole.total
        if not page.rows:
            break
        seen += [r.id for r in page.rows]
        offset += 7
    assert seen == [r.id for r in whole.rows] and len(seen) == whole.total > 0
    numbers = [r.case_number for r in whole.rows]
    assert numbers == sorted(numbers, key=lambda n: (n.split("-")[0], int(n.split("-")[1])),
                             reverse=True)  # 年度 and number, newest first


def test_demo_queries_find_something(demo_ctx):
    # The comparison above would be empty-handed if the queries matched nothing.
    found = [q for q in QUERIES if _like_numbers(demo_ctx, q)]
    assert len(found) >= 25


def test_index_follows_new_changed_and_removed_text(ctx):
    case = cases.create_case(ctx, CaseInput(
        intake_date=datetime(2026, 5, 1).date(), family_name="鷲尾", given_name="遥",
        family_kana="ワシオ", given_kana="ハルカ", lead_staff="森野", route="school"))
    assert _all_numbers(ctx, "わしお") == [case.case_number]
    assert _indexed(ctx, "わしお") == [case.id]  # written by the trigger, same transaction
    contact = contacts.add_contact(ctx, case.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 2, 10), body="陶芸教室の見学に同行した"))
    assert _all_numbers(ctx, "陶芸教室") == [case.case_number]
    contacts.void_contact(ctx, contact.id, "入力の誤り")
    assert _all_numbers(ctx, "陶芸教室") == []
    assert _indexed(ctx, "陶芸教室") == []
    assert _all_numbers(ctx, "わしお") == [case.case_number]
