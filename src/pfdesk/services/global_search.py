"""The search over everything (Ctrl+K): 関係機関, 担当者, 相談ケース, 会議 and 議事録, by kind.

The query is folded like every other search (異体字, kana width and kind, spaces: see
:func:`pfdesk.core.kana.fold`), each whitespace-separated term must match. Each kind is
searched only when the role may read it, and as that role may see it: cases through the
case list's own search (a role that may not identify cases matches case numbers only),
meeting text through the meeting's entitlement view (names of cases become 「ケースA」 and
case items of closed meetings are left out for a 閲覧者), so a search never reveals what
the screen would hide. The access log records that a search was made and how much it
found, never the words typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pfdesk.core import codes
from pfdesk.core.i18n import N_, _
from pfdesk.core.kana import fold
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.consultations.search import CaseFilter, _query_kind, search_cases
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory.organizations import list_organizations
from pfdesk.services.directory.people import list_people
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.meetings.meetings import meeting_title
from pfdesk.store.models import AgendaItem, Meeting

#: The kinds, in the order their groups are shown: key → label.
KINDS: dict[str, str] = {
    "organization": N_("関係機関"),
    "person": N_("担当者"),
    "case": N_("相談ケース"),
    "meeting": N_("会議"),
    "minutes": N_("議事録"),
}

#: The permission each kind needs.
NEEDS: dict[str, Permission] = {
    "organization": Permission.DIRECTORY_READ,
    "person": Permission.DIRECTORY_READ,
    "case": Permission.CASE_READ,
    "meeting": Permission.MEETING_READ,
    "minutes": Permission.MEETING_READ,
}

#: Hits shown per kind (the total is still counted).
PER_KIND = 8
_SNIPPET = 48


@dataclass(frozen=True)
class SearchHit:
    """One record found: what it is, its id (the meeting's for 議事録), and two lines."""

    kind: str
    id: int
    title: str
    detail: str


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind and how many matched in all."""

    kind: str
    label: str
    hits: tuple[SearchHit, ...]
    total: int
    more: bool = False  # the total is a lower bound: the search stopped counting


@dataclass(frozen=True)
class SearchResults:
    """Every group with at least one hit, and the kinds the role may not search.

    The words searched for are not repeated here: results may be kept or logged.
    """

    groups: tuple[SearchGroup, ...]
    not_searched: tuple[str, ...]  # labels of kinds the role may not read

    @property
    def total(self) -> int:
        """Records found in all kinds."""
        return sum(g.total for g in self.groups)


def _terms(query: str) -> list[str]:
    return [t for t in (fold(p) for p in query.split()) if t]


def _matches(terms: list[str], texts: Iterable[str]) -> bool:
    folded = "|".join(fold(t) for t in texts if t)
    return all(t in folded for t in terms)


def _snippet(text: str, terms: list[str]) -> str:
    """The part of ``text`` around the first term (whole text when short)."""
    flat = " ".join(text.split())
    if len(flat) <= _SNIPPET:
        return flat
    # Folding keeps most characters one-to-one; find the term's place approximately.
    folded = [fold(c) for c in flat]
    joined = "".join(folded)
    at = joined.find(terms[0]) if terms else -1
    pos, count = 0, 0
    for i, f in enumerate(folded):
        if count >= at:
            pos = i
            break
        count += len(f)
    start = max(0, pos - _SNIPPET // 3)
    piece = flat[start:start + _SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(flat) else "")


@service(Permission.DIRECTORY_READ)
def search_everything(ctx: ServiceContext, query: str, *,
                      per_kind: int = PER_KIND) -> SearchResults:
    """Search every kind the acting user may read for ``query``; groups in :data:`KINDS` order."""
    terms = _terms(query)
    allowed = [k for k in KINDS if ctx.actor.can(NEEDS[k])]
    not_searched = tuple(_(KINDS[k]) for k in KINDS if k not in allowed)
    if not terms:
        return SearchResults((), not_searched)
    found: dict[str, list[SearchHit]] = {}
    if "organization" in allowed:
        found["organization"] = [
            SearchHit("organization", o.id, o.name, "　".join(x for x in (
                codes.FIELDS.label(o.field) if o.field else "", o.department, o.phone,
                "" if o.active else _("（廃止）")) if x))
            for o in list_organizations(ctx, query=query, active_only=False)]
    if "person" in allowed:
        found["person"] = [
            SearchHit("person", p.id, p.full_name, "　".join(x for x in (
                p.organization_name, p.title, "" if p.in_post else _("（在任していません）"))
                if x))
            for p in list_people(ctx, query=query, in_post_only=False)]
    case_total = 0
    if "case" in allowed:
        page = search_cases(ctx, CaseFilter(text=query), limit=per_kind)
        case_total = page.total
        found["case"] = [
            SearchHit("case", c.id, f"{c.case_number}　{c.name}".strip(),
                      _("{status}　受付 {date}　主担当 {lead}").format(
                          status=codes.CASE_STATUSES.label(c.status),
                          date=format_date(c.intake_date), lead=c.lead_staff or _("未定")))
            for c in page.rows]
    if "meeting" in allowed:
        found["meeting"], found["minutes"], unread = _meetings(ctx, terms, per_kind)
    else:
        unread = False
    groups = []
    for kind in KINDS:
        hits = found.get(kind, [])
        total = case_total if kind == "case" else len(hits)
        if total:
            groups.append(SearchGroup(kind, _(KINDS[kind]), tuple(hits[:per_kind]), total,
                                      more=unread and kind in ("meeting", "minutes")))
    with ctx.session() as s:
        audit.record(s, ctx.actor, "search", "", [],
                     query=_query_kind(query), length=len(query.strip()),
                     results=sum(g.total for g in groups),
                     kind="、".join(_("{kind} {n}件").format(kind=g.label, n=g.total)
                                   for g in groups))
        s.commit()
    return SearchResults(tuple(groups), not_searched)


def _meetings(ctx: ServiceContext, terms: list[str],
              per_kind: int) -> tuple[list[SearchHit], list[SearchHit], bool]:
    """Meetings and minutes that match (newest first), and whether some were left unread.

    Reading a meeting as its reader may see it costs a few queries, so once both kinds
    have more hits than are shown, the rest is not read (the counts are then lower bounds).
    """
    meetings: list[SearchHit] = []
    minutes: list[SearchHit] = []
    enough = per_kind + 1  # one more than shown: 「ほかにも」 is then known to be true
    with ctx.session() as s:
        rows = s.scalars(
            select(Meeting).options(
                selectinload(Meeting.body),
                selectinload(Meeting.agenda_items).selectinload(AgendaItem.decisions))
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())).all()
        for m in rows:
            title = meeting_title(m.body.name, m.number)
            when = format_date(m.held_on, weekday=True)
            about = [title, m.body.name, codes.BODY_KINDS.label(m.body.kind), when,
                     m.held_on.strftime("%Y/%m/%d"), m.place, m.lecturer]
            free = [m.theme, m.note]
            notes = [(it, [it.title, it.summary, *(d.text for d in it.decisions)])
                     for it in m.agenda_items]
            # As typed first (cheap); what the reader may see decides (the view, below).
            if not (_matches(terms, about + free)
                    or _matches(terms, [m.next_plan, *(t for _i, ts in notes for t in ts)])):
                continue
            if len(meetings) >= enough and len(minutes) >= enough:
                return meetings, minutes, True
            view = MeetingView(s, ctx.actor, m, document=False)
            seen_free = [view.text(t) for t in free]
            if _matches(terms, about + seen_free):
                meetings.append(SearchHit("meeting", m.id, title, "　".join(
                    x for x in (when, m.place, codes.MEETING_STATUSES.label(m.status)) if x)))
            pieces = [(_("次回予定"), view.text(m.next_plan))]
            for it, texts in notes:
                if view.withheld(it.case_id):
                    continue  # case content the reader may not see
                name = view.text(it.title)
                pieces += [(name, view.text(t)) for t in texts]
            hit = next(((where, text) for where, text in pieces
                        if text and _matches(terms, [text])), None)
            if hit is not None:
                where, text = hit
                detail = (_("議題：{title}").format(title=_snippet(text, terms)) if text == where
                          else f"{where}：{_snippet(text, terms)}")
                minutes.append(SearchHit("minutes", m.id, f"{title}　{when}", detail))
    return meetings, minutes, False
