"""Kill a real ``python -m pfdesk`` at a chosen syscall with strace, then check the folder.

Used by the fault-injection tests and by ``kill_storm.py``. One trial: copy a
template data folder, run the operation under
``strace -f -e inject=SYSCALL:signal=SIGKILL:when=N``, start pfdesk on the folder
again (the start-up recovery), and compare ``pfdesk stats --fy N --json`` with
the figures before and run ``pfdesk audit verify``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SYSCALLS = ("rename", "renameat", "renameat2", "fsync", "fdatasync", "unlink", "unlinkat",
            "write", "pwrite64")
FISCAL_YEAR = "2025"
# An administrator added to the demo town (the demo's own account is public and cheap-hashed).
ADMIN_USER = "kanri"
ADMIN_PASSWORD = "kill-test-2026"


def strace_path() -> str | None:
    """The strace binary, or None (the tests then skip)."""
    return shutil.which("strace")


def env() -> dict[str, str]:
    """The environment of a pfdesk child: no bytecode writes, the demo account's password."""
    e = dict(os.environ)
    e.update({
        "PYTHONDONTWRITEBYTECODE": "1", "PFDESK_PASSWORD": ADMIN_PASSWORD,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]), "QT_QPA_PLATFORM": "offscreen",
    })
    e.setdefault("PFDESK_LOG_DIR", tempfile.mkdtemp(prefix="pfdesk-kill-logs-"))
    return e


def pfdesk_cmd(data: Path, *args: str) -> list[str]:
    """``python -m pfdesk --data-dir DATA --user kanri ARGS``."""
    return [sys.executable, "-m", "pfdesk", "--data-dir", str(data), "--user", ADMIN_USER, *args]


def make_template(root: Path) -> Path:
    """``pfdesk demo`` in ``root`` plus an administrator, and ``backups/base.zip`` of it."""
    made = run([sys.executable, "-m", "pfdesk", "--data-dir", str(root), "demo"])
    assert made.returncode == 0, made.stderr
    added = run([sys.executable, "-c",
                 "import sys; from pathlib import Path; from pfdesk.paths import DataPaths; "
                 "from pfdesk.services.accounts import create_user; "
                 "from pfdesk.services.context import Actor, ServiceContext; "
                 "from pfdesk.store.engine import open_store; "
                 "s = open_store(DataPaths(Path(sys.argv[1]))); "
                 "create_user(ServiceContext(store=s, actor=Actor.local_admin()), sys.argv[2], "
                 "'管理者', 'admin', sys.argv[3]); s.close()",
                 str(root), ADMIN_USER, "kari-no-pasuwado-1"])
    assert added.returncode == 0, added.stderr
    # A password someone else set must be changed by its owner before any command runs.
    e = dict(env(), PFDESK_PASSWORD="kari-no-pasuwado-1", PFDESK_NEW_PASSWORD=ADMIN_PASSWORD)
    own = subprocess.run(pfdesk_cmd(root, "users", "passwd"), env=e, capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert own.returncode == 0, own.stderr
    out = run(pfdesk_cmd(root, "backup", str(root / "backups" / "base.zip")))
    assert out.returncode == 0, out.stderr
    return root


def run(cmd: list[str], *, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``cmd`` with the child environment, capturing text output."""
    return subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


def count_syscalls(cmd: list[str], workdir: Path) -> Counter:
    """How often the main process of ``cmd`` makes each listed syscall (a dry run)."""
    log = workdir / "strace.log"
    subprocess.run(["strace", "-f", "-qq", "-o", str(log), "-e", "trace=" + ",".join(SYSCALLS),
                    *cmd], env=env(), capture_output=True, text=True, timeout=300, cwd=ROOT,
                   check=True)
    counts: Counter = Counter()
    main_pid = None
    for line in log.read_text(errors="replace").splitlines():
        m = re.match(r"(\d+)\s+(\w+)\(", line)
        if not m:
            continue
        pid, name = m.groups()
        main_pid = main_pid or pid
        if pid == main_pid:  # strace counts injections per process
            counts[name] += 1
    return counts


COMMIT_NAMES = ("pfdesk-replace.json", "pfdesk.sqlite3", "keys.json", "attachments")


def commit_renames(cmd: list[str], workdir: Path) -> list[int]:
    """The positions (1-based, main process) of the renames that swap store files."""
    log = workdir / "renames.log"
    subprocess.run(["strace", "-f", "-qq", "-o", str(log), "-e", "trace=rename", *cmd],
                   env=env(), capture_output=True, text=True, timeout=300, cwd=ROOT, check=True)
    points, n, main_pid = [], 0, None
    for line in log.read_text(errors="replace").splitlines():
        m = re.match(r"(\d+)\s+rename\((.*)", line)
        if not m:
            continue
        main_pid = main_pid or m.group(1)
        if m.group(1) != main_pid:
            continue
        n += 1
        target = m.group(2).split(", ")[-1]
        if any(name in target for name in COMMIT_NAMES) and "audit-head" not in target:
            points.append(n)
    return points


def run_killed(cmd: list[str], syscall: str, n: int) -> subprocess.CompletedProcess:
    """Run ``cmd`` killed (SIGKILL) at its ``n``-th ``syscall``."""
    return run(["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={syscall}",
                "-e", f"inject={syscall}:signal=SIGKILL:when={n}", *cmd])


def run_failing(cmd: list[str], syscall: str, n: int, error: str = "ENOSPC"
                ) -> subprocess.CompletedProcess:
    """Run ``cmd`` with its ``n``-th ``syscall`` failing with ``error``.

    ``pwrite64`` (SQLite's writes) keeps failing from the ``n``-th on, like a disk
    that stays full; a ``write`` fails once, since the message itself goes to the
    terminal with ``write`` too.
    """
    when = f"{n}+" if syscall == "pwrite64" else str(n)
    return run(["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={syscall}",
                "-e", f"inject={syscall}:error={error}:when={when}", *cmd])


@dataclass(frozen=True)
class Figures:
    """What the folder shows after a (killed) operation and a fresh start."""

    stats: str
    audit_ok: bool
    detail: str


def reopen_and_read(data: Path) -> Figures:
    """Start pfdesk on ``data`` again: the start-up recovery, the stats and the audit check.

    Runs in this process (``tests.reliability.reopen``): the same code as a new
    start, without paying for the imports on every trial.
    """
    from tests.reliability.reopen import read_folder

    saved = os.environ.get("PFDESK_PASSWORD")
    os.environ["PFDESK_PASSWORD"] = ADMIN_PASSWORD
    try:
        r = read_folder(data, FISCAL_YEAR, ADMIN_USER)
    finally:
        if saved is None:
            os.environ.pop("PFDESK_PASSWORD", None)
        else:
            os.environ["PFDESK_PASSWORD"] = saved
    stats = _normalized(r["stats"]) if r["stats_rc"] == 0 else ""
    detail = "\n".join(x for x in (r["note"], r["stderr"][-300:], r["audit"]) if x)
    return Figures(stats, r["audit_rc"] == 0, detail)


def _normalized(text: str) -> str:
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except ValueError:
        return ""


def leftovers(data: Path) -> list[str]:
    """Files an operation must not leave behind once the folder was opened again."""
    # audit-head.json's own atomic writer may leave its tiny temp file (a hash, no data).
    names = [p.name for p in data.iterdir() if not p.name.startswith(".~audit-head.json.tmp-")]
    bad = [n for n in names if n.endswith((".new", ".plain-old", ".encrypting", ".tmp"))
           or n.startswith(".~") or n == "pfdesk-replace.json" or ".replaced-" in n]
    tmp = data / ".pfdesk-tmp"
    if tmp.is_dir():
        bad += [f".pfdesk-tmp/{p.name}" for p in tmp.iterdir()]
    bad += [f"backups/{p.name}" for p in (data / "backups").glob(".~*")]
    return bad


def fresh_copy(template: Path, into: Path) -> Path:
    """A private copy of ``template`` at ``into`` (replacing what was there)."""
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(template, into)
    return into


def sample(total: int, k: int) -> list[int]:
    """``k`` positions spread evenly over ``1..total`` (all of them when ``k >= total``)."""
    if total <= k:
        return list(range(1, total + 1))
    if k == 1:
        return [(total + 1) // 2]
    return sorted({1 + round(i * (total - 1) / (k - 1)) for i in range(k)})
