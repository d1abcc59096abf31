"""What a case-reviewing meeting found for each open case: 継続 / 見直し / 終結候補 / 支援会議へ.

A finding sets the case's next review date and appears on its timeline. Which bodies
review cases: every 実務者会議, and any other body the secretariat sets (a setting, so
the directory's bodies need no new column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import read_setting, write_setting
from pfdesk.store.models import Body, Case, CaseFinding, Meeting

#: Setting: ids of bodies other than 実務者会議 that review every open case.
REVIEW_BODIES_KEY = "progress.review_bodies"


@dataclass(frozen=True)
class FindingInput:
    """The meeting's finding on one case."""

    case_id: int
    finding: str
    note: str = ""
    next_review_on: date | None = None


@dataclass(frozen=True)
class FindingRow:
    """A recorded finding (the note as typed; screens and papers mask it as needed)."""

    case_id: int
    finding: str
    note: str
    next_review_on: date | None

    @property
    def finding_label(self) -> str:
        """継続 / 見直し / 終結候補 / 支援会議へ."""
        return sc.FINDINGS.label(self.finding)


def reviews_cases(session: Session, body: Body) -> bool:
    """Whether ``body`` reviews every open case (a 実務者会議, or set to)."""
    return body.kind == "practitioners" or body.id in set(
        read_setting(session, REVIEW_BODIES_KEY, []) or [])


def load_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting, or a ValidationError naming the id the user gave."""
    m = session.get(Meeting, meeting_id)
    if m is None:
        raise ValidationError(
            _("会議（ID {id}）が見つかりません。").format(id=meeting_id), field="meeting",
            hint=_("会議の一覧（または pfdesk export meetings）で ID を確かめてください。"))
    return m


def require_reviewing(session: Session, meeting: Meeting) -> None:
    """Refuse a meeting whose body does not review cases, saying how to set it."""
    if not reviews_cases(session, meeting.body):
        raise ValidationError(
            _("「{body}」は進行管理（全ケースの確認）を行う会議体に設定されていません。").format(
                body=meeting.body.name), field="meeting",
            hint=_("実務者会議か、「進行管理」の画面で進行管理を行う会議体に設定した会議体の会議を"
                   "選んでください。"))


@service(Permission.MEETING_WRITE)
def set_reviews_cases(ctx: ServiceContext, body_id: int, on: bool) -> None:
    """Set whether a body other than a 実務者会議 reviews every open case."""
    with ctx.session() as s:
        body = s.get(Body, body_id)
        if body is None:
            raise ValidationError(_("会議体が見つかりません。"), field="body")
        ids = set(read_setting(s, REVIEW_BODIES_KEY, []) or [])
        ids = ids | {body.id} if on else ids - {body.id}
        write_setting(s, REVIEW_BODIES_KEY, sorted(ids))
        audit.record(s, ctx.actor, "progress.body.set", "body", [body.id], reviews_cases=on)
        s.commit()


def findings_of(session: Session, meeting_id: int) -> dict[int, FindingRow]:
    """The meeting's findings by case id."""
    return {f.case_id: FindingRow(f.case_id, f.finding, f.note, f.next_review_on)
            for f in session.scalars(select(CaseFinding)
                                     .where(CaseFinding.meeting_id == meeting_id))}


@service(Permission.MEETING_WRITE, Permission.CASE_WRITE)
def record_findings(ctx: ServiceContext, meeting_id: int,
                    items: Sequence[FindingInput]) -> int:
    """Record (or correct) the meeting's finding on each listed case; return how many."""
    with ctx.session() as s:
        meeting = load_meeting(s, meeting_id)
        require_reviewing(s, meeting)
        existing = {f.case_id: f for f in s.scalars(
            select(CaseFinding).where(CaseFinding.meeting_id == meeting.id))}
        saved = []
        for item in items:
            case = s.get(Case, item.case_id)
            if case is None or case.voided_at is not None:
                raise ValidationError(_("ケース（番号 {id}）が見つからないか、取消済みです。").format(
                    id=item.case_id), field="case")
            if item.finding not in sc.FINDINGS:
                raise ValidationError(_("ケース {n} の所見を選んでください。").format(
                    n=case.case_number), field="finding",
                    hint=_("継続・見直し・終結候補・支援会議へ から選びます。"))
            if item.next_review_on is not None and item.next_review_on <= meeting.held_on:
                raise ValidationError(
                    _("ケース {n} の「次回確認日」は会議の日より後にしてください。").format(
                        n=case.case_number), field="next_review_on")
            f = existing.get(case.id)
            if f is None:
                f = CaseFinding(meeting_id=meeting.id, case_id=case.id)
                s.add(f)
            f.finding = item.finding
            f.note = (item.note or "").strip()
            f.next_review_on = item.next_review_on
            f.recorded_by = ctx.actor.display_name
            saved.append(case.id)
        audit.record(s, ctx.actor, "progress.findings.record", "meeting", [meeting.id],
                     cases=saved)
        s.commit()
        return len(saved)


@dataclass(frozen=True)
class ReviewMeeting:
    """A meeting of a case-reviewing body, as the 進行管理 page offers it."""

    id: int
    label: str
    held_on: date
    status: str


@dataclass(frozen=True)
class BodyChoice:
    """A body and whether it reviews every open case."""

    id: int
    name: str
    kind: str
    reviews_cases: bool
    fixed: bool  # a 実務者会議 always does


@service(Permission.MEETING_READ)
def review_meetings(ctx: ServiceContext) -> list[ReviewMeeting]:
    """Meetings of the bodies that review cases, newest first (cancelled ones left out)."""
    from pfdesk.core.wareki import format_date

    with ctx.session() as s:
        # Which bodies review cases, asked once per body, not once per meeting.
        reviewing = {b.id for b in s.scalars(select(Body)) if reviews_cases(s, b)}
        # Plain rows of those bodies' meetings only: the page asks on every visit.
        return [ReviewMeeting(mid, _("{body}　第{n}回（{d}）").format(
                    body=body, n=number, d=format_date(held_on)), held_on, status)
                for mid, number, held_on, status, body in s.execute(
                    select(Meeting.id, Meeting.number, Meeting.held_on, Meeting.status,
                           Body.name).join(Body)
                    .where(Meeting.status != "cancelled", Meeting.body_id.in_(reviewing))
                    .order_by(Meeting.held_on.desc(), Meeting.id.desc()))]


@service(Permission.MEETING_READ)
def body_choices(ctx: ServiceContext) -> list[BodyChoice]:
    """Every body with whether it reviews cases."""
    with ctx.session() as s:
        return [BodyChoice(b.id, b.name, b.kind, reviews_cases(s, b), b.kind == "practitioners")
                for b in s.scalars(select(Body).order_by(Body.id))]


@service(Permission.MEETING_READ)
def meeting_reviews_cases(ctx: ServiceContext, meeting_id: int) -> bool:
    """Whether the meeting's body reviews every open case (its minutes take findings)."""
    with ctx.session() as s:
        return reviews_cases(s, load_meeting(s, meeting_id).body)
