"""調査票: per respondent (or one 各位 copy) a cover letter (依頼文), 記入要領 and answer sheet.

The letter follows the notice layout: 文書番号 and 発信日 top-right, the addressee, the
sender, the centred 件名, the request, 記 with 目的・対象・回答方法・期限, 以上 and 担当.
The answer sheet has one box per person with every option printed as 「□」 to tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from pfdesk.core.i18n import _
from pfdesk.documents.meeting.common import contact_box, date_text, indented, numbered_list
from pfdesk.documents.meeting.data import Office
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, build_pdf, paragraph, styles

#: Person boxes printed on each answer sheet (more people: the sheet is copied).
PERSON_BOXES = 3


@dataclass(frozen=True)
class SheetAddressee:
    """One respondent a questionnaire goes to: the printed 宛名 and their 地区."""

    addressee: str
    district: str = ""
    respondent_id: int | None = None


@dataclass(frozen=True)
class QuestionnaireData:
    """Everything the questionnaire prints; ``addressees`` empty means one 各位 copy."""

    office: Office
    title: str
    fiscal_year_label: str
    doc_number: str
    issued_on: date
    deadline: date | None
    questions: dict
    addressees: tuple[SheetAddressee, ...] = ()
    to_all: str = "民生委員・児童委員 各位\n関係機関 各位"
    survey_id: int = 0
    reminder: bool = False  # sent again to those who have not answered (再依頼)


def subject(data: QuestionnaireData) -> str:
    """件名: 「令和8年度ひきこもり等の実態把握調査への御協力について（依頼）」 (or 再依頼)."""
    if data.reminder:
        return _("{title}への御協力について（再依頼）").format(title=data.title)
    return _("{title}への御協力について（依頼）").format(title=data.title)


def _letter(data: QuestionnaireData, a: SheetAddressee | None) -> list:
    st = styles()
    office = data.office
    story: list = [paragraph(data.doc_number, "body_right"),
                   paragraph(date_text(data.issued_on, weekday=False), "body_right"),
                   Spacer(1, 6 * mm)]
    for line in (a.addressee if a else data.to_all).split("\n"):
        story.append(paragraph(line, "body"))
    story += [Spacer(1, 6 * mm), paragraph(office.sender or office.municipality, "body_right"),
              paragraph(_("（公印省略）"), "body_right"), Spacer(1, 8 * mm)]
    subj = ParagraphStyle("subject", parent=st["body"], fontName=GOTHIC, fontSize=12,
                          leading=18, alignment=TA_CENTER)
    story += [paragraph(subject(data), subj), Spacer(1, 6 * mm)]
    story.append(indented(_(
        "日頃より、{platform}の取組にご理解とご協力を賜り、厚くお礼申し上げます。").format(
            platform=office.platform_name or _("本町のひきこもり支援"))))
    if data.reminder:
        story.append(indented(_(
            "先日ご依頼いたしました標記の調査について、まだご回答をいただいていないため、"
            "改めてお送りいたします。ご多忙のところ恐縮ですが、ご協力をお願いいたします。"
            "既にご提出いただいている場合は、行き違いですのでご容赦ください。")))
    story.append(indented(_(
        "さて、本町では、ひきこもりの状態にある方やその家族への支援を進めるため、支援を必要と"
        "している方の人数や状況を把握する調査を行います。地域の実情をよくご存じの皆様に、"
        "ご存じの範囲でご回答くださいますようお願いいたします。")))
    story.append(indented(_(
        "回答は個人が特定できない形で集計し、支援の検討にのみ用います。氏名・住所など、"
        "個人が特定できることは記入しないでください。")))
    story += [Spacer(1, 5 * mm), paragraph(_("記"), "center"), Spacer(1, 4 * mm)]
    rows: list[tuple[str, object]] = [
        (_("調査の目的"), _("支援を必要としている方の人数と状況、必要な支援を把握し、"
                        "相談窓口の周知や支援の検討に役立てるため")),
        (_("調査の対象"), _("おおむね15歳以上で、仕事や学校に行かず、家族以外の人との交流を"
                        "ほとんどせずに自宅を中心に生活している方（期間は問いません）。"
                        "その家族からの相談を受けている場合も含みます。")),
        (_("回答の方法"), _("同封の「回答用紙」に、1人ごとに記入してください。"
                        "該当する方がいない場合も「0人」とご回答ください。")),
        (_("提出期限"), date_text(data.deadline) if data.deadline else _("（別途お知らせします）")),
    ]
    numbered = [(f"{i}　{label}", value) for i, (label, value) in enumerate(rows, start=1)]
    story += [numbered_list(numbered, label_width=32 * mm), Spacer(1, 2 * mm),
              paragraph(_("以上"), "body_right"), Spacer(1, 8 * mm), contact_box(office)]
    return story


def _instructions(data: QuestionnaireData) -> list:
    q = data.questions
    lines = [
        _("1　1人につき1つの枠に記入してください。枠が足りない場合は、この用紙をコピーしてください。"),
        _("2　当てはまるものの「□」に✓をつけてください。「{s}」「{t}」は複数選べます。").format(
            s=q["states"]["label"], t=q["triggers"]["label"]),
        _("3　わからない項目は「不明」に✓をつけてください。空欄のままでも構いません。"),
        _("4　氏名、住所、電話番号、学校名、勤務先など、個人が特定できることは書かないでください。"),
        _("5　最初に「把握している人数」（合計）を記入してください。"),
    ]
    story: list = [paragraph(_("記入要領"), "heading")]
    story += [paragraph(line, "body") for line in lines]
    return story


def _person_table(data: QuestionnaireData, n: int) -> Table:
    st = styles()
    cell = ParagraphStyle("q_cell", parent=st["cell"], fontSize=8.5, leading=12)
    q = data.questions
    rows = []
    for key in ("sex", "age", "family", "states", "period", "triggers", "support", "supporter",
                "knows_window"):
        if not q[key].get("enabled", True):
            continue
        rows.append([paragraph(q[key]["label"], cell),
                     # break only between options, never between a box and its words
                     paragraph("　".join(f"□{o}" for o in q[key]["options"]), cell, keep=True)])
    if q["remarks"].get("enabled", True):
        rows.append([paragraph(_("備考"), cell), paragraph("\n\n", cell)])
    head = [paragraph(_("{n}人目").format(n=n), cell), paragraph("", cell)]
    table = Table([head, *rows], colWidths=[36 * mm, FRAME_WIDTH - 36 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("GRID", (0, 0), (-1, -1), 0.5, "#606060"),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), "#D9D9D9"),
        ("BACKGROUND", (0, 1), (0, -1), "#F2F2F2"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _answer_sheet(data: QuestionnaireData, a: SheetAddressee | None) -> list:
    st = styles()
    story: list = [paragraph(_("回 答 用 紙"), "title"),
                   paragraph(data.title, "center"), Spacer(1, 3 * mm)]
    who = a.addressee if a else _("ご所属・お名前：")
    id_text = (_("調査番号 {s}-{r}").format(s=data.survey_id, r=a.respondent_id)
               if a and a.respondent_id else "")
    head = Table([
        [paragraph(_("回答者"), st["cell"]), paragraph(who, st["cell"])],
        [paragraph(_("担当地区"), st["cell"]), paragraph(a.district if a else "", st["cell"])],
        [paragraph(_("把握している人数"), st["cell"]),
         paragraph(_("合計（　　　　　　　）人　※いない場合は 0 人"), st["cell"])],
    ], colWidths=[38 * mm, FRAME_WIDTH - 38 * mm], rowHeights=[None, None, 10 * mm])
    head.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("GRID", (0, 0), (-1, -1), 0.6, "#404040"),
        ("BACKGROUND", (0, 0), (0, -1), "#E7E6E6"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [head]
    if id_text:
        story.append(paragraph(id_text, "body_right"))
    story.append(Spacer(1, 4 * mm))
    for n in range(1, PERSON_BOXES + 1):
        story += [KeepTogether([_person_table(data, n)]), Spacer(1, 3 * mm)]
    if data.deadline:
        story.append(paragraph(_("※ {d}までにご提出ください。").format(
            d=date_text(data.deadline)), "small"))
    return story


def questionnaire_story(data: QuestionnaireData) -> list:
    """Letter, 記入要領 and answer sheet for each addressee (or one 各位 copy)."""
    targets: list[SheetAddressee | None] = list(data.addressees) or [None]
    story: list = []
    for i, a in enumerate(targets):
        if i:
            story.append(PageBreak())
        story += _letter(data, a)
        story.append(PageBreak())
        story += _instructions(data)
        story.append(Spacer(1, 4 * mm))
        story += _answer_sheet(data, a)
    return story


def write_questionnaires(path: str | Path, data: QuestionnaireData) -> int:
    """Write the questionnaires as one PDF; return its page count."""
    return build_pdf(path, questionnaire_story(data), title=subject(data),
                     author=data.office.secretariat, page_numbers=False)
