"""Who may see a case's identity in meeting data: one rule for screens, results and papers.

The rule (issue 12): role × the meeting's legal basis × the case's consent.

- A role that may not identify cases (閲覧者) never sees an identity. A case-linked item of
  a closed meeting (支援会議, 個別ケース会議) is case content: such a reader gets the item's
  case code and category only, never its text or attachments (level ``coded``).
- A role that may identify sees meeting records as typed on the screen (level ``full``).
- Papers are read by the meeting, not only by the one who prints them: a 支援会議
  (社会福祉法第106条の6) may see the case in full; other meetings as far as a consent in
  force on the meeting day covers every attending organization (``consented``); otherwise
  ``pseudonymized`` — and in a closed meeting a pseudonymized case item is ``coded``.

:class:`MeetingView` applies the rule to one meeting for one reader; every meeting read
and every printed document goes through it. Identities found in free text of cases the
reader may not see become 「ケースA」 (:class:`~pfdesk.services.identity_scan.Pseudonymizer`):
a safety net behind the question asked when the text is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.documents.disclosure import CONSENTED, FULL, PSEUDONYMIZED
from pfdesk.services.consultations.consents import consent_covers
from pfdesk.services.identity_scan import (
    READABLE_SUFFIXES,
    IdentityIndex,
    Pseudonymizer,
    build_index,
    file_text,
)
from pfdesk.services.masking import can_identify
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Case,
    Consent,
    ConsentOrganization,
    Meeting,
)

#: Case code and category only: no text, no attachments.
CODED = "coded"

#: Meetings whose case items are case content (closed by law or by nature).
CLOSED_KINDS = frozenset({"support_meeting", "case_conference"})

#: Levels at which a case's identity may be shown.
IDENTIFYING = frozenset({FULL, CONSENTED})

#: Levels from most to least disclosed, for "the lower of two".
ORDER = (FULL, CONSENTED, PSEUDONYMIZED, CODED)

ROLE_REASON = "※ 利用者の権限により、本人を特定できる情報を省いています。"


def attending_orgs(meeting: Meeting) -> set[int]:
    """Organizations whose members take part; {0} (all members) when any is unknown."""
    taking_part = ("present", "proxy", "online", "pending")
    orgs = {a.organization_id for a in meeting.attendance if a.response in taking_part}
    wanted: set[int] = {o for o in orgs if o is not None}
    # Without a known organization for every attendee only an all-members consent covers;
    # an empty set would ask "any consent at all", which is not enough here.
    if None in orgs or not wanted:
        return {0}
    return wanted


def meeting_level(session: Session, meeting: Meeting, case_id: int) -> str:
    """How far the meeting itself may see ``case_id``: by law, by consent, or pseudonymized."""
    if meeting.body.kind == "support_meeting":
        return FULL
    if consent_covers(session, case_id, attending_orgs(meeting), meeting.held_on):
        return CONSENTED
    return PSEUDONYMIZED


def covered_cases(session: Session, case_ids: Iterable[int], org_ids: Iterable[int],
                  on_date: date) -> set[int]:
    """Of ``case_ids``, those whose consents on ``on_date`` cover all ``org_ids``.

    The rule of :func:`~pfdesk.services.consultations.consents.consent_covers` for many
    cases at once: two queries over the consents in force that day instead of one per case.
    """
    wanted_cases = set(case_ids)
    wanted = set(org_ids)
    in_force = (Consent.voided_at.is_(None), Consent.given_on <= on_date,
                Consent.withdrawn_on.is_(None) | (Consent.withdrawn_on > on_date))
    scoped: dict[int, int] = {}  # consent id -> case id (consents listing organizations)
    covered: set[int] = set()
    for consent_id, case_id, scope_all in session.execute(
            select(Consent.id, Consent.case_id, Consent.scope_all).where(*in_force)):
        if case_id not in wanted_cases:
            continue
        if scope_all:
            covered.add(case_id)
        else:
            scoped[consent_id] = case_id
    listed: dict[int, set[int]] = {}
    for consent_id, org_id in session.execute(
            select(ConsentOrganization.consent_id, ConsentOrganization.organization_id)
            .join(Consent, Consent.id == ConsentOrganization.consent_id).where(*in_force)):
        owner = scoped.get(consent_id)
        if owner is not None and owner not in covered:
            listed.setdefault(owner, set()).add(org_id)
    covered.update(cid for cid in set(scoped.values()) - covered
                   if wanted <= listed.get(cid, set()))
    return covered


def case_level(session: Session, actor, meeting: Meeting, case_id: int, *,
               document: bool) -> str:
    """The level at which ``actor`` gets ``case_id`` in ``meeting``'s screens or papers."""
    closed = meeting.body.kind in CLOSED_KINDS
    if not can_identify(actor):
        return CODED if closed else PSEUDONYMIZED
    if not document:
        return FULL
    level = meeting_level(session, meeting, case_id)
    if level == PSEUDONYMIZED and closed:
        return CODED
    return level


def meeting_case_ids(session: Session, meeting: Meeting) -> list[int]:
    """Cases linked to the meeting's agenda and action items, in agenda order."""
    order = {"agenda": 0, "report": 1}
    items = sorted(meeting.agenda_items, key=lambda it: (order.get(it.kind, 2), it.position))
    ids = [it.case_id for it in items if it.case_id]
    ids += list(session.scalars(select(ActionItem.case_id).where(
        ActionItem.body_id == meeting.body_id, ActionItem.case_id.is_not(None))
        .order_by(ActionItem.id)))
    return list(dict.fromkeys(ids))


class MeetingView:
    """The rule applied to one meeting for one reader (on screen or in ``document``s)."""

    def __init__(self, session: Session, actor, meeting: Meeting, *, document: bool) -> None:
        self.session = session
        self.actor = actor
        self.meeting = meeting
        self.document = document
        self.case_ids = meeting_case_ids(session, meeting)
        self.levels: dict[int, str] = {
            cid: case_level(session, actor, meeting, cid, document=document)
            for cid in self.case_ids
        }
        identify = can_identify(actor)
        # Who may read every identity as typed: the identifying user on screen, and a
        # 支援会議's own papers printed by such a user.
        self.unrestricted = identify and (
            not document or meeting.body.kind == "support_meeting")
        self.show_numbers = actor.can(Permission.CASE_READ)

    @cached_property
    def pseudonyms(self) -> Pseudonymizer:
        """The pseudonymizer of this output (letters in agenda order)."""
        allowed = [c for c, lv in self.levels.items() if lv in IDENTIFYING]
        index = IdentityIndex([]) if self.unrestricted else build_index(
            self.session, with_parts_of=self.case_ids)
        return Pseudonymizer(index, allowed=allowed, seed=self.case_ids)

    def level(self, case_id: int | None) -> str:
        """The level of a linked case (``full`` for text not linked to any case)."""
        if case_id is None:
            return FULL
        if case_id not in self.levels:
            self.levels[case_id] = case_level(self.session, self.actor, self.meeting,
                                              case_id, document=self.document)
        return self.levels[case_id]

    def prefetch(self, case_ids: Iterable[int]) -> None:
        """Work out the levels of many cases at once (as :meth:`level` would, one by one)."""
        missing = [c for c in case_ids if c not in self.levels]
        if not missing:
            return
        closed = self.meeting.body.kind in CLOSED_KINDS
        hidden = CODED if closed else PSEUDONYMIZED
        if not can_identify(self.actor):
            self.levels.update(dict.fromkeys(missing, hidden))
        elif not self.document or self.meeting.body.kind == "support_meeting":
            self.levels.update(dict.fromkeys(missing, FULL))
        else:
            covered = covered_cases(self.session, missing, attending_orgs(self.meeting),
                                    self.meeting.held_on)
            self.levels.update({c: CONSENTED if c in covered else hidden for c in missing})

    def withheld(self, case_id: int | None) -> bool:
        """Whether an item linked to ``case_id`` shows its case code and category only."""
        return case_id is not None and self.level(case_id) == CODED

    def text(self, value: str) -> str:
        """Free text as this reader may see it."""
        if self.unrestricted or not value:
            return value or ""
        return self.pseudonyms(value)

    def code(self, case_id: int, case_number: str) -> str:
        """The case code shown: the ケース番号 for roles that read coded case data, else 「ケースA」."""
        if self.show_numbers and case_number:
            return case_number
        return self.pseudonyms.name(case_id)

    def coded_title(self, case_id: int, case_number: str, kind: str) -> str:
        """What a withheld item shows instead of its 件名: code and category."""
        return _("{code}（{kind}・ケース検討）").format(
            code=self.code(case_id, case_number), kind=codes.AGENDA_KINDS.label(kind))

    def attachment_allowed(self, item: AgendaItem, path: Path | None) -> bool:
        """Whether an attached file of ``item`` may be handed to this reader.

        Never for a withheld item; for others the file's text is scanned and a file naming
        any case the reader may not see is held back.
        """
        if self.withheld(item.case_id):
            return False
        if self.unrestricted or path is None:
            return True
        if path.suffix.lower() not in READABLE_SUFFIXES:
            # Text that cannot be read cannot be checked: only identifying readers get it.
            return item.case_id is None or self.level(item.case_id) in IDENTIFYING
        found = self.pseudonyms.index.find(file_text(path))
        return all(m.case_id in self.pseudonyms.allowed for m in found)

    def disclosed(self) -> dict[int, str]:
        """Per case, the level this output actually disclosed (for the audit)."""
        out = dict(self.levels)
        for cid in self.pseudonyms.replaced if "pseudonyms" in self.__dict__ else ():
            out.setdefault(cid, PSEUDONYMIZED)
        return out


def reader_text(session: Session, actor) -> Callable[[str], str]:
    """A screen for free text outside a meeting (home page lists): pseudonyms for 閲覧者."""
    if can_identify(actor):
        return lambda text: text
    return Pseudonymizer(build_index(session))


def cases_of(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """ケース番号 by id."""
    ids = set(ids)
    if not ids:
        return {}
    return dict(session.execute(select(Case.id, Case.case_number).where(Case.id.in_(ids))).all())
