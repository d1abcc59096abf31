"""The store on a PostgreSQL server: schema, search index, errors, and what SQLite did alone.

Opening, the schema check against a newer pfdesk, the Japanese messages for a server
that refuses, the pg_trgm search with SQLite's 2-character behaviour, the audit chain
catching edits, and case numbers / 文書番号 that two PCs saving at once never share.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import text

from pfdesk.core.errors import StoreError
from pfdesk.paths import DataPaths
from pfdesk.services import audit
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.context import ServiceContext
from pfdesk.store.migrate import current_revisions, script_heads
from pfdesk.store.pg import AuthFailed, NeedsPassword, open_server_store
from pfdesk.store.url import describe
from tests.services.test_audit import _verify, _write_events


def _case(ctx, family: str, kana: str, day: date = date(2026, 5, 1)):
    return cases.create_case(ctx, CaseInput(
        intake_date=day, family_name=family, given_name="太郎", family_kana=kana,
        given_kana="タロウ", lead_staff="森野", route="school"))


def test_a_new_server_database_gets_the_whole_schema(store):
    assert store.is_server
    assert current_revisions(store.engine) == script_heads()
    with store.session() as s:
        index = s.scalar(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_case_search_trgm'"))
        level = s.scalar(text("SHOW transaction_isolation"))
    assert "gin_trgm_ops" in index
    assert level == "read committed"


def test_a_server_at_a_newer_schema_is_refused(pg_cluster, pg_database, data_paths):
    store = open_server_store(data_paths, pg_cluster.url(pg_database))
    with store.session() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        s.commit()
    store.close()
    with pytest.raises(StoreError) as caught:
        open_server_store(data_paths, pg_cluster.url(pg_database))
    assert "より新しいバージョンの pfdesk" in caught.value.message
    assert caught.value.where == describe(pg_cluster.url(pg_database))


def test_a_missing_database_is_named(pg_cluster, data_paths):
    with pytest.raises(StoreError) as caught:
        open_server_store(data_paths, pg_cluster.url("no_such_town"))
    assert "データベース「no_such_town」がありません" in caught.value.message


def test_a_wrong_or_missing_password_is_explained(pg_cluster, pg_database, data_paths):
    pg_cluster.execute("CREATE ROLE clerk LOGIN PASSWORD 'right-one'")
    try:
        with pytest.raises(AuthFailed) as wrong:
            open_server_store(data_paths, pg_cluster.url(pg_database, "clerk", "wrong"))
        assert "利用者名かパスワードが違います" in wrong.value.message
        with pytest.raises(NeedsPassword) as missing:
            open_server_store(data_paths, pg_cluster.url(pg_database, "clerk"))
        assert "パスワードが保存されていません" in missing.value.message
    finally:
        pg_cluster.execute("DROP ROLE clerk")


def test_no_server_at_the_address_is_explained(pg_cluster, data_paths, tmp_path):
    url = pg_cluster.url("pfdesk").update_query_dict({"host": str(tmp_path)})
    with pytest.raises(StoreError) as caught:
        open_server_store(data_paths, url)
    assert "サーバーに接続できません" in caught.value.message
    assert "サーバー名とポート番号" in caught.value.hint


def test_two_and_three_character_terms_find_the_same_cases(ctx):
    a = _case(ctx, "高橋", "タカハシ")
    b = _case(ctx, "髙木", "タカギ")
    _case(ctx, "佐藤", "サトウ")

    def numbers(q: str) -> list[str]:
        return sorted(r.case_number for r in search_cases(ctx, CaseFilter(text=q)).rows)

    assert numbers("たか") == sorted([a.case_number, b.case_number])  # LIKE, no trigram
    assert numbers("たかは") == [a.case_number]  # pg_trgm
    assert numbers("ﾀｶﾊｼ") == [a.case_number]  # folded like the stored text
    assert numbers("髙橋") == [a.case_number]  # 異体字
    assert numbers("50%") == []  # LIKE's wildcards are literal


def test_three_character_terms_use_the_trigram_index(ctx):
    _case(ctx, "高橋", "タカハシ")
    with ctx.store.session() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        from pfdesk.store.search_index import case_ids_matching

        compiled = case_ids_matching(["たかはし"]).compile(
            dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True})
        plan = "\n".join(s.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_case_search_trgm" in plan


def test_cases_without_contacts_sort_as_on_sqlite(ctx):
    from pfdesk.services.consultations import contacts

    early = _case(ctx, "青木", "アオキ")
    late = _case(ctx, "井上", "イノウエ")
    never = _case(ctx, "上田", "ウエダ")
    contacts.add_contact(ctx, early.id, contacts.ContactInput(occurred_at=datetime(2026, 5, 2)))
    contacts.add_contact(ctx, late.id, contacts.ContactInput(occurred_at=datetime(2026, 6, 2)))
    newest_first = search_cases(ctx, CaseFilter(), sort="last_contact", descending=True).rows
    oldest_first = search_cases(ctx, CaseFilter(), sort="last_contact", descending=False).rows
    assert [r.id for r in newest_first] == [late.id, early.id, never.id]
    assert [r.id for r in oldest_first] == [never.id, early.id, late.id]


def test_the_audit_chain_catches_an_edit_on_the_server(ctx, store):
    _write_events(ctx)
    assert _verify(store) is None
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET user_name = 'someone' WHERE id = 3"))
    broken = _verify(store)
    assert broken is not None and broken.event_id == 3 and broken.reason == "hash"


def test_two_pcs_saving_at_once_never_share_a_case_number(pg_cluster, pg_database, tmp_path,
                                                          admin):
    # Two stores are two PCs: separate engines and connections on the same database.
    pcs = [open_server_store(DataPaths(tmp_path / f"pc{i}"), pg_cluster.url(pg_database))
           for i in range(2)]
    made: list[str] = []
    failures: list[BaseException] = []

    def work(store, n: int) -> None:
        ctx = ServiceContext(store=store, actor=admin)
        try:
            for _i in range(12):
                made.append(_case(ctx, f"試験{n}", "シケン").case_number)
        except BaseException as e:  # noqa: BLE001 - reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(pc, n)) for n, pc in enumerate(pcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert failures == []
        assert len(made) == 24 and len(set(made)) == 24
        with pcs[0].session() as s:
            assert audit.verify_chain(s) is None  # the chain did not fork either
    finally:
        for pc in pcs:
            pc.close()


def test_two_pcs_printing_at_once_never_share_a_document_number(pg_cluster, pg_database,
                                                                tmp_path):
    from pfdesk.services.printing.numbers import issue_number

    pcs = [open_server_store(DataPaths(tmp_path / f"pc{i}"), pg_cluster.url(pg_database))
           for i in range(2)]
    numbers: list[int] = []

    def work(store) -> None:
        for _i in range(15):
            with store.session() as s:
                row = issue_number(s, prefix="み保福", issued_on=date(2026, 6, 1),
                                   kind="notice", meeting_id=None, subject="開催通知",
                                   created_by="admin")
                s.commit()
                numbers.append(row.serial)

    threads = [threading.Thread(target=work, args=(pc,)) for pc in pcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for pc in pcs:
        pc.close()
    assert sorted(numbers) == list(range(1, 31))


def test_a_server_backup_needs_a_signed_in_user_and_says_so(ctx):
    # A server's backup is encrypted under the attachments' file key of a signed-in user
    # (test_server_backup): the local administrator of a command without --user has none.
    from pfdesk.core.errors import KnownError
    from pfdesk.services.backup import auto_backup, backup_store

    with pytest.raises(KnownError) as caught:
        backup_store(ctx)
    assert "サインインした利用者" in caught.value.message and "--user" in caught.value.hint
    assert auto_backup(ctx, "daily") is None  # the window's daily backup stays quiet
    assert not list(ctx.store.paths.backups.glob("*"))


def test_file_only_features_refuse_a_server_store_plainly(ctx, tmp_path):
    from pfdesk.core.errors import KnownError
    from pfdesk.services.audit_log import verify_audit
    from pfdesk.services.encryption import encrypt_store, encryption_status
    from pfdesk.services.moving import move_out

    for attempt in (lambda: encrypt_store(ctx, "admin", "x"),
                    lambda: move_out(ctx, tmp_path / "move.zip")):
        with pytest.raises(KnownError) as caught:
            attempt()
        assert "共有データベース（サーバー）のデータには使えません" in caught.value.message
        assert "migrate-store --to-folder" in caught.value.hint
    assert not (tmp_path / "move.zip").exists()
    assert "共有データベース（サーバー）にあります" in encryption_status(ctx).summary()
    _write_events(ctx)
    said = verify_audit(ctx).message()
    # The head this PC wrote to the server is checked (services.audit.head_path).
    assert "改ざんは見つかりませんでした" in said and "このパソコンが最後に書いた記録まで" in said
    assert "作り直されます" not in said


def test_a_pc_waiting_too_long_for_another_is_told_and_nothing_is_saved(
        pg_cluster, pg_database, tmp_path, admin, monkeypatch):
    from pfdesk.store import pg
    from pfdesk.store.errors import StoreBusy

    monkeypatch.setattr(pg, "LOCK_TIMEOUT_MS", 300)
    holder = open_server_store(DataPaths(tmp_path / "pc1"), pg_cluster.url(pg_database))
    waiter = open_server_store(DataPaths(tmp_path / "pc2"), pg_cluster.url(pg_database))
    try:
        with holder.session() as s:
            s.execute(text("SELECT 1"))  # PC 1's unit of work holds the lock, unfinished
            with pytest.raises(StoreBusy) as caught:
                _case(ServiceContext(store=waiter, actor=admin), "待機", "タイキ")
            s.rollback()
        assert "ほかのパソコンの操作がデータを使用中" in caught.value.message
        assert "まだ保存されていません" in caught.value.message
        with waiter.session() as s:
            assert s.scalar(text("SELECT count(*) FROM consultation_case")) == 0
    finally:
        holder.close()
        waiter.close()
