"""Entry point: ``pfdesk`` opens the window; ``pfdesk COMMAND`` runs a batch command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the GUI or a subcommand."""
    from pfdesk.core.i18n import install
    from pfdesk.preferences import choose_language

    # Before anything else is imported: menus and code lists are translated at import.
    install(choose_language(sys.argv[1:] if argv is None else argv))
    from pfdesk.cli import build_parser
    from pfdesk.logs import setup_logging

    args = build_parser().parse_args(argv)
    setup_logging(console=args.command is not None)
    if args.command is None:
        from pfdesk.app import run_gui

        return run_gui(args)
    from pfdesk.cli._runtime import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
