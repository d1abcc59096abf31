"""Opening the window on a current store loads no document library and no alembic.

Start-up time is mostly imports: reportlab, openpyxl and pypdf are loaded when a
document is made, the search service on the first search, alembic only to upgrade.
"""

from __future__ import annotations

import os
import subprocess
import sys

from pfdesk.store.engine import open_store

_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from pfdesk.paths import DataPaths
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.store.engine import open_store
from pfdesk.app import start_window
from pfdesk.ui.main_window import MainWindow

app = QApplication([])
store = open_store(DataPaths(Path(sys.argv[1])))
window = MainWindow(ctx=ServiceContext(store=store, actor=Actor.local_admin()))
window.show()
start_window(window)
app.processEvents()
assert window.stack.currentIndex() == 0
import gc
assert gc.get_freeze_count() > 10_000  # start-up's objects kept out of full collections
heavy = ("alembic", "reportlab", "openpyxl", "pypdf", "pfdesk.services.global_search")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy))
store.close()
"""


def test_the_home_page_opens_without_document_libraries_or_alembic(data_paths):
    """And what start-up made is frozen for the garbage collector (see start_window)."""
    open_store(data_paths).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _WINDOW, str(data_paths.root)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
