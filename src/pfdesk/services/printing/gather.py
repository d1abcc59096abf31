"""Reading a meeting into the plain data meeting documents print (no permission checks here).

Helpers take an open ``Session``; the service in :mod:`.service` calls them inside its unit
of work and hands the results to :mod:`pfdesk.documents`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import NotFound
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_fiscal_year
from pfdesk.documents.meeting.data import (
    ActionLine,
    Addressee,
    AgendaLine,
    AttendeeLine,
    MaterialLine,
    MeetingInfo,
    MinutesItem,
    Office,
)
from pfdesk.services.meetings.agenda import item_labels, number_materials
from pfdesk.services.settings import load_municipality
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Case,
    Meeting,
    Organization,
    Person,
)

#: Responses that mean the member takes part (their organization sees the papers).
TAKING_PART = ("present", "proxy", "online", "pending")


def load_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting, or NotFound naming the id the user gave."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(
            _("会議（ID {id}）が見つかりません。").format(id=meeting_id),
            hint=_("会議の一覧（または pfdesk export meetings）で ID を確かめてください。"),
        )
    return meeting


def office_of(session: Session) -> Office:
    """The sender block from the municipality settings."""
    m = load_municipality(session)
    return Office(
        municipality=m.name, secretariat=m.secretariat, sender=m.sender or m.name,
        contact_person=m.contact_person, phone=m.phone, fax=m.fax, email=m.email,
        postal_code=m.postal_code, address=m.address, platform_name=m.platform_name,
    )


def meeting_title(meeting: Meeting) -> str:
    """「令和8年度第3回○○」 for bodies counted per 年度, 「第12回○○」 for running numbers."""
    body = meeting.body
    base = _("第{n}回{name}").format(n=meeting.number, name=body.name)
    if body.numbering == "fiscal":
        return format_fiscal_year(meeting.fiscal_year) + base
    return base


def ordered_items(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items as the 次第 runs: 議題, then 報告, then その他, each by position."""
    order = {"agenda": 0, "report": 1}
    return sorted(meeting.agenda_items, key=lambda it: (order.get(it.kind, 2), it.position))


def material_numbers(meeting: Meeting) -> dict[int, str]:
    """資料番号 per material id, numbered the same way the meeting screens number them."""
    return number_materials(ordered_items(meeting))


def _attendee(a: Attendance) -> AttendeeLine:
    notes = []
    if a.response == "proxy" and (a.proxy_name or a.proxy_title):
        notes.append(_("代理：{who}").format(who=f"{a.proxy_title}　{a.proxy_name}".strip("　")))
    if a.late:
        notes.append(_("遅参"))
    if a.left_early:
        notes.append(_("早退"))
    if a.note:
        notes.append(a.note)
    return AttendeeLine(
        affiliation=a.affiliation, title=a.title, name=a.name,
        role=codes.BODY_ROLES.label(a.role),
        # A blank, not 未回答, so a roster printed before the day can be filled in by hand.
        response="" if a.response == "pending" else codes.RESPONSES.label(a.response),
        note="、".join(notes), secretariat=a.role == "secretariat",
    )


class AsTyped:
    """The view of a reader who may see everything as typed (the default of the helpers)."""

    def text(self, value: str) -> str:
        """``value`` unchanged."""
        return value or ""

    def withheld(self, case_id: int | None) -> bool:
        """Nothing is withheld."""
        return False

    def coded_title(self, case_id: int, case_number: str, kind: str) -> str:
        """Never used: nothing is withheld."""
        return case_number


AS_TYPED = AsTyped()


def _case_numbers(session: Session, meeting: Meeting) -> dict[int, str]:
    ids = {it.case_id for it in meeting.agenda_items if it.case_id}
    if not ids:
        return {}
    return dict(session.execute(select(Case.id, Case.case_number).where(Case.id.in_(ids))).all())


def item_title(view, it: AgendaItem, numbers: dict[int, str]) -> str:
    """An agenda item's 件名 as the view's reader may see it (code only when withheld)."""
    if it.case_id and view.withheld(it.case_id):
        return view.coded_title(it.case_id, numbers.get(it.case_id, ""), it.kind)
    return view.text(it.title)


def meeting_info(session: Session, meeting: Meeting, *, view=AS_TYPED) -> MeetingInfo:
    """The meeting as documents show it to ``view``'s reader (see services.entitlement)."""
    items = ordered_items(meeting)
    numbers = number_materials(items)
    codes_ = _case_numbers(session, meeting)
    agenda = tuple(
        AgendaLine(
            kind=codes.AGENDA_KINDS.label(it.kind), title=item_title(view, it, codes_),
            presenter=it.presenter,
            closed=meeting.publicity == "public" and (it.publicity or meeting.publicity)
            == "closed",
            materials=tuple(numbers[x.id] for x in it.materials),
        )
        for it in items
    )
    mats = [(numbers[x.id], _material_title(view, it, x.title)) for it in items
            for x in it.materials]
    # 資料1, 資料2 … first, 参考資料 last, as the 配布資料 list is read.
    mats.sort(key=lambda p: (p[0].startswith(_("参考資料")), 0))
    return MeetingInfo(
        id=meeting.id, title=meeting_title(meeting), body_name=meeting.body.name,
        body_kind=meeting.body.kind, body_kind_label=codes.BODY_KINDS.label(meeting.body.kind),
        held_on=meeting.held_on, start_time=meeting.start_time, end_time=meeting.end_time,
        place=meeting.place, online=meeting.online,
        publicity=codes.PUBLICITY.label(meeting.publicity), observers=meeting.observers,
        reply_deadline=meeting.reply_deadline, theme=view.text(meeting.theme), lecturer=meeting.lecturer,
        next_plan=view.text(meeting.next_plan), agenda=agenda,
        materials=tuple(MaterialLine(label, title) for label, title in mats),
        attendees=tuple(_attendee(a) for a in meeting.attendance),
    )


def _material_title(view, it: AgendaItem, title: str) -> str:
    if it.case_id and view.withheld(it.case_id):
        return _("（ケース資料）")
    return view.text(title)


def addressees(meeting: Meeting) -> tuple[Addressee, ...]:
    """One addressee per invited member (not the secretariat itself): 様 or 御中."""
    out = []
    for a in meeting.attendance:
        if a.role == "secretariat":
            continue
        if a.name.strip():
            out.append(Addressee(name=a.name, honorific=_("様"), affiliation=a.affiliation,
                                 title=a.title))
        elif a.affiliation.strip():
            out.append(Addressee(name=a.affiliation, honorific=_("御中")))
    return tuple(out)


def study_rows(meeting: Meeting) -> dict[str, str]:
    """テーマ, 講師 and 参加者数 by category for a study session's 会議録 (else nothing)."""
    if meeting.body.kind != "study":
        return {}
    counts = (meeting.participants_residents, meeting.participants_agencies,
              meeting.participants_families)
    rows = {_("テーマ"): meeting.theme or _("（未入力）"), _("講師"): meeting.lecturer or "—"}
    rows[_("参加者数")] = _("計 {t}名（住民 {r}名、関係機関 {a}名、当事者・家族 {f}名）").format(
        t=sum(counts), r=counts[0], a=counts[1], f=counts[2])
    return rows


def to_all_text(meeting: Meeting) -> str:
    """「○○ 委員各位」 for the single 各位 version of a notice."""
    return _("{body}　委員各位").format(body=meeting.body.name)


def attending_org_ids(meeting: Meeting) -> set[int | None]:
    """Organizations of members who take part (None for a member without one)."""
    return {a.organization_id for a in meeting.attendance if a.response in TAKING_PART}


def people_lines(meeting: Meeting, responses: tuple[str, ...], *,
                 secretariat: bool = False) -> tuple[str, ...]:
    """「所属　職名　氏名」 of attendees whose response is in ``responses``.

    Members only by default; ``secretariat=True`` gives the 事務局 instead, which 会議録
    list on their own row.
    """
    out = []
    for a in meeting.attendance:
        if a.response not in responses or (a.role == "secretariat") != secretariat:
            continue
        who = "　".join(p for p in (a.affiliation, a.title, a.name) if p)
        if a.response == "proxy" and a.proxy_name:
            who += _("（代理：{p}）").format(p=a.proxy_name)
        out.append(who)
    return tuple(out)


def _assignee(session: Session, item: ActionItem) -> str:
    if item.assignee_text:
        return item.assignee_text
    if item.assignee_person_id:
        person = session.get(Person, item.assignee_person_id)
        if person:
            return person.full_name
    if item.assignee_org_id:
        org = session.get(Organization, item.assignee_org_id)
        if org:
            return org.name
    return ""


def _origin(meeting: Meeting | None) -> str:
    if meeting is None:
        return ""
    return _("第{n}回（{d}）").format(n=meeting.number, d=format_date(meeting.held_on))


def action_line(session: Session, item: ActionItem, *, view=AS_TYPED) -> ActionLine:
    """One action item as printed; an item about a withheld case shows its code only."""
    agenda_case = None
    if item.agenda_item_id:
        it = session.get(AgendaItem, item.agenda_item_id)
        agenda_case = it.case_id if it else None
    withheld = view.withheld(item.case_id) or view.withheld(agenda_case)
    if withheld:
        case_id = item.case_id or agenda_case
        case = session.get(Case, case_id) if case_id else None
        code = view.coded_title(case_id, case.case_number if case else "", "agenda") \
            if case_id else ""
        description = _("（{code}についての宿題事項）").format(code=code.split("（")[0])
    else:
        description = view.text(item.description)
    return ActionLine(
        description=description, assignee=view.text(_assignee(session, item)),
        due_on=item.due_on, status=codes.ACTION_STATUSES.label(item.status),
        origin=_origin(session.get(Meeting, item.meeting_id)),
        progress="" if withheld else view.text(item.progress_note),
    )


def carried_over(session: Session, meeting: Meeting) -> list[ActionItem]:
    """Action items of the body decided at earlier meetings that are still open.

    Items closed since the previous meeting are listed too, so members see what got done.
    """
    earlier = select(Meeting.id, Meeting.held_on).where(
        Meeting.body_id == meeting.body_id, Meeting.held_on < meeting.held_on)
    rows = session.execute(earlier).all()
    if not rows:
        return []
    previous_day: date = max(r.held_on for r in rows)
    items = session.scalars(
        select(ActionItem).where(ActionItem.meeting_id.in_([r.id for r in rows]))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ).all()
    return [
        it for it in items
        if it.status in codes.OPEN_ACTION_STATUSES
        or it.closed_meeting_id == meeting.id
        or (it.closed_on is not None and it.closed_on >= previous_day)
    ]


def minutes_items(session: Session, meeting: Meeting, *, view=AS_TYPED) -> tuple:
    """Per agenda item: summary, decisions and the action items decided under it.

    A withheld item (case content the reader may not see) keeps its code and category;
    its 要点筆記 and 決定事項 are left out.
    """
    items = ordered_items(meeting)
    labels = item_labels(items)
    codes_ = _case_numbers(session, meeting)
    actions = session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)
    ).all()
    by_item: dict[int | None, list[ActionItem]] = {}
    for a in actions:
        by_item.setdefault(a.agenda_item_id, []).append(a)
    out = []
    for it in items:
        withheld = bool(it.case_id) and view.withheld(it.case_id)
        out.append(MinutesItem(
            kind=labels[it.id].split("(")[0], title=item_title(view, it, codes_),
            presenter=it.presenter,
            summary=_("（ケースの検討内容は、この資料では省略しています。）") if withheld
            else view.text(it.summary),
            decisions=() if withheld else tuple(view.text(d.text) for d in it.decisions),
            actions=tuple(action_line(session, a, view=view)
                          for a in by_item.get(it.id, [])),
            closed=bool(it.case_id) or (it.publicity or meeting.publicity) == "closed",
        ))
    loose = by_item.get(None, [])
    if loose:
        out.append(MinutesItem(kind=_("その他"), title=_("対応事項"), actions=tuple(
            action_line(session, a, view=view) for a in loose)))
    from pfdesk.services.progress.minutes import findings_item  # 進行管理: a line per case

    review = findings_item(session, meeting, view)
    return tuple(out) + ((review,) if review else ())
