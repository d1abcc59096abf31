"""The home page's figures: what needs the secretariat's attention today."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from pfdesk.core.codes import OPEN_ACTION_STATUSES
from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.entitlement import reader_text
from pfdesk.services.settings import load_municipality, read_setting
from pfdesk.store.models import (
    ActionItem,
    Body,
    Case,
    Contact,
    Meeting,
    Organization,
    Person,
    Post,
)

#: A case with no 支援経過 for this many days is listed as needing attention.
QUIET_DAYS = 90
#: How many open action items and quiet cases the home page lists.
LIST_LIMIT = 8


@dataclass(frozen=True)
class UpcomingMeeting:
    """A planned meeting on the home page."""

    meeting_id: int
    body_name: str
    number: int
    held_on: date
    place: str


@dataclass(frozen=True)
class OpenAction:
    """An unfinished 宿題事項 (action item), soonest due first."""

    description: str
    assignee: str
    due_on: date | None
    body_name: str
    overdue: bool
    meeting_id: int | None = None  # the meeting that set it, opened from ホーム


@dataclass(frozen=True)
class QuietCase:
    """An open case with no recent 支援経過: a case number, never a name."""

    case_number: str
    lead_staff: str
    last_contact: date | None
    case_id: int | None = None  # opened from ホーム


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
    actions: Sequence[OpenAction] = ()
    quiet_cases: list[QuietCase] | None = None  # None when the role may not see cases
    quiet_case_count: int = 0
    rollover_due: bool = False  # April–May: check who changed post in the April rotation
    first_steps: FirstSteps | None = None  # what a new store still lacks (None: all done)


@dataclass(frozen=True)
class StoreCounts:
    """How much has been registered at all (including inactive records): empty-store hints."""

    organizations: int
    people: int
    bodies: int
    cases: int | None  # None when the role may not see case figures


@dataclass(frozen=True)
class FirstSteps:
    """The first things a new secretariat does, and which of them are done."""

    directory_done: bool  # an organization or a person is registered
    bodies_done: bool  # a 会議体 is registered
    cases_done: bool | None  # a case was taken in (None: the role may not see cases)
    settings_done: bool  # 文書番号の記号 and 発信者 are filled in

    @property
    def all_done(self) -> bool:
        """Whether nothing is left to show."""
        return (self.directory_done and self.bodies_done and self.cases_done is not False
                and self.settings_done)


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
        open_items = select(func.count()).select_from(ActionItem).where(
            ActionItem.status.in_(OPEN_ACTION_STATUSES))
        if not ctx.actor.can(Permission.CASE_READ):  # counted as the list shows them
            open_items = open_items.where(ActionItem.case_id.is_(None))
        actions = s.scalar(open_items)
        rows = s.execute(
            select(Meeting.id, Body.name, Meeting.number, Meeting.held_on, Meeting.place)
            .join(Body, Body.id == Meeting.body_id)
            .where(Meeting.held_on >= today, Meeting.status == "planned")
            .order_by(Meeting.held_on)
            .limit(8)
        ).all()
        can_cases = ctx.actor.can(Permission.CASE_READ)
        quiet, quiet_count = _quiet_cases(s, today) if can_cases else (None, 0)
        counts = _counts(s, can_cases)
        steps = FirstSteps(
            directory_done=bool(counts.organizations or counts.people),
            bodies_done=bool(counts.bodies),
            cases_done=None if counts.cases is None else bool(counts.cases),
            settings_done=bool(m.doc_number_prefix.strip() and m.sender.strip()),
        )
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
            actions=_open_actions(s, today, can_cases, ctx.actor),
            quiet_cases=quiet,
            quiet_case_count=quiet_count,
            rollover_due=today.month in (4, 5),
            first_steps=None if steps.all_done else steps,
        )


@service(Permission.DIRECTORY_READ)
def store_counts(ctx: ServiceContext) -> StoreCounts:
    """How many organizations, people, bodies and cases exist at all (new-store hints)."""
    with ctx.session() as s:
        return _counts(s, ctx.actor.can(Permission.CASE_READ))


def _counts(s, can_cases: bool) -> StoreCounts:
    """Every record counts, inactive or voided too: the store is no longer new."""

    def count(model) -> int:
        return s.scalar(select(func.count()).select_from(model)) or 0

    return StoreCounts(
        organizations=count(Organization), people=count(Person), bodies=count(Body),
        cases=count(Case) if can_cases else None,
    )


def _open_actions(s, today: date, can_cases: bool, actor) -> list[OpenAction]:
    """Unfinished action items, overdue and soonest due first (undated last)."""
    q = (
        select(ActionItem.description, ActionItem.assignee_text, ActionItem.due_on, Body.name,
               ActionItem.meeting_id)
        .join(Body, Body.id == ActionItem.body_id)
        .where(ActionItem.status.in_(OPEN_ACTION_STATUSES))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .limit(LIST_LIMIT)
    )
    if not can_cases:  # an item about a case may describe the person
        q = q.where(ActionItem.case_id.is_(None))
    # A case named in the text of an unlinked item becomes 「ケースA」 for a 閲覧者 (issue 12).
    screen = reader_text(s, actor)
    return [OpenAction(screen(d), screen(a), due, b, due is not None and due < today, mid)
            for d, a, due, b, mid in s.execute(q)]


def _quiet_cases(s, today: date) -> tuple[list[QuietCase], int]:
    """Open cases whose latest 支援経過 (or intake) is older than QUIET_DAYS, oldest first."""
    cutoff = datetime.combine(today - timedelta(days=QUIET_DAYS), datetime.min.time())
    # Each open case's last contact looked up in the live-contacts-by-case index, instead
    # of grouping every contact of the store first.
    last = (select(func.max(Contact.occurred_at))
            .where(Contact.case_id == Case.id, Contact.voided_at.is_(None))
            .scalar_subquery())
    latest = func.coalesce(last, Case.intake_date)
    where = (Case.voided_at.is_(None), Case.status != "closed", Case.disposed_at.is_(None),
             latest < cutoff)
    count = s.scalar(select(func.count(Case.id)).where(*where)) or 0
    # The oldest few are found on the indexes alone; only their rows are then read.
    oldest = s.execute(
        select(Case.id, latest).where(*where).order_by(latest, Case.id).limit(LIST_LIMIT)
    ).all() if count else []
    named = {i: (n, st) for i, n, st in s.execute(
        select(Case.id, Case.case_number, Case.lead_staff)
        .where(Case.id.in_([i for i, _w in oldest])))} if oldest else {}
    rows = [(i, *named[i], when) for i, when in oldest]
    out = []
    for case_id, number, staff, when in rows:
        if isinstance(when, str):  # coalesce of a date and a datetime comes back as text
            when = date.fromisoformat(when[:10])
        elif isinstance(when, datetime):
            when = when.date()
        out.append(QuietCase(number, staff, when, case_id))
    return out, count
