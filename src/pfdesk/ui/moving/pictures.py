"""Pictures of the move dialogs for the manual (they are not part of the screenshot tour).

``python -m pfdesk.ui.moving.pictures DIR`` writes ``move-out.png`` and ``move-in.png``
from a demo town made in a temporary folder, offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_pictures(out: Path) -> list[Path]:
    """Grab both dialogs on the demo town into ``out``; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import open_demo_store
    from pfdesk.services.moving import move_out
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.moving.dialog import MoveOutDialog
    from pfdesk.ui.moving.move_in import MoveInDialog
    from pfdesk.ui.translations import install_qt_translations
    from pfdesk.ui.widgets import application

    app = application()
    install_qt_translations(app)
    apply_japanese_font(app)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pfdesk-move-pictures-") as tmp:
        store = open_demo_store(DataPaths(Path(tmp) / "demo"))
        try:
            ctx = ServiceContext(store=store, actor=Actor.local_admin())
            archive = move_out(ctx, Path(tmp) / "pfdesk-move-20270328-170512.zip").path
            out_dlg = MoveOutDialog(ctx=ctx)
            out_dlg.adjustSize()
            out_dlg.grab().save(str(out / "move-out.png"))
            out_dlg.deleteLater()
        finally:
            store.close()
        in_dlg = MoveInDialog(paths=DataPaths(Path(tmp) / "new"))
        in_dlg.choose(str(archive))
        in_dlg.file_edit.setText(rf"E:\{archive.name}")
        in_dlg.adjustSize()
        in_dlg.grab().save(str(out / "move-in.png"))
        in_dlg.deleteLater()
        app.processEvents()
    return [out / "move-out.png", out / "move-in.png"]


if __name__ == "__main__":
    for written in write_pictures(Path(sys.argv[1])):
        print(written)
