"""地域課題の集計 (PDF) for the 全体会: counts per issue and anonymized examples, no names."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pfdesk.core.i18n import _
from pfdesk.documents.area_issues_data import AreaIssueReport
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, paragraph


def area_issues_story(report: AreaIssueReport) -> list:
    """The table of issues and, under it, the examples of each."""
    story: list = [paragraph(report.title, "title"), paragraph(report.period, "center"),
                   Spacer(1, 3 * mm),
                   paragraph(_("個別の支援から見えた地域の課題を、ケースと会議の議題に付けた「地域課題」で"
                               "集計しました。事例は年代・性別・状況だけで示し、個人は特定できません。"),
                             "body"),
                   Spacer(1, 3 * mm)]
    rows = [r for r in report.rows if r.cases or r.items]
    if not rows:
        story.append(paragraph(_("この年度に地域課題の付いたケース・議題はありません。"), "body"))
        return story
    story.append(grid_table(
        [_("地域課題"), _("ケース数"), _("議題数")],
        [[r.label, str(r.cases), str(r.items)] for r in rows],
        col_widths=[FRAME_WIDTH - 50 * mm, 25 * mm, 25 * mm]))
    story.append(paragraph(_("地域課題の付いたケース: {n}件（1つのケースに複数の課題があることがあります）")
                           .format(n=report.tagged_cases), "small"))
    story.append(Spacer(1, 4 * mm))
    story.append(paragraph(_("事例（匿名）"), "heading"))
    for r in rows:
        if r.examples:
            story.append(paragraph(f"■ {r.label}", "body"))
            for e in r.examples:
                story.append(paragraph(f"・{e}", "body"))
    return story


def write_area_issues(path: str | Path, report: AreaIssueReport, *, author: str = "") -> int:
    """Write the 集計 to ``path``; return the page count."""
    return build_pdf(path, area_issues_story(report), title=report.title, author=author)
