"""The command line parses and shows help without loading PDF, Excel, database or Qt code."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("reportlab", "openpyxl", "pypdf", "PySide6", "alembic", "sqlalchemy")


def _loaded_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from pfdesk.__main__ import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print('LOADED:' + ' '.join(heavy), file=sys.stderr)\n"
    )
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stderr
    line = next(x for x in err.splitlines() if x.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split())


def test_help_loads_no_heavy_library():
    assert _loaded_after(["--help"]) == set()


def test_a_command_help_loads_no_heavy_library():
    assert _loaded_after(["print", "packet", "--help"]) == set()
    assert _loaded_after(["return", "--help"]) == set()


def test_help_still_lists_every_command(capsys):
    from pfdesk.cli import build_parser

    text = build_parser().format_help()
    for command in ("import", "export", "print", "demo", "stats", "return", "backup", "restore",
                    "users", "audit", "check", "retention", "encrypt"):
        assert command in text


def test_print_documents_match_the_printing_service():
    from pfdesk.cli.printing import DOC_LABELS, MINUTES_HEADINGS
    from pfdesk.services import printing

    assert list(DOC_LABELS.items()) == list(printing.DOC_KINDS)
    assert MINUTES_HEADINGS == printing.MINUTES_HEADINGS
