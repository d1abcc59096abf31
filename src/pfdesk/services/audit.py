"""The audit log: append-only, hash-chained events of who did what to which records.

Each event's hash covers its own fields and the previous event's hash, so an
edited, deleted or reordered row breaks the chain at a point ``verify`` names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.store.models import AuditEvent, utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, ev: AuditEvent) -> str:
    payload = json.dumps(
        [
            ev.id, ev.at.isoformat(timespec="microseconds"), ev.user_name, ev.action,
            ev.target_type, ev.target_ids, ev.detail_json, prev_hash,
        ],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor,
    action: str,
    target_type: str = "",
    target_ids: Iterable[int | str] = (),
    **detail,
) -> AuditEvent:
    """Append one event in the caller's transaction (committed with the work it describes)."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    ev = AuditEvent(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        user_name=actor.user_name,
        action=action,
        target_type=target_type,
        target_ids=",".join(str(i) for i in target_ids),
        detail_json=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=prev_hash,
    )
    ev.hash = _digest(prev_hash, ev)
    session.add(ev)
    session.flush()
    return ev


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    event_id: int
    at: datetime | None
    reason: str


def verify_chain(session: Session) -> ChainBreak | None:
    """Walk the log in order; the first event that does not verify, or None if all do."""
    prev_hash = GENESIS
    expected_id = 1
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if ev.id != expected_id:
            return ChainBreak(expected_id, None, "missing")
        if ev.prev_hash != prev_hash:
            return ChainBreak(ev.id, ev.at, "prev_hash")
        if _digest(prev_hash, ev) != ev.hash:
            return ChainBreak(ev.id, ev.at, "hash")
        prev_hash = ev.hash
        expected_id += 1
    return None
