"""``pfdesk manual [PAGE]``: the user manual in its own window (the start menu's 「pfdesk 説明書」)."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _manual(args) -> int:
    from pfdesk.ui.help.window import run_manual

    return run_manual(args.page or "index.md")


def register(groups) -> None:
    """Add ``pfdesk manual``."""
    p = groups.top.add_parser("manual", help=_("説明書を開く"))
    p.add_argument("page", nargs="?", help=_("開くページ（例: 11-moving.md。省略時は目次）"))
    p.set_defaults(raw_handler=_manual)
