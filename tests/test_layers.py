"""The layers of STYLE.md hold: nothing below ui/ imports PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pfdesk

SRC = Path(pfdesk.__file__).resolve().parent
LOWER = ("core", "store", "services", "documents")


def _modules(package: str) -> list[str]:
    path = SRC / package
    names = [f"pfdesk.{package}"]
    for info in pkgutil.walk_packages([str(path)], prefix=f"pfdesk.{package}."):
        if ".migrations" in info.name:
            continue
        names.append(info.name)
    return names


def test_lower_layers_do_not_import_qt():
    modules = [m for p in LOWER for m in _modules(p)]
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.startswith('PySide6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=SRC.parents[1],
    )
    assert out.stdout.strip() == "", f"PySide6 imported below ui/: {out.stdout}"


def test_ui_does_not_query_the_database():
    offenders = []
    for path in (SRC / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("session.execute", "session.scalars", "from sqlalchemy", "select("):
            if needle in text:
                offenders.append(f"{path.relative_to(SRC)}: {needle}")
    assert offenders == []
