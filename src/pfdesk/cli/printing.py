"""``pfdesk print notice|reply|agenda|roster|signin|packet|minutes MEETING --out FILE.pdf``.

MEETING is the meeting's ID as the meetings screen and ``pfdesk export meetings`` show it.
"""

from __future__ import annotations

from pfdesk.core.i18n import _
from pfdesk.core.wareki import parse_date

#: The documents in the order of services.printing.DOC_KINDS (kept here so that parsing
#: the command line does not load reportlab; a test checks both lists agree).
DOC_LABELS = {
    "notice": "開催通知", "reply": "出欠回答票", "agenda": "次第", "roster": "出席者名簿",
    "signin": "受付名簿", "packet": "資料一式", "minutes": "会議録",
}
_HELP = {
    "notice": "開催通知（文書番号を採番します）",
    "reply": "出欠回答票（FAX 用）",
    "agenda": "次第（配布資料の一覧つき）",
    "roster": "出席者名簿",
    "signin": "受付名簿（署名欄つき）",
    "packet": "会議資料一式（次第・名簿・資料。支援会議は部数ごとに番号入り）",
    "minutes": "会議録・議事要旨",
}
#: services.printing.MINUTES_HEADINGS, for the same reason.
MINUTES_HEADINGS = ("会議録", "議事要旨")


def _run(args, ctx) -> int:
    from pfdesk.services.printing import PrintOptions
    from pfdesk.services.printing import print_meeting_document as _print

    options = PrintOptions(
        per_person=not getattr(args, "kakui", False),
        issued_on=parse_date(args.date) if getattr(args, "date", None) else None,
        copies=getattr(args, "copies", None),
        minutes_heading=getattr(args, "heading", None) or MINUTES_HEADINGS[0],
        minutes_signature=getattr(args, "signature", False),
    )
    result = _print(ctx, args.meeting, args.what, args.out, options)
    label = options.minutes_heading if args.what == "minutes" else DOC_LABELS[args.what]
    line = _("{label}を書き出しました（{pages}ページ）: {path}").format(
        label=label, pages=result.pages, path=result.path)
    if result.doc_number:
        line += "\n" + _("文書番号: {n}").format(n=result.doc_number)
    if args.what == "packet" and result.copies > 1:
        line += "\n" + _("部数: {n}部（各ページに番号入り）").format(n=result.copies)
    for warning in result.warnings:
        line += "\n" + _("注意: ") + warning
    print(line)
    return 0


def register(groups) -> None:
    """Add ``pfdesk print <document> MEETING --out FILE.pdf``."""
    for kind, label in DOC_LABELS.items():
        p = groups.print_.add_parser(kind, help=_(_HELP[kind]), description=_(label))
        p.add_argument("meeting", metavar="MEETING", type=int,
                       help=_("会議ID（会議の画面や pfdesk export meetings に表示される番号）"))
        p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("書き出す PDF ファイル"))
        if kind in ("notice", "reply"):
            p.add_argument("--kakui", action="store_true",
                           help=_("宛先ごとではなく「各位」1通にまとめる"))
        if kind == "notice":
            p.add_argument("--date", help=_("発信日（例: 2026/11/16、R8.11.16。省略時は今日）"))
        if kind == "packet":
            p.add_argument("--copies", type=int, default=None,
                           help=_("支援会議の部数（省略時は出席予定者の人数）"))
        if kind == "minutes":
            p.add_argument("--heading", choices=MINUTES_HEADINGS, default=MINUTES_HEADINGS[0],
                           help=_("見出し（会議録 または 議事要旨＝公開用の要旨）"))
            p.add_argument("--signature", action="store_true",
                           help=_("会議録の末尾に会長（議長）の署名欄を付ける"))
        p.set_defaults(handler=_run)
