"""Start pfdesk on a data folder again, in one process: recovery, stats, audit verify.

``python -m tests.reliability.reopen DATA FY`` prints one JSON line; the kill
harness runs it after every kill (one start instead of three keeps the runs short).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path


def _cli(argv: list[str]) -> tuple[int, str, str]:
    from pfdesk.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


def read_folder(data: Path, fy: str, user: str) -> dict:
    """``{"note", "stats_rc", "stats", "audit_rc", "audit", "stderr"}`` for the folder."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.safefile import recover_interrupted

    note = recover_interrupted(DataPaths(data)) or ""
    base = ["--data-dir", str(data), "--user", user]
    stats_rc, stats, stats_err = _cli([*base, "stats", "--fy", fy, "--json"])
    audit_rc, audit, audit_err = _cli([*base, "audit", "verify"])
    return {"note": note, "stats_rc": stats_rc, "stats": stats, "audit_rc": audit_rc,
            "audit": audit + audit_err, "stderr": stats_err}


def main() -> None:
    """Print :func:`read_folder` of ``DATA FY USER`` as one JSON line."""
    print(json.dumps(read_folder(Path(sys.argv[1]), sys.argv[2], sys.argv[3]), ensure_ascii=False))


if __name__ == "__main__":
    main()
