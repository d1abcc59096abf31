#!/usr/bin/env python3
"""Build pfdesk for distribution: PyInstaller folder, then (on Windows) the Inno Setup installer.

Run from a checkout after ``python dev.py setup``:
``.venv\\Scripts\\python installer\\build.py`` (Windows) or ``.venv/bin/python installer/build.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Freeze with PyInstaller; on Windows also compile installer/pfdesk.iss with ISCC."""
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyinstaller"], check=True)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
         str(ROOT / "installer" / "pfdesk.spec")],
        check=True,
    )
    print(f"built {ROOT / 'dist' / 'pfdesk'}")
    if sys.platform == "win32":
        iscc = shutil.which("ISCC") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
        if not Path(iscc).exists():
            print("Inno Setup 6 (ISCC.exe) が見つかりません。https://jrsoftware.org/ から入手してください。")
            return 1
        from pfdesk import __version__

        subprocess.run([iscc, f"/DMyAppVersion={__version__}",
                        str(ROOT / "installer" / "pfdesk.iss")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
