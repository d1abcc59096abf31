"""支援計画書 (プラン) on paper: goals, agreed actions, review date and the agreement line.

Printed to go through the plan with 本人 (or the family) and to keep the signed copy;
built from plain data (:class:`PlanSheet`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, kv_table, paragraph


@dataclass(frozen=True)
class PlanSheet:
    """One plan version as printed."""

    case_number: str
    name: str
    version: int
    made_on: date
    made_by: str
    goals: tuple[tuple[str, str], ...]  # (短期目標 / 長期目標, text)
    actions: tuple[tuple[str, str, str], ...]  # (内容, 担当, 期限)
    agreement: str
    review_on: date
    note: str
    municipality: str


def plan_story(sheet: PlanSheet) -> list:
    """The sheet as a reportlab story."""
    story: list = [paragraph(_("支援計画書"), "title"),
                   paragraph(_("第{v}版").format(v=sheet.version), "center"), Spacer(1, 4 * mm),
                   kv_table([(_("ケース番号"), sheet.case_number), (_("氏名"), sheet.name),
                             (_("作成日"), format_date(sheet.made_on)),
                             (_("作成者"), sheet.made_by),
                             (_("見直し予定日"), format_date(sheet.review_on))]),
                   Spacer(1, 4 * mm), paragraph(_("目標（本人・家族の言葉で）"), "heading")]
    story.append(grid_table([_("期間"), _("目標")], [list(g) for g in sheet.goals],
                            col_widths=[28 * mm, FRAME_WIDTH - 28 * mm]))
    story += [Spacer(1, 4 * mm), paragraph(_("取組（誰が・いつまでに）"), "heading")]
    if sheet.actions:
        story.append(grid_table([_("取組の内容"), _("担当"), _("期限")],
                                [list(a) for a in sheet.actions],
                                col_widths=[FRAME_WIDTH - 90 * mm, 55 * mm, 35 * mm]))
    else:
        story.append(paragraph(_("（なし）"), "body"))
    if sheet.note:
        story += [Spacer(1, 3 * mm), kv_table([(_("備考"), sheet.note)])]
    story += [Spacer(1, 8 * mm),
              paragraph(_("記録された同意: {a}").format(a=sheet.agreement), "body"),
              Spacer(1, 6 * mm),
              paragraph(_("上記の計画について説明を受け、同意します。"), "body"),
              Spacer(1, 8 * mm),
              paragraph(_("令和　　年　　月　　日　　　氏名（本人・家族）＿＿＿＿＿＿＿＿＿＿＿＿"),
                        "body_right"),
              Spacer(1, 6 * mm), paragraph(sheet.municipality, "body_right")]
    return story


def write_plan(path: str | Path, sheet: PlanSheet, *, author: str = "") -> int:
    """Write the sheet to ``path``; return the page count."""
    return build_pdf(path, plan_story(sheet), title=_("支援計画書"), author=author,
                     marking=_("取扱注意"))
