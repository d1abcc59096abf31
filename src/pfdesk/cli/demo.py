"""``pfdesk demo``: build the demo town's store without opening a window."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _run(args) -> int:
    from pfdesk.cli._runtime import data_paths
    from pfdesk.paths import DataPaths, demo_data_dir
    from pfdesk.services.demo import build_demo
    from pfdesk.store.engine import open_store

    paths = data_paths(args) if args.data_dir else DataPaths(demo_data_dir())
    store = open_store(paths, is_demo=True)
    try:
        summary = build_demo(store, scale=args.scale, progress=lambda step: print(f"… {step}"))
    finally:
        store.close()
    print(_("デモの町を作成しました: {path}").format(path=paths.store))
    for table, n in summary.counts.items():
        if n:
            print(f"  {table}: {n}")
    print(_("所要時間: {s:.1f} 秒").format(s=summary.seconds))
    return 0


def register(groups) -> None:
    """Add ``pfdesk demo [--scale N]``."""
    p = groups.top.add_parser("demo", help=_("デモの町のデータを作成する（画面は開かない）"))
    p.add_argument("--scale", type=int, default=1, help=_("データ量の倍率（ベンチマーク用）"))
    p.set_defaults(raw_handler=_run)
