"""At 125 % and 150 % Windows scaling the 関係機関, 相談 and 会議 pages fit the window.

A 1366×768 laptop at 125 % gives Qt a logical screen of 1093×614 (at 150 %: 911×512);
the window's client area is 1366×700 physical pixels. Each scale runs in its own process
(QT_SCALE_FACTOR is read when the application starts), with the demo town's data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from pfdesk.ui.tour import client_size, prepare_offscreen_screen
    scale = float(sys.argv[1])
    prepare_offscreen_screen(scale)
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import open_demo_store
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.theme import apply_theme
    apply_japanese_font(app)
    apply_theme(app, "standard")
    store = open_demo_store(DataPaths(Path(sys.argv[2])))
    from pfdesk.ui.main_window import PAGES, MainWindow
    window = MainWindow(ctx=ServiceContext(store=store, actor=Actor.local_admin()))
    window.resize(*client_size(scale))
    window.show()
    found = {"screen": window.screen().geometry().size().toTuple(),
             "window": window.size().toTuple()}
    for index, (label, _m, _c) in enumerate(PAGES):
        if label not in ("関係機関", "相談", "会議"):
            continue
        window.show_page(index)
        page = window.page(index)
        for _ in range(200):
            app.processEvents()
            if not getattr(page, "loading", False):
                break
        for _ in range(5):
            app.processEvents()
        if len(sys.argv) > 3:
            window.grab().save(str(Path(sys.argv[3]) / f"{label}-{scale}.png"))
        scroll = window.page_scroll
        found[label] = {
            "minimum": page.minimumSizeHint().toTuple(),
            "shown": page.size().toTuple(),
            "viewport": scroll.viewport().size().toTuple(),
            "scrolls": scroll.verticalScrollBar().isVisible()
                       or scroll.horizontalScrollBar().isVisible(),
        }
    window.close()
    store.close()
    print(json.dumps(found, ensure_ascii=False))
""")


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("scale, screen", [(1.25, (1093, 614)), (1.5, (911, 512))])
def test_the_three_pages_fit_the_window_at_125_and_150_percent(demo_template, tmp_path,
                                                               scale, screen):
    data = tmp_path / "demo"
    shutil.copytree(demo_template, data)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(scale), str(data)],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert tuple(found["screen"]) == screen  # Qt saw the scaled laptop
    assert tuple(found["window"]) == (round(1366 / scale), round(700 / scale))
    for label in ("関係機関", "相談", "会議"):
        page = found[label]
        width, height = page["minimum"]
        vw, vh = page["viewport"]
        assert width <= vw and height <= vh, f"{label} at {scale}: {page}"
        assert not page["scrolls"], f"{label} at {scale} scrolls inside the window: {page}"
        assert tuple(page["shown"]) == tuple(page["viewport"]), f"{label}: {page}"
