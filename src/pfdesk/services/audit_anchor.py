"""The 監査ログ確認票 as a use case: gather the period, print it, erase the first key.

Printed monthly (the home page reminds the administrator when a month has passed)
and on demand. The first sheet also carries the 検証キー, which is erased from the
PC once the sheet has been written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit, audit_seal
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import load_municipality
from pfdesk.store.engine import overwrite_deleted
from pfdesk.store.models import AuditEvent, AuditSeal

#: A sheet is due when the last one anchors nothing newer than this.
SHEET_INTERVAL = timedelta(days=31)


@dataclass(frozen=True)
class SheetInfo:
    """A sheet written: where, which entry it anchors, and whether it held the first key."""

    path: Path
    anchor: str
    with_key: bool


@dataclass(frozen=True)
class AnchorStatus:
    """Whether a sheet is due, for the home page and the audit screen."""

    due: bool
    key_pending: bool  # the first key is still on the PC: print the first sheet
    last_sheet_id: int


def _local_day(at: datetime) -> date:
    return at.replace(tzinfo=UTC).astimezone().date()


@service(Permission.AUDIT_READ)
def anchor_status(ctx: ServiceContext) -> AnchorStatus:
    """Is a 監査ログ確認票 due (never printed, the first key still here, or a month since)?"""
    with ctx.session() as s:
        state = s.get(AuditSeal, audit_seal.SEAL_ID)
        if state is None:
            return AnchorStatus(False, False, 0)
        last_at = s.scalar(select(AuditEvent.at).where(AuditEvent.id == state.sheet_id))
    since = last_at or state.started_at
    due = bool(state.verify_key_pending) or datetime.now(UTC).replace(tzinfo=None) - since \
        > SHEET_INTERVAL
    return AnchorStatus(due, bool(state.verify_key_pending), state.sheet_id)


@service(Permission.AUDIT_READ)
def print_audit_sheet(ctx: ServiceContext, out: Path | str) -> SheetInfo:
    """Write the 監査ログ確認票 for the entries since the last sheet to ``out`` (PDF)."""
    from pfdesk.documents.audit_sheet import AuditSheetData, write_audit_sheet

    target = Path(out)
    with ctx.session() as s:
        overwrite_deleted(s)  # the erased key is overwritten in the file
        # Logged first: the sheet anchors the entry that says it was printed.
        ev = audit.record(s, ctx.actor, "audit.sheet", "audit_event", [], file=target.name)
        s.flush()
        state = s.get(AuditSeal, audit_seal.SEAL_ID)
        if state is None:  # pragma: no cover - record() always seals
            raise KnownError(_("監査ログの封印が始まっていません。"))
        first_id = state.sheet_id + 1
        first_at = s.scalar(select(AuditEvent.at).where(AuditEvent.id == first_id)) or ev.at
        total = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
        town = load_municipality(s)
        data = AuditSheetData(
            municipality=town.name or _("（自治体名未設定）"),
            printed_on=format_date(date.today()),
            period=f"{format_date(_local_day(first_at))} ～ {format_date(_local_day(ev.at))}",
            first_id=first_id, last_id=ev.id, entries=ev.id - first_id + 1, total=total,
            anchor=f"{ev.id}:{audit_seal.anchor_code(ev.hash)}",
            verify_key=audit_seal.format_key(state.verify_key_pending)
            if state.verify_key_pending else None,
        )
        write_audit_sheet(target, data)  # the key leaves the PC only once it is on the sheet
        state.verify_key_pending = ""
        state.sheet_id = ev.id
        s.commit()
    ctx.store.checkpoint()  # and leaves the WAL
    return SheetInfo(target, data.anchor, data.verify_key is not None)
