"""宿題事項 (action items): carried over to the body's next meetings until closed.

An item recorded at one meeting of a body appears in every later meeting of the
same body while it is 未着手 or 対応中, and one last time at the meeting where it
was closed. Items linked to a case also appear on that case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.meetings._common import check_code, get_or_fail, number_label, today_of
from pfdesk.store.models import ActionItem, AgendaItem, Body, Case, Meeting


@dataclass(frozen=True)
class ActionRow:
    """An action item as listed: where it came from, 担当, 期限, status."""

    id: int
    body_id: int
    body_name: str
    meeting_id: int
    meeting_label: str  # 第2回（令和8年9月10日）
    meeting_held_on: date
    agenda_item_id: int | None
    agenda_title: str
    case_id: int | None
    case_number: str
    description: str
    assignee_text: str
    assignee_person_id: int | None
    assignee_org_id: int | None
    due_on: date | None
    status: str
    status_label: str
    closed_on: date | None
    closed_meeting_id: int | None
    progress_note: str
    overdue: bool

    @property
    def is_open(self) -> bool:
        """Whether it still carries over."""
        return self.status in codes.OPEN_ACTION_STATUSES


def action_rows(s: Session, items, *, actor, today: date | None = None) -> list[ActionRow]:
    """Plain rows for action items, with the meeting and agenda item they came from.

    Text is shown as ``actor`` may see it in the meeting the item was recorded at (see
    :mod:`pfdesk.services.entitlement`): an item about a case of a closed meeting shows
    only the case code to a reader not entitled, and names in free text become 「ケースA」.
    """
    items = list(items)
    today = today or today_of(s)
    meeting_ids = {a.meeting_id for a in items}
    meetings = {
        m.id: m for m in s.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
    } if meeting_ids else {}
    views: dict[int, MeetingView] = {}
    bodies = {b.id: b.name for b in s.scalars(select(Body))} if items else {}
    item_ids = {a.agenda_item_id for a in items if a.agenda_item_id}
    agenda = {it.id: it for it in s.scalars(
        select(AgendaItem).where(AgendaItem.id.in_(item_ids)))} if item_ids else {}
    case_ids = {a.case_id for a in items if a.case_id}
    cases = dict(s.execute(
        select(Case.id, Case.case_number).where(Case.id.in_(case_ids))
    ).all()) if case_ids else {}
    out = []
    for a in items:
        m = meetings[a.meeting_id]
        if m.id not in views:
            views[m.id] = MeetingView(s, actor, m, document=False)
        view = views[m.id]
        open_ = a.status in codes.OPEN_ACTION_STATUSES
        it = agenda.get(a.agenda_item_id) if a.agenda_item_id else None
        withheld = view.withheld(a.case_id) or (it is not None and view.withheld(it.case_id))
        if it is None:
            agenda_title = ""
        elif view.withheld(it.case_id) and it.case_id:
            agenda_title = view.coded_title(it.case_id, cases.get(it.case_id, ""), it.kind)
        else:
            agenda_title = view.text(it.title)
        code = view.code(a.case_id, cases.get(a.case_id, "")) if a.case_id else ""
        out.append(ActionRow(
            id=a.id, body_id=a.body_id, body_name=bodies.get(a.body_id, ""),
            meeting_id=a.meeting_id,
            meeting_label=f"{number_label(m.number)}（{format_date(m.held_on)}）",
            meeting_held_on=m.held_on, agenda_item_id=a.agenda_item_id,
            agenda_title=agenda_title, case_id=a.case_id, case_number=code,
            description=_("（{code}についての宿題事項）").format(code=code or _("ケース"))
            if withheld else view.text(a.description),
            assignee_text=view.text(a.assignee_text),
            assignee_person_id=a.assignee_person_id, assignee_org_id=a.assignee_org_id,
            due_on=a.due_on, status=a.status, status_label=codes.ACTION_STATUSES.label(a.status),
            closed_on=a.closed_on, closed_meeting_id=a.closed_meeting_id,
            progress_note="" if withheld else view.text(a.progress_note),
            overdue=open_ and a.due_on is not None and a.due_on < today,
        ))
    return out


def carried_over_items(s: Session, meeting: Meeting) -> list[ActionItem]:
    """Action items of earlier meetings of the same body still open at ``meeting``."""
    earlier = select(Meeting.id).where(
        Meeting.body_id == meeting.body_id,
        or_(Meeting.held_on < meeting.held_on,
            (Meeting.held_on == meeting.held_on) & (Meeting.id < meeting.id)),
    )
    return list(s.scalars(
        select(ActionItem).where(
            ActionItem.body_id == meeting.body_id,
            ActionItem.meeting_id.in_(earlier),
            or_(
                ActionItem.status.in_(codes.OPEN_ACTION_STATUSES),
                ActionItem.closed_meeting_id == meeting.id,
                ActionItem.closed_on >= meeting.held_on,
            ),
        ).order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ))


@service(Permission.MEETING_READ)
def carried_over(ctx: ServiceContext, meeting_id: int) -> list[ActionRow]:
    """The 宿題事項 of a meeting: open items from the body's earlier meetings."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        return action_rows(s, carried_over_items(s, m), actor=ctx.actor)


@service(Permission.MEETING_READ)
def list_actions(
    ctx: ServiceContext, *, body_id: int | None = None, open_only: bool = True
) -> list[ActionRow]:
    """Action items of all bodies (or one), open ones only by default, by 期限."""
    with ctx.session() as s:
        q = select(ActionItem).order_by(
            ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id
        )
        if body_id is not None:
            q = q.where(ActionItem.body_id == body_id)
        if open_only:
            q = q.where(ActionItem.status.in_(codes.OPEN_ACTION_STATUSES))
        return action_rows(s, s.scalars(q), actor=ctx.actor)


@dataclass(frozen=True)
class CaseMeetingEntry:
    """A meeting event on a case's timeline: an agenda item or an action item."""

    on: date
    kind: str  # "agenda" | "action"
    meeting_id: int
    text: str
    status_label: str


@service(Permission.MEETING_READ, Permission.CASE_READ)
def case_timeline_entries(ctx: ServiceContext, case_id: int) -> list[CaseMeetingEntry]:
    """Where a case came up in meetings, and what was promised about it, by date."""
    with ctx.session() as s:
        get_or_fail(s, Case, case_id, _("ケース"))
        out = []
        for it, m, body in s.execute(
            select(AgendaItem, Meeting, Body)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .join(Body, Body.id == Meeting.body_id)
            .where(AgendaItem.case_id == case_id)
        ):
            out.append(CaseMeetingEntry(
                on=m.held_on, kind="agenda", meeting_id=m.id,
                text=_("{meeting}で検討: {title}").format(
                    meeting=f"{number_label(m.number)}{body.name}", title=it.title),
                status_label=codes.MEETING_STATUSES.label(m.status),
            ))
        items = s.scalars(select(ActionItem).where(ActionItem.case_id == case_id)).all()
        for r in action_rows(s, items, actor=ctx.actor):
            out.append(CaseMeetingEntry(
                on=r.meeting_held_on, kind="action", meeting_id=r.meeting_id,
                text=_("宿題事項（担当: {who}）: {what}").format(
                    who=r.assignee_text, what=r.description),
                status_label=r.status_label,
            ))
        out.sort(key=lambda e: (e.on, e.kind != "agenda"))
        audit.record(s, ctx.actor, "meetings.case_timeline.view", "consultation_case",
                     [case_id])
        s.commit()
        return out


@dataclass(frozen=True)
class ActionUpdate:
    """A change of an action item: status, progress note and, when closed, where."""

    status: str
    progress_note: str = ""
    closed_on: date | None = None
    closed_meeting_id: int | None = None


ACTION_LABELS = (
    ("description", _("内容")), ("assignee_text", _("担当")), ("due_on", _("期限")),
    ("status_label", _("対応状況")), ("progress_note", _("経過")),
)


def _check_seen(s: Session, ctx: ServiceContext, a: ActionItem, seen: ActionRow | None) -> None:
    """Refuse a save from a form showing ``seen`` when the item was changed since.

    Compared as this reader sees the item (its rows may be pseudonymized), field by field:
    an action item has no version column, and its few fields are the whole record.
    """
    from pfdesk.services.edit_versions import Seen, conflict

    if seen is None:
        return
    now = action_rows(s, [a], actor=ctx.actor)[0]
    if any(getattr(now, name) != getattr(seen, name) for name, _label in ACTION_LABELS):
        raise conflict(s, a.id, Seen(0, now), seen, labels=ACTION_LABELS,
                       what=_("宿題事項"), action=("meetings.action.edit",
                                                  "meetings.action.status"))


@service(Permission.MEETING_WRITE)
def update_action_status(ctx: ServiceContext, action_id: int, data: ActionUpdate, *,
                         identity=None, seen: ActionRow | None = None) -> None:
    """Set 対応状況; 完了 and 取下げ close the item (with the date and meeting, if given).

    The 経過 note is screened for case identities (``identity`` answers IdentityFound);
    ``seen`` (the row the form showed) refuses the save when another PC changed it since.
    """
    from pfdesk.services.meetings.identity import screen_texts

    check_code(codes.ACTION_STATUSES, data.status, "status", _("対応状況"))
    with ctx.session() as s:
        a = get_or_fail(s, ActionItem, action_id, _("宿題事項"))
        _check_seen(s, ctx, a, seen)
        screened = screen_texts(s, ctx, {"progress_note": data.progress_note}, identity,
                                linkable=a.case_id is None, target=f"action_item:{a.id}",
                                unchanged={"progress_note": a.progress_note})
        if screened.link_case_id is not None:
            a.case_id = screened.link_case_id
        before = a.status
        a.status = data.status
        a.progress_note = screened.texts["progress_note"]
        if data.status in codes.OPEN_ACTION_STATUSES:
            a.closed_on = None
            a.closed_meeting_id = None
        else:
            if data.closed_meeting_id is not None:
                cm = get_or_fail(s, Meeting, data.closed_meeting_id, _("会議"))
                if cm.body_id != a.body_id:
                    raise ValidationError(_("別の会議体の会議では完了にできません。"))
                a.closed_meeting_id = cm.id
                a.closed_on = data.closed_on or cm.held_on
            else:
                a.closed_on = data.closed_on or today_of(s)
        audit.record(s, ctx.actor, "meetings.action.status", "action_item", [a.id],
                     before=before, after=a.status)
        s.commit()


@service(Permission.MEETING_WRITE)
def update_action(ctx: ServiceContext, action_id: int, data, *, identity=None,
                  seen: ActionRow | None = None) -> None:
    """Change an action item's 内容, 担当, 期限 or case (``data`` is a minutes.ActionInput).

    ``identity`` (an IdentityDecision) answers IdentityFound when the text names a case;
    ``seen`` (the row the form showed) refuses the save when another PC changed it since.
    """
    from pfdesk.services.meetings.minutes import check_action

    with ctx.session() as s:
        a = get_or_fail(s, ActionItem, action_id, _("宿題事項"))
        _check_seen(s, ctx, a, seen)
        before = {"description": a.description, "assignee_text": a.assignee_text}
        for k, v in check_action(s, ctx, data, identity, f"action_item:{a.id}",
                                 before).items():
            setattr(a, k, v)
        audit.record(s, ctx.actor, "meetings.action.edit", "action_item", [a.id])
        s.commit()


@service(Permission.MEETING_WRITE)
def remove_action(ctx: ServiceContext, action_id: int) -> None:
    """Delete an action item recorded by mistake (a dropped one is set to 取下げ instead)."""
    with ctx.session() as s:
        a = get_or_fail(s, ActionItem, action_id, _("宿題事項"))
        audit.record(s, ctx.actor, "meetings.action.remove", "action_item", [a.id],
                     description=a.description)
        s.delete(a)
        s.commit()
