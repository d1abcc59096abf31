#!/usr/bin/env python3
"""Regenerate the manual's screenshots from today's screens: ``python docs/manual/make_screenshots.py``.

Runs the screenshot tour (``pfdesk --screenshots``) on the demo town in a temporary
folder and copies the pictures the manual shows into ``docs/manual/images/`` under
stable names. Fails, naming it, when a picture the manual needs is no longer in the tour.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
IMAGES = HERE / "images"

#: Manual image name -> the tour's picture name (its file name without ``NN-`` and any
#: trailing ``-<number>``, which depend on the order and on the demo data).
PICTURES = {
    "home": "ホーム",
    "first-admin": "管理者の登録",
    "settings": "設定",
    "directory": "関係機関",
    "directory-org": "関係機関-関係機関",
    "directory-rollover": "関係機関-年度更新",
    "consultations": "相談",
    "case-new": "相談-新規ケースの受付",
    "case-phone": "相談-電話の簡易入力",
    "case": "相談-ケース画面",
    "case-contacts": "相談-ケース画面-経過",
    "case-referrals": "相談-ケース画面-つなぎ",
    "case-plan": "相談-ケース画面-支援計画",
    "case-close": "相談-ケースの終結",
    "meetings": "会議",
    "meetings-calendar": "会議-カレンダー",
    "search": "すべてを検索",
    "meeting-new": "会議-新しい会議",
    "meeting-from-previous": "会議-新しい会議-前回の会議から作成",
    "meeting-attendance": "会議-会議の画面-出欠",
    "meeting-agenda": "会議-会議の画面-次第-資料",
    "meeting-minutes": "会議-会議の画面-議事録",
    "meeting-actions": "会議-会議の画面-宿題事項",
    "meeting-print": "会議-会議資料の印刷",
    "print-preview": "印刷プレビュー-開催通知",
    "keys": "キーボード操作の一覧",
    "survey": "実態把握",
    "returns": "報告",
    "users": "管理-利用者の管理",
    "audit": "管理-監査ログ",
    "retention": "管理-保存年限と廃棄",
    "encryption": "管理-暗号化とバックアップ",
}


#: Pictures not in the tour, written by ``python -m pfdesk.ui.moving.pictures``.
OTHER_PICTURES = ("move-out", "move-in")


def picture_name(file: Path) -> str:
    """``07-関係機関-年度更新-38.png`` → ``関係機関-年度更新``."""
    return re.sub(r"-\d+$", "", re.sub(r"^\d+-", "", file.stem))


def collect(shots: Path) -> dict[str, Path]:
    """The manual's pictures found in a tour folder; exits naming any that are missing."""
    by_name: dict[str, Path] = {}
    for f in sorted(shots.glob("*.png")):
        by_name.setdefault(picture_name(f), f)
    missing = [tour for tour in PICTURES.values() if tour not in by_name]
    if missing:
        sys.exit("the screenshot tour no longer shows: " + ", ".join(missing))
    return {name: by_name[tour] for name, tour in PICTURES.items()}


def main() -> int:
    """Run the tour and replace docs/manual/images."""
    with tempfile.TemporaryDirectory(prefix="pfdesk-manual-") as tmp:
        shots = Path(tmp) / "shots"
        # The manual is Japanese whatever language this PC's user chose in 設定.
        # Exit code 1 only means the tour saw texts to review; the pictures are there.
        done = subprocess.run([sys.executable, "-m", "pfdesk", "--lang", "ja", "--screenshots",
                               str(shots)], cwd=ROOT)
        if done.returncode not in (0, 1) or not (shots / "index.html").is_file():
            sys.exit(f"the screenshot tour failed (exit code {done.returncode})")
        found = collect(shots)
        if IMAGES.exists():
            shutil.rmtree(IMAGES)
        IMAGES.mkdir()
        for name, src in found.items():
            shutil.copyfile(src, IMAGES / f"{name}.png")
    # The move dialogs open outside the main window, so the tour does not show them.
    subprocess.run([sys.executable, "-m", "pfdesk.ui.moving.pictures", str(IMAGES)],
                   check=True, cwd=ROOT)
    print(f"{len(found) + 2} pictures written to {IMAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
