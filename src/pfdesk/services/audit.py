"""The audit log: append-only, hash-chained events of who did what to which records.

Each event's hash covers its own fields and the previous event's hash, so an
edited, deleted or reordered row breaks the chain at a point ``verify`` names.
Deleting the *newest* rows leaves a shorter chain that still links up, so the
newest entry's number and hash are also kept outside the store, in
``audit-head.json`` beside it (written after every commit that adds entries).
A log shorter than that head is reported by ``verify``; when pfdesk itself next
writes to such a log it first appends an ``audit.gap`` entry, so the deletion
stays visible in the chain even after the head file moves on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Row, event, select
from sqlalchemy.orm import Session

from pfdesk.core.atomic import atomic_write
from pfdesk.core.errors import KnownError
from pfdesk.paths import DataPaths
from pfdesk.services import audit_seal
from pfdesk.store.engine import OUTER_SESSION
from pfdesk.store.models import AuditEvent, utcnow

log = logging.getLogger(__name__)

GENESIS = "0" * 64
_PENDING = "pfdesk_audit_head"  # session.info key: the head to write after commit
_CHECKED = "pfdesk_audit_head_checked"  # session.info key: head file compared already


def _digest(prev_hash: str, ev: AuditEvent) -> str:
    payload = json.dumps(
        [
            ev.id, ev.at.isoformat(timespec="microseconds"), ev.user_name, ev.action,
            ev.target_type, ev.target_ids, ev.detail_json, prev_hash,
        ],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Head:
    """The newest entry the log had when pfdesk last wrote to it."""

    id: int
    hash: str


def head_path(session: Session) -> Path | None:
    """Where the head of this session's store is kept (None for an in-memory store).

    A store on a PostgreSQL server has one log shared by every PC: each PC keeps the
    newest entry *it* wrote, in its own data folder, one file per server
    (:func:`pfdesk.store.pg.open_server_store` names it). Entries deleted back past what
    any PC last wrote are found by that PC.
    """
    engine = session.get_bind().engine
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return getattr(engine, "pfdesk_audit_head", None)
    db = url.database
    if not db or db == ":memory:":
        return None
    return DataPaths(Path(db).parent).audit_head


def read_head(path: Path | None) -> Head | None:
    """The saved head, or None when there is none (or it cannot be read)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(data["id"]), str(data["hash"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("audit head file %s is unreadable", path)
        return None


def _write_head(path: Path, head: Head) -> None:
    with atomic_write(path, "w") as fh:
        json.dump({"id": head.id, "hash": head.hash}, fh)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    session.info.pop(_CHECKED, None)
    if pending is None:
        return
    outer = session.info.get(OUTER_SESSION)
    if outer is not None:
        # A nested unit's commit is only a savepoint: its head is written when the
        # outer transaction commits, never before the entries are on disk.
        held = outer.info.get(_PENDING)
        if held is None or held[1].id < pending[1].id:
            outer.info[_PENDING] = pending
        return
    path, head = pending
    try:
        _write_head(path, head)
    except KnownError as e:  # a full disk, a read-only folder: the commit stands, and the
        # sealed key state still shows where the log ends; verify says if the head lags.
        log.warning("could not write the audit head %s: %s", path.name, e.message)
    except Exception:  # a bug: logged with its traceback
        log.exception("could not write the audit head %s", path)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_CHECKED, None)


def _append(session: Session, last, actor_name: str, action: str, target_type: str,
            target_ids: str, detail: dict) -> AuditEvent:
    prev_hash = last.hash if last else GENESIS
    ev = AuditEvent(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        user_name=actor_name,
        action=action,
        target_type=target_type,
        target_ids=target_ids,
        detail_json=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=prev_hash,
    )
    ev.hash = _digest(prev_hash, ev)
    session.add(ev)
    session.flush()
    audit_seal.seal(session, ev)
    return ev


def _lost_tail(session: Session, head: Head | None, last) -> bool:
    """True when entries up to ``head`` were there once and are gone or changed now."""
    if head is None:
        return False
    if last is None or head.id > last.id:
        return True
    saved = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == head.id))
    return saved != head.hash


def record(
    session: Session,
    actor,
    action: str,
    target_type: str = "",
    target_ids: Iterable[int | str] = (),
    **detail,
) -> AuditEvent:
    """Append one event in the caller's transaction (committed with the work it describes)."""
    last: Row[int, str] | AuditEvent | None = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    path = head_path(session)
    if path is not None and not session.info.get(_CHECKED):
        session.info[_CHECKED] = True
        head = read_head(path)
        if head is not None and _lost_tail(session, head, last):
            gap = _append(session, last, "pfdesk", "audit.gap", "audit_event",
                          str(head.id), {"expected_last_id": head.id,
                                         "found_last_id": last.id if last else 0})
            last = gap
    ev = _append(session, last, actor.user_name, action, target_type,
                 ",".join(str(i) for i in target_ids), detail)
    if path is not None:
        session.info[_PENDING] = (path, Head(ev.id, ev.hash))
    return ev


def forget_head(paths: DataPaths) -> None:
    """Drop the saved head (after a restore replaced the log with an older one on purpose)."""
    paths.audit_head.unlink(missing_ok=True)


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    event_id: int
    at: datetime | None
    reason: str
    detail: str = ""


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
        if ev.action == "audit.gap":
            found = json.loads(ev.detail_json or "{}").get("found_last_id", ev.id - 1)
            return ChainBreak(int(found) + 1, ev.at, "gap", ev.target_ids)
        prev_hash = ev.hash
        expected_id += 1
    return None


def verify_head(session: Session) -> ChainBreak | None | bool:
    """Compare the log's end with the saved head.

    A :class:`ChainBreak` when newer entries than the log's last one existed (or the
    entry at the head changed), ``False`` when there is no saved head to compare
    with, ``None`` when the log ends where it should.
    """
    path = head_path(session)
    head = read_head(path)
    if head is None:
        return False
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if last is None or head.id > last.id:
        return ChainBreak((last.id + 1) if last else 1, None, "tail", str(head.id))
    saved = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == head.id))
    if saved != head.hash:
        return ChainBreak(head.id, None, "head_hash")
    return None
