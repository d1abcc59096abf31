"""The audit chain detects edited, deleted and reordered events."""

from __future__ import annotations

import sqlite3

from pfdesk.services import audit
from pfdesk.services.settings import Municipality, save_municipality


def _write_events(ctx, n=5):
    for i in range(n):
        save_municipality(ctx, Municipality(name=f"町{i}", secretariat="保健福祉課"))


def _verify(store):
    with store.session() as s:
        return audit.verify_chain(s)


def test_untouched_chain_verifies(ctx, store):
    _write_events(ctx)
    assert _verify(store) is None


def test_edited_event_is_found(ctx, store):
    _write_events(ctx)
    con = sqlite3.connect(store.paths.store)
    con.execute("UPDATE audit_event SET user_name='someone' WHERE id=3")
    con.commit()
    con.close()
    brk = _verify(store)
    assert brk is not None and brk.event_id == 3


def test_deleted_event_is_found(ctx, store):
    _write_events(ctx)
    con = sqlite3.connect(store.paths.store)
    con.execute("DELETE FROM audit_event WHERE id=2")
    con.commit()
    con.close()
    brk = _verify(store)
    assert brk is not None and brk.event_id == 2
