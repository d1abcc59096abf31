"""The coded export: one row per contact with the case's coded attributes, no names.

Only the case number identifies the case; names, addresses, phone numbers, staff names and
free text are never written. Voided cases and voided contacts are left out, as in the
statistics. 年代 is the age on the day of the contact (the case's recorded 年代 when the
birth date is not known), and 初回相談日 is the case's first contact ever, so 実人数, 延べ件数
and 新規 of any period can be counted from the file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import SheetData, write_csv, write_xlsx
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import Case, Contact, Referral

_AGE_LABELS = {k: _(v) for k, v in AGE_BANDS}

CONTACT_HEADERS = [
    _("ケース番号"), _("相談日"), _("時刻"), _("年度"), _("月"), _("方法"), _("相談者区分"),
    _("続柄"), _("相手方"), _("相談内容（主）"), _("相談内容（すべて）"), _("性別"),
    _("年代（相談時）"), _("就労・就学状況"), _("状態の期間（受付時）"), _("相談経路"),
    _("受付日"), _("初回相談日"), _("ケース状況"), _("終結日"), _("終結理由"),
]
REFERRAL_HEADERS = [
    _("ケース番号"), _("紹介日"), _("年度"), _("つなぎ先区分"), _("つなぎ状況"), _("利用開始日"),
    _("終了・中断日"), _("初回相談日"),
]


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, the row counts and the character report for cp932."""

    path: str
    contacts: int
    referrals: int
    encoding_note: str


def _period_label(key: str) -> str:
    from pfdesk.core.fiscal import PERIOD_BANDS

    return dict((k, _(v)) for k, v in PERIOD_BANDS).get(key, key)


def _rows(s, fiscal_year: int | None):
    first = (
        select(Contact.case_id, func.min(Contact.occurred_at).label("first_at"))
        .where(Contact.voided_at.is_(None))
        .group_by(Contact.case_id)
        .subquery()
    )
    q = (
        select(Contact, Case, first.c.first_at)
        .join(Case, Case.id == Contact.case_id)
        .join(first, first.c.case_id == Contact.case_id)
        .where(Contact.voided_at.is_(None), Case.voided_at.is_(None))
        .order_by(Contact.occurred_at, Contact.id)
    )
    if fiscal_year is not None:
        q = q.where(Contact.occurred_at >= datetime(fiscal_year, 4, 1),
                    Contact.occurred_at < datetime(fiscal_year + 1, 4, 1))
    out = []
    for c, case, first_at in s.execute(q):
        day = c.occurred_at.date()
        topics = common.loads_codes(c.topics_json)
        out.append([
            case.case_number, day, c.occurred_at.strftime("%H:%M"), fiscal_year_of(day),
            day.month, codes.METHODS.label(c.method), codes.REQUESTERS.label(c.requester),
            c.relation, codes.COUNTERPARTS.label(c.counterpart), codes.TOPICS.label(c.main_topic),
            "、".join(codes.TOPICS.label(t) for t in topics), codes.SEXES.label(case.sex),
            _AGE_LABELS.get(common.case_age_band(case, day), case.age_band),
            codes.WORK_STATUSES.label(case.work_status), _period_label(case.onset_band),
            codes.ROUTES.label(case.route), case.intake_date, first_at.date(),
            codes.CASE_STATUSES.label(case.status), case.closed_on,
            codes.CLOSE_REASONS.label(case.close_reason) if case.close_reason else "",
        ])
    return out


def _referral_rows(s, fiscal_year: int | None):
    first = (
        select(Contact.case_id, func.min(Contact.occurred_at).label("first_at"))
        .where(Contact.voided_at.is_(None))
        .group_by(Contact.case_id)
        .subquery()
    )
    q = (
        select(Referral, Case.case_number, first.c.first_at)
        .join(Case, Case.id == Referral.case_id)
        .outerjoin(first, first.c.case_id == Referral.case_id)
        .where(Referral.voided_at.is_(None), Case.voided_at.is_(None))
        .order_by(Referral.referred_on, Referral.id)
    )
    if fiscal_year is not None:
        q = q.where(Referral.referred_on >= datetime(fiscal_year, 4, 1).date(),
                    Referral.referred_on <= datetime(fiscal_year + 1, 3, 31).date())
    return [
        [number, r.referred_on, fiscal_year_of(r.referred_on),
         codes.REFERRAL_CATEGORIES.label(r.category), codes.REFERRAL_STATUSES.label(r.status),
         r.started_on, r.ended_on, first_at.date() if first_at else None]
        for r, number, first_at in s.execute(q)
    ]


@service(Permission.CASE_READ, Permission.EXPORT_PERSONAL)
def export_contacts(
    ctx: ServiceContext,
    path: str | Path,
    fiscal_year: int | None = None,
    *,
    encoding: Literal["utf-8-sig", "cp932"] = "utf-8-sig",
) -> ExportResult:
    """Write the coded contacts (and, in a workbook, the referrals) of a 年度 or of all years.

    ``.xlsx`` gets two sheets (相談 and つなぎ); ``.csv`` gets the contacts, in ``encoding``
    (``utf-8-sig`` or ``cp932``).
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .xlsx か .csv にしてください。").format(
                name=out.name),
            field="path",
        )
    with ctx.session() as s:
        rows = _rows(s, fiscal_year)
        refs = _referral_rows(s, fiscal_year)
        note = ""
        if suffix == ".xlsx":
            write_xlsx(out, [SheetData(_("相談"), CONTACT_HEADERS, rows),
                             SheetData(_("つなぎ"), REFERRAL_HEADERS, refs)])
        else:
            report = write_csv(out, CONTACT_HEADERS, rows, encoding=encoding)
            note = report.summary()
        audit.record(s, ctx.actor, "consultations.export", "file", [out.name],
                     fiscal_year=fiscal_year, contacts=len(rows), referrals=len(refs))
        s.commit()
    return ExportResult(str(out), len(rows), len(refs) if suffix == ".xlsx" else 0, note)
