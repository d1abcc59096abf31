"""Two writers on one store: they queue for the lock, never fail half way or with a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import select

from pfdesk.services.audit_log import verify_audit
from pfdesk.store.models import Case

WRITER = textwrap.dedent("""
    import json, sys
    from datetime import date
    from pfdesk.core.errors import KnownError
    from pfdesk.paths import DataPaths
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store.engine import open_store

    root, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = open_store(DataPaths(__import__("pathlib").Path(root)))
    ctx = ServiceContext(store=store, actor=Actor.local_admin())
    print("ready", flush=True)
    sys.stdin.readline()  # every writer starts at the same moment
    made, known, raw = [], [], []
    for i in range(count):
        try:
            made.append(cases.create_case(ctx, CaseInput(
                intake_date=date(2026, 6, 1), family_name=who, given_name=str(i))).case_number)
        except KnownError as e:
            known.append(e.message)
        except Exception as e:  # a raw exception is what this test looks for
            raw.append(f"{type(e).__name__}: {e}")
    store.close()
    print(json.dumps({"made": made, "known": known, "raw": raw}), flush=True)
""")


def _writers(root, n: int, count: int) -> list[dict]:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), f"w{k}", str(count)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for k in range(n)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, _err = p.communicate(timeout=180)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_concurrent_case_saves_all_succeed_with_distinct_numbers(ctx):
    root = ctx.store.paths.root
    results = _writers(root, 4, 15)
    raw = [r for res in results for r in res["raw"]]
    known = [k for res in results for k in res["known"]]
    assert raw == [] and known == []
    made = [m for res in results for m in res["made"]]
    assert len(made) == 60 and len(set(made)) == 60
    with ctx.session() as s:
        serials = sorted(s.scalars(select(Case.serial)))
    assert serials == list(range(1, 61))  # no number lost or handed out twice
    assert verify_audit(ctx).ok


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from pfdesk.paths import DataPaths
    from pfdesk.store.engine import open_store
    store = open_store(DataPaths(Path(sys.argv[1])))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO setting(key, value_json, updated_at) VALUES ('x', 'null', '2026-01-01')")
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def test_a_lock_held_too_long_is_a_message_naming_who_holds_it(ctx, monkeypatch):
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.store import engine as engine_mod
    from pfdesk.store.errors import StoreBusy

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ctx.store.paths.root), "20"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", 300)
        ctx.store.reopen(key=None)  # new connections with the short wait
        from datetime import date

        started = time.monotonic()
        with pytest.raises(StoreBusy) as e:
            cases.create_case(ctx, CaseInput(intake_date=date(2026, 6, 1), family_name="森"))
        assert time.monotonic() - started < 10
        text = e.value.user_text()
        assert "使用中" in text and "pfdesk" in text  # names the other pfdesk process
        assert "まだ保存されていません" in text
    finally:
        holder.kill()
        holder.wait()
    with ctx.session() as s:
        assert list(s.scalars(select(Case.id))) == []  # nothing half-saved


def test_two_pfdesk_starting_at_the_same_moment_do_not_refuse_each_other(ctx):
    # Each start runs the start-up recovery check under the replacement lock; a second
    # start waits the moment it takes instead of reporting a restore in progress.
    import threading

    from pfdesk.store import safefile
    from pfdesk.store.engine import open_store

    paths = ctx.store.paths
    held = threading.Event()

    def other_start():
        with safefile.replace_lock(paths):
            held.set()
            time.sleep(0.5)

    t = threading.Thread(target=other_start)
    t.start()
    held.wait(5)
    store = open_store(paths)  # would raise 「別の pfdesk がデータの復元…」 before
    store.close()
    t.join()
