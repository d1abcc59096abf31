"""What was sent: snapshots are listed, reproducible, audited and compared with last year."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pfdesk.core.atomic import sha256_file
from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.returns.snapshots import (
    compare_with_previous_year,
    list_snapshots,
    make_builtin_return,
    make_form_return,
    reproduce_snapshot,
    snapshot_figures,
)
from pfdesk.store.models import AuditEvent, Contact
from tests.services import returns_fixture
from tests.services.test_returns_mapping import FORM, FY, MAPPING


@pytest.fixture
def rctx(ctx):
    with ctx.session() as s:
        returns_fixture.build(s)
    return ctx


def _values(path) -> dict:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
            for row in ws.iter_rows() for c in row}


def test_each_return_is_kept_and_audited(rctx, tmp_path):
    out = tmp_path / "r.xlsx"
    res = make_builtin_return(rctx, **FY, out_path=out, suppress_small=True)
    snaps = list_snapshots(rctx)
    assert [s.id for s in snaps] == [res.snapshot_id]
    s = snaps[0]
    assert (s.period_label, s.form_name, s.suppressed) == ("令和7年度", "", True)
    assert s.output_sha256 == sha256_file(out) and s.output_name == "r.xlsx"
    assert s.created_by == "admin"
    figs = snapshot_figures(rctx, s.id)
    assert figs.values["persons.total"] == 3  # kept before 秘匿
    with rctx.session() as sess:
        ev = sess.scalars(select(AuditEvent).where(AuditEvent.action == "returns.make")).one()
        assert ev.target_ids == str(s.id)
        assert json.loads(ev.detail_json)["period"] == "令和7年度"


def test_reproduce_builtin_from_the_snapshot_not_the_records(rctx, tmp_path):
    first = tmp_path / "first.xlsx"
    res = make_builtin_return(rctx, **FY, out_path=first)
    with rctx.session() as s:  # the records change afterwards …
        for c in s.scalars(select(Contact)):
            c.voided_at = c.created_at
        s.commit()
    again = tmp_path / "again.xlsx"
    reproduce_snapshot(rctx, res.snapshot_id, again)
    assert _values(again) == _values(first)  # … the reproduced return does not


def test_reproduce_form_return_needs_the_same_form(rctx, tmp_path):
    first = tmp_path / "first.xlsx"
    res = make_form_return(rctx, **FY, form_path=FORM,
                           mapping_text=MAPPING.read_text(encoding="utf-8"), out_path=first)
    snap = list_snapshots(rctx)[0]
    assert snap.form_name == "example_form.xlsx" and snap.form_sha256 == sha256_file(FORM)
    with pytest.raises(ValidationError) as e:
        reproduce_snapshot(rctx, res.snapshot_id, tmp_path / "x.xlsx")
    assert "example_form.xlsx" in e.value.user_text()
    other = tmp_path / "other.xlsx"
    shutil.copy(first, other)
    with pytest.raises(ValidationError) as e:
        reproduce_snapshot(rctx, res.snapshot_id, tmp_path / "x.xlsx", form_path=other)
    assert "内容が違います" in e.value.user_text()
    again = tmp_path / "again.xlsx"
    reproduce_snapshot(rctx, res.snapshot_id, again, form_path=FORM)
    assert _values(again) == _values(first)


def test_difference_with_the_previous_year(rctx, tmp_path):
    # no return for FY2024 yet: the previous year is counted from the records
    res = make_builtin_return(rctx, **FY, out_path=tmp_path / "a.xlsx")
    diff = compare_with_previous_year(rctx, res.snapshot_id)
    assert diff.previous_label == "令和6年度" and diff.previous_snapshot_id is None
    rows = {r.figure: r for r in diff.rows}
    assert (rows["persons.total"].current, rows["persons.total"].previous) == (3, 1)
    assert rows["persons.total"].difference == 2
    assert rows["meetings.plenary.count"].difference == 0  # one each year
    assert "contacts.method.unknown" not in rows  # zero both years: left out
    # once FY2024's return exists, it is what the difference uses
    prev = make_builtin_return(rctx, start=date(2024, 4, 1), end=date(2025, 3, 31),
                               out_path=tmp_path / "b.xlsx")
    diff = compare_with_previous_year(rctx, res.snapshot_id)
    assert diff.previous_snapshot_id == prev.snapshot_id


def test_viewers_cannot_make_returns(rctx, tmp_path):
    viewer = ServiceContext(store=rctx.store, actor=Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        make_builtin_return(viewer, **FY, out_path=tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()
    assert list_snapshots(viewer) == []
