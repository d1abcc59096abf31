#!/usr/bin/env python3
"""pfdesk against the bare libraries, measured side by side in one run on a large store.

Builds the demo town at ``--scale N`` (100: about 30,000 cases, 270,000 contacts, 6,000
people), then times every work of issue 17 twice: as pfdesk does it, and as the bare
minimum does the same work (sqlite3, csv, openpyxl, reportlab, a bare QMainWindow; see
``baselines.py``). It prints one table: pfdesk's time, the baseline's, their ratio, the
target and whether it is met. Nothing asserts a time: machines differ; the ratios
measured in one run on one machine do not.

    .venv/bin/python benchmarks/run.py --scale 100          # the full run (a few minutes)
    .venv/bin/python benchmarks/run.py --scale 2 --quick    # the smoke run of the tests

With ``--database-url postgresql://…`` (or ``PFDESK_BENCH_DATABASE_URL``) the town is also
built on that PostgreSQL database (it must be empty) and every work is measured there as
well: the table then gives pfdesk on the server against the same bare baselines (on the
SQLite copy of the same town, so the statistics are also checked server against file),
with pfdesk on the SQLite file in a last column.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

import baselines  # noqa: E402

FY = 2025
PY = sys.executable


@dataclass
class Row:
    """One line of the table."""

    work: str
    pfdesk: float | None  # seconds (or MB when unit == "MB")
    base: float | None
    target: str = ""
    limit: float | None = None  # the ratio (or absolute value) the target allows
    unit: str = "s"
    absolute: bool = False  # the target is on pfdesk's own value, not the ratio
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.pfdesk is None or not self.base:
            return None
        return self.pfdesk / self.base

    @property
    def met(self) -> str:
        if self.limit is None:
            return ""
        value = self.pfdesk if self.absolute else self.ratio
        if value is None:
            return ""
        return "yes" if value <= self.limit else "NO"


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _w(text))
    return gap + text if right else text + gap


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "–"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "KB":
        return f"{v:.0f} KB"
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def _kind(work: str) -> str:
    """A work's name without what one run found slowest (「slowest first page show (報告)」)."""
    for head in ("slowest first page show", "slowest page switch", "longest event-loop stall"):
        if work.startswith(head):
            return head
    return work


def table(rows: list[Row], on_file: list[Row] | None = None) -> list[str]:
    """The table as aligned text lines (also valid Markdown).

    With ``on_file`` (server mode) ``rows`` are pfdesk on the server and a last column
    gives pfdesk's own figure for the same work on the SQLite file.
    """
    head = ["work", "pfdesk", "bare baseline", "ratio", "target", "met"]
    body = [[r.work, _fmt(r.pfdesk, r.unit), _fmt(r.base, r.unit),
             f"{r.ratio:.2f}x" if r.ratio is not None else "–", r.target, r.met]
            for r in rows]
    if on_file is not None:
        head[1] = "pfdesk (server)"
        head.append("pfdesk (SQLite file)")
        file_by_work = {_kind(r.work): r for r in on_file}
        for line, r in zip(body, rows, strict=True):
            f = file_by_work.get(_kind(r.work))
            line.append(_fmt(f.pfdesk, f.unit) if f is not None else "–")
    widths = [max(_w(x[i]) for x in [head, *body]) for i in range(len(head))]
    lines = ["| " + " | ".join(_pad(c, widths[i], i in (1, 2, 3, 6)) for i, c in enumerate(x))
             + " |" for x in [head, *body]]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def percentiles(fn: Callable[[str], object], queries: list[str],
                repeat: int) -> tuple[float, float]:
    """p50 and p95 seconds over every query run ``repeat`` times (after a warm-up pass)."""
    for q in queries:
        fn(q)
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]


def process_time(argv: list[str], repeat: int, env: dict | None = None) -> float:
    """Median wall seconds of a whole process (after one untimed run that caches bytecode)."""
    subprocess.run(argv, check=True, capture_output=True, env=env, cwd=ROOT)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    """nproc, CPU model and memory of this machine."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))
        mem_text = f"{mem / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem_text = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem_text} RAM, Python {platform.python_version()},"
            f" SQLite {sqlite3.sqlite_version}, load average at start {load:.1f}")


# --- the input files of the imports -----------------------------------------------------------

FAMILY = ["髙橋", "山﨑", "佐藤", "鈴木", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
          "吉田", "山田", "佐々木", "松本", "井上", "木村", "林", "清水", "森", "池田", "橋本"]
FAMILY_KANA = ["ﾀｶﾊｼ", "ヤマサキ", "さとう", "すずき", "たなか", "いとう", "わたなべ",
               "やまもと", "なかむら", "こばやし", "かとう", "よしだ", "やまだ", "ささき",
               "まつもと", "いのうえ", "きむら", "はやし", "しみず", "もり", "いけだ", "はしもと"]
GIVEN = [("健一", "けんいち"), ("直樹", "なおき"), ("誠", "まこと"), ("恵子", "けいこ"),
         ("由美", "ゆみ"), ("智子", "ともこ"), ("翔太", "しょうた"), ("彩", "あや")]


def contacts_csv(path: Path, n: int) -> Path:
    """A directory list as Excel saves it (cp932): ``n`` people in organizations of five."""
    with open(path, "w", encoding="cp932", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["No.", "機関名", "部署", "役職", "氏名", "フリガナ", "電話番号", "FAX",
                    "郵便番号", "住所", "メール", "備考"])
        for i in range(n):
            f = i % len(FAMILY)
            g, gk = GIVEN[(i // len(FAMILY)) % len(GIVEN)]
            w.writerow([i + 1, f"ベンチ事業所{i // 5 + 1}", "相談係", "相談員",
                        f"{FAMILY[f]}　{g}", f"{FAMILY_KANA[f]} {gk}",
                        f"０８８９－５{i % 10}－{i % 10000:04d}", "", "781-2110",
                        f"東雲県みどり川町中町{i // 5 + 1}番地", "", ""])
    return path


def ledger_csv(path: Path, n: int) -> Path:
    """A consultations ledger (cp932): ``n`` rows, ten contacts per person."""
    methods, requesters = ["来所", "電話", "訪問"], ["母", "本人", "民生委員"]
    topics = ["ひきこもり・不登校", "家族との関係", "仕事探し・就職"]
    with open(path, "w", encoding="cp932", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["No", "氏名", "ふりがな", "性別", "年齢", "相談経路", "相談日", "時間",
                    "相談方法", "相談者", "主な相談内容", "対応内容"])
        for i in range(n):
            case, k = divmod(i, 10)
            f = case % len(FAMILY)
            g, gk = GIVEN[(case // len(FAMILY)) % len(GIVEN)]
            first = k == 0
            day = f"R7.{4 + k % 9}.{1 + case % 28}"
            w.writerow([f"B-{case + 1}", f"{FAMILY[f]} {g}{case}" if first else "",
                        f"{FAMILY_KANA[f]} {gk}" if first else "", "男" if first else "",
                        "35歳" if first else "", "本人・家族から直接" if first else "", day,
                        "10:00", methods[k % 3], requesters[k % 3], topics[k % 3],
                        "本人と面談した。次回は来月。"])
    return path


# --- the measurements ----------------------------------------------------------------------------


def measure_cli(rows: list[Row], repeat: int) -> None:
    help_s = process_time([PY, "-m", "pfdesk", "--help"], repeat)
    bare = process_time([PY, "-c", "import argparse"], repeat)
    rows.append(Row("CLI fixed cost (`pfdesk --help`, whole process)", help_s, bare,
                    "≤ 0.4 s", 0.4, absolute=True,
                    note="baseline: the interpreter alone importing argparse"))


def measure_gui(rows: list[Row], data: Path, repeat: int, server: str | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PFDESK_BENCH_DATABASE_URL", None)
    if server:  # gui_probe opens the town on the server instead of the file
        env["PFDESK_BENCH_DATABASE_URL"] = server
    probe = str(HERE / "gui_probe.py")
    start = process_time([PY, probe, "home", str(data)], repeat, env)
    bare = process_time([PY, probe, "bare"], repeat, env)
    rows.append(Row("start-up to the filled home page (whole process)", start, bare,
                    "≤ 3x", 3.0))
    done = subprocess.run([PY, probe, "pages", str(data)], capture_output=True, text=True,
                          env=env)
    if done.returncode:
        raise RuntimeError(f"gui_probe pages failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout)
    bare_rss = json.loads(subprocess.run([PY, probe, "bare", "--rss"], check=True,
                                         capture_output=True, text=True, env=env).stdout)
    first = out["first"]
    rows.append(Row("関係機関 page first show (GUI thread blocked)", first.get("関係機関"), None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row("進行管理 page first show (GUI thread blocked)", first.get("進行管理"), None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row("進行管理 page switch, page built", out["again"].get("進行管理"), None,
                    "≤ 100 ms", 0.1, absolute=True))
    progress_stall = max(v for k, v in out["stall"].items() if k.endswith(":進行管理"))
    rows.append(Row("進行管理: longest event-loop stall after showing it", progress_stall, None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row("実態把握 page first show (GUI thread blocked)", first.get("実態把握"), None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row("実態把握 page switch, page built", out["again"].get("実態把握"), None,
                    "≤ 100 ms", 0.1, absolute=True))
    survey_stall = max(v for k, v in out["stall"].items() if k.endswith(":実態把握"))
    rows.append(Row("実態把握: longest event-loop stall after showing it", survey_stall, None,
                    "≤ 100 ms", 0.1, absolute=True))
    for label in ("関係機関", "進行管理", "実態把握"):
        ready = out["ready"].get(f"first:{label}")
        if ready is not None:  # read on the worker: when its data was on the screen
            rows.append(Row(f"{label}: data shown after the first switch (worker)", ready,
                            None, "", None, absolute=True))
    worst_first = max(first.items(), key=lambda kv: kv[1])
    worst_again = max(out["again"].items(), key=lambda kv: kv[1])
    rows.append(Row(f"slowest first page show ({worst_first[0]})", worst_first[1], None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row(f"slowest page switch, page built ({worst_again[0]})", worst_again[1],
                    None, "≤ 100 ms", 0.1, absolute=True))
    stall = max(out["stall"].items(), key=lambda kv: kv[1])
    rows.append(Row(f"longest event-loop stall after a switch ({stall[0]})", stall[1], None,
                    "≤ 100 ms", 0.1, absolute=True))
    rows.append(Row("peak RSS, window with the store open, every page shown", out["rss_mb"],
                    bare_rss["rss_mb"], "≤ 150 MB", 150, unit="MB", absolute=True))
    return out


def measure_search(rows: list[Row], ctx, con: sqlite3.Connection, repeat: int) -> None:
    from pfdesk.core.kana import fold
    from pfdesk.services.consultations.search import CaseFilter, search_cases

    sets = {
        2: ["たか", "高橋", "自室", "電話", "ｻﾄ", "居場", "林", "母親"],
        3: ["たかは", "さとう", "居場所", "ｻﾎﾟｽ", "自室か", "髙橋翔", "緑ヶ丘", "0889"],
        6: ["たかはしけん", "昼夜逆転の生", "サポステの説明", "ﾀｶﾊｼｼｮｳﾀ", "家族会の案内",
            "みどり川町本町"],
    }
    for n, queries in sets.items():
        p50, p95 = percentiles(lambda q: search_cases(ctx, CaseFilter(text=q)), queries, repeat)
        raw = baselines.search_fts if n >= 3 else baselines.search_like
        b50, b95 = percentiles(lambda q, raw=raw: raw(con, fold(q)), queries, repeat)
        kind = "FTS5 trigram" if n >= 3 else "LIKE"
        rows.append(Row(f"search {n} characters, p50 (raw {kind})", p50, b50,
                        "≤ 1.5x" if n >= 3 else "", 1.5 if n >= 3 else None))
        rows.append(Row(f"search {n} characters, p95 (raw {kind})", p95, b95, "≤ 50 ms",
                        0.05, absolute=True))
        # The first page of a search also writes an access-log entry and commits it to disk
        # (synchronous=FULL): the same query without that write shows the two costs apart.
        with _without_search_log():
            q50, _q95 = percentiles(lambda q: search_cases(ctx, CaseFilter(text=q)), queries,
                                    repeat)
        rows.append(Row(f"search {n} characters, p50 without the access-log write", q50, b50,
                        "≤ 1.5x" if n >= 3 else "", 1.5 if n >= 3 else None))


@contextlib.contextmanager
def _without_search_log():
    from pfdesk.services.consultations import search

    saved = getattr(search, "_log_search", None)
    if saved is None:  # nothing is logged: the plain call is already the query alone
        yield
        return
    search._log_search = lambda *a, **k: None
    try:
        yield
    finally:
        search._log_search = saved


def measure_lists(rows: list[Row], ctx, con: sqlite3.Connection, repeat: int) -> None:
    from pfdesk.services.consultations.search import CaseFilter, search_cases

    total = search_cases(ctx, CaseFilter(), limit=1).total
    last = max(0, total - 200)
    for label, offset in (("first", 0), ("last", last)):
        t = median_time(lambda o=offset: search_cases(ctx, CaseFilter(), offset=o), repeat)
        b = median_time(lambda o=offset: baselines.case_page(con, o), repeat)
        rows.append(Row(f"case list, {label} page of 200", t, b, "≤ 1.5x", 1.5))


def measure_stats(rows: list[Row], ctx, con: sqlite3.Connection, repeat: int) -> None:
    from pfdesk.core.fiscal import fiscal_year_of
    from pfdesk.services.stats import fiscal_year_stats
    from pfdesk.services.summary import home_summary

    ours = fiscal_year_stats(ctx, FY)
    bare = baselines.fiscal_year_stats(con, FY)
    same = (ours.persons, ours.contacts, ours.new_persons) == (
        bare["persons"], bare["contacts"], bare["new"])
    for dim in ("sex", "method", "age_band", "route"):
        theirs = {k: tuple(v) for k, v in bare["by"][dim].items()}
        mine = {r.key: (r.persons, r.contacts, r.new_persons) for r in ours.by[dim].rows
                if r.persons or r.contacts}
        same = same and theirs == mine
    t = median_time(lambda: fiscal_year_stats(ctx, FY), repeat)
    b = median_time(lambda: baselines.fiscal_year_stats(con, FY), repeat)
    rows.append(Row(f"{FY}年度 statistics", t, b, "≤ 1.5x", 1.5,
                    note="" if same else "FIGURES DIFFER from the baseline"))
    if not same:
        print("warning: the statistics differ from the GROUP BY baseline", file=sys.stderr)
    summary = home_summary(ctx)
    today = summary.today
    t = median_time(lambda: home_summary(ctx), repeat)
    b = median_time(lambda: baselines.home_counts(con, today, fiscal_year_of(today)), repeat)
    one = baselines.home_counts(con, today, fiscal_year_of(today))[0]
    same = (summary.organizations, summary.people_in_post, summary.open_cases,
            summary.cases_this_year) == one[:4]
    rows.append(Row("home summary", t, b, "≤ 1.5x", 1.5,
                    note="" if same else "FIGURES DIFFER from the baseline"))
    rows.append(Row("home summary on a SQLCipher copy (baseline: the plain store)",
                    None if ctx.store.is_server else _encrypted_home_summary(ctx, repeat), t,
                    "≤ 1.5x", 1.5))


def _encrypted_home_summary(ctx, repeat: int) -> float | None:
    """The home summary on an encrypted copy of the store, opened with its raw key."""
    from pfdesk.paths import DataPaths
    from pfdesk.services.context import ServiceContext
    from pfdesk.services.summary import home_summary
    from pfdesk.store.crypto import export_copy, new_store_key
    from pfdesk.store.engine import Store, make_engine

    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return None
    ctx.store.checkpoint()
    key = new_store_key()
    root = ctx.store.paths.root.parent / "encrypted"
    root.mkdir(exist_ok=True)
    db = export_copy(ctx.store.paths.store, root / "pfdesk.sqlite3", source_key=None,
                     dest_key=key)
    store = Store(paths=DataPaths(root), engine=make_engine(db, key=key), is_demo=True,
                  key=key)
    try:
        enc = ServiceContext(store=store, actor=ctx.actor)
        return median_time(lambda: home_summary(enc), repeat)
    finally:
        store.engine.dispose()


def measure_documents(rows: list[Row], ctx, tmp: Path, repeat: int,
                      con: sqlite3.Connection | None = None) -> None:
    from openpyxl import load_workbook
    from sqlalchemy import select

    from pfdesk.core.fiscal import fiscal_year_range
    from pfdesk.services.printing import PrintOptions, print_meeting_document
    from pfdesk.services.returns.snapshots import make_builtin_return
    from pfdesk.store.models import Body, Meeting

    start, end = fiscal_year_range(FY)
    out = tmp / "return.xlsx"
    t = median_time(lambda: make_builtin_return(ctx, start=start, end=end, out_path=out),
                    max(1, repeat // 2))
    wb = load_workbook(out)
    cells = [(ws.title, c.row, c.column, c.value) for ws in wb.worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    b = median_time(lambda: baselines.workbook(tmp / "bare.xlsx", cells), max(1, repeat // 2))
    rows.append(Row(f"return workbook ({len(cells):,} cells), figures and file", t, b,
                    "≤ 1.5x", 1.5))
    # The bare minimum of the same work also counts: the 年度's GROUP BY, then the cells
    # (on the SQLite file only: ``con``).
    if con is not None:
        gb = median_time(lambda: (baselines.fiscal_year_stats(con, FY),
                                  baselines.workbook(tmp / "bare.xlsx", cells)),
                         max(1, repeat // 2))
        rows.append(Row("return workbook, figures and file (baseline: GROUP BY + openpyxl)",
                        t, gb, "", None,
                        note="the baseline counts the 年度 statistics with hand-written "
                             "GROUP BY and writes the same cells; the support-cycle, "
                             "meeting, member and survey figures have no baseline"))
    # The same workbook's writing alone (the figures are the statistics measured above).
    from pfdesk.documents import return_workbook
    from pfdesk.services.returns import snapshots

    books = []
    saved = snapshots.save_return_workbook
    snapshots.save_return_workbook = lambda book, path: (books.append(book),
                                                         saved(book, path))[1]
    try:
        make_builtin_return(ctx, start=start, end=end, out_path=out)
    finally:
        snapshots.save_return_workbook = saved
    if books:
        w = median_time(lambda: return_workbook.save_return_workbook(books[0], out),
                        max(1, repeat // 2))
        rows.append(Row("return workbook, writing the file only", w, b, "≤ 1.5x", 1.5))

    with ctx.session() as s:
        meeting_id = s.scalar(
            select(Meeting.id).join(Body, Body.id == Meeting.body_id)
            .where(Body.kind == "support_meeting", Meeting.status == "held")
            .order_by(Meeting.held_on.desc()).limit(1))
    if meeting_id is None:
        return
    pdf = tmp / "packet.pdf"
    t = median_time(lambda: print_meeting_document(ctx, meeting_id, "packet", pdf,
                                                   PrintOptions()), max(1, repeat // 2))
    from pypdf import PdfReader

    pages = [(p.extract_text() or "").splitlines() for p in PdfReader(pdf).pages]
    font = ROOT / "resources" / "fonts" / "BIZUDGothic-Regular.ttf"
    bare_pdf = tmp / "bare.pdf"
    b = median_time(lambda: baselines.pdf_pages(bare_pdf, pages, font), max(1, repeat // 2))
    rows.append(Row(f"支援会議 packet ({len(pages)} pages), time", t, b, "≤ 1.5x", 1.5))
    # The size of the bare file made in a process of its own: in this one reportlab would
    # take the same font file, already registered by pfdesk, as an alias of pfdesk's font
    # and share its subsets, so the bare file would shrink with every change to pfdesk's.
    pages_json = tmp / "bare-pages.json"
    pages_json.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    subprocess.run([PY, "-c", "import json, sys; from pathlib import Path; "
                    "sys.path.insert(0, sys.argv[1]); import baselines; "
                    "baselines.pdf_pages(Path(sys.argv[2]), json.loads(Path(sys.argv[3])"
                    ".read_text(encoding='utf-8')), Path(sys.argv[4]))",
                    str(Path(__file__).resolve().parent), str(bare_pdf), str(pages_json),
                    str(font)], check=True)
    rows.append(Row(f"支援会議 packet ({len(pages)} pages), size", pdf.stat().st_size / 1024,
                    bare_pdf.stat().st_size / 1024, "≤ 1.3x", 1.3, unit="KB",
                    note="the bare file is written by a process of its own"))


def measure_imports(rows: list[Row], data: Path, tmp: Path, quick: bool) -> None:
    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store.engine import open_store

    copy = tmp / "import-copy"
    shutil.copytree(data, copy)
    store = open_store(DataPaths(copy), is_demo=True)
    try:
        imports(rows, ServiceContext(store=store, actor=Actor.local_admin()), tmp, quick)
    finally:
        store.close()


def imports(rows: list[Row], ctx, tmp: Path, quick: bool) -> None:
    """The two CSV imports into ``ctx``'s store (a copy of the town, or the server's town)."""
    from pfdesk.services.consultations.io import import_ledger
    from pfdesk.services.directory.importer import import_contacts

    n = 300 if quick else 10_000
    work = Path(tempfile.mkdtemp(dir=tmp))  # the baselines' own new databases
    path = contacts_csv(work / "contacts.csv", n)
    t0 = time.perf_counter()
    import_contacts(ctx, path, add_duplicates=True)
    t = time.perf_counter() - t0
    t0 = time.perf_counter()
    baselines.import_contacts_csv(path, work / "bare-contacts.sqlite3")
    b = time.perf_counter() - t0
    rows.append(Row(f"import {n:,} contacts (CSV)", t, b, "≤ 3x", 3.0))
    path = ledger_csv(work / "ledger.csv", n)
    t0 = time.perf_counter()
    import_ledger(ctx, path)
    t = time.perf_counter() - t0
    t0 = time.perf_counter()
    baselines.import_ledger_csv(path, work / "bare-ledger.sqlite3")
    b = time.perf_counter() - t0
    rows.append(Row(f"import {n:,}-row consultations ledger (CSV)", t, b, "≤ 3x", 3.0))


def on_server(args, file_rows: list[Row], con: sqlite3.Connection, tmp: Path,
              process_repeat: int) -> list[Row]:
    """The same works with the town built on the server; the baselines stay on the file."""
    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import build_demo
    from pfdesk.store.pg import open_server_store, server_version
    from pfdesk.store.url import describe, parse

    url = parse(args.database_url, where="--database-url")
    args.database_url_shown = describe(url)
    folder = tmp / "server-pc"
    store = open_server_store(DataPaths(folder), url, is_demo=True)
    rows: list[Row] = []
    try:
        print(f"server: PostgreSQL {server_version(store.engine)} at {describe(url)}")
        summary = build_demo(store, scale=args.scale)
        rows.append(Row(f"build the demo store (scale {args.scale})", summary.seconds, None,
                        "< 60 s at scale 100", 60 if args.scale >= 100 else None,
                        absolute=True))
        rows += [r for r in file_rows if r.work.startswith("CLI fixed cost")]  # no store
        ctx = ServiceContext(store=store, actor=Actor.local_admin())
        measure_search(rows, ctx, con, args.repeat)
        measure_lists(rows, ctx, con, args.repeat)
        measure_stats(rows, ctx, con, args.repeat)
        measure_documents(rows, ctx, tmp, args.repeat)
        if not args.no_gui:
            measure_gui(rows, folder, process_repeat, server=args.database_url)
        imports(rows, ctx, tmp, args.quick)  # last: they add to the server's town
    finally:
        store.close()
    return rows


def main() -> int:
    """Build the store, measure everything, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="fewer rows to import and one run per process measurement")
    parser.add_argument("--no-gui", action="store_true", help="skip the window measurements")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    parser.add_argument("--database-url", metavar="URL",
                        default=os.environ.get("PFDESK_BENCH_DATABASE_URL"),
                        help="also measure pfdesk on this PostgreSQL database (empty; "
                             "default: PFDESK_BENCH_DATABASE_URL)")
    args = parser.parse_args()

    from pfdesk.paths import DataPaths
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import build_demo
    from pfdesk.store.engine import open_store

    print(machine())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        # Processes run as an installed copy does, from compiled bytecode: a checkout
        # whose environment says PYTHONDONTWRITEBYTECODE would compile every module at
        # every start (0.1-0.2 s of start-up and of each page's first show). The
        # bytecode goes to a folder of this run, not into the source tree.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True,
                       capture_output=True)
        data = tmp / "store"
        store = open_store(DataPaths(data), is_demo=True)
        summary = build_demo(store, scale=args.scale)
        counts = summary.counts
        print(f"scale {args.scale}: {counts.get('consultation_case', 0):,} cases, "
              f"{counts.get('contact', 0):,} contacts, {counts.get('person', 0):,} people")
        rows.append(Row(f"build the demo store (scale {args.scale})", summary.seconds, None,
                        "< 60 s at scale 100", 60 if args.scale >= 100 else None,
                        absolute=True))
        store.checkpoint()
        ctx = ServiceContext(store=store, actor=Actor.local_admin())
        con = sqlite3.connect(data / "pfdesk.sqlite3")
        process_repeat = 1 if args.quick else 3
        measure_cli(rows, process_repeat)
        measure_search(rows, ctx, con, args.repeat)
        measure_lists(rows, ctx, con, args.repeat)
        measure_stats(rows, ctx, con, args.repeat)
        measure_documents(rows, ctx, tmp, args.repeat, con)
        server_rows = (on_server(args, rows, con, tmp, process_repeat)
                       if args.database_url else None)
        con.close()
        store.close()
        if not args.no_gui:
            measure_gui(rows, data, process_repeat)
        measure_imports(rows, data, tmp, args.quick)
    if server_rows is not None:
        print("pfdesk on the SQLite file:")
        print("\n".join(table(rows)))
        print(f"pfdesk on the server {args.database_url_shown}:")
    lines = table(server_rows, rows) if server_rows is not None else table(rows)
    print("\n".join(lines))
    for r in server_rows or rows:
        if r.note:
            print(f"note: {r.work}: {r.note}")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
