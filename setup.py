"""Packaging hook: the wheel carries ``resources/`` as ``pfdesk/resources``.

The fonts, Qt's Japanese catalogue, the message catalogues, icons and example forms
live in ``resources/`` at the top of the checkout (where ``paths.resources_dir()``
finds them in a source run); a built wheel and the frozen bundle put the same folder
inside the package, where ``resources_dir()`` looks first; the manual (``docs/manual``)
goes in as ``pfdesk/resources/manual``. Everything else is in
``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ROOT / "resources"
MANUAL = ROOT / "docs" / "manual"
SKIP = shutil.ignore_patterns("make_*.py", "__pycache__", "*.pyc")


def _compile_catalogues(locale: Path) -> None:
    """The wheel carries compiled catalogues (the repository keeps only the .po files)."""
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    try:
        from pfdesk.core.catalogue import compile_catalogues
    finally:
        sys.path.pop(0)
    compile_catalogues(locale)


class BuildWithResources(build_py):
    """build_py, plus ``resources/`` copied into the built package (not in editable mode)."""

    def run(self) -> None:  # noqa: D102
        super().run()
        if getattr(self, "editable_mode", False) or not RESOURCES.is_dir():
            return
        target = Path(self.build_lib) / "pfdesk" / "resources"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(RESOURCES, target, ignore=SKIP)
        _compile_catalogues(target / "locale")
        if MANUAL.is_dir():  # opened from ヘルプ (F1)
            shutil.copytree(MANUAL, target / "manual", ignore=SKIP)


setup(cmdclass={"build_py": BuildWithResources})
