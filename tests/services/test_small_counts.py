"""秘匿 (issue 12, item 5): on by default, and no hidden cell can be worked out from totals."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from pfdesk.services.returns.figures import compute_figures, figure_def
from pfdesk.services.returns.snapshots import make_builtin_return
from pfdesk.services.small_counts import (
    HIDDEN,
    SmallCountRule,
    figure_lines,
    load_rule,
    protect,
    recoverable,
    save_rule,
)

FY = (date(2025, 4, 1), date(2026, 3, 31))


def _hideable(name: str) -> bool:
    d = figure_def(name)
    return d is not None and d.suppressible


@pytest.fixture
def figures(demo_ctx):
    return compute_figures(demo_ctx, start=FY[0], end=FY[1]).values


def test_every_line_adds_up_on_the_demo(figures):
    # The lines the outsider would use are real: each total is the sum of its parts.
    lines = figure_lines(figures)
    assert len(lines) > 40
    for total, parts in lines:
        assert figures[total] == sum(figures[p] for p in parts), (total, parts)


def test_no_suppressed_cell_can_be_recomputed_from_the_visible_ones(figures):
    lines = figure_lines(figures)
    shown, hidden = protect(figures, threshold=2, hideable=_hideable)
    small = {k for k, v in figures.items() if _hideable(k) and isinstance(v, int) and 1 <= v <= 2}
    assert small and small <= hidden  # every small count is hidden …
    assert hidden - small  # … and some larger ones with them (secondary suppression)
    recovered = recoverable(shown, lines)
    exact = {k: v for k, v in recovered.items() if k in hidden and figures[k] == v}
    assert exact == {}


def test_hiding_small_counts_alone_would_give_them_away(figures):
    # What 秘匿 did before: the same check finds hidden cells exactly.
    lines = figure_lines(figures)
    shown, hidden = protect(figures, threshold=2, rule="primary", hideable=_hideable)
    recovered = recoverable(shown, lines)
    assert any(figures[k] == v for k, v in recovered.items() if k in hidden)


def test_a_return_hides_small_counts_by_default(demo_ctx, tmp_path):
    with demo_ctx.session() as s:
        assert load_rule(s) == SmallCountRule(enabled=True, rule="secondary", threshold=2)
    out = tmp_path / "報告.xlsx"
    result = make_builtin_return(demo_ctx, start=FY[0], end=FY[1], out_path=out)
    assert result.suppressed
    cells = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows()
             for c in row]
    assert HIDDEN in cells
    # Turned off in the settings (for an internal check), nothing is hidden.
    with demo_ctx.session() as s:
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    plain = make_builtin_return(demo_ctx, start=FY[0], end=FY[1], out_path=tmp_path / "p.xlsx")
    assert not plain.suppressed


def _ints(data, path=""):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _ints(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _ints(v, f"{path}[{i}]")
    elif isinstance(data, int) and not isinstance(data, bool):
        yield path, data


def test_viewer_statistics_show_no_small_count_and_none_can_be_worked_out(demo_ctx):
    from pfdesk.services.context import Actor
    from pfdesk.services.small_counts import _stats_figures
    from pfdesk.services.stats import consultation_stats, stats_to_dict

    viewer = demo_ctx.acting_as(Actor("etsuran", "閲覧 花子", "viewer"))
    shown = consultation_stats(viewer, start=FY[0], end=FY[1])
    data = stats_to_dict(shown)
    small = [(p, v) for p, v in _ints(data) if 1 <= v <= 2 and ".year" not in p
             and ".month" not in p.rsplit("]", 1)[-1]]
    assert small == []
    assert HIDDEN in str(data)
    full = consultation_stats(demo_ctx, start=FY[0], end=FY[1])  # 管理者: as counted
    truth = _stats_figures(full)
    visible = {k: (v if not str(v) == HIDDEN else HIDDEN)
               for k, v in _stats_figures(shown).items()}
    recovered = recoverable(visible, figure_lines(truth))
    assert {k: v for k, v in recovered.items() if truth[k] == v} == {}
