"""学習会・情報交換会: theme, 講師 and participants counted by category (住民・関係機関・当事者・家族)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import get_or_fail
from pfdesk.store.models import Body, Meeting


@dataclass(frozen=True)
class StudyInput:
    """What a study session records besides its date and place."""

    theme: str
    lecturer: str = ""
    residents: int = 0
    agencies: int = 0
    families: int = 0


@dataclass(frozen=True)
class StudyTotals:
    """Study sessions of a 年度 and their participants (for returns and the annual report)."""

    fiscal_year: int
    sessions: int
    residents: int
    agencies: int
    families: int
    themes: tuple[str, ...]

    @property
    def total(self) -> int:
        """All participants."""
        return self.residents + self.agencies + self.families


@service(Permission.MEETING_WRITE)
def save_study(ctx: ServiceContext, meeting_id: int, data: StudyInput) -> None:
    """Save the theme, 講師 and participant counts of a meeting."""
    counts = {"residents": data.residents, "agencies": data.agencies,
              "families": data.families}
    for field, n in counts.items():
        if n is None or int(n) < 0:
            raise ValidationError(_("参加者数は0以上の数で入力してください。"), field=field)
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        m.theme = clean_text(data.theme)
        m.lecturer = clean_text(data.lecturer)
        m.participants_residents = int(data.residents)
        m.participants_agencies = int(data.agencies)
        m.participants_families = int(data.families)
        audit.record(s, ctx.actor, "meetings.study.edit", "meeting", [m.id], **counts)
        s.commit()


@service(Permission.MEETING_READ)
def study_totals(ctx: ServiceContext, fy: int) -> StudyTotals:
    """Held study sessions of 年度 ``fy`` with summed participant counts."""
    start, end = fiscal_year_range(fy)
    with ctx.session() as s:
        rows = s.scalars(
            select(Meeting).join(Body, Body.id == Meeting.body_id).where(
                Body.kind == "study", Meeting.status == "held",
                Meeting.held_on >= start, Meeting.held_on <= end,
            ).order_by(Meeting.held_on)
        ).all()
        return StudyTotals(
            fiscal_year=fy, sessions=len(rows),
            residents=sum(m.participants_residents for m in rows),
            agencies=sum(m.participants_agencies for m in rows),
            families=sum(m.participants_families for m in rows),
            themes=tuple(m.theme for m in rows if m.theme),
        )
