"""``pfdesk print progress`` lists as many open cases as ``pfdesk stats`` counts."""

from __future__ import annotations

import json
import re

from pfdesk.__main__ import main
from tests.services.test_progress import _latest_practitioners


def test_print_progress_counts_the_open_cases_of_pfdesk_stats(demo_ctx, tmp_path, capsys):
    root = str(demo_ctx.store.paths.root)
    mid = _latest_practitioners(demo_ctx)
    out = tmp_path / "台帳.pdf"
    assert main(["--data-dir", root, "print", "progress", str(mid), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    listed = int(re.search(r"終結していないケース (\d+)件", said).group(1))
    assert out.is_file() and listed > 50
    assert main(["--data-dir", root, "stats", "--fy", "2026"]) == 0
    table = capsys.readouterr().out
    assert f"終結していないケースの数（期間の末日現在。進行管理の対象）　{listed}" in table
    assert "評価で成果「居場所の利用」があった件数" in table
    assert main(["--data-dir", root, "stats", "--fy", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["support"]["cases.open"] == listed


def test_print_progress_explains_a_meeting_that_does_not_review_cases(demo_ctx, tmp_path,
                                                                      capsys):
    root = str(demo_ctx.store.paths.root)
    assert main(["--data-dir", root, "print", "progress", "1", "--out",
                 str(tmp_path / "x.pdf")]) != 0
    err = capsys.readouterr().err
    assert "進行管理" in err and not (tmp_path / "x.pdf").exists()
