"""Helpers shared by the consultation services: loading records, case numbers, search text.

These take a ``Session`` and are used only inside the consultation services.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.fiscal import age_band, age_in_month, age_on
from pfdesk.core.i18n import _
from pfdesk.core.kana import fold
from pfdesk.store.models import Case, Contact, SerialCounter

CASE_SERIAL_SCOPE = "case"

#: Separates the folded pieces of ``Case.search_text`` so a term never spans two fields
#: by accident (fold() drops whitespace, but keeps this character).
SEARCH_SEPARATOR = "|"


def era_prefix(fiscal_year: int) -> str:
    """The era letter and year of a 年度 as used in case numbers: 2026 → ``R8``, 2018 → ``H30``.

    FY2019 is 令和元年度, so it is ``R1`` although it began under 平成.
    """
    if fiscal_year >= 2019:
        return f"R{fiscal_year - 2018}"
    if fiscal_year >= 1989:
        return f"H{fiscal_year - 1988}"
    return f"S{fiscal_year - 1925}"


def format_case_number(fiscal_year: int, serial: int) -> str:
    """``R8-0012``: the 年度 and a four-digit serial (more digits when it grows past 9999)."""
    return f"{era_prefix(fiscal_year)}-{serial:04d}"


def next_serial(session: Session, scope: str, fiscal_year: int) -> int:
    """The next serial of ``scope`` in ``fiscal_year``; a number handed out is never reused."""
    counter = session.scalar(
        select(SerialCounter).where(
            SerialCounter.scope == scope, SerialCounter.fiscal_year == fiscal_year
        )
    )
    if counter is None:
        counter = SerialCounter(scope=scope, fiscal_year=fiscal_year, last_value=0)
        session.add(counter)
    counter.last_value += 1
    session.flush()
    return counter.last_value


def load_case(session: Session, case_id: int) -> Case:
    """The case with ``case_id``, or NotFound in plain Japanese."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(
            _("ケース（番号 {id}）が見つかりません。").format(id=case_id),
            hint=_("一覧を更新してから選び直してください。"),
        )
    return case


def require_open_for_edit(case: Case) -> None:
    """Refuse changes to a voided (取消) case."""
    if case.voided_at is not None:
        raise ValidationError(
            _("ケース {number} は取消済みのため変更できません。").format(number=case.case_number),
            hint=_("取消の理由は経過の画面で確認できます。"),
        )


def loads_codes(text: str | None) -> tuple[str, ...]:
    """A JSON list of code keys as a tuple (empty for blank or broken text)."""
    try:
        value = json.loads(text or "[]")
    except json.JSONDecodeError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def dumps_codes(keys) -> str:
    """Code keys as a JSON list, duplicates removed, order kept."""
    return json.dumps(list(dict.fromkeys(keys)), ensure_ascii=False)


def case_age_band(case: Case, on: date) -> str:
    """The 年代 of the person on ``on``: from the birth date when known, else as recorded."""
    if case.birth_date is not None and case.birth_date <= on:
        return age_band(age_on(case.birth_date, on))
    age = age_in_month(case.birth_ym, on)  # a reader without the identity key (store.vault)
    return age_band(age) if age is not None else (case.age_band or "unknown")


def refresh_search_text(session: Session, case: Case) -> None:
    """Rebuild the folded text that search matches: names, readings, contacts and notes.

    Only users who may identify cases search this text; others match case numbers only.
    """
    bodies = session.execute(
        select(Contact.body, Contact.next_plan).where(
            Contact.case_id == case.id, Contact.voided_at.is_(None)
        )
    ).all() if case.id is not None else []
    pieces = [
        case.case_number,
        f"{case.family_name}{case.given_name}",
        f"{case.family_kana}{case.given_kana}",
        case.address,
        case.phone,
        case.household,
        case.school_or_employer,
        case.chief_complaint,
        case.policy,
        case.goal,
    ]
    for body, plan in bodies:
        pieces.extend((body, plan))
    case.search_text = SEARCH_SEPARATOR.join(fold(p) for p in pieces if p)


def today_for(session: Session) -> date:
    """Today, or the demo store's fixed today so its figures read sensibly on any day."""
    from pfdesk.services.summary import demo_today

    return demo_today(session) or date.today()


def check_code(code_list, key: str, field: str) -> str:
    """``key`` if it is in ``code_list``, else a ValidationError naming the field."""
    if key not in code_list:
        raise ValidationError(
            _("「{list}」に「{key}」という区分はありません。").format(
                list=code_list.name, key=key
            ),
            field=field,
            hint=_("一覧から選んでください。"),
        )
    return key


def require_text(value: str, field: str, label: str) -> str:
    """``value`` stripped, or a ValidationError saying ``label`` must be filled in."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            _("「{label}」を入力してください。").format(label=label), field=field
        )
    return text
