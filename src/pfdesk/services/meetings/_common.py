"""Helpers shared by the meeting services: lookups with Japanese errors, labels, today."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.services.settings import read_setting


def today_of(session: Session) -> date:
    """Today, or the demo store's fixed day so the demo reads the same on any day."""
    demo = read_setting(session, "demo")
    if demo and demo.get("today"):
        return date.fromisoformat(demo["today"])
    return date.today()


def get_or_fail(session: Session, model, record_id: int, what: str):
    """The row with ``record_id`` or a NotFound naming ``what`` and the id."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFound(
            _("{what}（ID {id}）が見つかりません。").format(what=what, id=record_id),
            hint=_("一覧を更新して、もう一度選んでください。"),
        )
    return row


def required_text(value: object, field: str, label: str) -> str:
    """Cleaned text; a ValidationError naming the field when it is empty."""
    text = clean_text(value)
    if not text:
        raise ValidationError(
            _("「{label}」を入力してください。").format(label=label), field=field
        )
    return text


def number_label(number: int) -> str:
    """回次 as printed: 第3回."""
    return _("第{n}回").format(n=number)


def check_code(codes, key: str, field: str, label: str) -> str:
    """``key`` if it is in the code list, else a ValidationError naming the field."""
    if key not in codes:
        raise ValidationError(
            _("「{label}」の値「{value}」は選べません。一覧から選んでください。").format(
                label=label, value=key
            ),
            field=field,
        )
    return key
