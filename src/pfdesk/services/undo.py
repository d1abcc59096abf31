"""「取り消し」 of the last save: voiding a record just added, writing back an edit's old values.

A save the user wants to take back is described by an :class:`Undo` the form builds from what
it showed and what the service returned. The previous values live only in that object, in the
memory of the window that offered it, never in a log or a file: they may be personal data.
Taking a save back goes through the same services as the save itself (permissions, identity
screening, the version check and the audit apply), and refuses when the record changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import func, select

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import cases, consents, contacts, referrals
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.services.directory import organizations
from pfdesk.services.directory import people as directory_people
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostInput, PostRow
from pfdesk.services.meetings import agenda, meetings
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Base,
    Case,
    CaseClient,
    CaseStatusChange,
    Consent,
    Contact,
    Meeting,
    Post,
    Referral,
)

#: The reason a record added by mistake and taken back at once is voided with.
UNDO_REASON = _("保存の取り消し")


class UndoRefused(KnownError):
    """The save cannot be taken back (changed since, or something now depends on it)."""


@dataclass(frozen=True)
class Undo:
    """One save that can be taken back.

    ``message`` is what the bar says (「相談記録を保存しました」); ``before`` holds the values
    the record had before an edit (None for a new record); ``after`` what the save returned,
    compared with the record as it is when the user clicks 取り消し.
    """

    kind: str
    record_id: int
    message: str
    after: Any
    before: Any = None
    permission: Permission = Permission.CASE_WRITE


# --- building the offers ------------------------------------------------------------------


def contact_added(row: contacts.ContactRow) -> Undo:
    """A 経過記録 just added."""
    return Undo("contact.create", row.id, _("相談記録を保存しました"), after=row)


def contact_edited(before: contacts.ContactRow, after: contacts.ContactRow) -> Undo:
    """A correction of a 経過記録: the form's row before and the row the service returned."""
    return Undo("contact.edit", after.id, _("相談記録の修正を保存しました"), after=after,
                before=before)


def referral_added(row: referrals.ReferralRow) -> Undo:
    """A つなぎ just recorded."""
    return Undo("referral.create", row.id, _("つなぎを保存しました"), after=row)


def consent_added(row: consents.ConsentRow) -> Undo:
    """A 同意 just recorded."""
    return Undo("consent.create", row.id, _("同意を保存しました"), after=row)


def case_created(detail: cases.CaseDetail) -> Undo:
    """A case just opened (taken back only while nothing has been recorded on it)."""
    return Undo("case.create", detail.id,
                _("ケース {number} を登録しました").format(number=detail.case_number),
                after=detail)


def case_edited(before: cases.CaseDetail, after: cases.CaseDetail) -> Undo:
    """An edit of a case's fields."""
    return Undo("case.edit", after.id,
                _("ケース {number} の変更を保存しました").format(number=after.case_number),
                after=after, before=before)


def generic_edit(kind: str, record_id: int, message: str, *, before: Any, after: Any,
                 current: Callable[[ServiceContext], Any],
                 write: Callable[[ServiceContext, Any], object],
                 permission: Permission) -> Undo:
    """An edit of a record that has no version number (meetings, agenda, directory).

    ``before`` and ``after`` are the form's input before and after the save; ``current``
    reads the record's input as it is now (compared with ``after``: a difference means
    someone saved it since); ``write`` saves an input through the record's update service.
    """
    return Undo(kind, record_id, message, after=_Edit(after, current, write), before=before,
                permission=permission)


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting's 概要 as saved: what update_meeting takes, and the 開催状況."""

    details: meetings.MeetingInput
    status: str


@service(Permission.MEETING_READ)
def meeting_details(ctx: ServiceContext, meeting_id: int) -> MeetingDetails:
    """The 概要 of a meeting as stored (compared before and after a save, and written back)."""
    with ctx.session() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise UndoRefused(_("この会議はすでに削除されています。"))
        return MeetingDetails(meetings.MeetingInput(
            body_id=m.body_id, held_on=m.held_on, start_time=m.start_time,
            end_time=m.end_time, place=m.place or "", online=bool(m.online),
            publicity=m.publicity, observers=m.observers or 0,
            reply_deadline=m.reply_deadline, note=m.note or ""), m.status)


def meeting_edited(meeting_id: int, before: MeetingDetails, after: MeetingDetails) -> Undo:
    """A save of a meeting's 概要 (date, time, place, 公開区分, 傍聴者数, 期限, 備考, 開催状況)."""

    def write(ctx: ServiceContext, value: MeetingDetails) -> None:
        meetings.update_meeting(ctx, meeting_id, value.details)
        if meeting_details(ctx, meeting_id).status != value.status:
            meetings.set_meeting_status(ctx, meeting_id, value.status)

    return generic_edit("meetings.meeting", meeting_id, _("会議の概要を保存しました"),
                        before=before, after=after,
                        current=lambda ctx: meeting_details(ctx, meeting_id), write=write,
                        permission=Permission.MEETING_WRITE)


@service(Permission.MEETING_READ)
def agenda_item_input(ctx: ServiceContext, item_id: int) -> agenda.AgendaInput:
    """An agenda item as stored, in the form the update service takes."""
    with ctx.session() as s:
        it = s.get(AgendaItem, item_id)
        if it is None:
            raise UndoRefused(_("この議題はすでに削除されています。"))
        return agenda.AgendaInput(title=it.title, kind=it.kind, presenter=it.presenter or "",
                                  publicity=it.publicity or "", case_id=it.case_id)


def agenda_item_edited(item_id: int, before: agenda.AgendaInput,
                       after: agenda.AgendaInput) -> Undo:
    """A save of an agenda item (件名, 種類, 説明者, 公開区分, case); the 件名 is screened again."""
    return generic_edit(
        "meetings.agenda", item_id, _("議題「{title}」を保存しました").format(title=after.title),
        before=before, after=after, current=lambda ctx: agenda_item_input(ctx, item_id),
        write=lambda ctx, value: agenda.update_item(ctx, item_id, value),
        permission=Permission.MEETING_WRITE)


def organization_edited(org_id: int, before: OrganizationInput,
                        after: OrganizationInput) -> Undo:
    """A save of a 関係機関's fields (name, 分野, address, phone …)."""
    return generic_edit(
        "directory.org", org_id, _("関係機関「{name}」を保存しました").format(name=after.name),
        before=before, after=after,
        current=lambda ctx: organizations.get_organization(ctx, org_id).data,
        write=lambda ctx, value: organizations.update_organization(ctx, org_id, value),
        permission=Permission.DIRECTORY_WRITE)


def person_edited(person_id: int, before: PersonInput, after: PersonInput) -> Undo:
    """A save of a person's name, reading, phone, mail or note in the directory."""
    return generic_edit(
        "directory.person", person_id,
        _("{name} さんの情報を保存しました").format(
            name=f"{after.family_name} {after.given_name}".strip()),
        before=before, after=after,
        current=lambda ctx: directory_people.get_person(ctx, person_id).data,
        write=lambda ctx, value: directory_people.update_person(ctx, person_id, value),
        permission=Permission.DIRECTORY_WRITE)


def case_status_changed(before: cases.CaseDetail, after: cases.CaseDetail) -> Undo:
    """A change of a case's 状況 (受付・支援中・見守り), 終結 or 再開.

    Taken back by the reverse transition through the consultations service, with the reason
    保存の取り消し, while the case's status history is still as this save left it.
    """
    kind = {"closed": "case.close"}.get(after.status, "case.status")
    if before.status == "closed":
        kind = "case.reopen"
    label = {"case.close": _("ケース {number} を終結しました"),
             "case.reopen": _("ケース {number} を再開しました")}.get(
                 kind, _("ケース {number} の状況を「{status}」にしました"))
    return Undo(kind, after.id, label.format(number=after.case_number,
                                             status=after.status_label),
                after=after, before=before)


@dataclass(frozen=True)
class NewAgendaItem:
    """An agenda item as added: its version and input (compared before it is deleted)."""

    version: int
    data: agenda.AgendaInput


def _agenda_state(s, item_id: int) -> NewAgendaItem | None:
    it = s.get(AgendaItem, item_id)
    if it is None:
        return None
    return NewAgendaItem(it.version or 1, agenda.item_input(it))


@service(Permission.MEETING_READ)
def agenda_item_state(ctx: ServiceContext, item_id: int) -> NewAgendaItem:
    """An agenda item as stored now (what :func:`agenda_item_added` keeps)."""
    with ctx.session() as s:
        state = _agenda_state(s, item_id)
        if state is None:
            raise UndoRefused(_("この議題はすでに削除されています。"))
        return state


def agenda_item_added(item_id: int, state: NewAgendaItem) -> Undo:
    """An agenda item just added in the meeting workspace (taken back by deleting it)."""
    return Undo("meetings.agenda.create", item_id,
                _("議題「{title}」を追加しました").format(title=state.data.title),
                after=state, permission=Permission.MEETING_WRITE)


def post_input(row: PostRow) -> PostInput:
    """A post as shown, in the form update_post takes."""
    return PostInput(person_id=row.person_id, organization_id=row.organization_id,
                     department=row.department, title=row.title, start_on=row.start_on,
                     end_on=row.end_on, phone=row.phone, email=row.email,
                     is_contact=row.is_contact, note=row.note)


def _post_now(ctx: ServiceContext, post_id: int) -> PostInput:
    with ctx.session() as s:
        if s.get(Post, post_id) is None:
            raise UndoRefused(_("この在任の記録はすでに削除されています。"))
    return post_input(directory_people.get_post(ctx, post_id))


def post_added(post_id: int, after: PostInput) -> Undo:
    """A 所属・職名 just added to a person (taken back by deleting it)."""
    return Undo("directory.post.create", post_id, _("所属・職名を追加しました"), after=after,
                permission=Permission.DIRECTORY_WRITE)


def post_edited(post_id: int, before: PostInput, after: PostInput, *,
                ended: bool = False) -> Undo:
    """A correction of a post, or its 退任 (``ended``): the previous values go back."""
    return generic_edit(
        "directory.post", post_id,
        _("退任を記録しました") if ended else _("所属・職名の修正を保存しました"),
        before=before, after=after, current=lambda ctx: _post_now(ctx, post_id),
        write=lambda ctx, value: directory_people.update_post(ctx, post_id, value),
        permission=Permission.DIRECTORY_WRITE)


@dataclass(frozen=True)
class _Edit:
    value: Any
    current: Callable[[ServiceContext], Any]
    write: Callable[[ServiceContext, Any], object]


def can_offer(actor: Actor, undo: Undo) -> bool:
    """Whether ``actor`` may take the save back (a 閲覧者 is never offered it)."""
    return actor.can(undo.permission)


# --- taking back --------------------------------------------------------------------------


def _changed_since(what: str) -> UndoRefused:
    return UndoRefused(
        _("{what}は、保存した後にほかの画面かパソコンで変更されたため、取り消せません。").format(
            what=what),
        hint=_("いまの内容を開いて確かめ、必要なら直接修正してください。"))


def _contact_input(row: contacts.ContactRow) -> contacts.ContactInput:
    return contacts.ContactInput(
        occurred_at=row.occurred_at, method=row.method, requester=row.requester,
        relation=row.relation, staff=row.staff, counterpart=row.counterpart,
        counterpart_org_id=row.counterpart_org_id, topics=row.topics,
        main_topic=row.main_topic, body=row.body, next_plan=row.next_plan)


def _case_input(d: cases.CaseDetail) -> cases.CaseInput:
    names = {f.name for f in fields(cases.CaseInput)}
    values = {n: getattr(d, n) for n in names if n != "age_band"}
    return cases.CaseInput(age_band=d.recorded_age_band, **values)


def _note(ctx: ServiceContext, action: str, target_type: str, record_id: int,
          reverted: str) -> None:
    """The audit line saying the save was taken back (after the void or update's own)."""
    with ctx.session() as s:
        audit.record(s, ctx.actor, action, target_type, [record_id], reverted=reverted,
                     reason=UNDO_REASON)
        s.commit()


def _has_records(s, case_id: int) -> bool:
    """Whether anything refers to the case besides its first status line and its 本人.

    The 本人 record is made when the case is first shown; it counts only once another case
    was linked to the same person.
    """
    own = s.scalars(select(CaseClient.client_id).where(
        CaseClient.case_id == case_id, CaseClient.role == "self")).all()
    if own and s.scalar(select(func.count()).select_from(CaseClient).where(
            CaseClient.case_id != case_id,
            (CaseClient.client_id.in_(own)) | (CaseClient.counted_as.in_(own)))):
        return True
    for table in Base.metadata.sorted_tables:
        if "case_id" not in table.c or table.name == CaseStatusChange.__tablename__:
            continue
        q = select(func.count()).select_from(table).where(table.c.case_id == case_id)
        if table.name == CaseClient.__tablename__:
            q = q.where(table.c.role != "self")
        if s.execute(q).scalar():
            return True
    return False


@service()  # the permission is the offer's own, checked first; then the services' own
def revert(ctx: ServiceContext, undo: Undo) -> str:
    """Take the save back; return what the bar says then. Raises UndoRefused when it can't.

    The check that nothing changed since the save and the write-back are one unit of work:
    the outer transaction holds the store's write lock from its start (SQLite BEGIN
    IMMEDIATE, the server's advisory lock), the services called inside join it, so a save
    from another window or PC waits until the write-back is committed and is never lost.
    """
    ctx.require(undo.permission)
    with ctx.session() as s:
        s.connection()  # begin now: the write lock is taken before the check
        done = _revert(ctx, undo)
        s.commit()
    return done


def _revert(ctx: ServiceContext, undo: Undo) -> str:  # noqa: C901 - one branch per kind
    kind = undo.kind
    if kind == "meeting.create":  # a meeting just created on the 会議 page
        from pfdesk.services.undo_meetings import revert_meeting_created

        return revert_meeting_created(ctx, undo)
    if kind == "contact.create":
        with ctx.session() as s:
            c = s.get(Contact, undo.record_id)
            if c is None or c.voided_at is not None or (c.version or 1) != undo.after.version:
                raise _changed_since(_("この相談記録"))
        contacts.void_contact(ctx, undo.record_id, UNDO_REASON)
        _note(ctx, "consultations.contact.undo", "contact", undo.record_id, "create")
        return _("相談記録の保存を取り消しました")
    if kind == "contact.edit":
        try:
            contacts.update_contact(ctx, undo.record_id, _contact_input(undo.before),
                                    seen=undo.after)
        except EditConflict as e:
            raise _changed_since(_("この相談記録")) from e
        _note(ctx, "consultations.contact.undo", "contact", undo.record_id, "edit")
        return _("相談記録を修正前に戻しました")
    if kind == "referral.create":
        with ctx.session() as s:
            r = s.get(Referral, undo.record_id)
            if r is None or r.voided_at is not None or r.status != undo.after.status:
                raise _changed_since(_("このつなぎ"))
        referrals.void_referral(ctx, undo.record_id, UNDO_REASON)
        _note(ctx, "consultations.referral.undo", "referral", undo.record_id, "create")
        return _("つなぎの保存を取り消しました")
    if kind == "consent.create":
        with ctx.session() as s:
            consent = s.get(Consent, undo.record_id)
            if consent is None or consent.voided_at is not None or (
                    consent.withdrawn_on is not None):
                raise _changed_since(_("この同意の記録"))
        consents.void_consent(ctx, undo.record_id, UNDO_REASON)
        _note(ctx, "consultations.consent.undo", "consent", undo.record_id, "create")
        return _("同意の保存を取り消しました")
    if kind == "case.create":
        with ctx.session() as s:
            case = s.get(Case, undo.record_id)
            if case is None or case.voided_at is not None or (
                    case.version or 1) != undo.after.version:
                raise _changed_since(_("このケース"))
            if _has_records(s, case.id) or s.execute(
                    select(func.count()).select_from(CaseStatusChange)
                    .where(CaseStatusChange.case_id == case.id)).scalar() != 1:
                raise UndoRefused(
                    _("ケース {number} にはすでに記録が付いているため、登録を取り消せません。")
                    .format(number=case.case_number),
                    hint=_("誤って登録したケースは「ケースを取消」で理由を付けて取り消します。"))
        cases.void_case(ctx, undo.record_id, UNDO_REASON)
        _note(ctx, "consultations.case.undo", "consultation_case", undo.record_id, "create")
        return _("ケースの登録を取り消しました")
    if kind == "case.edit":
        try:
            cases.update_case(ctx, undo.record_id, _case_input(undo.before), seen=undo.after)
        except EditConflict as e:
            raise _changed_since(_("このケース")) from e
        _note(ctx, "consultations.case.undo", "consultation_case", undo.record_id, "edit")
        return _("ケースを変更前に戻しました")
    if kind in ("case.status", "case.close", "case.reopen"):
        return _revert_status(ctx, undo)
    if kind == "meetings.agenda.create":
        with ctx.session() as s:
            state = _agenda_state(s, undo.record_id)
            if state is None:
                raise UndoRefused(_("この議題はすでに削除されています。"))
            it = s.get(AgendaItem, undo.record_id)
            assert it is not None  # read just above, in the same transaction
            actions = s.execute(select(func.count()).select_from(ActionItem).where(
                ActionItem.agenda_item_id == undo.record_id)).scalar()
            attached = bool(it.summary or it.materials or it.decisions or actions)
        if state != undo.after:
            raise _changed_since(_("この議題"))
        if attached:
            raise UndoRefused(
                _("議題「{title}」にはすでに資料・要点筆記・決定事項などが付いているため、"
                  "追加を取り消せません。").format(title=state.data.title),
                hint=_("不要な議題は「議題を削除」で削除します。"))
        agenda.remove_item(ctx, undo.record_id)
        _note(ctx, "meetings.agenda.undo", "agenda_item", undo.record_id, "create")
        return _("議題の追加を取り消しました")
    if kind == "directory.post.create":
        if _post_now(ctx, undo.record_id) != undo.after:
            raise _changed_since(_("この在任の記録"))
        directory_people.delete_post(ctx, undo.record_id)
        _note(ctx, "directory.post.undo", "post", undo.record_id, "create")
        return _("所属・職名の追加を取り消しました")
    edit = undo.after
    assert isinstance(edit, _Edit), kind
    if edit.current(ctx) != edit.value:
        raise _changed_since(_("この記録"))
    edit.write(ctx, undo.before)
    area, target = kind.split(".")[:2]
    _note(ctx, f"{area}.{target}.undo", target, undo.record_id, "edit")
    return _("変更前に戻しました")


def _revert_status(ctx: ServiceContext, undo: Undo) -> str:
    """The reverse transition of a status change, 終結 or 再開, dated as the one it reverses."""
    before: cases.CaseDetail = undo.before
    after: cases.CaseDetail = undo.after
    with ctx.session() as s:
        case = s.get(Case, undo.record_id)
        lines = s.scalar(select(func.count()).select_from(CaseStatusChange)
                         .where(CaseStatusChange.case_id == undo.record_id))
        if case is None or case.voided_at is not None or case.status != after.status or (
                lines != len(after.history)) or (case.version or 1) != after.version:
            raise _changed_since(_("このケースの状況"))
    on = after.history[-1].changed_on if after.history else after.intake_date
    if undo.kind == "case.status":
        cases.change_status(ctx, undo.record_id, before.status, on, UNDO_REASON)
        action = "status"
    elif undo.kind == "case.close":
        # 再開 leads to 支援中 or 見守り; a case closed from 受付 goes back there after.
        back = before.status if before.status in ("active", "watch") else "active"
        cases.reopen_case(ctx, undo.record_id, after.closed_on or on, UNDO_REASON, back)
        if before.status != back:
            cases.change_status(ctx, undo.record_id, before.status, after.closed_on or on,
                                UNDO_REASON)
        action = "close"
    else:
        # The 終結日 and 終結理由 the case had before it was reopened.
        cases.close_case(ctx, undo.record_id, before.closed_on or on,
                         before.close_reason or "other", UNDO_REASON)
        action = "reopen"
    _note(ctx, "consultations.case.undo", "consultation_case", undo.record_id, action)
    return {"status": _("ケースの状況を元に戻しました"),
            "close": _("終結を取り消しました"),
            "reopen": _("再開を取り消しました")}[action]
