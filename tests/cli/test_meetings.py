"""``pfdesk export meetings``: one row per meeting with the 会議ID the window shows."""

from __future__ import annotations

import openpyxl

from pfdesk.__main__ import main
from pfdesk.services.meetings import meetings


def test_export_meetings_of_a_fiscal_year(demo_store, demo_ctx, tmp_path, capsys):
    out = tmp_path / "会議一覧.xlsx"
    rows = meetings.list_meetings(demo_ctx, fy=2026)
    code = main(["--data-dir", str(demo_store.paths.root), "export", "meetings", str(out),
                 "--fy", "2026"])
    assert code == 0
    assert f"会議 {len(rows)} 件" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).active
    values = list(ws.iter_rows(values_only=True))
    header, data = values[0], values[1:]
    assert header[:5] == ("会議ID", "年度", "会議体", "種類", "回次")
    assert [r[0] for r in data] == [r.id for r in rows]
    col = {h: i for i, h in enumerate(header)}
    by_id = {r.id: r for r in rows}
    for r in data:
        m = by_id[r[0]]
        assert r[col["年度"]] == "令和8年度"
        assert r[col["回次"]] == f"第{m.number}回"
        assert r[col["開催日"]].date() == m.held_on
        assert r[col["出席"]] == m.present and r[col["決定事項数"]] == m.decisions
        assert r[col["未完了の宿題事項数"]] == m.open_actions
    assert any(r[col["未完了の宿題事項数"]] for r in data)


def test_export_refuses_a_locked_or_missing_folder(demo_store, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "x.xlsx"
    code = main(["--data-dir", str(demo_store.paths.root), "export", "meetings", str(out)])
    assert code == 2
    assert not out.exists()
    assert capsys.readouterr().err.strip()


def test_export_refuses_a_name_that_is_not_xlsx(demo_store, tmp_path, capsys):
    out = tmp_path / "会議一覧.csv"
    code = main(["--data-dir", str(demo_store.paths.root), "export", "meetings", str(out)])
    assert code == 2
    assert not out.exists()
    assert ".xlsx にしてください" in capsys.readouterr().err
