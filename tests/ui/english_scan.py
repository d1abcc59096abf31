"""Every page of the demo town in English: the texts that still contain Japanese, as JSON.

Run alone (``python -m tests.ui.english_scan DATA_DIR``), since menus and code lists are
translated at import. Prints the menus, buttons, tabs, headers, group boxes and
placeholders (``chrome``) and the labels that contain Japanese. Labels may hold user data
(the demo town's names); the test decides which of those are allowed.
"""

from __future__ import annotations

import json
import os
import re
import sys

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def main(root: str) -> int:
    """Scan the window and print the findings."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pfdesk.core.i18n import install

    install("en")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QApplication,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTabWidget,
    )

    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import open_demo_store
    from pfdesk.ui.main_window import PAGES, MainWindow

    app = QApplication.instance() or QApplication([])
    from pathlib import Path

    store = open_demo_store(DataPaths(Path(root)))
    ctx = ServiceContext(store=store, actor=Actor.local_admin())
    window = MainWindow(ctx=ctx)
    found: dict[str, list[str]] = {"chrome": [], "labels": []}

    def add(kind: str, text: str) -> None:
        if text and JAPANESE.search(text) and text not in found[kind]:
            found[kind].append(text)

    for action in window.menuBar().actions():
        add("chrome", action.text())
        menu = action.menu()
        for sub in (menu.actions() if menu else []):
            add("chrome", sub.text())
    for i in range(len(PAGES)):
        window.show_page(i)
        app.processEvents()
        page = window.page(i)
        add("chrome", window.nav.item(i).text())
        for w in page.findChildren(QAbstractButton):
            add("chrome", w.text())
        for w in page.findChildren(QTabWidget):
            for t in range(w.count()):
                add("chrome", w.tabText(t))
        for w in page.findChildren(QGroupBox):
            add("chrome", w.title())
        for w in page.findChildren(QLineEdit):
            add("chrome", w.placeholderText())
        for w in page.findChildren(QLabel):
            add("labels", w.text())
        from PySide6.QtWidgets import QAbstractItemView

        for view in page.findChildren(QAbstractItemView):
            model = view.model()
            if model is None:
                continue
            header = getattr(view, "horizontalHeader", None)
            if header is None:
                continue
            for c in range(header().count()):
                add("chrome", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
    print(json.dumps(found, ensure_ascii=False))
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
