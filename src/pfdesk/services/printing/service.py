"""Printing meeting documents: the use cases the print dialog and ``pfdesk print`` call.

Each print opens one unit of work: it reads the meeting, takes a 文書番号 when a notice is
printed for real, writes the PDF atomically, records ``print.<kind>`` in the audit log
(with the cases whose data the paper carries) and commits. A failure leaves neither a
half-written file nor a used-up number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import VIEWER, Permission
from pfdesk.documents.handling import DistributionLog, distribution_log_story
from pfdesk.documents.meeting.agenda import write_agenda, write_roster, write_signin
from pfdesk.documents.meeting.data import MinutesData, NoticeData
from pfdesk.documents.meeting.minutes import write_minutes
from pfdesk.documents.meeting.notice import notice_subject, write_notice, write_reply_form
from pfdesk.documents.packet import SUPPORT_MARKING, PacketData, write_packet
from pfdesk.documents.pdf import collect_glyph_problems
from pfdesk.services import audit
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.services.entitlement import IDENTIFYING, MeetingView
from pfdesk.services.printing import gather, numbers
from pfdesk.services.printing.materials import plan_packet
from pfdesk.services.printing.minutes_extras import discusses_cases, next_meeting_text
from pfdesk.services.printing.notice_checks import notice_warnings
from pfdesk.services.settings import load_municipality
from pfdesk.services.summary import demo_today
from pfdesk.store.models import ActionItem, Meeting

#: Documents of a meeting, in the order the dialog offers them: (key, label).
DOC_KINDS: tuple[tuple[str, str], ...] = (
    ("notice", "開催通知"),
    ("reply", "出欠回答票"),
    ("agenda", "次第"),
    ("roster", "出席者名簿"),
    ("signin", "受付名簿"),
    ("packet", "資料一式"),
    ("minutes", "会議録"),
)

#: Marking of single 支援会議 papers other than the numbered packet.
HANDLE_WITH_CARE = "取扱注意"

MINUTES_HEADINGS = ("会議録", "議事要旨")


@dataclass(frozen=True)
class PrintOptions:
    """Choices of the print dialog / command line."""

    per_person: bool = True  # notices: one page per addressee, else one 各位 version
    issued_on: date | None = None  # 発信日 (default: today)
    copies: int | None = None  # 支援会議 packet: numbered copies (default: one per attendee)
    minutes_heading: str = "会議録"
    minutes_signature: bool = False  # a 署名欄 for the chair under the 会議録
    preview: bool = False  # a preview takes no 文書番号


@dataclass(frozen=True)
class PrintResult:
    """What was written."""

    kind: str
    path: Path
    pages: int
    doc_number: str = ""
    copies: int = 1
    case_ids: tuple[int, ...] = ()
    levels: dict[int, str] = field(default_factory=dict)
    # Characters printed otherwise than typed (no font has them; IVS), one sentence each.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrintInfo:
    """What the print dialog shows about a meeting before printing."""

    meeting_id: int
    title: str
    held_on: date
    body_kind: str
    body_kind_label: str
    is_support_meeting: bool
    default_copies: int
    addressee_count: int
    doc_number: str  # issued already for this meeting's notice, or ""
    material_count: int


def _kind_label(kind: str) -> str:
    for key, label in DOC_KINDS:
        if key == kind:
            return _(label)
    raise ValidationError(
        _("印刷物の種類「{kind}」はありません。").format(kind=kind),
        hint=_("次から選んでください: {all}").format(all="、".join(k for k, _l in DOC_KINDS)),
    )


def _today(session) -> date:
    return demo_today(session) or date.today()


def _default_copies(meeting: Meeting) -> int:
    return max(1, sum(1 for a in meeting.attendance if a.response in gather.TAKING_PART))


def _linked_case_ids(session, meeting: Meeting) -> list[int]:
    ids = {it.case_id for it in meeting.agenda_items if it.case_id}
    ids |= set(session.scalars(select(ActionItem.case_id).where(
        ActionItem.body_id == meeting.body_id, ActionItem.case_id.is_not(None))).all())
    return sorted(i for i in ids if i)


def _shown_case_ids(session, meeting: Meeting) -> list[int]:
    """Cases on the meeting's agenda or in its own action items (full 支援会議 papers)."""
    ids = {it.case_id for it in meeting.agenda_items if it.case_id}
    ids |= set(session.scalars(select(ActionItem.case_id).where(
        ActionItem.meeting_id == meeting.id, ActionItem.case_id.is_not(None))).all())
    return sorted(ids)


@service(Permission.DOCUMENT_PRINT)
def print_info(ctx: ServiceContext, meeting_id: int) -> PrintInfo:
    """The meeting as the print dialog introduces it."""
    with ctx.session() as s:
        m = gather.load_meeting(s, meeting_id)
        fy = _fy(_today(s))
        issued = numbers.existing_number(s, m.id, "notice", fy)
        return PrintInfo(
            meeting_id=m.id, title=gather.meeting_title(m), held_on=m.held_on,
            body_kind=m.body.kind, body_kind_label=gather.codes.BODY_KINDS.label(m.body.kind),
            is_support_meeting=m.body.kind == "support_meeting",
            default_copies=_default_copies(m), addressee_count=len(gather.addressees(m)),
            doc_number=issued.number_text if issued else "",
            material_count=sum(len(it.materials) for it in m.agenda_items),
        )


def _fy(d: date) -> int:
    from pfdesk.core.fiscal import fiscal_year_of

    return fiscal_year_of(d)


@service(Permission.DOCUMENT_PRINT)
def print_meeting_document(
    ctx: ServiceContext,
    meeting_id: int,
    kind: str,
    out: str | Path,
    options: PrintOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PrintResult:
    """Write document ``kind`` (see :data:`DOC_KINDS`) of the meeting to ``out`` as PDF.

    A locked target (the PDF open in a viewer) raises FileProblem and changes nothing.
    Characters that could not be printed as typed are listed in ``warnings``.
    """
    with collect_glyph_problems() as problems:
        result = _print_meeting_document(ctx, meeting_id, kind, out, options, progress)
    return replace(result, warnings=result.warnings + tuple(p.message() for p in problems))


def _print_meeting_document(
    ctx: ServiceContext,
    meeting_id: int,
    kind: str,
    out: str | Path,
    options: PrintOptions | None,
    progress: Callable[[int, int], None] | None,
) -> PrintResult:
    opts = options or PrintOptions()
    label = _kind_label(kind)
    if opts.minutes_heading not in MINUTES_HEADINGS:
        raise ValidationError(_("会議録の見出しは「会議録」か「議事要旨」を選んでください。"),
                              field="minutes_heading")
    if opts.copies is not None and not 1 <= opts.copies <= 200:
        raise ValidationError(_("部数は1から200までの数で指定してください。"), field="copies")
    target = Path(out)
    if target.suffix.lower() != ".pdf":
        # Guards e.g. a mistyped 会議一覧.xlsx from being replaced by a PDF.
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .pdf にしてください。").format(name=target.name),
            field="out",
        )
    if kind == "notice" and not opts.preview and not ctx.actor.can(Permission.MEETING_WRITE):
        # A 文書番号 is an official act of the secretariat: a 閲覧者 may look, not issue.
        raise PermissionDenied(
            _("閲覧者は開催通知をプレビューできますが、文書番号を取って印刷することはできません。"),
            hint=_("「プレビュー」で確認するか、事務局の担当者に印刷を依頼してください。"))
    with ctx.session() as s:
        m = gather.load_meeting(s, meeting_id)
        office = gather.office_of(s)
        if kind in ("notice", "reply") and not (office.sender and office.secretariat):
            # A notice without sender or 担当 cannot be sent; do not spend a 文書番号 on it.
            raise ValidationError(
                _("開催通知・出欠回答票に載せる発信者（自治体名）と事務局の担当課が"
                  "設定されていません。"),
                hint=_("「設定」の「自治体・事務局」で自治体名・事務局の担当課・担当者・電話などを"
                       "入力して保存してから、もう一度印刷してください。"),
            )
        warnings = notice_warnings(s, m, _today(s)) if kind in ("notice", "reply") else []
        support = m.body.kind == "support_meeting"
        view = MeetingView(s, ctx.actor, m, document=True)
        info = gather.meeting_info(s, m, view=view)
        care = HANDLE_WITH_CARE if support else None
        result_extra: dict = {}
        case_ids: list[int] = []
        if kind in ("notice", "reply"):
            issued_on = opts.issued_on or _today(s)
            doc_number = ""
            if kind == "notice":
                doc_number = _notice_number(ctx, s, m, issued_on, opts, info)
            notice = NoticeData(
                office=office, meeting=info, doc_number=doc_number, issued_on=issued_on,
                addressees=gather.addressees(m) if opts.per_person else (),
                to_all=gather.to_all_text(m),
            )
            pages = (write_notice if kind == "notice" else write_reply_form)(target, notice)
            result_extra["doc_number"] = doc_number
        elif kind == "agenda":
            pages = write_agenda(target, info, office, marking=care)
        elif kind == "roster":
            pages = write_roster(target, info, office, marking=care)
        elif kind == "signin":
            pages = write_signin(target, info, office, marking=care)
        elif kind == "minutes":
            # The 議事要旨 is for the town's website: written as for a reader who may
            # identify no one, whoever prints it (names in decisions become 「ケースA」,
            # case items only counted), and so never 取扱注意.
            public = opts.minutes_heading == MINUTES_HEADINGS[1]
            item_view = MeetingView(s, Actor("public", _("公開用"), VIEWER), m,
                                    document=True) if public else view
            minutes = MinutesData(
                office=office, meeting=info, heading=opts.minutes_heading,
                present=gather.people_lines(m, ("present", "proxy", "online")),
                absent=gather.people_lines(m, ("absent",)),
                secretariat=gather.people_lines(m, ("present", "proxy", "online"),
                                                secretariat=True),
                items=gather.minutes_items(s, m, view=item_view),
                # Minutes about cases (ケース会議 too) are 取扱注意, not only a 支援会議's.
                marking=None if public else (
                    care or (HANDLE_WITH_CARE if discusses_cases(m) else None)),
                extra=gather.study_rows(m),
                recorder=ctx.actor.display_name, created_on=_today(s),
                next_meeting=next_meeting_text(s, m), signature=opts.minutes_signature,
            )
            pages = write_minutes(target, minutes)
            case_ids = _shown_case_ids(s, m) if view.unrestricted and not public else []
        else:  # packet
            plan = plan_packet(s, m, ctx.store.paths, ctx.actor,
                               gather.material_numbers(m), view, key=ctx.store.file_key)
            identifying = support or bool(IDENTIFYING & set(plan.levels.values()))
            # Every packet carrying an identifying case sheet is numbered per copy and
            # checked back in with the 配付番号管理表.
            copies = (opts.copies or _default_copies(m)) if identifying else 1
            marking = SUPPORT_MARKING if identifying else None
            # The 配付番号管理表 closes the same build, after the last copy.
            log = _distribution_log(info, copies, marking, m) if identifying else None
            packet = PacketData(office=office, meeting=info, materials=tuple(plan.materials),
                                marking=marking, copies=copies, numbered=identifying,
                                closing=(lambda: distribution_log_story(log)) if log else None)
            pages = write_packet(target, packet, progress)
            case_ids = plan.case_ids + (_shown_case_ids(s, m) if view.unrestricted else [])
            view.levels.update(plan.levels)
            result_extra.update(copies=copies, levels=dict(plan.levels),
                                withheld_materials=len(plan.withheld))
        disclosed = view.disclosed()
        audit.record(
            s, ctx.actor, f"print.{kind}", "meeting", [m.id],
            cases=sorted(set(case_ids)), document=label, file=target.name, pages=pages,
            preview=opts.preview,
            **{k: v for k, v in result_extra.items() if k != "levels"},
            levels={str(k): v for k, v in sorted(disclosed.items())},
        )
        s.commit()
    return PrintResult(kind=kind, path=target, pages=pages, case_ids=tuple(sorted(set(case_ids))),
                       warnings=tuple(warnings),
                       **{k: v for k, v in result_extra.items() if k != "withheld_materials"})


def _distribution_log(info, copies: int, marking: str | None, m: Meeting) -> DistributionLog:
    """The 配付番号管理表 of a numbered packet: each copy's intended recipient."""
    recipients = tuple(
        "　".join(p for p in (a.affiliation, a.name) if p)
        for a in m.attendance if a.response in gather.TAKING_PART
    )
    return DistributionLog(meeting=info, copies=copies, marking=marking or "",
                           recipients=recipients)


def _notice_number(ctx: ServiceContext, s, m: Meeting, issued_on: date, opts: PrintOptions,
                   info) -> str:
    prefix = load_municipality(s).doc_number_prefix
    existing = numbers.existing_number(s, m.id, "notice", _fy(issued_on))
    if existing is not None:
        return existing.number_text
    if opts.preview:
        return numbers.number_text(prefix, None)
    subject = notice_subject(NoticeData(office=gather.office_of(s), meeting=info,
                                        doc_number="", issued_on=issued_on))
    row = numbers.issue_number(s, prefix=prefix, issued_on=issued_on, kind="notice",
                               meeting_id=m.id, subject=subject,
                               created_by=ctx.actor.user_name)
    return row.number_text
