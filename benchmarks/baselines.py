"""The bare minimum each measured work needs, written straight on sqlite3, csv, openpyxl,
reportlab and Qt, so ``run.py`` can print pfdesk's time as a ratio to it.

Each baseline does the same work pfdesk does (same rows in, same numbers or rows out,
same cells, same pages) with nothing around it: no ORM, no permission check, no audit.
The figures are checked against pfdesk's where that is cheap (``check_*``).
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta
from pathlib import Path

# --- imports ------------------------------------------------------------------------------


def import_contacts_csv(csv_path: Path, db_path: Path) -> int:
    """Read the contacts CSV (cp932) and insert organizations, people and posts."""
    con = sqlite3.connect(db_path)
    con.executescript(
        "CREATE TABLE IF NOT EXISTS org (id INTEGER PRIMARY KEY, name TEXT UNIQUE);"
        "CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT, kana TEXT,"
        " phone TEXT);"
        "CREATE TABLE IF NOT EXISTS post (person_id INT, org_id INT, dept TEXT, title TEXT);"
    )
    orgs: dict[str, int] = {}
    people, posts = [], []
    with open(csv_path, encoding="cp932", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for n, r in enumerate(rows, 1):
            if not any(r):
                continue
            org = orgs.setdefault(r[1].strip(), len(orgs) + 1)
            people.append((n, r[4].strip(), r[5].strip(), r[6].strip()))
            posts.append((n, org, r[2].strip(), r[3].strip()))
    con.execute("BEGIN")
    con.executemany("INSERT INTO org VALUES (?, ?)", [(i, k) for k, i in orgs.items()])
    con.executemany("INSERT INTO person VALUES (?, ?, ?, ?)", people)
    con.executemany("INSERT INTO post VALUES (?, ?, ?, ?)", posts)
    con.commit()
    con.close()
    return len(people)


def import_ledger_csv(csv_path: Path, db_path: Path) -> int:
    """Read the consultations ledger (cp932) and insert one case per No and its contacts."""
    con = sqlite3.connect(db_path)
    con.executescript(
        "CREATE TABLE IF NOT EXISTS kase (id INTEGER PRIMARY KEY, no TEXT, name TEXT,"
        " kana TEXT, sex TEXT, age TEXT, route TEXT);"
        "CREATE TABLE IF NOT EXISTS contact (case_id INT, day TEXT, method TEXT,"
        " requester TEXT, topic TEXT, body TEXT);"
    )
    cases: dict[str, tuple] = {}
    contacts = []
    with open(csv_path, encoding="cp932", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            if r[0] not in cases:
                cases[r[0]] = (len(cases) + 1, r[0], r[1], r[2], r[3], r[4], r[5])
            contacts.append((cases[r[0]][0], r[6], r[8], r[9], r[10], r[11]))
    con.execute("BEGIN")
    con.executemany("INSERT INTO kase VALUES (?, ?, ?, ?, ?, ?, ?)", list(cases.values()))
    con.executemany("INSERT INTO contact VALUES (?, ?, ?, ?, ?, ?)", contacts)
    con.commit()
    con.close()
    return len(contacts)


# --- search and the case list ----------------------------------------------------------------

PAGE_SQL = (
    "SELECT id, case_number, intake_date, family_name, given_name, family_kana, given_kana,"
    " sex, status, lead_staff, route FROM consultation_case WHERE id IN ({ids})"
)


def search_fts(con: sqlite3.Connection, folded: str) -> tuple[int, list]:
    """The raw FTS5 trigram query: how many cases match, and the first 200 of them."""
    phrase = '"' + folded.replace('"', '""') + '"'
    where = ("voided_at IS NULL AND id IN (SELECT rowid FROM case_search"
             " WHERE case_search MATCH ?)")
    total = con.execute(f"SELECT count(*) FROM consultation_case WHERE {where}",
                        (phrase,)).fetchone()[0]
    ids = [r[0] for r in con.execute(
        f"SELECT id FROM consultation_case WHERE {where}"
        " ORDER BY fiscal_year DESC, serial DESC LIMIT 200", (phrase,))]
    return total, con.execute(PAGE_SQL.format(ids=",".join(map(str, ids)) or "0")).fetchall()


def search_like(con: sqlite3.Connection, folded: str) -> tuple[int, list]:
    """The same with LIKE, for terms too short for trigrams."""
    where = "voided_at IS NULL AND search_text LIKE ?"
    like = f"%{folded}%"
    total = con.execute(f"SELECT count(*) FROM consultation_case WHERE {where}",
                        (like,)).fetchone()[0]
    ids = [r[0] for r in con.execute(
        f"SELECT id FROM consultation_case WHERE {where}"
        " ORDER BY fiscal_year DESC, serial DESC LIMIT 200", (like,))]
    return total, con.execute(PAGE_SQL.format(ids=",".join(map(str, ids)) or "0")).fetchall()


def case_page(con: sqlite3.Connection, offset: int) -> list:
    """One page of 200 cases in case-number order, with their last contact."""
    ids = [r[0] for r in con.execute(
        "SELECT id FROM consultation_case WHERE voided_at IS NULL"
        " ORDER BY fiscal_year DESC, serial DESC LIMIT 200 OFFSET ?", (offset,))]
    rows = con.execute(PAGE_SQL.format(ids=",".join(map(str, ids)) or "0")).fetchall()
    lasts = dict(con.execute(
        "SELECT case_id, max(occurred_at) FROM contact WHERE voided_at IS NULL"
        f" AND case_id IN ({','.join(map(str, ids)) or '0'}) GROUP BY case_id").fetchall())
    return [(*r, lasts.get(r[0])) for r in rows]


# --- statistics and the home page --------------------------------------------------------------

_PERIOD = """
WITH p AS MATERIALIZED (
  SELECT ct.id, ct.case_id, ct.occurred_at,
         coalesce(nullif(ct.method, ''), 'unknown') AS method,
         coalesce(nullif(ct.requester, ''), 'unknown') AS requester,
         coalesce(nullif(ct.main_topic, ''), 'unknown') AS topic
  FROM contact ct
  WHERE ct.voided_at IS NULL AND ct.occurred_at >= :lo AND ct.occurred_at < :hi
    AND ct.case_id NOT IN (SELECT id FROM consultation_case WHERE voided_at IS NOT NULL))
"""


def fiscal_year_stats(con: sqlite3.Connection, fy: int) -> dict:
    """実人数・延べ件数・新規 in total, per person dimension, per contact dimension, per
    month and per つなぎ先, counted with GROUP BY (the rules of services/stats.py)."""
    lo, hi = f"{fy}-04-01", f"{fy + 1}-04-01"
    args = {"lo": lo, "hi": hi}
    persons = con.execute(_PERIOD + """
, firsts AS (
  SELECT case_id, occurred_at, method, requester, topic,
         count(*) OVER (PARTITION BY case_id) AS n,
         row_number() OVER (PARTITION BY case_id ORDER BY occurred_at, id) AS rn
  FROM p)
SELECT f.case_id, f.n, substr(f.occurred_at, 1, 7),
       NOT EXISTS (SELECT 1 FROM contact e WHERE e.case_id = f.case_id
                   AND e.voided_at IS NULL AND e.occurred_at < :lo) AS new,
       f.method, f.requester, f.topic,
       coalesce(nullif(c.sex, ''), 'unknown'), coalesce(nullif(c.route, ''), 'unknown'),
       c.status, c.age_band,
       CASE WHEN c.birth_ym != '' AND c.birth_ym <= substr(f.occurred_at, 1, 7)
            THEN CAST(substr(f.occurred_at, 1, 4) AS INTEGER)
                 - CAST(substr(c.birth_ym, 1, 4) AS INTEGER)
                 - (substr(f.occurred_at, 6, 2) < substr(c.birth_ym, 6, 2)) END
FROM firsts f JOIN consultation_case c ON c.id = f.case_id WHERE f.rn = 1""", args).fetchall()
    out: dict = {"persons": len(persons), "new": sum(r[3] for r in persons),
                 "contacts": sum(r[1] for r in persons)}
    by: dict = {}
    for r in persons:
        age = r[11]
        band = ("unknown" if age is None and not r[10] else r[10] if age is None
                else "under10" if age < 10 else "60s_plus" if age >= 60 else f"{age // 10 * 10}s")
        for dim, key in (("sex", r[7]), ("route", r[8]), ("age_band", band),
                         ("age_sex", f"{band}.{r[7]}")):
            row = by.setdefault(dim, {}).setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += r[1]
            row[2] += r[3]
        for dim, key in (("method", r[4]), ("requester", r[5]), ("topic", r[6]),
                         ("month", r[2])):
            if r[3]:
                by.setdefault(dim, {}).setdefault(key, [0, 0, 0])[2] += 1
    grouped = con.execute(_PERIOD + """
SELECT 'method', method, '', count(*), count(DISTINCT case_id) FROM p GROUP BY 2
UNION ALL SELECT 'requester', requester, '', count(*), count(DISTINCT case_id) FROM p GROUP BY 2
UNION ALL SELECT 'topic', topic, '', count(*), count(DISTINCT case_id) FROM p GROUP BY 2
UNION ALL SELECT 'month', substr(occurred_at, 1, 7), '', count(*), count(DISTINCT case_id)
  FROM p GROUP BY 2
UNION ALL SELECT 'month_method', substr(occurred_at, 1, 7), method, count(*), 0
  FROM p GROUP BY 2, 3""", args).fetchall()
    out["month_method"] = []
    for dim, k, k2, n, people in grouped:
        if dim == "month_method":
            out["month_method"].append((k, k2, n))
            continue
        row = by.setdefault(dim, {}).setdefault(k, [0, 0, 0])
        row[0], row[1] = people, n
    out["referrals"] = con.execute(
        "SELECT coalesce(nullif(r.category, ''), 'other'), count(*), count(DISTINCT r.case_id)"
        " FROM referral r JOIN consultation_case c ON c.id = r.case_id"
        " WHERE r.voided_at IS NULL AND c.voided_at IS NULL"
        " AND r.referred_on >= :lo AND r.referred_on < :hi GROUP BY 1", args).fetchall()
    status: dict = {}
    for r in persons:
        status[r[9]] = status.get(r[9], 0) + 1
    out["status"] = status
    out["by"] = by
    return out


def home_counts(con: sqlite3.Connection, today: date, fy: int) -> tuple:
    """The home page's figures and lists in plain SQL."""
    t = today.isoformat()
    cutoff = (today - timedelta(days=90)).isoformat()
    one = con.execute(
        "SELECT (SELECT count(*) FROM organization WHERE active AND merged_into_id IS NULL),"
        " (SELECT count(DISTINCT person_id) FROM post WHERE end_on IS NULL OR end_on >= :t),"
        " (SELECT count(*) FROM consultation_case WHERE voided_at IS NULL AND status != 'closed'),"
        " (SELECT count(*) FROM consultation_case WHERE voided_at IS NULL AND fiscal_year = :fy),"
        " (SELECT count(*) FROM action_item WHERE status IN ('open', 'in_progress')),"
        " (SELECT count(*) FROM organization), (SELECT count(*) FROM person),"
        " (SELECT count(*) FROM body), (SELECT count(*) FROM consultation_case)",
        {"t": t, "fy": fy}).fetchone()
    upcoming = con.execute(
        "SELECT m.id, b.name, m.number, m.held_on, m.place FROM meeting m"
        " JOIN body b ON b.id = m.body_id WHERE m.held_on >= ? AND m.status = 'planned'"
        " ORDER BY m.held_on LIMIT 8", (t,)).fetchall()
    actions = con.execute(
        "SELECT a.description, a.assignee_text, a.due_on, b.name FROM action_item a"
        " JOIN body b ON b.id = a.body_id WHERE a.status IN ('open', 'in_progress')"
        " ORDER BY a.due_on IS NULL, a.due_on, a.id LIMIT 8").fetchall()
    quiet_where = (
        " FROM consultation_case c WHERE c.voided_at IS NULL AND c.status != 'closed'"
        " AND c.disposed_at IS NULL AND coalesce((SELECT max(occurred_at) FROM contact e"
        " WHERE e.case_id = c.id AND e.voided_at IS NULL), c.intake_date) < :cutoff")
    quiet_n = con.execute("SELECT count(*)" + quiet_where, {"cutoff": cutoff}).fetchone()[0]
    quiet = con.execute(
        "SELECT c.case_number, c.lead_staff, coalesce((SELECT max(occurred_at) FROM contact e"
        " WHERE e.case_id = c.id AND e.voided_at IS NULL), c.intake_date) AS last"
        + quiet_where + " ORDER BY last LIMIT 8", {"cutoff": cutoff}).fetchall()
    return one, upcoming, actions, quiet_n, quiet


# --- documents ----------------------------------------------------------------------------


def workbook(out: Path, cells: list[tuple[str, int, int, object]]) -> None:
    """Write the given (sheet, row, column, value) cells with bare openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    sheets = {}
    first = True
    for name, r, c, v in cells:
        ws = sheets.get(name)
        if ws is None:
            ws = wb.active if first else wb.create_sheet()
            ws.title = name
            first = False
            sheets[name] = ws
        ws.cell(row=r, column=c, value=v)
    wb.save(out)


def pdf_pages(out: Path, pages: list[list[str]], font_path: Path) -> None:
    """Write the given pages of text lines with bare reportlab and an embedded subset font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "BaseJP" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BaseJP", str(font_path)))
    c = canvas.Canvas(str(out), pagesize=A4)
    for lines in pages:
        y = A4[1] - 60
        c.setFont("BaseJP", 10.5)
        for line in lines:
            c.drawString(50, y, line[:80])
            y -= 15
            if y < 50:
                break
        c.showPage()
    c.save()
