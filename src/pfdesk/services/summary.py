"""The home page's figures: what needs the secretariat's attention today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from pfdesk.core.codes import OPEN_ACTION_STATUSES
from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import load_municipality, read_setting
from pfdesk.store.models import ActionItem, Body, Case, Meeting, Organization, Post


@dataclass(frozen=True)
class UpcomingMeeting:
    """A planned meeting on the home page."""

    meeting_id: int
    body_name: str
    number: int
    held_on: date
    place: str


@dataclass(frozen=True)
class HomeSummary:
    """Counts and lists shown on the home page."""

    municipality: str
    platform_name: str
    today: date
    fiscal_year: int
    organizations: int
    people_in_post: int
    open_cases: int | None  # None when the role may not see case figures
    cases_this_year: int | None
    open_action_items: int
    upcoming: list[UpcomingMeeting]
    is_demo: bool


def demo_today(session) -> date | None:
    """The demo store's fixed 'today', so its figures read sensibly on any day."""
    demo = read_setting(session, "demo")
    return date.fromisoformat(demo["today"]) if demo and demo.get("today") else None


@service(Permission.DIRECTORY_READ)
def home_summary(ctx: ServiceContext, today: date | None = None) -> HomeSummary:
    """What the secretariat sees first: directory size, open cases, meetings ahead."""
    with ctx.session() as s:
        today = today or demo_today(s) or date.today()
        fy = fiscal_year_of(today)
        m = load_municipality(s)
        orgs = s.scalar(
            select(func.count()).select_from(Organization).where(
                Organization.active.is_(True), Organization.merged_into_id.is_(None)
            )
        )
        people = s.scalar(
            select(func.count(func.distinct(Post.person_id))).where(
                (Post.end_on.is_(None)) | (Post.end_on >= today)
            )
        )
        open_cases = cases_fy = None
        if ctx.actor.can(Permission.CASE_READ):
            live = Case.voided_at.is_(None)
            open_cases = s.scalar(
                select(func.count()).select_from(Case).where(live, Case.status != "closed")
            )
            cases_fy = s.scalar(
                select(func.count()).select_from(Case).where(live, Case.fiscal_year == fy)
            )
        actions = s.scalar(
            select(func.count()).select_from(ActionItem).where(
                ActionItem.status.in_(OPEN_ACTION_STATUSES)
            )
        )
        rows = s.execute(
            select(Meeting.id, Body.name, Meeting.number, Meeting.held_on, Meeting.place)
            .join(Body, Body.id == Meeting.body_id)
            .where(Meeting.held_on >= today, Meeting.status == "planned")
            .order_by(Meeting.held_on)
            .limit(8)
        ).all()
        return HomeSummary(
            municipality=m.name,
            platform_name=m.platform_name,
            today=today,
            fiscal_year=fy,
            organizations=orgs or 0,
            people_in_post=people or 0,
            open_cases=open_cases,
            cases_this_year=cases_fy,
            open_action_items=actions or 0,
            upcoming=[UpcomingMeeting(*r) for r in rows],
            is_demo=ctx.store.is_demo,
        )
