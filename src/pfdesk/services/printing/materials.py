"""The materials of a meeting packet: attached files and the documents pfdesk generates.

A material's ``generated`` field names what pfdesk builds at print time:
``stats`` (相談状況 of the 年度 with charts), ``actions`` (対応事項の状況) and
``case_sheet`` (the agenda item's case, at the level the meeting may see).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from sqlalchemy.orm import Session

from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.fiscal import fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_fiscal_year
from pfdesk.documents.action_status import action_status_story
from pfdesk.documents.case_sheet import CaseSheetData, case_sheets_story
from pfdesk.documents.charts import stats_story
from pfdesk.documents.handling import withheld_story
from pfdesk.documents.packet import GENERATED, PDF, SEPARATE, PacketMaterial
from pfdesk.paths import DataPaths
from pfdesk.services.printing import cases as case_rules
from pfdesk.services.printing.gather import action_line, carried_over, ordered_items
from pfdesk.services.small_counts import load_rule, protect_stats
from pfdesk.services.stats import stats_in_session
from pfdesk.store import attachment_files, shared_files, vault
from pfdesk.store.models import Case, Meeting

#: Generated material kinds and the aliases accepted for them.
GENERATED_KINDS: dict[str, str] = {
    "stats": "stats", "statistics": "stats", "consultation_stats": "stats",
    "actions": "actions", "action_items": "actions", "action_status": "actions",
    "case_sheet": "case_sheet", "case": "case_sheet", "case_sheets": "case_sheet",
    "progress": "progress", "progress_ledger": "progress",
    "area_issues": "area_issues",
}


class PacketPlan:
    """The materials of one packet plus what printing them discloses."""

    def __init__(self) -> None:
        self.materials: list[PacketMaterial] = []
        self.case_ids: list[int] = []
        self.levels: dict[int, str] = {}
        self.withheld: list[int] = []  # attachments held back from these readers


def _stats_period(meeting: Meeting) -> tuple[date, date]:
    start, end = fiscal_year_range(fiscal_year_of(meeting.held_on))
    return start, min(end, meeting.held_on)


def _attachment(paths: DataPaths, label: str, title: str, original: str, stored: str,
                key: bytes | None, identity_key: bytes | None,
                previous: bytes | None) -> PacketMaterial:
    path = paths.attachments / stored
    if not path.is_file():
        raise FileProblem(
            _("資料「{title}」（{label}）のファイルがデータフォルダにありません。").format(
                title=title, label=label),
            where=str(path), hint=_("バックアップから復元するか、添付し直してください。"),
        )
    name = original or stored
    if not name.lower().endswith(".pdf"):
        return PacketMaterial(label=label, title=title, kind=SEPARATE, file_name=name)
    data = attachment_files.read(paths, key, stored,  # decrypted in memory only
                                 identity_key=identity_key, fallback=previous)
    return PacketMaterial(label=label, title=title, kind=PDF, data=data, file_name=name)


def plan_packet(session: Session, meeting: Meeting, paths: DataPaths, actor,
                numbers: dict[int, str], view, key: bytes | None = None) -> PacketPlan:
    """Every material of ``meeting`` in agenda order, ready for :func:`write_packet`.

    ``view`` (a :class:`~pfdesk.services.entitlement.MeetingView` for papers) decides what
    the readers get: a withheld item's attachments and an attachment naming a case they
    may not see are replaced by a page saying so.
    """
    plan = PacketPlan()
    identity_key = vault.session_state(session).key  # case items' files (store.vault)
    previous = vault.session_state(session).previous
    items = ordered_items(meeting)
    # 資料 in agenda order first, 参考資料 at the back, as the 配布資料 list reads.
    ordered = [(it, m) for it in items for m in it.materials if not m.is_reference]
    ordered += [(it, m) for it in items for m in it.materials if m.is_reference]
    for item, mat in ordered:
        label = numbers[mat.id]
        withheld = bool(item.case_id) and view.withheld(item.case_id)
        title = _("（ケース資料）") if withheld else view.text(mat.title)
        if not mat.generated:
            path = paths.attachments / mat.stored_name
            if not path.is_file() and shared_files.on_server(session):
                shared_files.download(session, paths, mat.stored_name)  # attached elsewhere
            plain = attachment_files.plain_copy(
                paths, key, mat.stored_name, mat.original_name, identity_key=identity_key,
                fallback=previous) \
                if path.is_file() and not withheld else None
            try:
                allowed = view.attachment_allowed(item, plain)
            finally:
                if plain is not None and plain != path:
                    plain.unlink(missing_ok=True)  # the scan's decrypted copy goes at once
            if not allowed:
                plan.withheld.append(mat.id)
                plan.materials.append(_withheld(label, title))
                continue
            plan.materials.append(
                _attachment(paths, label, title, mat.original_name, mat.stored_name, key,
                            identity_key, previous))
            continue
        kind = GENERATED_KINDS.get(mat.generated)
        if kind == "stats":
            start, end = _stats_period(meeting)
            stats = stats_in_session(session, start, end)
            rule = load_rule(session)
            if rule.enabled:  # meeting papers leave the office: small counts read ＊
                stats = protect_stats(stats, rule)
            heading = _("相談状況（{fy}）").format(fy=format_fiscal_year(
                fiscal_year_of(meeting.held_on)))
            build: Callable[[], list] = partial(stats_story, stats, title=heading)
        elif kind == "actions":
            lines = [action_line(session, a, view=view)
                     for a in carried_over(session, meeting)]
            as_of = _("{d}現在").format(d=format_date(meeting.held_on))
            heading = title or _("対応事項の状況")
            build = partial(action_status_story, lines, title=heading, as_of_text=as_of)
        elif kind == "case_sheet":
            sheets = _case_sheets(session, meeting, item.case_id, actor, title, plan, view)
            if not sheets:
                plan.materials.append(_withheld(label, title))
                continue
            build = partial(case_sheets_story, sheets)
        elif kind == "progress":  # 進行管理台帳, names as the meeting's legal basis allows
            from pfdesk.services.progress.minutes import ledger_material

            build = ledger_material(session, actor, meeting, view, plan)
        elif kind == "area_issues":  # 地域課題の集計 of the meeting's 年度 (no personal data)
            from pfdesk.documents.area_issues import area_issues_story
            from pfdesk.services.area_issues.report import gather_report

            build = partial(area_issues_story,
                            gather_report(session, fiscal_year_of(meeting.held_on)))
        else:
            raise ValidationError(
                _("資料「{title}」（{label}）の種類「{kind}」は作成できません。").format(
                    title=title, label=label, kind=mat.generated),
                hint=_("資料を削除して、添付し直してください。"),
            )
        plan.materials.append(PacketMaterial(label=label, title=title, kind=GENERATED,
                                             build=build))
    return plan


def _withheld(label: str, title: str) -> PacketMaterial:
    reason = _("この資料にはケースを特定できる情報が含まれるため、この資料一式では省略しています。"
               "内容は事務局にお問い合わせください。")
    return PacketMaterial(label=label, title=title, kind=GENERATED,
                          build=partial(withheld_story, title, reason))


def _case_sheets(session: Session, meeting: Meeting, case_id: int | None, actor, title: str,
                 plan: PacketPlan, view) -> list[CaseSheetData]:
    if not case_id:
        raise ValidationError(
            _("資料「{title}」はケース概要ですが、議題にケースが選ばれていません。").format(
                title=title),
            hint=_("議題の編集でケースを選ぶか、この資料を削除してください。"),
        )
    case = session.get(Case, case_id)
    if case is None or case.voided_at is not None:
        raise ValidationError(
            _("資料「{title}」のケースが見つかりません（取り消された可能性があります）。").format(
                title=title),
            hint=_("議題の編集でケースを選び直してください。"),
        )
    level, reason = case_rules.disclosure_level(session, meeting, case.id, actor)
    plan.case_ids.append(case.id)
    if view.withheld(case.id) and level == case_rules.PSEUDONYMIZED and reason:
        # A reader not entitled to a closed meeting's case content gets its code only.
        plan.levels[case.id] = view.level(case.id)
        return []
    plan.levels[case.id] = level
    return [case_rules.case_sheet(session, case, meeting, level, reason)]
