"""``--lang en`` and 設定's language choice: the window and the command line in English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PFDESK_LOG_DIR=str(tmp_path / "log"),
                PFDESK_CONFIG_DIR=str(tmp_path / "config"), PYTHONPATH=str(ROOT / "src") + os.pathsep
                + str(ROOT))


@pytest.mark.slow
def test_every_page_of_the_window_shows_its_menus_buttons_tabs_and_headings_in_english(tmp_path):
    out = subprocess.run([sys.executable, "-m", "tests.ui.english_scan", str(tmp_path / "demo")],
                         cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["chrome"] == [], found["chrome"]
    # Labels may show the demo town's own data (its name); the language choice is bilingual.
    allowed = ("みどり川町", "表示の言語 / Language")
    assert [t for t in found["labels"] if not any(a in t for a in allowed)] == []


def test_the_command_line_speaks_english_with_lang_en(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pfdesk", "--lang", "en", "--help"], cwd=ROOT,
                         env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "usage: pfdesk" in out.stdout and "Back up the data" in out.stdout
    assert "move-out" in out.stdout and "使い方" not in out.stdout
    ja = subprocess.run([sys.executable, "-m", "pfdesk", "--help"], cwd=ROOT,
                        env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert "使い方: pfdesk" in ja.stdout and "データをバックアップする" in ja.stdout


def test_the_language_chosen_in_settings_is_used_at_the_next_start(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("PFDESK_LANG", raising=False)
    from pfdesk.preferences import choose_language
    from pfdesk.ui.settings.language import LanguageBox

    assert choose_language([]) == "ja"
    box = LanguageBox()
    qtbot.addWidget(box)
    box.combo.setCurrentIndex(box.combo.findData("en"))
    assert "English" in box.note.text()
    assert choose_language([]) == "en"
    assert choose_language(["--lang", "ja"]) == "ja"  # the command line wins
    out = subprocess.run([sys.executable, "-m", "pfdesk", "--help"], cwd=ROOT,
                         env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert "Back up the data" in out.stdout
