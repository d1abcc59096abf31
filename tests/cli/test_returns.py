"""``pfdesk return``: the built-in workbook and the filled form, and refusals that write nothing.

On the demo store, every figure of the built-in workbook is checked against ``pfdesk stats
--json`` for the same 年度, read through an independent translation of figure names.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from pfdesk.__main__ import main
from pfdesk.documents.return_workbook import build_return_workbook
from pfdesk.services.returns.builtin import builtin_book
from pfdesk.services.returns.figures import compute_figures
from pfdesk.services.small_counts import SmallCountRule, save_rule
from tests.services import personal_scan
from tests.services.test_returns_mapping import FORM, MAPPING

_DIMS = {"age": "age_band", "sex": "sex", "age_sex": "age_sex", "requester": "requester",
         "method": "method", "topic": "topic", "route": "route",
         "referral": "referral_category"}
_MEASURE = {"persons": "persons", "contacts": "contacts", "new": "new_persons"}


def from_stats_json(name: str, data: dict):
    """The value of a consultation figure read from ``pfdesk stats --json`` (None: not one)."""
    if m := re.fullmatch(r"(persons|contacts|new)\.total", name):
        return data[_MEASURE[m.group(1)] if m.group(1) != "new" else "new_persons"]
    if m := re.fullmatch(r"(persons|contacts|new)\.month\.(\d+)(?:\.(\w+))?", name):
        row = next(r for r in data["by_month"] if r["month"] == int(m.group(2)))
        if m.group(3):
            return row["contacts_by_method"][m.group(3)]
        return row[_MEASURE[m.group(1)]]
    if m := re.fullmatch(r"(persons|contacts|new)\.(\w+)\.(.+)", name):
        rows = {r["key"]: r for r in data["by"][_DIMS[m.group(2)]]["rows"]}
        return rows[m.group(3)][_MEASURE[m.group(1)]]
    if m := re.fullmatch(r"referrals\.(\w+)", name):
        rows = data["by"]["referral_category"]["rows"]
        if m.group(1) == "total":
            return sum(r["contacts"] for r in rows)
        return next(r for r in rows if r["key"] == m.group(1))["contacts"]
    if m := re.fullmatch(r"cases\.status\.(\w+)", name):
        return data["status_counts"][m.group(1)]
    return None


def test_builtin_workbook_agrees_with_pfdesk_stats_on_the_demo(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    fy = 2025
    with demo_ctx.session() as s:  # 秘匿 is on by default; these figures are checked unhidden
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    assert main(["--data-dir", root, "stats", "--fy", str(fy), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    out = tmp_path / "報告.xlsx"
    assert main(["--data-dir", root, "return", "--fy", str(fy), "--out", str(out)]) == 0
    assert "令和7年度の報告を書き出しました" in capsys.readouterr().out
    wb = load_workbook(out)
    # where the built-in layout puts each figure (the layout does not depend on the data)
    fs = compute_figures(demo_ctx, start=date(fy, 4, 1), end=date(fy + 1, 3, 31))
    _wb, placements = build_return_workbook(builtin_book(fs, fs.values, suppressed=False))
    compared = 0
    for p in placements:
        expected = from_stats_json(p.figure, stats)
        if expected is None:
            continue
        assert wb[p.sheet][p.cell].value == expected, (p.sheet, p.cell, p.figure)
        compared += 1
    assert compared > 300
    with demo_ctx.session() as s:
        strings = personal_scan.personal_strings(s)
    assert personal_scan.scan_workbook(out, strings) == []


def test_filled_example_form_on_the_demo(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    out = tmp_path / "提出.xlsx"
    assert main(["--data-dir", root, "return", "--fy", "2025", "--out", str(out),
                 "--form", str(FORM), "--mapping", str(MAPPING), "--suppress-small"]) == 0
    text = capsys.readouterr().out
    assert "2 相談実績!C18\tpersons.total\t" in text
    assert "秘匿" in text
    wb = load_workbook(out)
    assert wb["1 窓口・PF"]["C3"].value == "みどり川町"
    with demo_ctx.session() as s:
        strings = personal_scan.personal_strings(s)
    assert personal_scan.scan_workbook(out, strings) == []


def test_a_mapping_that_does_not_fit_writes_nothing(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    bad = tmp_path / "bad.toml"
    bad.write_text(MAPPING.read_text(encoding="utf-8").replace(
        '[sheets."4 会議"]', '[sheets."4 会議等"]').replace('"orgs.field.peer"', '"orgs.feild.peer"'),
        encoding="utf-8")
    out = tmp_path / "提出.xlsx"
    code = main(["--data-dir", root, "return", "--fy", "2025", "--out", str(out),
                 "--form", str(FORM), "--mapping", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists()
    assert "記入設定「bad.toml」に問題が" in err
    assert "「orgs.field.peer」の誤りではありませんか" in err
    line = next(n for n, t in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if "orgs.feild.peer" in t)
    assert f"{line} 行目" in err
    # the figure names are fine now; the sheet is still wrong
    bad.write_text(bad.read_text(encoding="utf-8").replace("orgs.feild", "orgs.field"),
                   encoding="utf-8")
    assert main(["--data-dir", root, "return", "--fy", "2025", "--out", str(out),
                 "--form", str(FORM), "--mapping", str(bad)]) == 2
    assert "シート「4 会議等」がありません。「4 会議」の誤りではありませんか" in (
        capsys.readouterr().err)
    assert not out.exists()


def test_form_needs_a_mapping_and_months_work(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    out = tmp_path / "r.xlsx"
    assert main(["--data-dir", root, "return", "--fy", "2025", "--out", str(out),
                 "--form", str(FORM)]) == 2
    assert "--mapping" in capsys.readouterr().err
    assert main(["--data-dir", root, "return", "--months", "2026-04:2026-09",
                 "--out", str(out)]) == 0
    assert "令和8年4月～令和8年9月の報告" in capsys.readouterr().out
    assert load_workbook(out)["相談実績"]["A2"].value.endswith("令和8年4月～令和8年9月")


@pytest.mark.parametrize("args", [["--months", "2025-04:2026-06"]])
def test_too_long_a_period(demo_ctx, tmp_path, capsys, args):
    out = tmp_path / "r.xlsx"
    assert main(["--data-dir", str(demo_ctx.store.paths.root), "return", *args,
                 "--out", str(out)]) == 2
    assert "12か月以内" in capsys.readouterr().err
    assert not out.exists()
