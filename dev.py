#!/usr/bin/env python3
"""Set up and run pfdesk from a source checkout: ``python3 dev.py demo`` / ``python3 dev.py test``.

Creates ``.venv`` on first use (and again when the pinned versions change),
installs pfdesk with the exact versions in ``requirements/constraints.txt``,
then runs the command. Works the same on Windows (``py dev.py demo``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".pfdesk-setup"

if sys.version_info < (3, 11):
    sys.exit("pfdesk には Python 3.11 以上が必要です。 (pfdesk needs Python 3.11 or newer.)")


def _python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _fingerprint() -> str:
    h = hashlib.sha256()
    for p in (CONSTRAINTS, ROOT / "pyproject.toml"):
        h.update(p.read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def setup() -> Path:
    """Create or refresh the virtual environment; return its python."""
    py = _python()
    if not py.exists():
        print("仮想環境を作成しています (.venv) …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return py
    print("必要なパッケージをインストールしています …", flush=True)
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run(
        [*pip, "install", "-c", str(CONSTRAINTS), "-e", f"{ROOT}[test,encryption,postgresql]"], check=True
    )
    STAMP.write_text(_fingerprint())
    return py


def _run_tests(py: str, rest: list[str], env: dict) -> int:
    """pytest with ``rest``; the whole suite runs as two halves side by side.

    The tests against a throwaway PostgreSQL server (tests/postgres) mostly wait on that
    server, the others on Python: on two cores the halves take about as long together as
    the longer one alone. The server half's report follows the other's.
    """
    if rest or not (ROOT / "tests" / "postgres").is_dir():
        return subprocess.call([py, "-m", "pytest", *rest], cwd=ROOT, env=env)
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8") as server_log:
        server = subprocess.Popen([py, "-m", "pytest", "tests/postgres"], cwd=ROOT, env=env,
                                  stdout=server_log, stderr=subprocess.STDOUT, text=True)
        try:
            local = subprocess.call([py, "-m", "pytest", "--ignore=tests/postgres"],
                                    cwd=ROOT, env=env)
        finally:
            on_server = server.wait()
        server_log.seek(0)
        print("\n--- tests/postgres (on a throwaway PostgreSQL server) ---", flush=True)
        sys.stdout.write(server_log.read())
        sys.stdout.flush()
    return local or on_server


def main(argv: list[str]) -> int:
    """Dispatch ``demo``, ``start``, ``test`` or ``setup``; extra arguments are passed on."""
    cmd, rest = (argv[0], argv[1:]) if argv else ("demo", [])
    py = str(setup())
    if cmd == "setup":
        return 0
    if cmd == "demo":
        return subprocess.call([py, "-m", "pfdesk", "--demo", *rest])
    if cmd == "start":
        return subprocess.call([py, "-m", "pfdesk", *rest])
    if cmd == "test":
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        lint = subprocess.call([py, "-m", "ruff", "check", "src", "tests"], cwd=ROOT)
        types = subprocess.call([py, "-m", "mypy"], cwd=ROOT)  # files are set in pyproject.toml
        tests = _run_tests(py, rest, env)
        return tests or lint or types
    print("使い方: python3 dev.py [demo|start|test|setup] [引数…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
