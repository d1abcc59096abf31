"""ケース: create, edit, view, status changes (受付 → 支援中 → 見守り → 終結, reopening), 取消.

A case number is the 年度 of the intake date plus a serial from ``SerialCounter``
(R8-0012); a number once handed out is never given again, even when the case is voided.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.fiscal import AGE_BANDS, fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.core.kana import to_katakana
from pfdesk.core.normalize import clean_text, normalize_phone
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import parse_year_month
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import last_editor
from pfdesk.services.masking import MASK, can_identify, masked
from pfdesk.store.models import Case, CaseStatusChange, Contact, Organization, utcnow

_AGE_KEYS = [k for k, _label in AGE_BANDS]


@dataclass(frozen=True)
class CaseInput:
    """What the new-case and edit forms send. Multi-valued codes are tuples of keys."""

    intake_date: date
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    sex: str = "unknown"
    birth_date: date | None = None
    age_band: str = "unknown"  # used when the birth date is not known
    address: str = ""
    phone: str = ""
    household: str = ""
    school_or_employer: str = ""
    work_status: str = "unknown"
    onset: str = ""  # 状態の開始時期: "YYYY-MM", "YYYY" or "" (不明)
    route: str = "unknown"
    route_org_id: int | None = None
    intake_staff: str = ""
    lead_staff: str = ""
    chief_complaint: str = ""
    issues: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    policy: str = ""
    goal: str = ""


@dataclass(frozen=True)
class StatusChange:
    """One line of a case's status history."""

    changed_on: date
    from_status: str
    to_status: str
    reason: str
    changed_by: str


@dataclass(frozen=True)
class CaseDetail:
    """A case as the detail screen shows it; identifying fields are masked for some roles."""

    id: int
    case_number: str
    fiscal_year: int
    intake_date: date
    status: str
    status_label: str
    closed_on: date | None
    close_reason: str
    voided: bool
    void_reason: str
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    full_name: str
    sex: str
    birth_date: date | None
    age_band: str  # 年代 today (from the birth date when known)
    recorded_age_band: str
    address: str
    phone: str
    household: str
    school_or_employer: str
    work_status: str
    onset: str
    route: str
    route_org_id: int | None
    route_org_name: str
    intake_staff: str
    lead_staff: str
    chief_complaint: str
    issues: tuple[str, ...]
    triggers: tuple[str, ...]
    policy: str
    goal: str
    identifiable: bool  # False when the names above are masks
    history: list[StatusChange] = field(default_factory=list)
    contact_count: int = 0
    last_contact: datetime | None = None
    version: int = 1  # counted up by every saved edit (see update_case)


def _validate(data: CaseInput) -> CaseInput:
    for code_list, key, name in (
        (codes.SEXES, data.sex, "sex"),
        (codes.WORK_STATUSES, data.work_status, "work_status"),
        (codes.ROUTES, data.route, "route"),
    ):
        common.check_code(code_list, key, name)
    if data.age_band not in _AGE_KEYS:
        raise ValidationError(_("年代の区分が正しくありません。"), field="age_band")
    for key in data.issues:
        common.check_code(codes.TOPICS, key, "issues")
    for key in data.triggers:
        common.check_code(codes.TRIGGERS, key, "triggers")
    if not (data.family_name.strip() or data.family_kana.strip()):
        raise ValidationError(
            _("本人の氏名かふりがなのどちらかを入力してください。"),
            field="family_name",
            hint=_("名前が分からないときは「不明」と入力してください。"),
        )
    if data.birth_date is not None and data.birth_date > data.intake_date:
        raise ValidationError(
            _("生年月日が受付日より後になっています。"), field="birth_date",
            hint=_("生年月日を確かめてください。分からない場合は空欄にして年代を選びます。"),
        )
    try:  # 平成30年頃, H30.4, 2018年4月 … kept as 2018-04 / 2018
        onset = parse_year_month(data.onset)
    except ValidationError as e:
        raise ValidationError(
            _("状態の開始時期「{value}」を読み取れません。").format(value=data.onset.strip()),
            field="onset", hint=e.hint) from e
    return replace(data, onset=onset)


def _valid_onset(text: str) -> bool:
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
    except ValueError:
        return False
    return len(parts) <= 2 and 1900 <= year <= 2200 and 1 <= month <= 12


def onset_date(onset: str) -> date | None:
    """The first day of the 状態の開始時期 text ("2020-04" → 2020-04-01), None if unknown."""
    if not onset or not _valid_onset(onset):
        return None
    parts = onset.split("-")
    return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, 1)


def _apply(case: Case, data: CaseInput) -> None:
    from pfdesk.core.fiscal import period_band

    case.intake_date = data.intake_date
    case.family_name = clean_text(data.family_name)
    case.given_name = clean_text(data.given_name)
    # Readings are kept in katakana so the list sorts them in one order in SQL.
    case.family_kana = to_katakana(clean_text(data.family_kana))
    case.given_kana = to_katakana(clean_text(data.given_kana))
    case.sex = data.sex
    case.birth_date = data.birth_date
    # With a birth date the age band at intake is kept too, so coded exports have it
    # even after the personal fields are disposed of.
    case.age_band = (
        common.case_age_band(
            Case(birth_date=data.birth_date, age_band=data.age_band), data.intake_date
        )
        if data.birth_date
        else data.age_band
    )
    case.address = clean_text(data.address)
    case.phone = normalize_phone(data.phone) if data.phone.strip() else ""
    case.household = data.household.strip()
    case.school_or_employer = clean_text(data.school_or_employer)
    case.work_status = data.work_status
    case.onset = data.onset.strip()
    start = onset_date(case.onset)
    case.onset_band = (
        period_band(start, data.intake_date) if start and start <= data.intake_date else "unknown"
    )
    case.route = data.route
    case.route_org_id = data.route_org_id
    case.intake_staff = clean_text(data.intake_staff)
    case.lead_staff = clean_text(data.lead_staff)
    case.chief_complaint = data.chief_complaint.strip()
    case.issues_json = common.dumps_codes(data.issues)
    case.triggers_json = common.dumps_codes(data.triggers)
    case.policy = data.policy.strip()
    case.goal = data.goal.strip()


def _detail(s, actor, case: Case) -> CaseDetail:
    ident = can_identify(actor)
    org_name = ""
    if case.route_org_id:
        org = s.get(Organization, case.route_org_id)
        org_name = org.name if org else ""
    history = [
        StatusChange(h.changed_on, h.from_status, h.to_status,
                     masked(actor, h.reason) if h.reason else "", h.changed_by)
        for h in s.scalars(
            select(CaseStatusChange)
            .where(CaseStatusChange.case_id == case.id)
            .order_by(CaseStatusChange.changed_on, CaseStatusChange.id)
        )
    ]
    count, last = s.execute(
        select(func.count(Contact.id), func.max(Contact.occurred_at)).where(
            Contact.case_id == case.id, Contact.voided_at.is_(None)
        )
    ).one()

    def m(value: str) -> str:
        return value if ident or not value else MASK

    today = common.today_for(s)
    return CaseDetail(
        id=case.id, case_number=case.case_number, fiscal_year=case.fiscal_year,
        intake_date=case.intake_date, status=case.status,
        status_label=codes.CASE_STATUSES.label(case.status), closed_on=case.closed_on,
        close_reason=case.close_reason, voided=case.voided_at is not None,
        void_reason=case.void_reason,
        family_name=masked(actor, case.family_name), given_name=masked(actor, case.given_name),
        family_kana=masked(actor, case.family_kana), given_kana=masked(actor, case.given_kana),
        full_name=masked(actor, case.full_name), sex=case.sex,
        birth_date=case.birth_date if ident else None,
        age_band=common.case_age_band(case, today), recorded_age_band=case.age_band,
        address=m(case.address), phone=m(case.phone), household=m(case.household),
        school_or_employer=m(case.school_or_employer), work_status=case.work_status,
        onset=case.onset, route=case.route, route_org_id=case.route_org_id,
        route_org_name=org_name, intake_staff=case.intake_staff, lead_staff=case.lead_staff,
        chief_complaint=m(case.chief_complaint), issues=common.loads_codes(case.issues_json),
        triggers=common.loads_codes(case.triggers_json), policy=m(case.policy),
        goal=m(case.goal), identifiable=ident, history=history,
        contact_count=count or 0, last_contact=last, version=case.version or 1,
    )


#: The case form's fields, as a conflict names them.
FORM_FIELDS = (
    ("intake_date", _("受付日")), ("family_name", _("氏名（姓）")), ("given_name", _("氏名（名）")),
    ("family_kana", _("ふりがな（姓）")), ("given_kana", _("ふりがな（名）")), ("sex", _("性別")),
    ("birth_date", _("生年月日")), ("recorded_age_band", _("年代")), ("address", _("住所")),
    ("phone", _("連絡先")), ("household", _("同居家族")),
    ("school_or_employer", _("学校・勤務先")), ("work_status", _("就労・就学状況")),
    ("onset", _("状態の開始時期")), ("route", _("相談経路")), ("route_org_name", _("経路の機関")),
    ("intake_staff", _("受付者")), ("lead_staff", _("主担当")), ("chief_complaint", _("主訴")),
    ("issues", _("相談内容")), ("triggers", _("きっかけ")), ("policy", _("支援方針")),
    ("goal", _("目標")),
)


def shown_value(value) -> str:
    """A field's value in a conflict message: 40 characters at most, （空欄） when empty."""
    if value is None or value == "":
        return _("（空欄）")
    if isinstance(value, tuple):
        return "・".join(value) or _("（空欄）")
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:40] + "…"


def _conflict(s, actor, case: Case, seen: CaseDetail) -> EditConflict:
    """What another save changed since ``seen`` was shown, as an EditConflict."""
    now = _detail(s, actor, case)
    changed = tuple((label, shown_value(getattr(now, name))) for name, label in FORM_FIELDS
                    if getattr(now, name) != getattr(seen, name))
    who = last_editor(s, ("consultations.case.edit",), case.id)
    lines = [_("このケース（{number}）は、あなたが画面を開いた後に、ほかのパソコンか画面で"
               "保存されています{who}。あなたの入力はまだ保存していません。").format(
                   number=case.case_number, who=f"（{who}）" if who else "")]
    if changed:
        lines.append(_("その保存で変わった項目:"))
        lines += [f"・{label}: {value}" for label, value in changed]
    return EditConflict(
        "\n".join(lines), current=now, changed=changed,
        hint=_("あなたの入力は画面に残っています。上の変更を確かめてから、もう一度「保存」を"
               "押すと、あなたの入力で保存します。"))


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def create_case(ctx: ServiceContext, data: CaseInput) -> CaseDetail:
    """Open a new case (受付) with the next case number of its 年度."""
    data = _validate(data)
    with ctx.session() as s:
        fy = fiscal_year_of(data.intake_date)
        serial = common.next_serial(s, common.CASE_SERIAL_SCOPE, fy)
        case = Case(
            case_number=common.format_case_number(fy, serial), fiscal_year=fy, serial=serial,
            status="intake",
        )
        _apply(case, data)
        s.add(case)
        s.flush()
        s.add(CaseStatusChange(
            case_id=case.id, changed_on=data.intake_date, from_status="", to_status="intake",
            changed_by=ctx.actor.display_name, created_at=utcnow(),
        ))
        common.refresh_search_text(s, case)
        audit.record(s, ctx.actor, "consultations.case.create", "case", [case.id],
                     case_number=case.case_number)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def update_case(ctx: ServiceContext, case_id: int, data: CaseInput, *,
                seen: CaseDetail | None = None) -> CaseDetail:
    """Save edits to a case's 本人 and support fields (the case number never changes).

    ``seen`` is the case as the form showed it: when the case was saved elsewhere since,
    nothing is saved and an EditConflict says what changed (the form keeps the text).
    """
    data = _validate(data)
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        if seen is not None and seen.version != (case.version or 1):
            raise _conflict(s, ctx.actor, case, seen)
        case.version = (case.version or 1) + 1
        before = {c: getattr(case, c) for c in ("sex", "route", "lead_staff", "work_status")}
        _apply(case, data)
        common.refresh_search_text(s, case)
        changed = sorted(k for k, v in before.items() if getattr(case, k) != v)
        audit.record(s, ctx.actor, "consultations.case.edit", "case", [case.id],
                     case_number=case.case_number, coded_changes=changed)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_READ)
def get_case(ctx: ServiceContext, case_id: int) -> CaseDetail:
    """One case for the detail screen; the view is recorded in the audit log."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        audit.record(s, ctx.actor, "consultations.case.view", "case", [case.id],
                     identifying=can_identify(ctx.actor))
        s.commit()
        return _detail(s, ctx.actor, case)


def _add_change(s, case: Case, actor, on: date, to_status: str, reason: str) -> None:
    if on < case.intake_date:
        raise ValidationError(
            _("日付が受付日（{intake}）より前になっています。").format(intake=case.intake_date),
            field="changed_on",
        )
    s.add(CaseStatusChange(
        case_id=case.id, changed_on=on, from_status=case.status, to_status=to_status,
        reason=reason, changed_by=actor.display_name, created_at=utcnow(),
    ))
    case.status = to_status


@service(Permission.CASE_WRITE)
def change_status(
    ctx: ServiceContext, case_id: int, to_status: str, on: date, reason: str = ""
) -> CaseDetail:
    """Move an open case between 受付, 支援中 and 見守り (closing and reopening have their own)."""
    if to_status not in ("intake", "active", "watch"):
        raise ValidationError(_("この画面では終結にできません。「終結」を使ってください。"),
                              field="status")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        if case.status == "closed":
            raise ValidationError(
                _("ケース {number} は終結しています。").format(number=case.case_number),
                hint=_("支援を再開するときは「再開」を使ってください。"),
            )
        if case.status == to_status:
            return _detail(s, ctx.actor, case)
        old = case.status
        _add_change(s, case, ctx.actor, on, to_status, reason.strip())
        audit.record(s, ctx.actor, "consultations.case.status", "case", [case.id],
                     case_number=case.case_number, from_status=old, to_status=to_status)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_WRITE)
def close_case(
    ctx: ServiceContext, case_id: int, on: date, reason: str, note: str = ""
) -> CaseDetail:
    """終結: close a case on ``on`` for one of the 終結理由 (note optional)."""
    common.check_code(codes.CLOSE_REASONS, reason, "close_reason")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        if case.status == "closed":
            raise ValidationError(
                _("ケース {number} はすでに終結しています。").format(number=case.case_number)
            )
        from pfdesk.services.support.reviews import require_evaluation_before_close

        require_evaluation_before_close(s, case)  # a plan is evaluated before closure
        text = codes.CLOSE_REASONS.label(reason) + (f"：{note.strip()}" if note.strip() else "")
        _add_change(s, case, ctx.actor, on, "closed", text)
        case.closed_on = on
        case.close_reason = reason
        audit.record(s, ctx.actor, "consultations.case.close", "case", [case.id],
                     case_number=case.case_number, reason=reason)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_WRITE)
def reopen_case(
    ctx: ServiceContext, case_id: int, on: date, reason: str, to_status: str = "active"
) -> CaseDetail:
    """再開: reopen a closed case (the earlier closure stays in the history)."""
    reason = common.require_text(reason, "reason", _("再開の理由"))
    if to_status not in ("active", "watch"):
        raise ValidationError(_("再開後の状況は「支援中」か「見守り」です。"), field="status")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        if case.status != "closed":
            raise ValidationError(
                _("ケース {number} は終結していないため再開できません。").format(
                    number=case.case_number)
            )
        if case.closed_on and on < case.closed_on:
            raise ValidationError(_("再開日が終結日より前になっています。"), field="changed_on")
        _add_change(s, case, ctx.actor, on, to_status, reason)
        case.closed_on = None
        case.close_reason = ""
        audit.record(s, ctx.actor, "consultations.case.reopen", "case", [case.id],
                     case_number=case.case_number)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_WRITE)
def void_case(ctx: ServiceContext, case_id: int, reason: str) -> CaseDetail:
    """取消: mark a case entered by mistake; it stays in the history with the reason."""
    reason = common.require_text(reason, "reason", _("取消の理由"))
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        case.voided_at = utcnow()
        case.void_reason = reason
        case.voided_by = ctx.actor.display_name
        audit.record(s, ctx.actor, "consultations.case.void", "case", [case.id],
                     case_number=case.case_number)
        s.commit()
        return _detail(s, ctx.actor, case)


@service(Permission.CASE_READ)
def staff_names(ctx: ServiceContext) -> list[str]:
    """Everyone recorded as 主担当 or 対応者, for the filter and the form's suggestions."""
    with ctx.session() as s:
        leads = s.scalars(select(Case.lead_staff).distinct()).all()
        staff = s.scalars(select(Contact.staff).distinct()).all()
    return sorted({n for n in (*leads, *staff) if n})


@service(Permission.CASE_READ)
def case_fiscal_years(ctx: ServiceContext) -> list[int]:
    """The 年度 that have cases, newest first (for the filter)."""
    with ctx.session() as s:
        years = s.scalars(select(Case.fiscal_year).distinct()).all()
        today = common.today_for(s)
    return sorted({*years, fiscal_year_of(today)}, reverse=True)
