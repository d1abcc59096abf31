"""The administrator's view of the audit log: filter, export and verify the hash chain.

Writing entries is ``services.audit.record`` (in each use case's transaction);
this module only reads them. Times are stored in UTC and shown in local time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit, audit_seal
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import AuditEvent

#: What the first part of an action names (the area the viewer filters by).
AREAS = {
    "auth": _("サインイン"), "user": _("利用者"), "consultations": _("相談"),
    "directory": _("関係機関"), "meetings": _("会議"), "returns": _("報告"),
    "settings": _("設定"), "backup": _("バックアップ"), "restore": _("復元"),
    "audit": _("監査ログ"), "retention": _("保存年限"), "encryption": _("暗号化"),
    "print": _("印刷"), "stats": _("統計"), "search": _("全体の検索"),
    "store": _("共有データベース"), "area_issues": _("地域課題"), "people": _("本人・家族"),
    "progress": _("進行管理"), "support": _("支援計画"), "survey": _("実態把握"),
}
#: What the record part of an action names (``consultations.case.view`` → 相談ケース).
SUBJECTS = {
    "case": _("相談ケース"), "contact": _("支援経過"), "referral": _("つなぎ"),
    "consent": _("同意"), "timeline": _("経過一覧"), "org": _("関係機関"), "person": _("人"),
    "post": _("役職"), "rollover": _("年度更新"), "action": _("申し送り"), "agenda": _("議題"),
    "attendance": _("出欠"), "body": _("会議体"), "case_timeline": _("ケースの申し送り"),
    "decision": _("決定事項"), "holiday": _("休日"), "material": _("資料"),
    "meeting": _("会議"), "member": _("構成員"), "minutes": _("会議録"), "study": _("研修"),
    "answers": _("報告の回答"), "family": _("家族"), "identity": _("議題の個人情報"),
    "findings": _("進行管理の所見"), "ledger": _("進行管理台帳"), "assessment": _("アセスメント"),
    "plan": _("支援計画"), "review": _("支援計画の評価"), "sheet": _("回答用紙"),
    "seats": _("委員の引き継ぎ"),
    # The same record word in another area (``survey.answers.clear``: 実態把握の回答).
    "survey.answers": _("実態把握の回答"),
}
#: What the last part of an action names (``case.view`` → 閲覧).
VERBS = {
    "login": _("サインイン"), "logout": _("サインアウト"), "login_failed": _("サインイン失敗"),
    "recovery": _("回復キーで再設定"), "create": _("作成"), "edit": _("編集"),
    "update": _("編集"), "void": _("取消"), "view": _("閲覧"), "view_org": _("閲覧"),
    "print": _("印刷"), "export": _("書き出し"), "import": _("取り込み"), "search": _("検索"),
    "deactivate": _("利用停止"), "reset_password": _("パスワード再設定"),
    "change_password": _("パスワード変更"), "dispose": _("廃棄"), "periods": _("期間の設定"),
    "encrypt": _("実行"), "recovery_key": _("回復キーの作り直し"), "verify": _("検証"),
    "municipality": _("自治体・事務局"), "idle_lock": _("自動ロック"), "close": _("終結"),
    "reopen": _("再開"), "status": _("状態の変更"), "withdraw": _("撤回"), "abolish": _("廃止"),
    "delete": _("削除"), "merge": _("統合"), "restore": _("復元"), "end": _("終了"),
    "confirm": _("確認"), "successor": _("後任の登録"), "add": _("追加"), "remove": _("削除"),
    "move": _("並べ替え"), "invite": _("招集"), "response": _("出欠の回答"), "attach": _("添付"),
    "generated": _("作成"), "open": _("開く"), "next_plan": _("次回予定"),
    "summary": _("要点"), "make": _("作成"), "reproduce": _("再作成"),
    "labels": _("宛名ラベル"), "roster": _("名簿"),
    "gap": _("記録の削除を検出"), "sheet": _("確認票の作成"), "denied": _("権限のない操作の試み"),
    "lockout_tampered": _("鍵ファイルのサインイン失敗記録の書き換えを検出"),
    "shred_plain": _("暗号化していないバックアップの削除"),
    "shred_backups": _("廃棄より前のバックアップの削除"),
    "from_previous": _("前回の会議から作成"),
    "undo": _("保存の取り消し"),
    "copy_to_server": _("サーバーへのコピー"), "copy_to_file": _("データファイルへのコピー"),
    "server_roles": _("閲覧者の役割の設定"), "server_login": _("パソコン用の利用者の追加"),
    "files_recovery_key": _("添付ファイルの回復キーの作成"),
    "files_recover": _("回復キーで添付ファイルの鍵を受け取る"),
    "case": _("ケースとの関連づけ"), "item": _("議題との関連づけ"), "settings": _("設定の変更"),
    "seats": _("委員の引き継ぎ"), "renew_identity_key": _("本人情報の鍵の更新"),
    "seal_identities": _("本人情報を別の鍵で暗号化"), "keep": _("入力のまま保存"),
    "link": _("ケースに関連づけ"), "replace": _("記号に置き換え"), "refused": _("閲覧の拒否"),
    "set": _("設定"), "record": _("記録"), "recover": _("回復"), "answers": _("回答の入力"),
    "database": _("共有データベース"), "small_counts": _("小さい数の非表示"), "save": _("保存"),
    "clear": _("取り消し"), "report": _("結果報告"), "respondents": _("回答者の選択"),
}

#: What a printed document is called when the printing service does not list it.
PRINTED = {"area_issues": _("地域課題の集計"), "plan": _("支援計画書"),
           "progress": _("進行管理台帳")}


def _document_label(kind: str) -> str:
    try:
        from pfdesk.services.printing.service import DOC_KINDS
    except ImportError:  # printing not installed in this build
        return PRINTED.get(kind, kind)
    return _(dict(DOC_KINDS).get(kind, PRINTED.get(kind, kind)))


def action_label(action: str) -> str:
    """A Japanese label for an action code (``consultations.case.view`` → 相談ケース 閲覧)."""
    parts = action.split(".")
    if len(parts) == 1:
        return AREAS.get(action, action)
    area, verb = parts[0], parts[-1]
    if area == "auth":
        return VERBS.get(verb, verb)
    if area == "print" and len(parts) == 2:
        return f"{AREAS['print']} {_document_label(verb)}"
    if len(parts) >= 3 and f"{area}.{parts[-2]}" in SUBJECTS:
        subject = SUBJECTS[f"{area}.{parts[-2]}"]
    elif len(parts) >= 3 and parts[-2] in SUBJECTS:
        subject = SUBJECTS[parts[-2]]
    elif len(parts) >= 3 and parts[-2] in AREAS:
        subject = AREAS[parts[-2]]
    else:
        subject = AREAS.get(area) or SUBJECTS.get(area, area)
    return f"{subject} {VERBS.get(verb, verb)}"


#: What a record type is called (``consultation_case`` → 相談ケース).
TARGETS = {
    "consultation_case": _("相談ケース"), "contact": _("支援経過"), "referral": _("つなぎ"),
    "consent": _("同意"), "user_account": _("利用者"), "store": _("データ全体"),
    "audit_event": _("監査ログ"), "setting": _("設定"), "organization": _("関係機関"),
    "person": _("人"), "post": _("役職"), "body": _("会議体"), "meeting": _("会議"),
    "agenda_item": _("議題"), "action_item": _("申し送り"), "document_number": _("文書番号"),
    "return_snapshot": _("報告"), "draft": _("下書き"), "case": _("相談ケース"),
    "org": _("関係機関"), "agenda": _("議題"), "action": _("申し送り"), "material": _("資料"),
    "decision": _("決定事項"), "attendance": _("出欠"), "member": _("構成員"),
    "holiday": _("休日"),
}
#: Detail keys and values as the viewer shows them (others stay as recorded).
DETAIL_KEYS = {
    "identifying": _("氏名等を表示"), "reason": _("理由"), "locked": _("ロック"),
    "file": _("ファイル"), "rows": _("件数"), "encrypted": _("暗号化"), "as_of": _("基準日"),
    "case_numbers": _("ケース番号"), "login_name": _("利用者名"), "role": _("権限"),
    "minutes": _("分"), "unlock_user": _("解除できる利用者"), "safety_backup": _("復元前の控え"),
    "before_unlock": _("暗号化の解除前"), "at": _("日時"),
    "expected_last_id": _("最後の番号（控え）"), "found_last_id": _("最後の番号（実際）"),
    "carried_from_id": _("復元前の記録番号"), "carried_from_at": _("元の日時"),
    "carried_from_hash": _("元の確認コード"), "carried_over": _("引き継いだ記録"),
    "service": _("操作"), "permission": _("必要な権限"),
    "cases": _("ケースID"), "copies": _("部数"), "document": _("文書"), "levels": _("表示の程度"),
    "pages": _("ページ数"), "preview": _("プレビュー"), "case_id": _("ケースID"),
    "case_number": _("ケース番号"), "meeting_id": _("会議ID"), "body_id": _("会議体ID"),
    "person_id": _("人ID"), "organization_id": _("関係機関ID"), "name": _("名称"),
    "before": _("変更前"), "after": _("変更後"), "fiscal_year": _("年度"),
    "reverted": _("取り消した操作"),
    "from_status": _("変更前の状態"), "to_status": _("変更後の状態"), "fields": _("項目"),
    "changed": _("変更"), "added": _("追加"), "contacts": _("支援経過"), "period": _("期間"),
    "output": _("出力先"), "mapping": _("対応表"), "encoding": _("文字コード"),
    "identified": _("氏名等を表示"), "lead_staff": _("担当で絞り込み"), "length": _("文字数"),
    "query": _("検索語の種類"), "results": _("該当件数"), "status": _("状況"), "count": _("件数"),
    "kind": _("種類"), "number": _("回次"), "held_on": _("開催日"), "invited": _("招集人数"),
    "renumbered": _("回次の振り直し（会議ID: 旧→新）"), "chars": _("文字数"),
    "route": _("相談経路"), "title": _("件名"), "subject": _("件名"), "text": _("検索語"),
    "doc_number": _("文書番号"), "previous_id": _("前回の会議ID"), "items": _("引き継いだ議題数"),
    "guests": _("委員以外の招待数"),
}
DETAIL_VALUES = {
    "True": _("はい"), "False": _("いいえ"), "password": _("パスワード違い"),
    "unknown": _("利用者名なし"), "inactive": _("利用停止中"), "locked": _("ロック中"),
    "admin": _("管理者"), "staff": _("担当者"), "viewer": _("閲覧者"),
    "pseudonymized": _("仮名化"), "consented": _("同意の範囲"), "full": _("すべて（支援会議）"),
    "None": _("なし"), "open": _("終結以外"), "stats": _("集計"),
    "case_number": _("ケース番号"), "digits": _("数字（電話番号など）"),
    "name_or_text": _("氏名または記録の文"),
    "create": _("新しい記録の保存"), "edit": _("変更の保存"),
}


def target_label(target_type: str) -> str:
    """A Japanese name for a record type (the code itself when unknown)."""
    return TARGETS.get(target_type, target_type)


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _utc(d: date) -> datetime:
    return datetime.combine(d, time()).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer asks for; empty fields do not filter."""

    user_name: str = ""
    action: str = ""  # an action code or its first part (``case``)
    target_type: str = ""
    target_id: str = ""
    start: date | None = None  # local dates, inclusive
    end: date | None = None
    case_id: int | None = None  # everything about one case: its records, prints, exports


@dataclass(frozen=True)
class AuditEntry:
    """One audit event as shown and exported."""

    id: int
    at: datetime  # local time
    user_name: str
    action: str
    action_label: str
    target_type: str
    target_ids: str
    detail: str

    @property
    def target_label(self) -> str:
        """The record type in Japanese."""
        return target_label(self.target_type)


@dataclass(frozen=True)
class AuditPage:
    """A page of entries (newest first) and how many match in all."""

    entries: list[AuditEntry]
    total: int


def _about_case(case_id: int):
    """The case's own entries, and prints and exports whose detail lists it among ``cases``."""
    ids = "," + AuditEvent.target_ids + ","
    own = AuditEvent.target_type.in_(("case", "consultation_case")) & ids.contains(f",{case_id},")
    listed = AuditEvent.detail_json.contains('"cases": [') & or_(*(
        AuditEvent.detail_json.contains(p) for p in (
            f'"cases": [{case_id}]', f'"cases": [{case_id},', f" {case_id}, ", f" {case_id}]")))
    return own | listed


def _where(flt: AuditFilter) -> list:
    cond = []
    if flt.user_name:
        cond.append(AuditEvent.user_name == flt.user_name)
    if flt.action:
        cond.append((AuditEvent.action == flt.action)
                    | AuditEvent.action.startswith(flt.action.rstrip(".") + "."))
    if flt.target_type:
        cond.append(AuditEvent.target_type == flt.target_type)
    if flt.target_id:
        cond.append(("," + AuditEvent.target_ids + ",").contains(f",{flt.target_id.strip()},"))
    if flt.case_id is not None:
        cond.append(_about_case(flt.case_id))
    if flt.start:
        cond.append(AuditEvent.at >= _utc(flt.start))
    if flt.end:
        cond.append(AuditEvent.at < _utc(flt.end + timedelta(days=1)))
    return cond


def _value(v) -> str:
    """A detail value as the viewer shows it: lists and mappings without Python brackets."""
    if isinstance(v, dict):
        return _("（{items}）").format(
            items="、".join(f"{k}: {_value(x)}" for k, x in v.items())) if v else _("なし")
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v) if v else _("なし")
    text = str(v)
    if text in DETAIL_VALUES:
        return str(DETAIL_VALUES[text])
    # A code (goal_met, active …) reads as its label (目標達成, 支援中 …).
    return _code_labels().get(text, text)


def _code_labels() -> dict[str, str]:
    from pfdesk.core import codes

    labels: dict[str, str] = {}
    for code_list in codes.ALL_LISTS:
        for key, label in code_list:
            labels.setdefault(key, label)
    return labels


def _entry(ev: AuditEvent) -> AuditEntry:
    try:
        detail = json.loads(ev.detail_json or "{}")
        text = "、".join(f"{DETAIL_KEYS.get(k, k)}={_value(v)}" for k, v in detail.items())
    except ValueError:
        text = ev.detail_json
    return AuditEntry(ev.id, _local(ev.at), ev.user_name, ev.action, action_label(ev.action),
                      ev.target_type, ev.target_ids, text)


@service(Permission.AUDIT_READ)
def search_audit(
    ctx: ServiceContext, flt: AuditFilter | None = None, *, limit: int = 500, offset: int = 0
) -> AuditPage:
    """Entries matching ``flt``, newest first, one page at a time."""
    cond = _where(flt or AuditFilter())
    with ctx.session() as s:
        total = s.scalar(select(func.count()).select_from(AuditEvent).where(*cond)) or 0
        rows = s.scalars(select(AuditEvent).where(*cond).order_by(AuditEvent.id.desc())
                         .limit(limit).offset(offset))
        return AuditPage([_entry(ev) for ev in rows], total)


@dataclass(frozen=True)
class AuditChoices:
    """What the filter boxes offer: users, action areas and record types seen in the log."""

    users: list[str]
    areas: list[tuple[str, str]]  # (code, label)
    target_types: list[str]


@service(Permission.AUDIT_READ)
def audit_choices(ctx: ServiceContext) -> AuditChoices:
    """The distinct users, action areas and record types in the log."""
    with ctx.session() as s:
        users = sorted(s.scalars(select(AuditEvent.user_name).distinct()))
        actions = s.scalars(select(AuditEvent.action).distinct())
        types = sorted(t for t in s.scalars(select(AuditEvent.target_type).distinct()) if t)
    areas = sorted({a.partition(".")[0] for a in actions})
    return AuditChoices(users, [(a, AREAS.get(a, a)) for a in areas], types)


HEADERS = (_("番号"), _("日時"), _("利用者"), _("操作"), _("操作コード"), _("対象"),
           _("対象ID"), _("詳細"), _("ハッシュ"))


@service(Permission.AUDIT_READ)
def export_audit(ctx: ServiceContext, out: Path | str, flt: AuditFilter | None = None) -> int:
    """Write the matching entries (oldest first, with their hashes) to a CSV file Excel opens."""
    from pfdesk.core.tabular import write_csv

    cond = _where(flt or AuditFilter())
    with ctx.session() as s:
        rows = []
        for ev in s.scalars(select(AuditEvent).where(*cond).order_by(AuditEvent.id)):
            e = _entry(ev)
            rows.append([e.id, e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user_name, e.action_label,
                         e.action, e.target_label, e.target_ids, e.detail, ev.hash])
        write_csv(out, HEADERS, rows, encoding="utf-8-sig")
        audit.record(s, ctx.actor, "audit.export", "audit_event", [], rows=len(rows),
                     file=Path(out).name)
        s.commit()
    return len(rows)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking the chain: how many entries, and the first bad one if any."""

    ok: bool
    count: int
    bad_id: int | None = None
    bad_at: datetime | None = None  # local time
    reason: str = ""
    detail: str = ""
    head_missing: bool = False  # no saved head: deleting the newest entries goes unseen
    on_server: bool = False  # a server store keeps no head file on any one PC
    seals_proved: bool = False  # every seal checked with the 検証キー
    anchors: int = 0  # paper anchors that matched

    def message(self) -> str:
        """What to tell the user."""
        if self.ok:
            text = _("改ざんは見つかりませんでした（{n}件を確認）。").format(n=self.count)
            if self.seals_proved:
                text += _("検証キーで、すべての記録の封印を確かめました。")
            if self.anchors:
                text += _("確認票の控え {n} 件と一致しました。").format(n=self.anchors)
            if self.on_server and self.head_missing:
                text += _("このパソコンはまだこの共有データベースに記録を書いていないため、最新の"
                          "記録が削除されていないかは、記録を書いたほかのパソコンで確かめて"
                          "ください。")
            elif self.on_server:
                text += _("共有データベースでは、このパソコンが最後に書いた記録までが残っているかを"
                          "確かめました（ほかのパソコンの最新の記録は、そのパソコンで確かめて"
                          "ください）。")
            elif self.head_missing:
                text += _("ただし、最新の記録の控え（audit-head.json）がデータフォルダーに"
                          "ないため、最新の記録が削除されていないかは確かめられません。"
                          "控えは次の操作の記録から作り直されます。")
            return text
        when = self.bad_at.strftime("%Y-%m-%d %H:%M:%S") if self.bad_at else _("不明")
        why = {
            "missing": _("この番号の記録が削除されています"),
            "prev_hash": _("前の記録とのつながりが切れています（削除・並べ替えの疑い）"),
            "hash": _("記録の内容が書き換えられています"),
            "tail": _("番号 {last} までの記録があったはずですが、この番号から後が削除されています"
                      ).format(last=self.detail),
            "head_hash": _("最新の記録の控え（audit-head.json）と内容が一致しません"
                           "（書き換えの疑い）"),
            "gap": _("番号 {last} までの記録があったはずですが、この番号から後が削除されていました"
                     "（次の記録の際に検出）").format(last=self.detail),
            "mac": _("封印が合いません（記録が書き換えられたか、作り直されています）"),
            "seal_tail": _("番号 {last} まで封印された記録があったはずですが、この番号から後が"
                           "削除されています").format(last=self.detail),
            "seal_state": _("封印の鍵の記録が書き換えられています"),
            "unsealed": _("封印のない記録が混じっています（後から書き加えられた疑い）"),
            "emptied": _("監査ログが全件削除されています（番号 {last} まであったはずです）"
                         ).format(last=self.detail),
            "anchor": _("監査ログ確認票の控え（{code}）と一致しません（書き換えの疑い）"
                        ).format(code=self.detail),
            "anchor_missing": _("監査ログ確認票に控えた記録（{code}）が削除されています"
                                ).format(code=self.detail),
        }.get(self.reason, self.reason)
        if self.reason == "table_missing":
            return _("監査ログの表そのものが削除されています。バックアップから復元し、"
                     "管理者に経緯を確認してください。")
        return _("監査ログの改ざんを検出しました: 番号 {id}（日時 {at}）— {why}。").format(
            id=self.bad_id, at=when, why=why)


@service(Permission.AUDIT_READ)
def verify_audit(ctx: ServiceContext, *, key: str | None = None,
                 anchors: list[str] | tuple[str, ...] = ()) -> VerifyResult:
    """Check every entry's hash and link, the log's end, the seals and the paper anchors.

    ``key`` is the 検証キー of the first 監査ログ確認票 (proves every seal); ``anchors``
    are 「番号:コード」 lines typed back from later sheets. Names the first entry that
    does not verify, or the anchor it contradicts.
    """
    from pfdesk.store.errors import StoreIncomplete

    seal_key = audit_seal.parse_key(key) if key else None
    parsed = [audit_seal.Anchor.parse(a) for a in anchors if a.strip()]
    try:
        with ctx.session() as s:
            count = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
            brk = audit.verify_chain(s)
            head = audit.verify_head(s) if brk is None else None
            sealed = audit_seal.check(s, key=seal_key, anchors=parsed) if brk is None else None
            s.commit()
    except StoreIncomplete as e:  # the table itself was dropped
        if e.table not in ("audit_event", "audit_seal"):
            raise
        return VerifyResult(False, 0, None, None, "table_missing")
    if brk is None and isinstance(head, audit.ChainBreak) and not (
            sealed is not None and sealed.reason == "emptied"):
        brk = head
    if brk is None and sealed is not None:
        return VerifyResult(False, count, sealed.event_id, None, sealed.reason, sealed.detail)
    if brk is None:
        return VerifyResult(True, count, head_missing=head is False and count > 0,
                            on_server=ctx.store.is_server,
                            seals_proved=seal_key is not None, anchors=len(parsed))
    return VerifyResult(False, count, brk.event_id, _local(brk.at) if brk.at else None,
                        brk.reason, brk.detail)
