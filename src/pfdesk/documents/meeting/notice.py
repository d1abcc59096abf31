"""開催通知 (notice of a meeting) and 出欠回答票 (the reply form members send back by FAX).

The notice follows the layout of a municipal 公文書: 文書番号 and 発信日 top-right, the
addressee top-left, the sender on the right, the centred 件名, a short letter, then
記 with 日時, 場所, 議題 and the reply deadline, 以上, and the 担当 box.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _
from pfdesk.documents.meeting.common import (
    agenda_lines,
    contact_box,
    date_text,
    indented,
    numbered_list,
    when_text,
    where_text,
)
from pfdesk.documents.meeting.data import Addressee, NoticeData
from pfdesk.documents.one_build import Part, build_bundle
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, build_pdf, paragraph, styles

#: Printed under the sender: the seal is left off copies sent by mail or FAX.
SEAL_OMITTED = "（公印省略）"


def notice_subject(data: NoticeData) -> str:
    """件名: 「令和8年度第3回○○の開催について（通知）」."""
    return _("{title}の開催について（通知）").format(title=data.meeting.title)


def _addressee_lines(a: Addressee | None, to_all: str) -> list[str]:
    if a is None:
        return [to_all or _("関係者各位")]
    if a.honorific == "御中":
        return [f"{a.name}　御中"]
    lines = []
    if a.affiliation:
        lines.append(a.affiliation)
    lines.append(f"{(a.title + '　') if a.title else ''}{a.name}　{a.honorific}")
    return lines


def _letter(data: NoticeData, a: Addressee | None) -> list:
    st = styles()
    m = data.meeting
    office = data.office
    story: list = [
        paragraph(data.doc_number, "body_right"),
        paragraph(date_text(data.issued_on, weekday=False), "body_right"),
        Spacer(1, 6 * mm),
    ]
    for line in _addressee_lines(a, data.to_all):
        story.append(paragraph(line, "body"))
    story.append(Spacer(1, 6 * mm))
    story.append(paragraph(office.sender or office.municipality, "body_right"))
    story.append(paragraph(_(SEAL_OMITTED), "body_right"))
    story.append(Spacer(1, 8 * mm))
    subject = ParagraphStyle("subject", parent=st["body"], fontName=GOTHIC, fontSize=12,
                             leading=18, alignment=TA_CENTER)
    story.append(paragraph(notice_subject(data), subject))
    story.append(Spacer(1, 6 * mm))
    story.append(indented(_(
        "日頃より、{platform}の取組にご理解とご協力を賜り、厚くお礼申し上げます。"
    ).format(platform=office.platform_name or _("本町のひきこもり支援"))))
    story.append(indented(_(
        "さて、標記の会議を下記のとおり開催いたしますので、ご多忙のところ恐縮ですが、"
        "ご出席くださいますようお願いいたします。"
    )))
    if m.reply_deadline:
        story.append(indented(_(
            "なお、出欠につきましては、別紙「出欠回答票」により{deadline}までにご回答ください。"
        ).format(deadline=date_text(m.reply_deadline))))
    if m.is_support_meeting:
        story.append(indented(_(
            "本会議は社会福祉法第106条の6に基づく支援会議です。構成員には同条により"
            "守秘義務が課されますので、会議で知り得た情報の取扱いにご留意ください。"
        )))
    story.append(Spacer(1, 5 * mm))
    story.append(paragraph(_("記"), "center"))
    story.append(Spacer(1, 4 * mm))
    agenda = "\n".join(agenda_lines(m, merge_repeats=True)) or _("（別途お知らせします）")
    rows: list[tuple[str, object]] = [
        (_("日　時"), when_text(m)),
        (_("場　所"), where_text(m)),
    ]
    # A 学習会 announces what it is about and who speaks.
    if m.theme:
        rows.append((_("テーマ"), m.theme))
    if m.lecturer:
        rows.append((_("講　師"), m.lecturer))
    rows.append((_("議　題") if m.agenda or not m.theme else _("内　容"), agenda))
    if m.reply_deadline:
        how = _("別紙「出欠回答票」により、FAX（{fax}）またはメールでご回答ください。").format(
            fax=office.fax or "-"
        ) if office.fax else _("別紙「出欠回答票」によりご回答ください。")
        rows.append((_("出欠の回答"),
                     _("{deadline}まで").format(deadline=date_text(m.reply_deadline))
                     + "\n" + how))
    numbered = [(f"{i}　{label}", value) for i, (label, value) in enumerate(rows, start=1)]
    story.append(numbered_list(numbered, label_width=32 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(paragraph(_("以上"), "body_right"))
    story.append(Spacer(1, 8 * mm))
    story.append(contact_box(office))
    return story


def notice_story(data: NoticeData) -> list:
    """Flowables of the notice: one letter per addressee, or one 各位 letter."""
    targets: list[Addressee | None] = list(data.addressees) or [None]
    story: list = []
    for i, a in enumerate(targets):
        if i:
            story.append(PageBreak())
        story.extend(_letter(data, a))
    return story


def write_notice(path: str | Path, data: NoticeData, *, marking: str | None = None) -> int:
    """Write the 開催通知 PDF; return its page count.

    A one-page letter carries no page number, as 公文書 do; a letter that runs over
    (a long 議題) is numbered 「- 1 -」「- 2 -」 per addressee.
    """
    targets: list[Addressee | None] = list(data.addressees) or [None]
    title = notice_subject(data)
    author = "　".join(x for x in (data.office.municipality, data.office.secretariat) if x)
    subject = _("開催通知（{n}通）").format(n=len(targets))
    counts: list[int] = []

    def parts(numbered: Sequence[int]) -> list[Part]:
        return [Part(story=_letter(data, a), marking=marking, page_numbers=n > 1)
                for a, n in zip(targets, numbered, strict=True)]

    pdf = build_bundle(parts([1] * len(targets)), title=title, author=author, subject=subject,
                       page_counts=counts)
    if any(n > 1 for n in counts):
        pdf = build_bundle(parts(counts), title=title, author=author, subject=subject)
    write_bytes_atomic(path, pdf)
    return sum(counts)


# ---------------------------------------------------------------------------------------------
# 出欠回答票


def _reply_page(data: NoticeData, a: Addressee | None) -> list:
    st = styles()
    m = data.meeting
    office = data.office
    # 「みどり川町保健福祉課　森野　行」: the town too, as the form travels outside by FAX.
    person = office.contact_person
    section = "" if person.startswith(office.secretariat) else office.secretariat
    send_to = _("{who}　行").format(who="　".join(
        x for x in (office.municipality + section, person) if x))
    # A FAX cover line the machine operator can read at a glance.
    fax_style = ParagraphStyle("fax_to", parent=st["heading"], fontSize=13, leading=20)
    story: list = [paragraph(send_to, fax_style)]
    if office.fax:
        story.append(paragraph(_("FAX　{fax}").format(fax=office.fax), fax_style))
    if office.email:
        story.append(paragraph(_("メール　{mail}").format(mail=office.email), "body"))
    story += [Spacer(1, 8 * mm), paragraph(_("出 欠 回 答 票"), "title"),
              paragraph(m.title, "center"), Spacer(1, 2 * mm)]
    story.append(numbered_list([
        (_("日　時"), when_text(m)),
        (_("場　所"), where_text(m)),
    ], label_width=22 * mm))
    if m.reply_deadline:
        story.append(Spacer(1, 2 * mm))
        story.append(paragraph(_("※ {deadline}までにご回答ください。").format(
            deadline=date_text(m.reply_deadline)), "body"))
    story.append(Spacer(1, 6 * mm))
    cell = st["cell"]
    big = ParagraphStyle("reply_big", parent=cell, fontSize=11, leading=16)
    affiliation = a.affiliation if a else ""
    title = a.title if a else ""
    name = (a.name if a and a.honorific != "御中" else "")
    if a and a.honorific == "御中":
        affiliation = a.name
    rows = [
        (_("所　属"), affiliation),
        (_("職　名"), title),
        (_("氏　名"), name),
        (_("出　欠"), _("出席　　・　　欠席　　・　　代理出席\n（いずれかに○をつけてください）")),
        (_("代理出席者\n（職・氏名）"), ""),
        (_("オンライン参加"), _("希望する　　・　　希望しない") if m.online else _("（対面のみ）")),
        (_("連絡事項"), ""),
    ]
    data_rows = [[paragraph(k, big), paragraph(v, big)] for k, v in rows]
    table = Table(data_rows, colWidths=[38 * mm, FRAME_WIDTH - 38 * mm],
                  rowHeights=[14 * mm, 14 * mm, 14 * mm, 20 * mm, 18 * mm, 14 * mm, 30 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("GRID", (0, 0), (-1, -1), 0.6, "#404040"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), "#E7E6E6"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    story.append(table)
    story.append(Spacer(1, 6 * mm))
    story.append(paragraph(_("送付状は不要です。この用紙のみを FAX してください。"), "small"))
    return story


def reply_form_story(data: NoticeData) -> list:
    """Flowables of the 出欠回答票: pre-filled per addressee, or one blank form."""
    targets: list[Addressee | None] = list(data.addressees) or [None]
    story: list = []
    for i, a in enumerate(targets):
        if i:
            story.append(PageBreak())
        story.extend(_reply_page(data, a))
    return story


def write_reply_form(path: str | Path, data: NoticeData) -> int:
    """Write the 出欠回答票 PDF; return its page count."""
    return build_pdf(path, reply_form_story(data),
                     title=_("出欠回答票　{title}").format(title=data.meeting.title),
                     author=data.office.secretariat, page_numbers=False)
