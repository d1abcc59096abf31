"""The demo town's bulk-written tables hold the same rows however they are written.

The support step once added ORM objects and flushed them, and the consultations step
converted every value in Python; both now hand plain rows to one executemany per table.
The digests below were taken from the town those versions built at scale 1 (every column
but the times of writing (``…_at``), rows sorted): cases, contacts, the support cycle and
the 進行管理 findings must come out exactly as before, ids included.
"""

from __future__ import annotations

import hashlib
import sqlite3

#: table -> (rows, digest) of the earlier versions' scale-1 demo town.
BEFORE = {
    "consultation_case": (300, "9607ca0a37bf4d3c0564554b"),
    "case_status_change": (773, "00407a88a629d8d3b8faf1f6"),
    "contact": (2755, "801a1ccf60bad26c3d8f87df"),
    "referral": (177, "0031aa4c15fb9e6e0f8ba637"),
    "consent": (168, "7458d1711b9c988f70063d2d"),
    "consent_organization": (131, "7af734c7a6199c3cff3e4570"),
    "assessment": (187, "4e94b84e41c6ce60f22c4222"),
    "support_plan": (141, "471c5514fc4176c647166f9e"),
    "plan_goal": (282, "27f1edae492d139bcacb6206"),
    "plan_action": (218, "8f20c13eaa105b3a39ea6093"),
    "plan_review": (141, "af80d60e1f903dc2b1c0ea71"),
    "goal_evaluation": (282, "bd59686e495e33f51587b745"),
    "case_finding": (982, "35f2694c9df8f05dbb76fe5a"),
    "area_issue_tag": (170, "32482104e68e5f25ee9eb44a"),
}


def table_digest(con: sqlite3.Connection, table: str) -> tuple[int, str]:
    """How many rows ``table`` has, and a digest of them without their times of writing."""
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if not r[1].endswith("_at")]
    digest = hashlib.sha256()
    n = 0
    order = ", ".join(str(i) for i in range(1, len(cols) + 1))
    for row in con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}"):
        digest.update(repr(row).encode())
        n += 1
    return n, digest.hexdigest()[:24]


def test_the_bulk_written_tables_hold_the_same_rows_as_before(demo_template):
    con = sqlite3.connect(demo_template / "pfdesk.sqlite3")
    try:
        assert {t: table_digest(con, t) for t in BEFORE} == BEFORE
    finally:
        con.close()
