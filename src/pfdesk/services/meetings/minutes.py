"""議事録: per agenda item the 要点筆記, 決定事項 and action items; the 次回予定.

:func:`get_minutes` gathers what a 会議録 needs (出席者, 欠席者, 議題, 配布資料,
議事の概要, 決定事項, 次回予定, 傍聴者数) from the records, so nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import check_text
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.meetings._common import get_or_fail, required_text
from pfdesk.services.meetings.actions import ActionRow, action_rows
from pfdesk.services.meetings.agenda import AgendaRow, agenda_rows, link_item
from pfdesk.services.meetings.attendance import AttendanceRow, list_attendance
from pfdesk.services.meetings.identity import IdentityDecision, screen_texts
from pfdesk.services.meetings.meetings import MeetingDetail, get_meeting
from pfdesk.store.models import ActionItem, AgendaItem, Decision, Meeting, Organization, Person


@dataclass(frozen=True)
class DecisionRow:
    """A 決定事項."""

    id: int
    agenda_item_id: int
    position: int
    text: str


@dataclass(frozen=True)
class ActionInput:
    """An action item: what, 担当 (a person, an organization or just text), 期限."""

    description: str
    assignee_person_id: int | None = None
    assignee_org_id: int | None = None
    assignee_text: str = ""
    due_on: date | None = None
    case_id: int | None = None


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item's part of the minutes."""

    agenda: AgendaRow
    decisions: tuple[DecisionRow, ...]
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class Minutes:
    """All a 会議録 holds."""

    meeting: MeetingDetail
    attendees: tuple[AttendanceRow, ...]
    absentees: tuple[AttendanceRow, ...]
    items: tuple[MinutesItem, ...]
    other_actions: tuple[ActionRow, ...]  # recorded without an agenda item


@service(Permission.MEETING_READ)
def get_minutes(ctx: ServiceContext, meeting_id: int) -> Minutes:
    """The minutes of a meeting as recorded so far."""
    detail = get_meeting(ctx, meeting_id)
    people = list_attendance(ctx, meeting_id)
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        view = MeetingView(s, ctx.actor, m, document=False)
        agenda = agenda_rows(s, m, view=view)
        withheld = {it.id for it in m.agenda_items if view.withheld(it.case_id)}
        decisions: dict[int, list[DecisionRow]] = {}
        for d in s.scalars(
            select(Decision).join(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
            .order_by(Decision.position, Decision.id)
        ):
            if d.agenda_item_id in withheld:
                continue  # case content: the reader sees the item's code only
            decisions.setdefault(d.agenda_item_id, []).append(
                DecisionRow(d.id, d.agenda_item_id, d.position, view.text(d.text))
            )
        actions = action_rows(
            s, s.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting_id)
                         .order_by(ActionItem.id)).all(),
            actor=ctx.actor,
        )
        # Access log: the minutes were read, and which cases' content was shown in them.
        shown = sorted({it.case_id for it in m.agenda_items
                        if it.case_id is not None and it.id not in withheld})
        audit.record(s, ctx.actor, "meetings.minutes.view", "meeting", [m.id], cases=shown)
        s.commit()
    by_item: dict[int | None, list[ActionRow]] = {}
    for a in actions:
        by_item.setdefault(a.agenda_item_id, []).append(a)
    return Minutes(
        meeting=detail,
        attendees=tuple(p for p in people if p.attending),
        absentees=tuple(p for p in people if not p.attending),
        items=tuple(
            MinutesItem(a, tuple(decisions.get(a.id, [])), tuple(by_item.get(a.id, [])))
            for a in agenda
        ),
        other_actions=tuple(by_item.get(None, [])),
    )


def _as_read(s, ctx: ServiceContext, m: Meeting, case_id: int | None, text: str) -> str:
    """A minutes text as get_minutes shows it to this reader (what an editor was opened with)."""
    view = MeetingView(s, ctx.actor, m, document=False)
    return "" if view.withheld(case_id) else view.text(text or "")


@service(Permission.MEETING_WRITE)
def save_summary(ctx: ServiceContext, item_id: int, text: str, *,
                 identity: IdentityDecision | None = None, seen_text: str | None = None) -> None:
    """Save the 要点筆記 of an agenda item (IdentityFound when it names a case, until decided).

    ``seen_text`` is the 要点筆記 the editor showed: saved differently elsewhere since, the
    save is refused with an EditConflict (the editor keeps the typed text).
    """
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        check_text(s, it.id, _as_read(s, ctx, it.meeting, it.case_id, it.summary), seen_text,
                   label=_("要点筆記"),
                   what=_("議題「{title}」の要点筆記").format(title=it.title),
                   action="meetings.minutes.summary")
        screened = screen_texts(s, ctx, {"summary": text}, identity, linkable=True,
                                target=f"agenda_item:{it.id}", unchanged={"summary": it.summary})
        link_item(s, it, screened.link_case_id)
        it.summary = screened.texts["summary"]
        audit.record(s, ctx.actor, "meetings.minutes.summary", "agenda_item", [it.id],
                     meeting_id=it.meeting_id, chars=len(it.summary))
        s.commit()


@service(Permission.MEETING_WRITE)
def set_next_plan(ctx: ServiceContext, meeting_id: int, text: str, *,
                  identity: IdentityDecision | None = None,
                  seen_text: str | None = None) -> None:
    """Save the 次回予定 written at the end of the minutes (screened for case identities).

    Refused with an EditConflict when saved differently elsewhere since ``seen_text``.
    """
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        check_text(s, m.id, _as_read(s, ctx, m, None, m.next_plan), seen_text,
                   label=_("次回予定"),
                   what=_("この会議の次回予定"), action="meetings.minutes.next_plan")
        screened = screen_texts(s, ctx, {"next_plan": text}, identity, linkable=False,
                                target=f"meeting:{m.id}", unchanged={"next_plan": m.next_plan})
        m.next_plan = screened.texts["next_plan"]
        audit.record(s, ctx.actor, "meetings.minutes.next_plan", "meeting", [m.id])
        s.commit()


@service(Permission.MEETING_WRITE)
def add_decision(ctx: ServiceContext, item_id: int, text: str, *,
                 identity: IdentityDecision | None = None) -> int:
    """Record a 決定事項 under an agenda item (screened for case identities)."""
    text = required_text(text, "text", _("決定事項"))
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        screened = screen_texts(s, ctx, {"decision": text}, identity, linkable=True,
                                target=f"agenda_item:{it.id}")
        link_item(s, it, screened.link_case_id)
        text = screened.texts["decision"]
        pos = (s.scalar(select(func.max(Decision.position))
                        .where(Decision.agenda_item_id == it.id)) or 0) + 1
        d = Decision(agenda_item_id=it.id, position=pos, text=text)
        s.add(d)
        s.flush()
        audit.record(s, ctx.actor, "meetings.decision.add", "decision", [d.id],
                     meeting_id=it.meeting_id)
        s.commit()
        return d.id


@service(Permission.MEETING_WRITE)
def update_decision(ctx: ServiceContext, decision_id: int, text: str, *,
                    identity: IdentityDecision | None = None,
                    seen_text: str | None = None) -> None:
    """Correct the wording of a 決定事項 (screened; refused when changed since ``seen_text``)."""
    text = required_text(text, "text", _("決定事項"))
    with ctx.session() as s:
        d = get_or_fail(s, Decision, decision_id, _("決定事項"))
        check_text(s, d.id, _as_read(s, ctx, d.agenda_item.meeting, d.agenda_item.case_id,
                                     d.text),
                   seen_text, label=_("決定事項"), what=_("この決定事項"),
                   action="meetings.decision.edit")
        screened = screen_texts(s, ctx, {"decision": text}, identity, linkable=True,
                                target=f"decision:{d.id}", unchanged={"decision": d.text})
        link_item(s, d.agenda_item, screened.link_case_id)
        d.text = screened.texts["decision"]
        audit.record(s, ctx.actor, "meetings.decision.edit", "decision", [d.id])
        s.commit()


@service(Permission.MEETING_WRITE)
def remove_decision(ctx: ServiceContext, decision_id: int) -> None:
    """Delete a 決定事項 recorded by mistake."""
    with ctx.session() as s:
        d = get_or_fail(s, Decision, decision_id, _("決定事項"))
        audit.record(s, ctx.actor, "meetings.decision.remove", "decision", [d.id], text=d.text)
        s.delete(d)
        s.commit()


def assignee_text(s, data: ActionInput) -> str:
    """担当 as shown: the typed text, else the person's or organization's name."""
    text = clean_text(data.assignee_text)
    if text:
        return text
    if data.assignee_person_id is not None:
        return get_or_fail(s, Person, data.assignee_person_id, _("担当者")).full_name
    if data.assignee_org_id is not None:
        return get_or_fail(s, Organization, data.assignee_org_id, _("担当機関")).name
    raise ValidationError(_("「担当」を入力してください（人・機関・担当課など）。"),
                          field="assignee_text")


def check_action(s, ctx: ServiceContext, data: ActionInput,
                 identity: IdentityDecision | None = None, target: str = "",
                 unchanged: dict[str, str] | None = None) -> dict:
    """Validated column values for an action item; 内容 and 担当 screened for case identities."""
    description = required_text(data.description, "description", _("内容"))
    screened = screen_texts(s, ctx, {"description": description,
                                     "assignee_text": data.assignee_text}, identity,
                            linkable=data.case_id is None, target=target,
                            unchanged=unchanged)
    description = screened.texts["description"]
    if screened.link_case_id is not None:
        data = ActionInput(**{**data.__dict__, "case_id": screened.link_case_id,
                              "assignee_text": screened.texts["assignee_text"]})
    else:
        data = ActionInput(**{**data.__dict__, "assignee_text": screened.texts["assignee_text"]})
    if data.case_id is not None:
        ctx.require(Permission.CASE_READ)
        from pfdesk.store.models import Case

        get_or_fail(s, Case, data.case_id, _("ケース"))
    return dict(
        description=description, assignee_person_id=data.assignee_person_id,
        assignee_org_id=data.assignee_org_id, assignee_text=assignee_text(s, data),
        due_on=data.due_on, case_id=data.case_id,
    )


@service(Permission.MEETING_WRITE)
def add_action(
    ctx: ServiceContext, meeting_id: int, agenda_item_id: int | None, data: ActionInput, *,
    identity: IdentityDecision | None = None,
) -> int:
    """Record an action item; it carries over to the body's next meetings until closed.

    An item recorded under a case conference item is linked to that case unless
    another case is given.
    """
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        case_id = data.case_id
        if agenda_item_id is not None:
            it = get_or_fail(s, AgendaItem, agenda_item_id, _("議題"))
            if it.meeting_id != m.id:
                raise ValidationError(_("別の会議の議題には追加できません。"))
            if case_id is None and it.case_id is not None:
                case_id = it.case_id
        values = check_action(s, ctx, ActionInput(**{**data.__dict__, "case_id": case_id}),
                              identity, target=f"meeting:{m.id}")
        a = ActionItem(body_id=m.body_id, meeting_id=m.id, agenda_item_id=agenda_item_id,
                       status="open", **values)
        s.add(a)
        s.flush()
        audit.record(s, ctx.actor, "meetings.action.add", "action_item", [a.id],
                     meeting_id=m.id, case_id=a.case_id)
        s.commit()
        return a.id

