"""The sealed audit log: rewriting it with everything on the PC is caught by the paper it was anchored on."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from pfdesk.__main__ import main
from pfdesk.services import audit
from pfdesk.services.audit_anchor import anchor_status, print_audit_sheet
from pfdesk.services.audit_log import verify_audit
from pfdesk.services.audit_seal import evolve, mac_of
from pfdesk.services.context import Actor


def _log(ctx, n: int, who: str = "yamada", action: str = "consultations.case.view") -> None:
    for i in range(n):
        with ctx.session() as s:
            audit.record(s, Actor(who, "", "staff"), action, "consultation_case", [i + 1])
            s.commit()


def _sheet(ctx, tmp_path, name: str):
    return print_audit_sheet(ctx, tmp_path / name)


def _rewrite_without(ctx, drop_user: str) -> None:
    """An administrator's attack: delete a user's rows, then recompute everything the PC has."""
    ctx.store.close()
    conn = sqlite3.connect(ctx.store.paths.store)
    first, = conn.execute("SELECT min(id) FROM audit_event WHERE user_name = ?",
                          (drop_user,)).fetchone()
    conn.execute("DELETE FROM audit_event WHERE user_name = ?", (drop_user,))
    # Entries before the first deleted one stay exactly as they were.
    rows = conn.execute("SELECT id, at, user_name, action, target_type, target_ids, detail_json "
                        "FROM audit_event WHERE id > ? ORDER BY id", (first,)).fetchall()
    key_hex, = conn.execute("SELECT key_hex FROM audit_seal").fetchone()
    key = bytes.fromhex(key_hex)  # the only key on the PC: the one for the next entry
    conn.execute("DELETE FROM audit_event WHERE id > ?", (first,))
    kept = conn.execute("SELECT hash FROM audit_event WHERE id = ?", (first - 1,)).fetchone()
    prev = kept[0] if kept else audit.GENESIS
    from datetime import datetime

    from pfdesk.store.models import AuditEvent
    for new_id, (_old, at, user, action, ttype, tids, detail) in enumerate(rows, first):
        ev = AuditEvent(id=new_id, at=datetime.fromisoformat(at), user_name=user, action=action,
                        target_type=ttype, target_ids=tids, detail_json=detail, prev_hash=prev)
        h = audit._digest(prev, ev)
        conn.execute("INSERT INTO audit_event(id, at, user_name, action, target_type, target_ids,"
                     " detail_json, prev_hash, hash, mac) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (new_id, at, user, action, ttype, tids, detail, prev, h, mac_of(key, h)))
        key = evolve(key)
        prev = h
    conn.execute("UPDATE audit_seal SET next_id = ?, key_hex = ?",
                 (first + len(rows), key.hex()))
    conn.commit()
    last = conn.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    ctx.store.paths.audit_head.write_text(json.dumps({"id": last[0], "hash": last[1]}))


@pytest.fixture
def anchored(ctx, tmp_path):
    _log(ctx, 5)
    first = _sheet(ctx, tmp_path, "first.pdf")
    return first


def test_the_first_sheet_carries_the_key_once_and_the_pc_keeps_none(ctx, anchored, tmp_path):
    assert anchored.with_key
    text = subprocess.run(["pdftotext", str(anchored.path), "-"], capture_output=True,
                          text=True).stdout
    assert "監査ログ確認票" in text and "検証キー" in text and anchored.anchor.split(":")[1] in text
    ctx.store.close()
    conn = sqlite3.connect(ctx.store.paths.store)
    assert conn.execute("SELECT verify_key_pending FROM audit_seal").fetchone() == ("",)
    conn.close()
    later = _sheet(ctx, tmp_path, "second.pdf")
    assert not later.with_key
    assert not anchor_status(ctx).key_pending


def test_an_untouched_log_proves_with_the_key_and_the_anchors(ctx, anchored, tmp_path):
    _log(ctx, 4)
    second = _sheet(ctx, tmp_path, "second.pdf")
    key = _key_from(anchored.path)
    result = verify_audit(ctx, key=key, anchors=[anchored.anchor, second.anchor])
    assert result.ok and result.seals_proved and result.anchors == 2, result.message()


def _key_from(pdf) -> str:
    import re

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = re.findall(r"^[0-9A-F]{4}(?:-[0-9A-F]{4}){3}$", text, re.M)
    assert len(lines) == 4, text  # four whole lines of four groups: copied as printed
    return "-".join(lines)


def test_rows_deleted_and_the_chain_recomputed_are_caught_by_the_key(ctx, anchored, tmp_path):
    key = _key_from(anchored.path)
    _log(ctx, 3, who="viewer1", action="print.packet")  # what the attacker wants gone
    _log(ctx, 3)
    _rewrite_without(ctx, "viewer1")
    # Everything the PC holds agrees with itself again...
    assert verify_audit(ctx).ok
    # ...but not with the key on paper: the first rewritten entry is named.
    result = verify_audit(ctx, key=key)
    assert not result.ok and result.reason == "mac"
    assert result.bad_id == 7  # entries 1–6 (5 + the sheet) were left as they were
    assert "封印が合いません" in result.message() and "番号 7" in result.message()


def test_a_rewrite_before_an_anchor_contradicts_the_anchor(ctx, tmp_path):
    _log(ctx, 2, who="viewer1", action="print.packet")
    _log(ctx, 3)
    sheet = _sheet(ctx, tmp_path, "first.pdf")
    _rewrite_without(ctx, "viewer1")
    result = verify_audit(ctx, anchors=[sheet.anchor])
    assert not result.ok and result.reason in ("anchor", "anchor_missing")
    assert "確認票" in result.message()


def test_deleting_the_newest_rows_and_the_head_file_is_still_found(ctx, anchored):
    _log(ctx, 4)
    ctx.store.close()
    conn = sqlite3.connect(ctx.store.paths.store)
    conn.execute("DELETE FROM audit_event WHERE id > 7")
    conn.commit()
    conn.close()
    ctx.store.paths.audit_head.unlink()
    result = verify_audit(ctx)
    assert not result.ok and result.reason == "seal_tail" and result.bad_id == 8
    assert "番号 10 まで" in result.message()


def test_an_emptied_or_dropped_log_is_reported_in_japanese(ctx, anchored, capsys, tmp_path):
    ctx.store.close()
    conn = sqlite3.connect(ctx.store.paths.store)
    conn.execute("DELETE FROM audit_event")
    conn.commit()
    result = verify_audit(ctx)
    assert not result.ok and "全件削除" in result.message()
    conn.execute("DROP TABLE audit_event")
    conn.commit()
    conn.close()
    result = verify_audit(ctx)
    assert not result.ok and "表そのものが削除" in result.message()
    # Every other command says so plainly instead of crashing.
    code = main(["--data-dir", str(ctx.store.paths.root), "export", "contacts",
                 str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "audit_event" in err and "Traceback" not in err


def test_the_cli_prints_the_sheet_and_verifies_with_anchor_and_key(ctx, tmp_path, capsys):
    _log(ctx, 3)
    root = str(ctx.store.paths.root)
    ctx.store.close()
    out = tmp_path / "sheet.pdf"
    assert main(["--data-dir", root, "audit", "sheet", str(out)]) == 0
    said = capsys.readouterr().out
    anchor = said.split("確認コード ")[1].split("）")[0]
    key = _key_from(out)
    assert main(["--data-dir", root, "audit", "verify", "--key", key, "--anchor", anchor]) == 0
    assert "封印を確かめました" in capsys.readouterr().out
    wrong = anchor[:-1] + ("0" if anchor[-1] != "0" else "1")
    assert main(["--data-dir", root, "audit", "verify", "--anchor", wrong]) == 1
    assert "一致しません" in capsys.readouterr().err
