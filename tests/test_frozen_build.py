"""The installer's PyInstaller build freezes pfdesk into a folder that starts and works.

Pages, commands and demo steps are imported by name at run time; a frozen copy that
misses one only fails in front of a user, so the build is made and smoke-tested here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_frozen_pfdesk_builds_the_demo_and_passes_its_smoke_test(tmp_path):
    pytest.importorskip("PyInstaller", reason="PyInstaller is installed with the test extra")
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work),
         str(ROOT / "installer" / "pfdesk.spec")],
        check=True, capture_output=True, timeout=900,
    )
    exe = dist / "pfdesk" / ("pfdesk.exe" if os.name == "nt" else "pfdesk")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PFDESK_LOG_DIR=str(tmp_path / "log"))
    data = tmp_path / "data"
    subprocess.run([str(exe), "--data-dir", str(data), "demo"], check=True, env=env,
                   capture_output=True, timeout=300)
    out = subprocess.run([str(exe), "--data-dir", str(data), "--smoke-test"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("pfdesk ready in ")
    pdf = tmp_path / "notice.pdf"
    out = subprocess.run(
        [str(exe), "--data-dir", str(data), "--user", "demo", "print", "agenda", "3",
         "--out", str(pdf)],
        env=dict(env, PFDESK_PASSWORD="demo"), capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
