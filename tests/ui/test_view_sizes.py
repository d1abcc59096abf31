"""The three main pages and the case screen keep layout apart from behaviour, in short files.

A view module builds widgets only; controllers hold the loading, filters and actions. When
one of these files grows past 250 lines again it is time to split it once more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pfdesk.ui

UI = Path(pfdesk.ui.__file__).parent
LIMIT = 250

VIEWS = [
    # 関係機関
    "directory/page.py", "directory/page_view.py", "directory/page_lists.py",
    "directory/page_files.py",
    # 会議
    "meetings/page.py", "meetings/page_view.py", "meetings/page_lists.py",
    # 相談 and the case screen
    "consultations/page.py", "consultations/page_view.py", "consultations/page_lists.py",
    "consultations/detail.py", "consultations/detail_layout.py",
    "consultations/case_tab_views.py",
]


@pytest.mark.parametrize("name", VIEWS)
def test_a_page_module_stays_under_250_lines(name):
    lines = (UI / name).read_text(encoding="utf-8").count("\n")
    assert lines <= LIMIT, f"{name}: {lines} 行（{LIMIT} 行まで）"


@pytest.mark.parametrize("name", [n for n in VIEWS if n.endswith("_view.py")
                                  or n.endswith("detail_layout.py")])
def test_a_view_module_connects_no_behaviour(name):
    """Layout only: no service is imported and no signal connected in a view module."""
    text = (UI / name).read_text(encoding="utf-8")
    assert ".connect(" not in text
    assert "pfdesk.services." not in text.replace("pfdesk.services.context", "")
