"""The screenshot tour: every page, tab, dialog and question box of the demo town as PNGs.

``pfdesk --screenshots DIR`` builds the demo town in a temporary folder, opens it offscreen
on a 1366×768 screen and writes ``DIR/NN-name.png`` for each screen plus ``index.html``
listing them. Dialogs are reached through the same buttons a user presses: while the tour
runs, ``QDialog.exec`` and Qt's static question boxes take the picture and answer
「キャンセル」/ the safe default instead of waiting for a click, so nothing is changed.
Every picture is checked: none may be larger than the 1366×700 client area, and the texts
on it are scanned for English buttons and internal names (:mod:`pfdesk.ui.text_audit`).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pfdesk.services.context import ServiceContext

log = logging.getLogger(__name__)

SCREEN = (1366, 768)


@dataclass
class Shot:
    """One picture of the tour."""

    file: str
    caption: str
    width: int
    height: int
    findings: list[str] = field(default_factory=list)


@dataclass
class TourResult:
    """What the tour wrote and what it found."""

    folder: Path
    shots: list[Shot]

    @property
    def too_large(self) -> list[Shot]:
        """Pictures larger than the 1366×700 client area."""
        return [s for s in self.shots if s.width > 1366 or s.height > 700]

    @property
    def findings(self) -> list[str]:
        """Every English or internal text seen, as 「file: text」."""
        return [f"{s.file}: {f}" for s in self.shots for f in s.findings]


def client_size(scale: float = 1.0) -> tuple[int, int]:
    """The window's size in Qt's logical pixels: 1366×700 at 100 %, 1093×560 at 125 % …"""
    return round(1366 / scale), round(700 / scale)


def prepare_offscreen_screen(scale: float = 1.0) -> None:
    """Before the QApplication exists: an offscreen 1366×768 screen at 96 dpi.

    ``scale`` is the Windows display scaling (1.25 for 125 %): Qt then sees the laptop as
    a logical 1093×614 screen and draws everything 1.25 times larger, as Windows does.
    """
    if scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    config = Path(tempfile.mkdtemp(prefix="pfdesk-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1],
        "logicalDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


class Camera:
    """Takes, names and checks the pictures."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shots: list[Shot] = []

    def take(self, widget, caption: str) -> Shot:
        """Picture ``widget`` as shown now, saved as the next numbered PNG."""
        from PySide6.QtWidgets import QApplication

        from pfdesk.ui.tasks import wait_for_all
        from pfdesk.ui.text_audit import findings_in

        if not widget.isVisible():
            widget.show()
        # Pages that read on the background worker are pictured with their data, not
        # with 「…を読み込んでいます…」: the events below deliver what the worker read.
        wait_for_all()
        for _i in range(3):
            QApplication.processEvents()
        pixmap = widget.grab()
        slug = re.sub(r"[^\w]+", "-", caption).strip("-")[:40] or "screen"
        name = f"{len(self.shots) + 1:02d}-{slug}.png"
        pixmap.save(str(self.folder / name))
        shot = Shot(name, caption, pixmap.width(), pixmap.height(), findings_in(widget))
        self.shots.append(shot)
        log.info("tour: %s %dx%d", name, shot.width, shot.height)
        return shot


@contextmanager
def dialogs_photographed(camera: Camera, prefix: Callable[[], str]) -> Iterator[None]:
    """While inside: every dialog and question box is pictured, then cancelled."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    Std = QMessageBox.StandardButton
    saved = {
        (QDialog, "exec"): QDialog.exec,
        (QMessageBox, "question"): QMessageBox.question,
        (QMessageBox, "warning"): QMessageBox.warning,
        (QMessageBox, "information"): QMessageBox.information,
        (QMessageBox, "critical"): QMessageBox.critical,
        (QMessageBox, "about"): QMessageBox.about,
        (QInputDialog, "getText"): QInputDialog.getText,
        (QInputDialog, "getMultiLineText"): QInputDialog.getMultiLineText,
        (QInputDialog, "getInt"): QInputDialog.getInt,
        (QInputDialog, "getItem"): QInputDialog.getItem,
        (QFileDialog, "getSaveFileName"): QFileDialog.getSaveFileName,
        (QFileDialog, "getOpenFileName"): QFileDialog.getOpenFileName,
        (QFileDialog, "getExistingDirectory"): QFileDialog.getExistingDirectory,
    }

    def exec_(self) -> int:
        title = self.windowTitle() or type(self).__name__
        camera.take(self, f"{prefix()}{title}")
        self.reject()
        return 0

    def box(icon, default_buttons):
        def show(parent, title, text, buttons=default_buttons, default=Std.NoButton):
            b = QMessageBox(icon, title, text, buttons, parent)
            if default != Std.NoButton:
                b.setDefaultButton(default)
            camera.take(b, f"{prefix()}{title}")
            chosen = b.defaultButton()
            answer = b.standardButton(chosen) if chosen is not None else Std.NoButton
            b.close()
            b.deleteLater()
            # The safe answer: what Enter would do, or キャンセル/いいえ when none is set.
            if answer == Std.NoButton:
                for safe in (Std.Cancel, Std.No, Std.Ok, Std.Close):
                    if buttons & safe:
                        return safe
            return answer
        return staticmethod(show)

    def input_(kind):
        def ask(parent, title, label, *a, **k):
            d = QInputDialog(parent)
            d.setWindowTitle(title)
            d.setLabelText(label)
            if kind == "multi":
                d.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
            camera.take(d, f"{prefix()}{title}")
            d.close()
            d.deleteLater()
            return (0, False) if kind == "int" else ("", False)
        return staticmethod(ask)

    about = box(QMessageBox.Icon.Information, Std.Ok)
    # Qt's own static methods are replaced for the tour (and put back after), so they are
    # set by name: the stubs rightly forbid assigning to a method.
    stand_ins: dict[tuple[type, str], object] = {
        (QDialog, "exec"): exec_,
        (QMessageBox, "question"): box(QMessageBox.Icon.Question, Std.Yes | Std.No),
        (QMessageBox, "warning"): box(QMessageBox.Icon.Warning, Std.Ok),
        (QMessageBox, "information"): box(QMessageBox.Icon.Information, Std.Ok),
        (QMessageBox, "critical"): box(QMessageBox.Icon.Critical, Std.Ok),
        (QMessageBox, "about"): staticmethod(
            lambda parent, title, text: about.__func__(parent, title, text)),
        (QInputDialog, "getText"): input_("text"),
        (QInputDialog, "getMultiLineText"): input_("multi"),
        (QInputDialog, "getInt"): input_("int"),
        (QInputDialog, "getItem"): input_("text"),
        (QFileDialog, "getSaveFileName"): staticmethod(lambda *a, **k: ("", "")),
        (QFileDialog, "getOpenFileName"): staticmethod(lambda *a, **k: ("", "")),
        (QFileDialog, "getExistingDirectory"): staticmethod(lambda *a, **k: ""),
    }
    assert stand_ins.keys() == saved.keys()
    for (cls, name), fn in stand_ins.items():
        setattr(cls, name, fn)
    try:
        yield
    finally:
        for (cls, name), fn in saved.items():
            setattr(cls, name, fn)


def _safely(what: str, fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:  # noqa: BLE001 - one broken step must not end the tour
        log.exception("tour step failed: %s", what)


def run_tour(folder: Path, *, data_dir: Path | None = None, scale: float = 1.0) -> TourResult:
    """Build the demo town (or copy ``data_dir``) and picture every screen into ``folder``.

    A QApplication must exist (made after :func:`prepare_offscreen_screen`).
    """
    from PySide6.QtWidgets import QApplication

    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import open_demo_store
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.translations import install_qt_translations
    from pfdesk.ui.window_fit import install_window_fitter

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translations(app)
    install_window_fitter(app)
    apply_japanese_font(app)
    from pfdesk.ui.theme import apply_theme

    apply_theme(app, "standard")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    root = Path(tempfile.mkdtemp(prefix="pfdesk-tour-")) / "data"
    if data_dir is not None:
        # A copy: the tour signs in, searches and opens forms, and must leave no trace.
        shutil.copytree(data_dir, root)
    store = open_demo_store(DataPaths(root))
    camera = Camera(folder)
    try:
        from pfdesk.services import accounts

        actor = Actor.local_admin()
        if accounts.has_accounts(store):
            actor = accounts.login(store, accounts.DEMO_LOGIN, accounts.DEMO_PASSWORD)
        ctx = ServiceContext(store=store, actor=actor)
        _tour(camera, ctx, client_size(scale))
    finally:
        store.close()
    write_index(folder, camera.shots)
    return TourResult(folder, camera.shots)


def _tour(camera: Camera, ctx: ServiceContext,  # noqa: C901 - one long, flat script
          client: tuple[int, int] = (1366, 700)) -> None:
    from PySide6.QtWidgets import QApplication, QTabWidget

    from pfdesk.ui.main_window import PAGES, MainWindow
    from pfdesk.ui.tour_steps import (
        dialogs_of_pages,
        larger_text,
        sign_in_screens,
        unsaved_on_close,
    )

    where = {"page": ""}
    prefix = lambda: where["page"]  # noqa: E731 - tiny closure
    with dialogs_photographed(camera, prefix):
        sign_in_screens(camera, ctx)
        window = MainWindow(ctx=ctx)
        window.resize(*client)
        window.show()
        QApplication.processEvents()
        for index, (label, _m, _c) in enumerate(PAGES):
            where["page"] = f"{label} — "
            _safely(label, partial(window.show_page, index))
            camera.take(window, label)
            page = window.page(index)
            for tabs in page.findChildren(QTabWidget):
                if not tabs.isVisibleTo(window):
                    continue
                for t in range(1, tabs.count()):
                    tabs.setCurrentIndex(t)
                    camera.take(window, f"{label} — {tabs.tabText(t)}")
                tabs.setCurrentIndex(0)
        dialogs_of_pages(camera, window, where)
        where["page"] = ""
        _safely("larger text", lambda: larger_text(camera, window))
        # Last: closing with a typed 設定 asks to save (the tour's copy of the data only).
        _safely("unsaved", lambda: unsaved_on_close(camera, window))
        window.close()


def write_index(folder: Path, shots: list[Shot]) -> Path:
    """``index.html``: every picture with its caption, size and what the text check found."""
    rows = []
    for s in shots:
        found = "".join(f"<li>{html.escape(f)}</li>" for f in s.findings)
        rows.append(
            f'<figure><figcaption>{html.escape(s.file)} — {html.escape(s.caption)} '
            f"（{s.width}×{s.height}）</figcaption>"
            f'<img src="{html.escape(s.file)}" alt="{html.escape(s.caption)}">'
            + (f"<ul class=found>{found}</ul>" if found else "") + "</figure>")
    text = (
        "<!doctype html><html lang=ja><meta charset=utf-8><title>pfdesk 画面一覧</title>"
        "<style>body{font-family:sans-serif;margin:2em}figure{margin:0 0 2em}"
        "img{border:1px solid #ccc;max-width:100%}.found{color:#b00020}</style>"
        f"<h1>pfdesk 画面一覧（{len(shots)} 枚、{date.today():%Y-%m-%d}）</h1>"
        + "".join(rows) + "</html>")
    path = folder / "index.html"
    path.write_text(text, encoding="utf-8")
    return path


def run_tour_cli(args) -> int:
    """``pfdesk --screenshots DIR``: the tour, then a summary line (exit 1 on a problem)."""
    import sys

    scale = float(getattr(args, "screen_scale", None) or 1.0)
    prepare_offscreen_screen(scale)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("pfdesk")
    data_dir = Path(args.data_dir) if getattr(args, "data_dir", None) else None
    result = run_tour(Path(args.screenshots), data_dir=data_dir, scale=scale)
    print(f"{len(result.shots)} 枚の画面を {result.folder / 'index.html'} に書き出しました。")
    problems = [f"{s.file}: {s.width}×{s.height}" for s in result.too_large] + result.findings
    for p in problems:
        print(f"  要確認: {p}")
    return 1 if problems else 0
