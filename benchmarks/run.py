#!/usr/bin/env python3
"""Speed and memory of everyday operations as the store grows, as ratios to a small store.

Builds the demo town at scale 1 (the baseline) and at ``--scale N`` in the same run,
times each operation on both and prints how much slower and hungrier the large store
is per operation, next to how much more data it holds. An operation whose time ratio
grows faster than the data ratio is the one to look at. Nothing here asserts a time:
machines differ; the ratios measured in one run do not.

    .venv/bin/python benchmarks/run.py --scale 30
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pfdesk.paths import DataPaths  # noqa: E402
from pfdesk.services.consultations.search import CaseFilter, search_cases  # noqa: E402
from pfdesk.services.context import Actor, ServiceContext  # noqa: E402
from pfdesk.services.demo import DEMO_TODAY, build_demo  # noqa: E402
from pfdesk.services.directory.people import list_people  # noqa: E402
from pfdesk.services.meetings.calendar import fiscal_calendar  # noqa: E402
from pfdesk.services.stats import fiscal_year_stats  # noqa: E402
from pfdesk.services.summary import home_summary  # noqa: E402
from pfdesk.store.engine import open_store  # noqa: E402

FY = 2025


def operations(ctx: ServiceContext) -> dict[str, Callable[[], object]]:
    """The operations a user waits for, on one store."""
    return {
        "ホーム画面の集計": lambda: home_summary(ctx),
        "ケース一覧（先頭200件）": lambda: search_cases(ctx, CaseFilter(status="open")),
        "ケース検索「高橋」": lambda: search_cases(ctx, CaseFilter(text="高橋")),
        "ケース一覧（最終相談日順）": lambda: search_cases(ctx, CaseFilter(), sort="last_contact"),
        "名簿の検索「たかはし」": lambda: list_people(ctx, query="たかはし"),
        f"{FY}年度の相談統計": lambda: fiscal_year_stats(ctx, FY),
        "会議の年度カレンダー": lambda: fiscal_calendar(ctx, FY),
    }


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` columns, counting full-width characters as two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median seconds over ``repeat`` runs, and peak traced memory of one run (bytes)."""
    fn()  # warm caches and the connection pool
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def build(scale: int, root: Path) -> tuple[ServiceContext, float, int]:
    """A demo store at ``scale``; returns its context, build seconds and row count."""
    store = open_store(DataPaths(root / f"scale{scale}"), is_demo=True)
    summary = build_demo(store, scale=scale)
    return (
        ServiceContext(store=store, actor=Actor.local_admin()),
        summary.seconds,
        sum(summary.counts.values()),
    )


def main() -> int:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base_ctx, base_build, base_rows = build(1, root)
        big_ctx, big_build, big_rows = build(args.scale, root)
        data_ratio = big_rows / base_rows
        print(f"demo today {DEMO_TODAY}; rows: scale 1 = {base_rows:,}, "
              f"scale {args.scale} = {big_rows:,} (data ratio {data_ratio:.1f}x)")
        print(f"{_pad('operation', 30)} {'base ms':>9} {'large ms':>9} {'time x':>7} {'mem x':>6}")
        print(f"{_pad('デモの作成（1000行あたり）', 30)} {1000 * base_build / base_rows * 1000:>9.2f} "
              f"{1000 * big_build / big_rows * 1000:>9.2f} "
              f"{(big_build / big_rows) / (base_build / base_rows):>7.2f} {'':>6}")
        base_ops, big_ops = operations(base_ctx), operations(big_ctx)
        for name in base_ops:
            t0, m0 = measure(base_ops[name], args.repeat)
            t1, m1 = measure(big_ops[name], args.repeat)
            print(f"{_pad(name, 30)} {t0 * 1000:>9.1f} {t1 * 1000:>9.1f} {t1 / t0:>7.1f} "
                  f"{m1 / max(m0, 1):>6.1f}")
        base_ctx.store.close()
        big_ctx.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
