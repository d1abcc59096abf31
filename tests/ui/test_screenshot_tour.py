"""`pfdesk --screenshots DIR`: 40+ pictures of the demo town with an index.html.

None larger than 1366×700, no English button and no internal name on any of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from PySide6.QtGui import QImage


def test_the_tour_pictures_every_screen_within_1366x700(demo_template, tmp_path):
    data = tmp_path / "demo"
    shutil.copytree(demo_template, data)
    out = tmp_path / "shots"
    env = dict(os.environ, PFDESK_SETTINGS_DIR=str(tmp_path / "settings"))
    env.pop("QT_QPA_PLATFORM", None)  # the tour sets its own 1366×768 offscreen screen
    run = subprocess.run(
        [sys.executable, "-m", "pfdesk", "--data-dir", str(data), "--screenshots", str(out)],
        env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 40
    for png in pngs:
        img = QImage(str(png))
        assert 0 < img.width() <= 1366 and 0 < img.height() <= 700, png.name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(p.name in index for p in pngs)
    names = " ".join(p.name for p in pngs)
    # Pages, tabs, dialogs and question boxes are all there.
    for expected in ("ホーム", "会議の画面-議事録", "ケース画面-同意", "会議の削除", "サインイン",
                     "経過記録の追加", "監査ログ", "保存していない変更"):
        assert expected in names, expected
    assert "枚の画面" in run.stdout
