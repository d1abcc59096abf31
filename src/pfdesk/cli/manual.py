"""``pfdesk manual [PAGE]``: the user manual in its own window (the start menu's 「pfdesk 説明書」)."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _manual(args) -> int:
    import sys

    from PySide6.QtWidgets import QApplication

    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.help.window import ManualWindow, manual_dir
    from pfdesk.ui.translations import install_qt_translations

    page = args.page or "index.md"
    if not (manual_dir() / page).is_file():
        from pfdesk.core.errors import KnownError

        raise KnownError(_("説明書のページ「{name}」が見つかりません（{folder}）。pfdesk を入れ直して"
                           "ください。").format(name=page, folder=manual_dir()))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)  # type: ignore[arg-type]
    apply_japanese_font(app)  # type: ignore[arg-type]
    window = ManualWindow()
    window.show_page(page)
    window.show()
    return app.exec()


def register(groups) -> None:
    """Add ``pfdesk manual``."""
    p = groups.top.add_parser("manual", help=_("説明書を開く"))
    p.add_argument("page", nargs="?", help=_("開くページ（例: 11-moving.md。省略時は目次）"))
    p.set_defaults(raw_handler=_manual)
