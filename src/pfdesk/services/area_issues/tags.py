"""The 地域課題 code list (extendable by the secretariat) and the tags on cases and items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.codes import CodeList
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import read_setting, write_setting
from pfdesk.store.models import AgendaItem, AreaIssueTag

#: Setting: the issues the secretariat added, [{"key": "x1", "label": "…"}, …].
EXTRA_KEY = "area_issues.extra"


def issue_codes(s: Session) -> CodeList:
    """The built-in issues (その他 last) and the secretariat's, as one code list."""
    extra = [(str(e["key"]), str(e["label"])) for e in read_setting(s, EXTRA_KEY, []) or []]
    items = [i for i in sc.AREA_ISSUES.items if i[0] != "other"] + extra + [("other", "その他")]
    return CodeList(sc.AREA_ISSUES.name, tuple(items))


@dataclass(frozen=True)
class Issue:
    """One 地域課題 of the list."""

    key: str
    label: str


@service(Permission.MEETING_READ)
def list_issues(ctx: ServiceContext) -> list[Issue]:
    """Every 地域課題 in list order."""
    with ctx.session() as s:
        return [Issue(k, v) for k, v in issue_codes(s)]


@service(Permission.MEETING_WRITE)
def add_issue(ctx: ServiceContext, label: str) -> Issue:
    """Add a 地域課題 to the list (the secretariat's own words)."""
    text = common.require_text(clean_text(label), "label", _("地域課題"))
    with ctx.session() as s:
        codes = issue_codes(s)
        if text in codes.labels():
            raise ValidationError(_("「{t}」はすでに一覧にあります。").format(t=text), field="label")
        extra = list(read_setting(s, EXTRA_KEY, []) or [])
        key = f"x{len(extra) + 1}"
        extra.append({"key": key, "label": text})
        write_setting(s, EXTRA_KEY, extra)
        audit.record(s, ctx.actor, "area_issues.add", "setting", [EXTRA_KEY], key=key)
        s.commit()
        return Issue(key, text)


def _check(s: Session, keys: Sequence[str]) -> list[str]:
    codes = issue_codes(s)
    for k in keys:
        common.check_code(codes, k, "issues")
    return list(dict.fromkeys(keys))


def _set(s: Session, actor, keys: list[str], *, case_id: int | None = None,
         item_id: int | None = None, seen: Sequence[str] | None = None) -> list[str]:
    """Store the tags; with ``seen``, the user's changes go onto the tags as stored now.

    The form is a set of check boxes, each saying yes or no to one issue: what the user
    ticked is added, what they unticked is removed, and a tag another PC added or removed
    since the form opened stays as that PC left it (never dropped unseen). Returns the
    keys stored.
    """
    where = (AreaIssueTag.case_id == case_id) if case_id is not None else (
        AreaIssueTag.agenda_item_id == item_id)
    current = set(s.scalars(select(AreaIssueTag.issue_key).where(where)))
    if seen is not None:
        before = set(seen)
        kept = (current - (before - set(keys))) | (set(keys) - before)
        keys = [k for k in dict.fromkeys([*keys, *sorted(current)]) if k in kept]
    gone = current - set(keys)
    if gone:
        s.execute(delete(AreaIssueTag).where(where, AreaIssueTag.issue_key.in_(gone)))
    day = common.today_for(s)
    for k in keys:
        if k not in current:
            s.add(AreaIssueTag(issue_key=k, case_id=case_id, agenda_item_id=item_id,
                               tagged_on=day, created_by=actor.display_name))
    return keys


def _merged(wanted: list[str], stored: list[str]) -> dict[str, list[str]]:
    """The audit detail of a merge: tags kept or left off because another PC set them."""
    kept = [k for k in stored if k not in wanted]
    gone = [k for k in wanted if k not in stored]
    return {**({"kept_from_elsewhere": kept} if kept else {}),
            **({"removed_elsewhere": gone} if gone else {})}


@service(Permission.CASE_READ)
def case_issues(ctx: ServiceContext, case_id: int) -> tuple[str, ...]:
    """The 地域課題 keys of a case, in list order."""
    with ctx.session() as s:
        common.load_case(s, case_id)
        keys = set(s.scalars(select(AreaIssueTag.issue_key)
                             .where(AreaIssueTag.case_id == case_id)))
        return tuple(k for k in issue_codes(s).keys() if k in keys)


@service(Permission.CASE_READ)
def case_issue_labels(ctx: ServiceContext, case_id: int) -> tuple[str, ...]:
    """The 地域課題 of a case as shown."""
    with ctx.session() as s:
        codes = issue_codes(s)
    return tuple(codes.label(k) for k in case_issues(ctx, case_id))


@service(Permission.CASE_WRITE)
def set_case_issues(ctx: ServiceContext, case_id: int, keys: Sequence[str], *,
                    seen: Sequence[str] | None = None) -> tuple[str, ...]:
    """Tag a case with exactly ``keys`` (an empty list removes every tag).

    ``seen`` is the tags the form showed: then only the user's own ticks and unticks are
    applied, and a tag another PC set meanwhile is kept (see :func:`_set`). Returns the
    case's tags as stored, so the form can say what it kept from elsewhere.
    """
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        wanted = _check(s, keys)
        stored = _set(s, ctx.actor, wanted, case_id=case.id, seen=seen)
        audit.record(s, ctx.actor, "area_issues.case", "case", [case.id], issues=stored,
                     **_merged(wanted, stored))
        s.commit()
    return case_issues(ctx, case_id)


@service(Permission.MEETING_READ)
def item_issues(ctx: ServiceContext, item_id: int) -> tuple[str, ...]:
    """The 地域課題 keys of an agenda item."""
    with ctx.session() as s:
        keys = set(s.scalars(select(AreaIssueTag.issue_key)
                             .where(AreaIssueTag.agenda_item_id == item_id)))
        return tuple(k for k in issue_codes(s).keys() if k in keys)


@service(Permission.MEETING_WRITE)
def set_item_issues(ctx: ServiceContext, item_id: int, keys: Sequence[str], *,
                    seen: Sequence[str] | None = None) -> tuple[str, ...]:
    """Tag an agenda item (議題) with exactly ``keys`` (``seen``: as :func:`set_case_issues`)."""
    with ctx.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise ValidationError(_("議題が見つかりません。"), field="item")
        wanted = _check(s, keys)
        stored = _set(s, ctx.actor, wanted, item_id=item.id, seen=seen)
        audit.record(s, ctx.actor, "area_issues.item", "agenda_item", [item.id], issues=stored,
                     **_merged(wanted, stored))
        s.commit()
    return item_issues(ctx, item_id)


@dataclass(frozen=True)
class TaggableItem:
    """An agenda item of the 年度 with its 地域課題 (the title as the reader may see it)."""

    id: int
    meeting: str
    title: str
    issues: tuple[str, ...]


@service(Permission.MEETING_READ)
def items_of_year(ctx: ServiceContext, fiscal_year: int) -> list[TaggableItem]:
    """The agenda items of the 年度's meetings (cancelled ones left out), by date."""
    from pfdesk.core.fiscal import fiscal_year_range
    from pfdesk.core.wareki import format_date
    from pfdesk.services.entitlement import MeetingView, cases_of
    from pfdesk.store.models import Meeting

    start, end = fiscal_year_range(fiscal_year)
    with ctx.session() as s:
        codes = issue_codes(s)
        tagged: dict[int | None, set[str]] = {}
        for item_id, key in s.execute(select(AreaIssueTag.agenda_item_id, AreaIssueTag.issue_key)
                                      .where(AreaIssueTag.agenda_item_id.is_not(None))):
            tagged.setdefault(item_id, set()).add(key)
        out = []
        for m in s.scalars(select(Meeting).where(Meeting.held_on.between(start, end),
                                                 Meeting.status != "cancelled")
                           .order_by(Meeting.held_on, Meeting.id)):
            view = MeetingView(s, ctx.actor, m, document=False)
            numbers = cases_of(s, [it.case_id for it in m.agenda_items if it.case_id])
            label = _("{body} 第{n}回（{d}）").format(body=m.body.name, n=m.number,
                                                     d=format_date(m.held_on))
            for it in m.agenda_items:
                title = (view.coded_title(it.case_id, numbers.get(it.case_id, ""), it.kind)
                         if it.case_id and view.withheld(it.case_id) else view.text(it.title))
                keys = tagged.get(it.id, set())
                out.append(TaggableItem(it.id, label, title,
                                        tuple(k for k in codes.keys() if k in keys)))
        return out
