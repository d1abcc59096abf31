"""監査ログ確認票: one page for the 決裁 file that anchors the audit log on paper."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pfdesk.core.i18n import _
from pfdesk.documents.pdf import build_pdf, kv_table, paragraph


@dataclass(frozen=True)
class AuditSheetData:
    """What the sheet prints (plain data; the service gathers it)."""

    municipality: str
    printed_on: str  # 和暦, e.g. 令和8年12月3日
    period: str  # 「令和8年11月1日 ～ 令和8年12月3日」
    first_id: int
    last_id: int
    entries: int  # entries in the period
    total: int
    anchor: str  # 「1234:ABCD-EF01-2345-6789」
    verify_key: str | None  # the first sheet only


def _key_lines(key: str) -> str:
    """Four groups a line, so the key never wraps in the middle of a group."""
    groups = key.split("-")
    return "\n".join("-".join(groups[i:i + 4]) for i in range(0, len(groups), 4))


def write_audit_sheet(path: str | Path, d: AuditSheetData) -> int:
    """Write the sheet to ``path`` (replaced at once); the page count."""
    story = [
        paragraph(_("監査ログ確認票"), "title"),
        paragraph(_("{who}　ひきこもり支援 市町村プラットフォーム事務局").format(
            who=d.municipality), "center"),
        paragraph(_("印刷日　{day}").format(day=d.printed_on), "body_right"),
        paragraph(_("確認した期間と記録"), "heading"),
        kv_table([
            (_("期間"), d.period),
            (_("この期間の記録"), _("{n} 件（記録番号 {a} ～ {b}）").format(
                n=f"{d.entries:,}", a=d.first_id, b=d.last_id)),
            (_("記録の総数"), _("{n} 件").format(n=f"{d.total:,}")),
            (_("確認コード"), d.anchor),
        ]),
        paragraph(_("この確認票は決裁文書とともに保管してください。監査ログを点検するときは、"
                    "「確認コード」を「記録番号:コード」のまま入力します（設定 → 監査ログ → 検証、"
                    "またはコマンド pfdesk audit verify --anchor）。後から記録が削除・書き換え"
                    "られていれば、この控えと一致しなくなります。"), "small"),
    ]
    if d.verify_key:
        story += [
            paragraph(_("検証キー（初回のみ印刷されます）"), "heading"),
            kv_table([(_("検証キー"), _key_lines(d.verify_key))]),
            paragraph(_("検証キーは、すべての記録の封印を確かめるための鍵です。このパソコンには"
                        "残りません。この用紙を金庫など鍵のかかる場所に保管してください。"
                        "紛失すると、封印の確認は確認コードの範囲に限られます。"), "small"),
        ]
    story += [
        paragraph(_("確認欄"), "heading"),
        kv_table([(_("確認日"), "　　年　　月　　日"), (_("確認者"), ""), (_("所属長"), "")]),
    ]
    return build_pdf(path, story, title=_("監査ログ確認票"), author=d.municipality,
                     marking=_("取扱注意") if d.verify_key else None)
