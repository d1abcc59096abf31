"""The imports write plain rows with Core statements: what the ORM did must still hold.

The sealing of identity columns, the ORM's defaults and relationships, the search text,
all-or-nothing when the database refuses a row, and why the session's ``before_flush``
sealing (case items of closed meetings) is not needed for what the imports write.
"""

from __future__ import annotations

import csv
import sqlite3

import pytest
from sqlalchemy import func, select

from pfdesk.services.consultations.cases import get_case
from pfdesk.services.consultations.io import import_ledger
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.directory._common import org_search_text, person_search_text
from pfdesk.services.directory.importer import import_contacts
from pfdesk.services.directory.people import list_people
from pfdesk.services.encryption import encrypt_store
from pfdesk.store import vault
from pfdesk.store.models import Case, CaseStatusChange, Contact, Organization, Person, Post
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401

LEDGER = [
    ["No", "氏名", "ふりがな", "性別", "生年月日", "相談経路", "相談日", "相談方法", "相談者",
     "主な相談内容", "対応内容", "終結日"],
    ["A-1", "髙橋 健一", "たかはし けんいち", "男", "1990/5/3", "本人・家族から直接", "R7.4.3",
     "来所", "母", "ひきこもり・不登校", "母が来所。就労継続支援の話。", "R7.9.30"],
    ["A-1", "", "", "", "", "", "2025/05/10", "電話", "本人", "家族との関係", "本人から電話。", ""],
    ["A-2", "山田 花子", "ヤマダ ハナコ", "女性", "", "学校・教育委員会等", "2026-01-15", "訪問",
     "民生委員", "家族との関係", "民生委員と訪問。", ""],
]

CONTACTS = [
    ["機関名", "部署", "役職", "氏名", "フリガナ", "電話番号"],
    ["みどり川町社会福祉協議会", "地域福祉係", "係長", "髙橋　健一", "タカハシ ケンイチ", "0889-52-1234"],
    ["みどり川町社会福祉協議会", "地域福祉係", "主事", "山﨑　彩", "ヤマサキ アヤ", "0889-52-1235"],
    ["ひだまり相談室", "", "相談員", "伊藤　誠", "いとう まこと", "0889-60-0001"],
]


def _csv(path, rows):
    with open(path, "w", encoding="cp932", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_the_tables_the_imports_write_hold_no_case_content_of_meetings():
    """The imports' Core inserts skip the session's before_flush sealing.

    That event seals only meeting case items: safe while the imports write none of them.
    """
    written = {t.__tablename__ for t in (Organization, Person, Post, Case, CaseStatusChange,
                                         Contact)}
    assert not written & set(vault.CASE_CONTENT)


def test_a_ledger_imported_into_a_sealed_store_is_sealed_and_reads_back(ctx, tmp_path,
                                                                       fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    encrypt_store(admin, "yamada", PASSWORD)
    result = import_ledger(admin, _csv(tmp_path / "台帳.csv", LEDGER))
    assert (result.cases, result.contacts) == (2, 3)
    number = dict(result.case_numbers)["A-1"]
    with admin.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.case_number == number))
        raw = s.connection().exec_driver_sql(
            "SELECT family_name, family_kana, birth_date, search_text, birth_ym, status "
            "FROM consultation_case WHERE id = ?", (case_id,)).one()
        bodies = s.connection().exec_driver_sql(
            "SELECT body FROM contact WHERE case_id = ?", (case_id,)).all()
    # Names, birth date, search text and the contacts' texts are sealed in the file; the
    # month of birth (an ORM event's work before) and the status stay plain.
    assert all(vault.is_sealed(v) for v in raw[:4])
    assert all(vault.is_sealed(b) for (b,) in bodies)
    assert raw[4:] == ("1990-05", "closed")
    case = get_case(admin, case_id)
    assert (case.family_name, case.given_name, case.family_kana) == ("髙橋", "健一", "タカハシ")
    found = search_cases(admin, CaseFilter(text="就労継続")).rows
    assert [r.name for r in found] == ["髙橋　健一"]


def test_a_row_the_database_refuses_leaves_nothing_of_the_ledger(ctx, tmp_path):
    """The cases are inserted before their contacts: a refused contact takes them back."""
    with sqlite3.connect(ctx.store.paths.store) as con:
        con.execute("CREATE TRIGGER refuse BEFORE INSERT ON contact WHEN NEW.body = "
                    "'民生委員と訪問。' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(Exception, match="refused"):
        import_ledger(ctx, _csv(tmp_path / "台帳.csv", LEDGER))
    with ctx.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0
        assert s.scalar(select(func.count()).select_from(CaseStatusChange)) == 0


def test_imported_contacts_are_whole_records_with_their_posts(ctx, tmp_path):
    import_contacts(ctx, _csv(tmp_path / "名簿.csv", CONTACTS))
    with ctx.session() as s:
        people = {p.full_name: p for p in s.scalars(select(Person))}
        assert set(people) == {"髙橋　健一", "山﨑　彩", "伊藤　誠"}
        takahashi = people["髙橋　健一"]
        (post,) = takahashi.posts
        assert (post.organization.name, post.department, post.title, post.phone) == (
            "みどり川町社会福祉協議会", "地域福祉係", "係長", "0889-52-1234")
        assert post.is_contact and post.confirmed_fy and post.end_on is None
        assert takahashi.search_text == person_search_text(takahashi)
        assert takahashi.created_at is not None and takahashi.updated_at is not None
        org = post.organization
        assert org.active and org.search_text == org_search_text(org)
        assert len(org.posts) == 2
        stamped = takahashi.updated_at
    # The directory page finds them by the search text the import wrote.
    assert [p.full_name for p in list_people(ctx, query="たかはし")] == ["髙橋　健一"]
    # A new phone number updates the stored post and its timestamp; nothing is added.
    moved = [r[:] for r in CONTACTS]
    moved[1][5] = "0889-52-9999"
    preview = import_contacts(ctx, _csv(tmp_path / "名簿2.csv", moved))
    assert [r.action for r in preview.rows] == ["update", "unchanged", "unchanged"]
    with ctx.session() as s:
        takahashi = s.scalars(select(Person).where(Person.family_name == "髙橋")).one()
        assert takahashi.posts[0].phone == "0889-52-9999"
        assert takahashi.updated_at == stamped  # the person did not change, the post did
        assert takahashi.posts[0].updated_at > stamped
        assert s.scalar(select(func.count()).select_from(Post)) == 3
