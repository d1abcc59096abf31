"""ケースシート: one consultation case as a meeting may see it.

The printing service decides the level from the meeting's legal basis and fills in only
what that level allows; this module prints what it is given and says which level it is,
so a reader can tell a pseudonymized sheet from a full one at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.disclosure import CONSENTED, FULL, PSEUDONYMIZED
from pfdesk.documents.pdf import grid_table, kv_table, paragraph

_LEVEL_NOTES = {
    FULL: "支援会議（社会福祉法第106条の6）の資料です。構成員には守秘義務があります。"
          "会議終了後に回収します。",
    CONSENTED: "本人の同意（情報共有の同意）の範囲で共有する資料です。目的外に使用しないでください。",
    PSEUDONYMIZED: "本人を特定できる情報（氏名・住所・連絡先・学校や勤務先など）は記載していません。",
}


@dataclass(frozen=True)
class ContactRow:
    """One line of 経過. ``body`` and ``staff`` stay empty on pseudonymized sheets."""

    on: date
    method: str
    requester: str
    topics: str
    body: str = ""
    staff: str = ""


@dataclass(frozen=True)
class CaseSheetData:
    """What a case sheet shows; identifying fields are empty unless the level allows them."""

    level: str
    code: str  # ケース番号
    age_band: str
    sex: str
    contacts: tuple[ContactRow, ...] = ()
    # identifying and descriptive fields: FULL / CONSENTED only
    name: str = ""
    name_kana: str = ""
    birth_date: date | None = None
    address: str = ""
    phone: str = ""
    household: str = ""
    school_or_employer: str = ""
    intake_date: date | None = None
    route: str = ""
    status: str = ""
    work_status: str = ""
    onset: str = ""
    issues: str = ""
    triggers: str = ""
    chief_complaint: str = ""
    policy: str = ""
    goal: str = ""
    referrals: tuple[tuple[str, str, str, str], ...] = ()  # (date, 先, 区分, 状況)
    consent: str = ""  # 「令和8年4月3日 書面（全構成機関）」
    restricted_reason: str = ""  # why a lower level was used (e.g. the user's role)


def _d(value: date | None) -> str:
    return format_date(value) if value else ""


def case_sheet_story(sheet: CaseSheetData) -> list:
    """Flowables of one case sheet (ends without a page break)."""
    story: list = [paragraph(_("ケース概要"), "title")]
    story.append(paragraph(_(_LEVEL_NOTES[sheet.level]), "small"))
    if sheet.restricted_reason:
        story.append(paragraph(sheet.restricted_reason, "small"))
    story.append(Spacer(1, 3 * mm))
    rows: list[tuple[str, str]] = [
        (_("ケース番号"), sheet.code),
        (_("年代"), sheet.age_band),
        (_("性別"), sheet.sex),
    ]
    if sheet.level != PSEUDONYMIZED:
        rows[1:1] = [(_("氏名"), sheet.name), (_("ふりがな"), sheet.name_kana)]
        rows += [
            (_("生年月日"), _d(sheet.birth_date)),
            (_("住所"), sheet.address),
            (_("連絡先"), sheet.phone),
            (_("同居家族"), sheet.household),
            (_("学校・勤務先"), sheet.school_or_employer),
            (_("就労・就学状況"), sheet.work_status),
            (_("受付日"), _d(sheet.intake_date)),
            (_("相談経路"), sheet.route),
            (_("状況"), sheet.status),
            (_("状態の開始時期"), sheet.onset),
            (_("課題"), sheet.issues),
            (_("きっかけ"), sheet.triggers),
            (_("主訴"), sheet.chief_complaint),
            (_("支援方針"), sheet.policy),
            (_("目標"), sheet.goal),
            (_("情報共有の同意"), sheet.consent or _("なし")),
        ]
    story.append(kv_table(rows))
    if sheet.level != PSEUDONYMIZED and sheet.referrals:
        story += [Spacer(1, 4 * mm), paragraph(_("つなぎ"), "heading")]
        # Column widths measured from the content (documents.table_layout).
        story.append(grid_table([_("日付"), _("つなぎ先"), _("区分"), _("状況")],
                                [list(r) for r in sheet.referrals]))
    story += [Spacer(1, 4 * mm), paragraph(_("経過"), "heading")]
    if not sheet.contacts:
        story.append(paragraph(_("（記録なし）"), "body"))
    elif sheet.level == PSEUDONYMIZED:
        story.append(grid_table(
            [_("日付"), _("方法"), _("相談者"), _("相談内容")],
            [[_d(c.on), c.method, c.requester, c.topics] for c in sheet.contacts]))
    else:
        story.append(grid_table(
            [_("日付"), _("方法"), _("相談者"), _("内容"), _("対応者")],
            [[_d(c.on), c.method, c.requester,
              (f"［{c.topics}］\n" if c.topics else "") + c.body, c.staff]
             for c in sheet.contacts]))
    return story


def case_sheets_story(sheets: list[CaseSheetData]) -> list:
    """Several case sheets, each starting on a new page."""
    story: list = []
    for i, sheet in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story.extend(case_sheet_story(sheet))
    return story
