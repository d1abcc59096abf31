"""pfdesk hiding: the 秘匿 rule is shown, and changed by an administrator (issue 12, item 5)."""

from __future__ import annotations

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.services.small_counts import SmallCountRule, load_rule
from pfdesk.store.engine import open_store


def test_hiding_rule_is_shown_and_changed(tmp_path, capsys):
    root = tmp_path / "data"
    open_store(DataPaths(root).ensure()).close()
    assert main(["--data-dir", str(root), "hiding"]) == 0
    out = capsys.readouterr().out
    assert "秘匿: 有効" in out and "secondary" in out and "上限: 2" in out
    assert main(["--data-dir", str(root), "hiding", "--threshold", "3"]) == 0
    assert "上限: 3" in capsys.readouterr().out
    assert main(["--data-dir", str(root), "hiding", "--threshold", "12"]) != 0
    assert "1から9まで" in capsys.readouterr().err
    store = open_store(DataPaths(root))
    with store.session() as s:
        assert load_rule(s) == SmallCountRule(enabled=True, rule="secondary", threshold=3)
    store.close()
