"""On the demo store, ``pfdesk stats --fy`` agrees with counts made from the coded export.

The export (one row per contact, the case number only) is counted here independently:
実人数 = distinct case numbers, 延べ件数 = rows, 新規 = cases whose 初回相談日 is in the 年度,
person attributes from each case's first row of the year, 新規 in a contact dimension from
the case's first row, referrals from the つなぎ sheet.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from openpyxl import load_workbook

from pfdesk.__main__ import main

FY = 2025
START, END = date(FY, 4, 1), date(FY + 1, 3, 31)


def _day(v) -> date:
    return v.date() if isinstance(v, datetime) else v


def _sheet(wb, name) -> list[dict]:
    rows = list(wb[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _count(rows, key, is_new, first_rows):
    """label → (persons, contacts, new persons)."""
    persons, contacts, new = defaultdict(set), defaultdict(int), defaultdict(set)
    for r in rows:
        label = r[key]
        persons[label].add(r["ケース番号"])
        contacts[label] += 1
        if is_new(r) and (first_rows is None or first_rows[r["ケース番号"]] is r):
            new[label].add(r["ケース番号"])
    return {k: (len(persons[k]), contacts[k], len(new[k])) for k in persons}


def _stats_rows(stats, dim):
    return {r["label"]: (r["persons"], r["contacts"], r["new_persons"])
            for r in stats["by"][dim]["rows"] if r["persons"] or r["contacts"]}


def test_stats_agree_with_the_export(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    out = tmp_path / "coded.xlsx"
    assert main(["--data-dir", root, "export", "consultations", str(out), "--fy", str(FY)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", root, "stats", "--fy", str(FY), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    wb = load_workbook(out)
    contacts = _sheet(wb, "相談")
    referrals = _sheet(wb, "つなぎ")
    assert len(contacts) > 500  # the demo has a real year of work

    first: dict[str, dict] = {}
    for r in contacts:  # the export is in time order
        first.setdefault(r["ケース番号"], r)

    def is_new(r):
        return START <= _day(r["初回相談日"]) <= END

    assert stats["contacts"] == len(contacts)
    assert stats["persons"] == len(first)
    assert stats["new_persons"] == sum(1 for r in first.values() if is_new(r))
    people = list(first.values())
    assert _stats_rows(stats, "sex") == _count(contacts, "性別", is_new, None)
    assert _stats_rows(stats, "route") == _count(contacts, "相談経路", is_new, None)
    # 年代 at the first contact of the year (the export gives it on each contact's day)
    assert _stats_rows(stats, "age_band") == {
        k: (p, _contacts_of(contacts, first, "年代（相談時）", k), n)
        for k, (p, _c, n) in _count(people, "年代（相談時）", is_new, None).items()
    }
    for dim, col in (("method", "方法"), ("requester", "相談者区分"), ("topic", "相談内容（主）")):
        assert _stats_rows(stats, dim) == _count(contacts, col, is_new, first), dim
    months = defaultdict(lambda: [set(), 0, set()])
    for r in contacts:
        m = months[r["月"]]
        m[0].add(r["ケース番号"])
        m[1] += 1
        if is_new(r) and first[r["ケース番号"]] is r:
            m[2].add(r["ケース番号"])
    for row in stats["by_month"]:
        p, c, n = months[row["month"]]
        assert (row["persons"], row["contacts"], row["new_persons"]) == (len(p), c, len(n))
    status = defaultdict(int)
    for r in people:
        status[r["ケース状況"]] += 1
    assert {k: v for k, v in _labelled_status(stats).items() if v} == dict(status)
    ref_new = {r["ケース番号"] for r in referrals if START <= _day(r["初回相談日"]) <= END}
    ref = _count(referrals, "つなぎ先区分", lambda r: r["ケース番号"] in ref_new, None)
    assert _stats_rows(stats, "referral_category") == ref


def _contacts_of(contacts, first, col, label) -> int:
    """Contacts of the persons whose first contact of the year is in row ``label``."""
    cases = {n for n, r in first.items() if r[col] == label}
    return sum(1 for r in contacts if r["ケース番号"] in cases)


def _labelled_status(stats) -> dict[str, int]:
    from pfdesk.core.codes import CASE_STATUSES

    return {CASE_STATUSES.label(k): v for k, v in stats["status_counts"].items()}
