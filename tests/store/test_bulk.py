"""The imports' bulk inserts write what SQLAlchemy's own INSERT would, faster."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pfdesk.store.bulk import insert_rows, table_of, write_rows
from pfdesk.store.models import Organization, Person, Post


def _orgs(n: int, prefix: str) -> list[dict]:
    return [{"name": f"{prefix}事業所{i}", "name_kana": "じぎょうしょ", "phone": "",
             "search_text": f"{prefix}じぎょうしょ{i}"} for i in range(n)]


def test_rows_written_directly_equal_sqlalchemys_insert(store):
    with Session(store.engine) as s:
        conn = s.connection()
        t = table_of(Organization)
        conn.execute(insert(t), _orgs(3, "A"))  # SQLAlchemy: each column's default applied
        write_rows(conn, t, _orgs(3, "B"))
        ids = insert_rows(conn, t, _orgs(2, "C"))
        s.commit()
        rows = s.execute(select(t).order_by(t.c.id)).mappings().all()
        orgs = s.scalars(select(Organization).order_by(Organization.id)).all()
    assert ids == [7, 8] and [r["id"] for r in rows] == list(range(1, 9))
    skip = {"id", "name", "search_text", "created_at", "updated_at"}
    shapes = [{k: v for k, v in r.items() if k not in skip} for r in rows]
    assert all(shape == shapes[0] for shape in shapes)  # defaults: 分野, 種別, active …
    assert shapes[0]["active"] is True and shapes[0]["merged_into_id"] is None
    # One moment for the rows of one statement, stored in the same form SQLAlchemy uses.
    assert len({o.created_at for o in orgs[3:6]}) == 1
    assert all(o.created_at >= orgs[0].created_at for o in orgs[3:])
    assert [o.name for o in orgs[6:]] == ["C事業所0", "C事業所1"]


def test_dates_are_stored_as_sqlalchemy_stores_them(store):
    with Session(store.engine) as s:
        conn = s.connection()
        org = insert_rows(conn, table_of(Organization), _orgs(1, "D"))[0]
        person = insert_rows(conn, table_of(Person), [{
            "family_name": "山田", "given_name": "花子", "family_kana": "やまだ",
            "given_kana": "はなこ", "search_text": "やまだはなこ"}])[0]
        write_rows(conn, table_of(Post), [{
            "person_id": person, "organization_id": org, "title": "相談員",
            "start_on": date(2025, 4, 1), "end_on": None, "confirmed_fy": 2025}])
        s.commit()
        post = s.scalars(select(Post)).one()
        assert post.start_on == date(2025, 4, 1) and post.end_on is None
        assert (post.person.family_name, post.organization.name) == ("山田", "D事業所0")
        raw = s.connection().exec_driver_sql("SELECT start_on, created_at FROM post").one()
    assert raw[0] == "2025-04-01" and len(raw[1]) == 26  # "YYYY-MM-DD HH:MM:SS.ffffff"


def test_each_value_lands_in_its_column_whatever_the_keys(store):
    with Session(store.engine) as s:
        conn = s.connection()
        only_name = insert_rows(conn, table_of(Organization), [{"name": "E事業所"}])[0]
        person = insert_rows(conn, table_of(Person), [{"family_name": "森"}])[0]
        # Columns with a processor (the dates) between plain ones, in the keys' order.
        write_rows(conn, table_of(Post), [
            {"title": f"係{i}", "start_on": date(2025, 4, i), "person_id": person,
             "end_on": date(2026, 3, 31) if i == 2 else None, "organization_id": only_name,
             "phone": f"0889-52-000{i}"} for i in (1, 2)])
        s.commit()
        org = s.get(Organization, only_name)
        posts = s.scalars(select(Post).order_by(Post.id)).all()
    assert org is not None and org.name == "E事業所" and org.phone == ""
    assert [(p.title, p.start_on, p.end_on, p.phone) for p in posts] == [
        ("係1", date(2025, 4, 1), None, "0889-52-0001"),
        ("係2", date(2025, 4, 2), date(2026, 3, 31), "0889-52-0002")]
