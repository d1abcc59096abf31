"""保存年限: how long case records are kept, the 廃棄候補一覧, and disposal.

Disposal blanks every personal field of a case and its records (names, kana,
birth date, address, phone, household, school or employer, free-text notes and
the search index) for good, and keeps the coded data statistics need. The age
band is fixed from the birth date first, so 年代 counts do not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import age_band, age_on, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit, disposal_meetings
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.identity_scan import IdentityIndex, case_entries
from pfdesk.services.settings import read_setting, write_setting
from pfdesk.store.engine import overwrite_deleted
from pfdesk.store.models import Case, CaseStatusChange, Consent, Contact, Draft, Referral, utcnow

PERIODS_KEY = "retention.periods"
#: Record type → (label, default years). 終結後 counts from 終結日, 取消後 from the void date.
RECORD_TYPES: dict[str, tuple[str, int]] = {
    "closed_case": (_("終結した相談ケース（終結後）"), 5),
    "voided_case": (_("取り消した相談ケース（取消後）"), 1),
}


@dataclass(frozen=True)
class RetentionPeriod:
    """One record type's retention period in years."""

    record_type: str
    label: str
    years: int


@dataclass(frozen=True)
class DisposalCandidate:
    """A case whose retention period has ended (only its number and dates: no names)."""

    case_id: int
    case_number: str
    record_type: str
    record_label: str
    status_label: str
    intake_date: date
    ended_on: date  # 終結日 or 取消日
    due_on: date  # the day it may be disposed of


def _periods(s: Session) -> dict[str, int]:
    stored = read_setting(s, PERIODS_KEY, {}) or {}
    return {k: int(stored.get(k, default)) for k, (_label, default) in RECORD_TYPES.items()}


@service(Permission.SETTINGS_READ)
def retention_periods(ctx: ServiceContext) -> list[RetentionPeriod]:
    """The retention period of each record type."""
    with ctx.session() as s:
        years = _periods(s)
    return [RetentionPeriod(k, label, years[k]) for k, (label, _d) in RECORD_TYPES.items()]


def _years_shown(years: Mapping[str, int]) -> SimpleNamespace:
    """Periods as a conflict message shows them (「7年」), one attribute per record type."""
    return SimpleNamespace(**{k: _("{n}年").format(n=years[k]) for k in RECORD_TYPES})


def periods_of(rows: list[RetentionPeriod]) -> dict[str, int]:
    """Record type → years, as a form keeps what it showed (its ``seen``)."""
    return {p.record_type: p.years for p in rows}


@service(Permission.RETENTION)
def set_retention_periods(ctx: ServiceContext, years: dict[str, int], *,
                          seen: Mapping[str, int] | None = None) -> list[RetentionPeriod]:
    """Set retention periods (1–30 years) by record type.

    ``seen`` is the periods the form showed (:func:`periods_of`): when another PC saved
    different ones since, nothing is written and an EditConflict says who and what changed
    (its ``current`` is ``Seen(0, periods as stored)``, the form's next ``seen``).
    """
    from pfdesk.services.edit_versions import check_shown

    with ctx.session() as s:
        current = _periods(s)
        check_shown(s, PERIODS_KEY,
                    None if seen is None else _years_shown({**current, **seen}),
                    _years_shown(current),
                    labels=[(k, label) for k, (label, _d) in RECORD_TYPES.items()],
                    what=_("保存年限"), action="retention.periods", stored=dict(current))
        for key, value in years.items():
            if key not in RECORD_TYPES:
                raise ValidationError(_("保存年限の種類「{k}」は使えません。").format(k=key))
            if not 1 <= int(value) <= 30:
                raise ValidationError(
                    _("{label}の保存年限は1〜30年で指定してください。").format(
                        label=RECORD_TYPES[key][0]), field=key)
            current[key] = int(value)
        write_setting(s, PERIODS_KEY, current)
        audit.record(s, ctx.actor, "retention.periods", "setting", [PERIODS_KEY], **current)
        s.commit()
    return retention_periods(ctx)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _candidates(s: Session, as_of: date) -> list[DisposalCandidate]:
    years = _periods(s)
    rows = s.execute(
        select(Case.id, Case.case_number, Case.status, Case.intake_date, Case.closed_on,
               Case.voided_at)
        .where(Case.disposed_at.is_(None))
        .where(or_(Case.closed_on.is_not(None), Case.voided_at.is_not(None)))
        .order_by(Case.fiscal_year, Case.serial)
    )
    out = []
    for r in rows:
        if r.voided_at is not None:
            kind, ended = "voided_case", r.voided_at.date()
        elif r.status == "closed" and r.closed_on is not None:
            kind, ended = "closed_case", r.closed_on
        else:
            continue  # reopened after closing: the case is active again
        due = _add_years(ended, years[kind])
        if due <= as_of:
            out.append(DisposalCandidate(
                r.id, r.case_number, kind, RECORD_TYPES[kind][0],
                codes.CASE_STATUSES.label(r.status), r.intake_date, ended, due,
            ))
    return out


def year_end(fiscal_year: int) -> date:
    """The last day of a 年度 (the yearly list is made as of that day)."""
    return fiscal_year_range(fiscal_year)[1]


@service(Permission.RETENTION)
def disposal_candidates(ctx: ServiceContext, as_of: date | None = None) -> list[DisposalCandidate]:
    """廃棄候補一覧: cases whose retention period has ended by ``as_of`` (default today)."""
    with ctx.session() as s:
        return _candidates(s, as_of or date.today())


CSV_HEADERS = (_("ケース番号"), _("種類"), _("状態"), _("受付日"), _("終結・取消日"),
               _("廃棄できる日"))


@service(Permission.RETENTION)
def export_candidates(ctx: ServiceContext, out: Path | str, as_of: date | None = None) -> int:
    """Write the 廃棄候補一覧 to a CSV file for the approval (決裁) before disposal."""
    from pfdesk.core.tabular import write_csv

    as_of = as_of or date.today()
    with ctx.session() as s:
        rows = _candidates(s, as_of)
        write_csv(out, CSV_HEADERS, [
            [c.case_number, c.record_label, c.status_label, c.intake_date.isoformat(),
             c.ended_on.isoformat(), c.due_on.isoformat()] for c in rows
        ], encoding="utf-8-sig")
        audit.record(s, ctx.actor, "retention.export", "consultation_case",
                     [c.case_id for c in rows], as_of=as_of.isoformat(), file=Path(out).name)
        s.commit()
    return len(rows)


#: Personal fields of a case, blanked on disposal.
#: Setting: the backup files that existed at a disposal (they hold the disposed cases).
BACKUPS_HOLDING_DISPOSED = "retention.backups_holding_disposed"

CASE_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "address", "phone",
               "household", "school_or_employer", "chief_complaint", "policy", "goal",
               "search_text", "void_reason")


@service(Permission.RETENTION, Permission.CASE_WRITE)
def dispose_cases(
    ctx: ServiceContext, case_ids: list[int], as_of: date | None = None, *, approval: str = ""
) -> list[str]:
    """Remove the personal data of the given candidates for good; returns their case numbers.

    Only cases on the 廃棄候補一覧 as of ``as_of`` (never later than today) are disposed
    of, under the 決裁番号 ``approval``; anything else given is refused before anything
    changes. The case's identity also leaves every meeting text, material and draft.
    """
    today = date.today()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError(
            _("廃棄の基準日（{d}）は今日より後にできません。").format(d=as_of.isoformat()),
            field="as_of", hint=_("保存年限が実際に過ぎたものだけを廃棄できます。"))
    if not approval.strip():
        raise ValidationError(_("廃棄の決裁番号を入力してください。"), field="approval",
                              hint=_("廃棄は決裁を経て行います。決裁文書の番号を記録します。"))
    with ctx.session() as s:
        # Overwrite freed space too, so blanked text does not linger in the file.
        overwrite_deleted(s)
        due = {c.case_id: c for c in _candidates(s, as_of)}
        wrong = [i for i in case_ids if i not in due]
        if wrong:
            raise ValidationError(
                _("保存年限が過ぎていないか、すでに廃棄したケースが含まれています（ID {ids}）。")
                .format(ids=", ".join(map(str, wrong))),
                hint=_("廃棄候補一覧を作り直してから選んでください。"),
            )
        now = utcnow()
        disposed = list(s.scalars(select(Case).where(Case.id.in_(case_ids))))
        # Who they were, gathered before it is erased, to find them in meeting text.
        index = IdentityIndex(e for c in disposed for e in case_entries(c, parts=False))
        with_parts = IdentityIndex(e for c in disposed for e in case_entries(c, parts=True))
        for case in disposed:
            _dispose(case, now)
        ids = list(case_ids)
        s.execute(update(Contact).where(Contact.case_id.in_(ids))
                  .values(body="", next_plan="", void_reason=""))
        s.execute(update(Referral).where(Referral.case_id.in_(ids))
                  .values(note="", void_reason=""))
        s.execute(update(Consent).where(Consent.case_id.in_(ids)).values(note="", void_reason=""))
        s.execute(update(CaseStatusChange).where(CaseStatusChange.case_id.in_(ids))
                  .values(reason=""))
        _drop_drafts(s, ids)
        from pfdesk.services.support.disposal import erase_case_text

        erase_case_text(s, ids)  # assessments, plans, evaluations, findings, people's names
        files = disposal_meetings.erase(s, ids, index, with_parts)
        from pfdesk.store import shared_files

        shared_files.forget(s, files)  # a server store's copies of the files go too
        s.flush()
        # The search index keeps removed text in its older segments until they are merged.
        from pfdesk.store.search_index import purge_deleted

        purge_deleted(s)
        numbers = [due[i].case_number for i in ids]
        # Every backup that exists now still holds these cases (see backup.py).
        from pfdesk.store.backups import list_backups

        held = {str(e.path) for e in list_backups(ctx.store.paths, verify=False)}
        held |= set(read_setting(s, BACKUPS_HOLDING_DISPOSED, []) or [])
        write_setting(s, BACKUPS_HOLDING_DISPOSED, sorted(held))
        audit.record(s, ctx.actor, "retention.dispose", "consultation_case", ids,
                     case_numbers=numbers, as_of=as_of.isoformat(), approval=approval.strip(),
                     materials_removed=len(files))
        s.commit()
    ctx.store.checkpoint()  # the old page images leave the WAL too
    disposal_meetings.shred_files(ctx.store.paths.attachments, files)
    return numbers


def _drop_drafts(s: Session, case_ids: list[int]) -> None:
    """Autosaved text of the disposed cases (keys as the consultation screens make them)."""
    contact_ids = s.scalars(select(Contact.id).where(Contact.case_id.in_(case_ids))).all()
    keys = [f"contact:{i}" for i in contact_ids]
    for cid in case_ids:
        keys += [f"contact:new:{cid}", f"quick:{cid}"]
    # Declarative types __table__ as any FromClause; a mapped class's is always a Table.
    s.execute(cast(Table, Draft.__table__).delete().where(
        Draft.draft_key.in_(keys)
        | or_(*(Draft.draft_key.like(f"case:{cid}:%") for cid in case_ids))))


def _dispose(case: Case, now: datetime) -> None:
    if case.birth_date is not None and case.age_band in ("", "unknown"):
        case.age_band = age_band(age_on(case.birth_date, case.intake_date))
    for name in CASE_FIELDS:
        setattr(case, name, "")
    case.birth_date = None
    case.disposed_at = now
