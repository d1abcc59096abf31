"""Helpers the support-cycle services share: masking, the next version, date checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.masking import MASK, can_identify
from pfdesk.store.models import Case


def masker(actor) -> Callable[[str], str]:
    """Free text as it is for users who may identify cases, the mask for everyone else."""
    ident = can_identify(actor)

    def mask(text: str) -> str:
        return text if ident or not text else MASK

    return mask


def next_version(session: Session, model, case_id: int) -> int:
    """The next version number of ``model`` rows of a case (1 for the first)."""
    last = session.scalar(select(func.max(model.version)).where(model.case_id == case_id))
    return (last or 0) + 1


def check_not_before_intake(case: Case, day: date, field: str, label: str) -> date:
    """``day`` unless it falls before the case's 受付日 (then a ValidationError naming it)."""
    if day < case.intake_date:
        raise ValidationError(
            _("「{label}」が受付日（{intake}）より前になっています。").format(
                label=label, intake=case.intake_date.strftime("%Y/%m/%d")),
            field=field,
        )
    return day
