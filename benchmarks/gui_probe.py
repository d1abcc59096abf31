#!/usr/bin/env python3
"""The window side of the benchmark, run as its own process by ``run.py``.

    gui_probe.py bare            a bare QMainWindow: show it, let it paint, exit
    gui_probe.py home DATA_DIR   pfdesk's window on the store in DATA_DIR: exit once the
                                 home page is filled (the parent times the whole process)
    gui_probe.py pages DATA_DIR  the same, then show every page twice and report, as JSON
                                 on stdout, how long each switch held the event loop, the
                                 longest gap between 5 ms timer ticks afterwards (until a
                                 page that reads on the worker has shown its data), when
                                 that data was shown, and the peak RSS of the process

Qt runs offscreen so the probe works on a server; the parent sets QT_QPA_PLATFORM.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _rss_mb() -> float:
    # VmHWM is this process's own peak; ru_maxrss can carry the parent's over a fork.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settle(app, seconds: float, page=None) -> tuple[float, float | None]:
    """Pump events for ``seconds`` (and until ``page`` is no longer ``loading``).

    Returns the longest gap between 5 ms ticks, in seconds, and the moment
    (``perf_counter``) the page was first seen no longer loading (None without a page
    that loads).
    """
    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    end = time.perf_counter() + seconds
    give_up = end + 60
    ready = None
    while True:
        now = time.perf_counter()
        if ready is None and page is not None and hasattr(page, "loading") and not page.loading:
            ready = now
        if now >= end and (ready is not None or not hasattr(page, "loading") or now > give_up):
            break
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return max(gaps, default=0.0), ready


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    w.setCentralWidget(QLabel("bare"))
    w.resize(1200, 720)
    w.show()
    app.processEvents()
    if len(sys.argv) > 2 and sys.argv[2] == "--rss":
        print(json.dumps({"rss_mb": _rss_mb()}))
    return 0


def _window(data_dir: str):
    from PySide6.QtWidgets import QApplication

    from pfdesk.core.i18n import install
    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store.engine import open_store
    from pfdesk.ui.main_window import MainWindow

    install()
    app = QApplication(sys.argv[:1])
    server = os.environ.get("PFDESK_BENCH_DATABASE_URL")
    if server:  # run.py --database-url: the town built on a PostgreSQL server
        from pfdesk.store.pg import open_server_store
        from pfdesk.store.url import parse

        store = open_server_store(DataPaths(Path(data_dir)), parse(server), is_demo=True)
    else:
        store = open_store(DataPaths(Path(data_dir)), is_demo=True)
    ctx = ServiceContext(store=store, actor=Actor.local_admin())
    window = MainWindow(ctx=ctx)
    window.show()
    from pfdesk.app import start_window

    start_window(window)  # as pfdesk starts it
    app.processEvents()
    return app, window, store


def home(data_dir: str) -> int:
    _app, _window_, store = _window(data_dir)
    store.close()
    return 0


def pages(data_dir: str) -> int:
    from pfdesk.ui.main_window import PAGES

    t = time.perf_counter()
    app, window, store = _window(data_dir)
    out: dict = {"home_s": time.perf_counter() - t, "first": {}, "again": {}, "stall": {},
                 "ready": {}}
    out["stall"]["home"] = _settle(app, 0.5)[0]
    for rnd in ("first", "again"):
        for i, (label, _m, _c) in enumerate(PAGES):
            if rnd == "first" and i == 0:
                continue
            t = time.perf_counter()
            window.show_page(i)
            app.processEvents()
            out[rnd][label] = time.perf_counter() - t
            stall, ready = _settle(app, 0.3, window.page(i))
            out["stall"][f"{rnd}:{label}"] = stall
            if ready is not None:  # a page that reads on the worker: its data shown
                out["ready"][f"{rnd}:{label}"] = ready - t
    out["rss_mb"] = _rss_mb()
    window.close()
    from pfdesk.ui.tasks import wait_for_all

    wait_for_all()
    store.close()
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        sys.exit(bare())
    sys.exit({"home": home, "pages": pages}[mode](sys.argv[2]))
