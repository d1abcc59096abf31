"""The audit log viewer's queries, its export, and detection of tampering."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta

import pytest

from pfdesk.core.errors import PermissionDenied
from pfdesk.services import audit
from pfdesk.services.audit_log import (
    AuditFilter,
    action_label,
    export_audit,
    search_audit,
    verify_audit,
)
from pfdesk.services.context import Actor


def _log(ctx, n=5):
    with ctx.session() as s:
        for i in range(1, n + 1):
            who = Actor("tanaka" if i % 2 else "suzuki", "", "staff")
            audit.record(s, who, "case.view", "consultation_case", [i])
        audit.record(s, Actor("yamada", "", "admin"), "backup.create", "store", [])
        s.commit()


def test_filters_by_user_record_action_and_period(ctx):
    _log(ctx)
    assert search_audit(ctx).total == 6
    assert search_audit(ctx, AuditFilter(user_name="tanaka")).total == 3
    hit = search_audit(ctx, AuditFilter(target_type="consultation_case", target_id="4"))
    assert [e.user_name for e in hit.entries] == ["suzuki"]
    assert search_audit(ctx, AuditFilter(action="backup")).entries[0].action_label == (
        "バックアップ 作成")
    today = date.today()
    assert search_audit(ctx, AuditFilter(start=today, end=today)).total == 6
    assert search_audit(ctx, AuditFilter(end=today - timedelta(days=2))).total == 0


def test_only_administrators_read_the_log(ctx):
    staff = ctx.acting_as(Actor("tanaka", "", "staff"))
    with pytest.raises(PermissionDenied):
        search_audit(staff)


def test_export_writes_every_matching_entry_and_is_itself_logged(ctx, tmp_path):
    _log(ctx)
    out = tmp_path / "audit.csv"
    assert export_audit(ctx, out, AuditFilter(user_name="tanaka")) == 3
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["番号", "日時", "利用者", "操作"]
    assert {r[2] for r in rows[1:]} == {"tanaka"} and rows[1][3] == "相談ケース 閲覧"
    assert search_audit(ctx).entries[0].action == "audit.export"


def test_an_untouched_log_verifies(ctx):
    _log(ctx)
    result = verify_audit(ctx)
    assert result.ok and result.count == 6
    assert "改ざんは見つかりませんでした" in result.message()


@pytest.mark.parametrize("sql, bad_id, reason", [
    ("UPDATE audit_event SET user_name = 'someone' WHERE id = 3", 3, "書き換え"),
    ("DELETE FROM audit_event WHERE id = 2", 2, "削除"),
    ("UPDATE audit_event SET id = 99 WHERE id = 4", 4, "削除"),
])
def test_tampering_with_plain_sqlite_is_detected_and_named(ctx, sql, bad_id, reason):
    _log(ctx)
    ctx.store.close()
    with sqlite3.connect(ctx.store.paths.store) as conn:
        conn.execute(sql)
    result = verify_audit(ctx)
    assert not result.ok and result.bad_id == bad_id
    assert f"番号 {bad_id}" in result.message() and reason in result.message()


def test_action_labels_are_japanese():
    assert action_label("auth.login_failed") == "サインイン失敗"
    assert action_label("case.view") == "相談ケース 閲覧"
    assert action_label("consultations.case.view") == "相談ケース 閲覧"
    assert action_label("directory.print.labels") == "印刷 宛名ラベル"
    assert action_label("print.notice") == "印刷 開催通知"
    assert action_label("survey.answers.clear") == "実態把握の回答 取り消し"
    assert action_label("returns.answers") == "報告 回答の入力"


def test_every_action_the_program_records_reads_in_office_words():
    # The 監査ログ screen once showed 「progress 閲覧」 and 「survey answers」.
    import re
    from pathlib import Path

    import pfdesk

    actions = set()
    for path in Path(pfdesk.__file__).parent.rglob("*.py"):
        actions |= set(re.findall(r'audit\.record\([^,]+,\s*[^,]+,\s*"([a-z_.]+)"',
                                  path.read_text(encoding="utf-8")))
        actions |= set(re.findall(r'_note\([^,]+,\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(actions) > 120
    internal = {a: action_label(a) for a in actions
                if re.search(r"[A-Za-z_]{2,}", action_label(a))}
    assert internal == {}


def _delete_newest(ctx, n):
    ctx.store.close()
    with sqlite3.connect(ctx.store.paths.store) as conn:
        conn.execute("DELETE FROM audit_event WHERE id > (SELECT MAX(id) FROM audit_event) - ?",
                     (n,))


def test_deleting_the_newest_entries_is_detected(ctx):
    _log(ctx)  # entries 1..6
    _delete_newest(ctx, 2)
    result = verify_audit(ctx)
    assert not result.ok and result.bad_id == 5
    assert "番号 6 までの記録" in result.message() and "削除" in result.message()


def test_a_deletion_stays_visible_after_the_log_moves_on(ctx):
    _log(ctx)
    _delete_newest(ctx, 2)
    _log(ctx, 1)  # pfdesk writes again: the gap is recorded in the chain itself
    assert search_audit(ctx, AuditFilter(action="audit.gap")).total == 1
    result = verify_audit(ctx)
    assert not result.ok and result.bad_id == 5 and "番号 6 までの記録" in result.message()


def test_a_missing_head_file_is_said_plainly(ctx):
    _log(ctx)
    ctx.store.paths.audit_head.unlink()
    result = verify_audit(ctx)
    assert result.ok and result.head_missing
    assert "audit-head.json" in result.message()
    _log(ctx, 1)
    assert not verify_audit(ctx).head_missing


def test_a_restore_to_an_older_log_is_not_taken_for_tampering(ctx, tmp_path):
    from pfdesk.services.backup import backup_store, restore_store

    _log(ctx)
    info = backup_store(ctx, tmp_path / "b.zip")
    _log(ctx, 3)
    restore_store(ctx, info.path)
    result = verify_audit(ctx)
    assert result.ok and not result.head_missing, result.message()
    assert search_audit(ctx, AuditFilter(action="audit.gap")).total == 0


def test_details_read_in_japanese_without_python_brackets(ctx):
    with ctx.session() as s:
        audit.record(s, Actor("yamada", "", "admin"), "user.create", "user_account", [4],
                     login_name="iin", role="viewer")
        audit.record(s, Actor("yamada", "", "admin"), "print.packet", "meeting", [25],
                     cases=[16, 24], levels={"16": "pseudonymized"}, preview=False)
        s.commit()
    packet, user = search_audit(ctx).entries[:2]
    assert "権限=閲覧者" in user.detail
    assert packet.detail == ("ケースID=16, 24、表示の程度=（16: 仮名化）、プレビュー=いいえ")


def test_a_vanished_store_is_not_replaced_by_a_new_log(ctx):
    import pytest

    from pfdesk.core.errors import StoreUnusable
    from pfdesk.store.engine import open_store

    _log(ctx)
    paths = ctx.store.paths
    ctx.store.close()
    head = paths.audit_head.read_bytes()
    paths.store.unlink()  # deleted by hand, or lost
    with pytest.raises(StoreUnusable) as e:
        open_store(paths)
    assert e.value.reason == "missing"
    assert not paths.store.exists()  # no new empty store (with no accounts) took its place
    assert paths.audit_head.read_bytes() == head  # the evidence of the old log is kept


def test_a_restore_keeps_every_event_made_after_the_backup(ctx, tmp_path):
    from pfdesk.services.backup import backup_store, restore_store

    _log(ctx)
    info = backup_store(ctx, tmp_path / "b.zip")
    staff = Actor("tanto", "担当", "staff")
    with ctx.session() as s:  # what a 担当者 did after the backup
        audit.record(s, staff, "consultations.export", "file", [], file="x.csv", rows=300)
        audit.record(s, staff, "print.packet", "meeting", [7], cases=[16, 24])
        s.commit()
    restore_store(ctx, info.path)
    kept = search_audit(ctx, AuditFilter(user_name="tanto")).entries
    assert sorted(e.action for e in kept) == ["consultations.export", "print.packet"]
    assert all("復元前の記録番号" in e.detail and "元の日時" in e.detail for e in kept)
    assert search_audit(ctx, AuditFilter(case_id=16)).total == 1  # still found for the case
    result = verify_audit(ctx)
    assert result.ok, result.message()
