"""The manual's pictures can be made from today's screens: every one is in the screenshot tour.

Runs the whole tour (a few minutes), so it runs in CI (``PFDESK_BUILD_TESTS=1``, set by
``.ci/run``) with the other distribution checks, not in every local test run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("PFDESK_BUILD_TESTS") != "1",
                    reason="runs the screenshot tour: set PFDESK_BUILD_TESTS=1 (.ci/run does)")
def test_every_picture_of_the_manual_is_in_the_screenshot_tour(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", ROOT / "docs" / "manual" / "make_screenshots.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    shots = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PFDESK_LOG_DIR=str(tmp_path / "log"))
    done = subprocess.run([sys.executable, "-m", "pfdesk", "--lang", "ja", "--screenshots",
                           str(shots)], cwd=ROOT, env=env, capture_output=True, timeout=1200)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    found = make.collect(shots)  # exits naming a picture the tour no longer shows
    assert set(found) == set(make.PICTURES)
