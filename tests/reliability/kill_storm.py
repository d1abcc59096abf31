"""The long fault-injection run: 1,000 SIGKILLs of a real pfdesk during restore, encrypt, backup.

Usage (from the project folder, strace installed)::

    .venv/bin/python -m tests.reliability.kill_storm --kills 1000 --out kill-storm.json

For each operation it counts the listed syscalls of one undisturbed run, then
kills fresh copies of a demo data folder at positions spread over every
rename/fsync/fdatasync/unlink/unlinkat of the operation and a sample of its
writes/pwrite64s, opens the folder again (the start-up recovery) and checks that
``pfdesk stats --fy 2025 --json`` is unchanged, ``pfdesk audit verify`` passes
and no temp/staged file is left. Prints one line per trial and a summary; the
summary is what docs/reliability.md reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability import harness

OPERATIONS = ("restore", "encrypt", "backup")
# Share of the kills per operation: restore and encrypt swap the store, backup does not.
SHARE = {"restore": 0.4, "encrypt": 0.4, "backup": 0.2}
# Every position of these syscalls is tried before writes are sampled.
EVERY = ("rename", "renameat", "renameat2", "fsync", "fdatasync", "unlink", "unlinkat")


def _command(op: str, data: Path) -> list[str]:
    if op == "restore":
        return harness.pfdesk_cmd(data, "restore", str(data / "backups" / "base.zip"), "--yes")
    if op == "encrypt":
        return harness.pfdesk_cmd(data, "encrypt")
    return harness.pfdesk_cmd(data, "backup")


def plan(counts: dict[str, int], budget: int) -> list[tuple[str, int]]:
    """Every listed non-write position first (spread if over budget), then sampled writes."""
    points: list[tuple[str, int]] = []
    for sc in EVERY:
        points += [(sc, n) for n in range(1, counts.get(sc, 0) + 1)]
    if len(points) > budget:
        step = len(points) / budget
        return [points[int(i * step)] for i in range(budget)]
    rest = budget - len(points)
    writes = counts.get("write", 0) + counts.get("pwrite64", 0)
    for sc in ("write", "pwrite64"):
        k = round(rest * counts.get(sc, 0) / writes) if writes else 0
        points += [(sc, n) for n in harness.sample(counts.get(sc, 0), k)]
    return points


def main(argv: list[str] | None = None) -> int:
    """Run the storm; exit 1 if any trial lost data or left files behind."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=1000)
    p.add_argument("--out", type=Path, help="write the summary and failures as JSON here")
    p.add_argument("--ops", default=",".join(OPERATIONS))
    args = p.parse_args(argv)
    if harness.strace_path() is None:
        print("strace is not installed (apt-get install strace)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="pfdesk-kill-storm-"))
    template = harness.make_template(work / "template")
    baseline = harness.reopen_and_read(harness.fresh_copy(template, work / "baseline"))
    assert baseline.stats and baseline.audit_ok, baseline.detail
    ops = [o for o in args.ops.split(",") if o]
    total_share = sum(SHARE[o] for o in ops)
    started = time.time()
    summary: dict = {"kills": 0, "killed": 0, "lost_or_changed": 0, "audit_failed": 0,
                     "leftovers": 0, "by_operation": {}, "failures": []}
    for op in ops:
        probe = harness.fresh_copy(template, work / "probe")
        counts = dict(harness.count_syscalls(_command(op, probe), work))
        points = plan(counts, round(args.kills * SHARE[op] / total_share))
        stats = {"syscalls": counts, "kills": 0, "killed": 0, "rolled_forward": 0,
                 "rolled_back_or_untouched": 0, "failures": 0}
        for syscall, n in points:
            data = harness.fresh_copy(template, work / "data")
            done = harness.run_killed(_command(op, data), syscall, n)
            after = harness.reopen_and_read(data)
            left = harness.leftovers(data)
            killed = done.returncode != 0
            stats["kills"] += 1
            stats["killed"] += killed
            if "最後まで" in after.detail:
                stats["rolled_forward"] += 1
            else:
                stats["rolled_back_or_untouched"] += 1
            bad = []
            if after.stats != baseline.stats:
                bad.append("stats")
                summary["lost_or_changed"] += 1
            if not after.audit_ok:
                bad.append("audit")
                summary["audit_failed"] += 1
            if left:
                bad.append("leftovers")
                summary["leftovers"] += 1
            if bad:
                stats["failures"] += 1
                summary["failures"].append({"op": op, "syscall": syscall, "n": n, "bad": bad,
                                            "left": left, "detail": after.detail[-400:]})
            print(f"{op:8} {syscall:10} #{n:<5} {'killed' if killed else 'ran'} "
                  f"{'FAIL ' + ','.join(bad) if bad else 'ok'}", flush=True)
            if args.out:  # kept current, so a run stopped early still says what it found
                summary["by_operation"][op] = stats
                args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
        summary["by_operation"][op] = stats
        summary["kills"] += stats["kills"]
        summary["killed"] += stats["killed"]
    summary["seconds"] = round(time.time() - started)
    text = json.dumps({k: v for k, v in summary.items() if k != "failures"}, indent=1)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
