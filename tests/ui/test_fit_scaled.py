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


def _measure(scale: str, tmp_path: Path, text_size: str = "") -> list[dict]:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, PFDESK_SETTINGS_DIR=str(tmp_path),
               PFDESK_FIT_TEXT_SIZE=text_size)
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
    # Every page of the navigation (each tab of 関係機関, 会議, 進行管理 and 報告), and the
    # dialogs of はじめての設定, 進行管理, 地域課題, 支援, 実態把握, 報告 and 管理.
    assert {"ページ ホーム", "ページ 実態把握", "ページ 設定", "ページ 進行管理 — 地域課題",
            "ページ 報告 — 作成", "ページ 報告 — 窓口・実態把握の回答", "はじめての設定",
            "新しい調査", "調査の設定・質問", "進行管理の台帳", "地域課題の設定",
            "支援計画の見直し", "評価の記録", "監査ログ", "利用者の管理",
            "記入設定を画面で作る"} <= names
    assert {r["what"].split(" — ")[0] for r in results if r["what"].startswith("ページ ")} == {
        f"ページ {label}" for label in _page_labels()}
    assert len(results) >= 85
    _assert_fit(results)


def _page_labels() -> list[str]:
    from pfdesk.ui.main_window import PAGES

    return [label for label, _module, _cls in PAGES]


def test_every_page_fits_at_the_largest_text_size(tmp_path):
    """設定 → 文字の大きさ 特大 at 100 %: ホーム and every other page fit the window."""
    results = _measure("1", tmp_path, text_size="largest")
    assert {r["what"].split(" — ")[0] for r in results} == {
        f"ページ {label}" for label in _page_labels()}
    _assert_fit(results)


def _assert_fit(results: list[dict]) -> None:
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
        for text in r.get("squeezed", ()):
            problems.append(f"{r['what']}: 「{text}…」 is cut (less height than its lines)")
    assert not problems, "\n".join(problems)
