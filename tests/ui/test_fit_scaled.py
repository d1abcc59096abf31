"""The case screen, the meeting workspace and the dialogs of 相談・会議・関係機関 at 125 %/150 %.

A 1366×768 laptop at 125 % Windows scaling gives Qt a 1093×614 screen, at 150 % 911×512.
Each screen is opened in a process of its own with QT_SCALE_FACTOR set (tests/ui/fit_worker.py)
and must fit the room it gets there: its least size inside that room, nothing clipped, the
page not scrolling as a whole (long forms and tabs scroll inside, lines of buttons wrap).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WORKER = Path(__file__).with_name("fit_worker.py")


def _measure(scale: str, tmp_path: Path) -> list[dict]:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, PFDESK_SETTINGS_DIR=str(tmp_path))
    env.pop("QT_QPA_PLATFORM", None)  # the worker sets up its 1366×768 offscreen screen
    done = subprocess.run([sys.executable, str(WORKER)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("scale", ["1.25", "1.5"])
def test_every_screen_fits_a_scaled_laptop(scale, tmp_path):
    results = _measure(scale, tmp_path)
    names = {r["what"] for r in results}
    # The case screen and the workspace with each tab, and the dialogs, were all opened.
    assert {"ケース画面 — 本人", "ケース画面 — 経過", "ケース画面 — タイムライン",
            "会議の画面 — 概要", "会議の画面 — 出欠", "会議の画面 — 次第・資料",
            "会議の画面 — 議事録", "会議の画面 — 宿題事項", "新しい会議体", "関係機関の編集",
            "経過記録の追加", "担当者の編集", "つなぎの追加"} <= names
    assert len(results) >= 45
    problems = []
    for r in results:
        if "error" in r:
            problems.append(f"{r['what']}: {r['error']}")
            continue
        room = f"{r['room_w']}×{r['room_h']}"
        if r["need_w"] > r["room_w"] or r["need_h"] > r["room_h"]:
            problems.append(f"{r['what']}: needs {r['need_w']}×{r['need_h']} > {room}")
        if r.get("shown_w", 0) > r["room_w"] or r.get("shown_h", 0) > r["room_h"]:
            problems.append(f"{r['what']}: opens at {r['shown_w']}×{r['shown_h']} > {room}")
        if r["scrolls"]:
            problems.append(f"{r['what']}: the page scrolls as a whole in {room}")
    assert not problems, "\n".join(problems)
