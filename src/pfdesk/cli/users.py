"""``pfdesk users …``, ``pfdesk encrypt``, ``pfdesk recover`` and ``pfdesk retention …``."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import date

from pfdesk.core.codes import ROLES
from pfdesk.core.errors import KnownError, NotFound, ValidationError
from pfdesk.core.i18n import _


def _new_password(args) -> str:
    """A new password: PFDESK_NEW_PASSWORD, else asked twice without echo."""
    env = os.environ.get("PFDESK_NEW_PASSWORD")
    if env is not None:
        return env
    try:
        first = getpass.getpass(_("新しいパスワード: "))
        second = getpass.getpass(_("新しいパスワード（確認）: "))
    except EOFError:
        raise KnownError(_("パスワードが入力されませんでした。"),
                         hint=_("PFDESK_NEW_PASSWORD に新しいパスワードを入れて実行してください。")
                         ) from None
    if first != second:
        raise ValidationError(_("確認用のパスワードが一致しません。"))
    return first


def _passwd(args, ctx) -> int:
    """Change one's own password (the one signed in with is the old one)."""
    from pfdesk.services import accounts

    old = getattr(args, "password", None)
    if old is None and ctx.actor.user_id is not None:
        # Signed in a moment ago with this password (PFDESK_PASSWORD or the prompt).
        old = accounts.cli_password(ctx.actor.user_name)
    accounts.change_own_password(ctx, old or "", _new_password(args))
    print(_("パスワードを変更しました。"))
    return 0


def _role(text: str) -> str:
    key = text if text in ROLES.keys() else ROLES.key_for(text)
    if key is None:
        raise ValidationError(
            _("権限「{t}」は使えません。").format(t=text),
            hint=_("admin（管理者）、staff（担当者）、viewer（閲覧者）のどれかを指定してください。"),
        )
    return key


def _list(args, ctx) -> int:
    from pfdesk.services import accounts

    for u in accounts.list_users(ctx):
        state = _("利用中") if u.active else _("利用停止")
        if u.locked_until:
            state += _("・ロック中")
        print(f"{u.login_name}\t{u.display_name}\t{u.role_label}\t{state}")
    return 0


def _add(args, ctx) -> int:
    from pfdesk.services import accounts

    u = accounts.create_user(ctx, args.login, args.name or args.login, _role(args.role),
                             _new_password(args))
    print(_("利用者「{login}」（{role}）を追加しました。").format(login=u.login_name,
                                                            role=u.role_label))
    return 0


def _find(ctx, login: str):
    from pfdesk.services import accounts

    for u in accounts.list_users(ctx):
        if u.login_name == login:
            return u
    raise NotFound(_("利用者「{login}」が見つかりません。").format(login=login),
                   hint=_("pfdesk users list で利用者名を確かめてください。"))


def _reset(args, ctx) -> int:
    from pfdesk.services import accounts

    u = accounts.reset_password(ctx, _find(ctx, args.login).id, _new_password(args))
    print(_("「{login}」のパスワードを再設定しました。次回サインイン時に変更を求めます。")
          .format(login=u.login_name))
    return 0


def _deactivate(args, ctx) -> int:
    from pfdesk.services import accounts

    u = accounts.deactivate_user(ctx, _find(ctx, args.login).id)
    print(_("「{login}」を利用停止にしました。").format(login=u.login_name))
    return 0


def _encrypt(args, ctx) -> int:
    from pfdesk.services.encryption import encrypt_store
    from pfdesk.store.crypto import is_encrypted

    ctx.store.require_file(_("データの暗号化"))  # before asking for an account or password
    if is_encrypted(ctx.store.paths) and args.seal_identities:
        return _seal(args, ctx)
    if is_encrypted(ctx.store.paths) and args.renew_identity_key:
        return _renew_identity_key(args, ctx)
    if is_encrypted(ctx.store.paths) and args.shred_plain_backups:
        return _shred_only(args, ctx)

    if ctx.actor.user_id is None:
        raise KnownError(_("暗号化の前に、管理者のアカウントを作成してください。"),
                         hint=_("例: pfdesk users add yamada --role admin"))
    password = os.environ.get("PFDESK_PASSWORD") or getpass.getpass(_("パスワード: "))
    recovery = encrypt_store(ctx, ctx.actor.user_name, password)
    print(_("データを暗号化しました。"))
    print(_("回復キー（この一度しか表示しません。印刷するか書き写して金庫などに保管してください）:"))
    print(f"\n    {recovery}\n")
    _offer_shredding(args, ctx)
    return 0


def _seal(args, ctx) -> int:
    from pfdesk.services.encryption import seal_identities

    if ctx.actor.user_id is None:
        raise KnownError(_("管理者のアカウントでサインインしてください。"),
                         hint=_("例: pfdesk --user yamada encrypt --seal-identities"))
    password = os.environ.get("PFDESK_PASSWORD") or getpass.getpass(_("パスワード: "))
    result = seal_identities(ctx, ctx.actor.user_name, password)
    print(_("本人情報 {n} 項目を、本人情報を扱える利用者だけが持つ鍵で暗号化しました。").format(
        n=result.cells))
    if result.waiting:
        print(_("次の利用者は、一度サインインしたあと、管理者が次にサインインすると本人情報を"
                "読めるようになります: {names}").format(names="、".join(result.waiting)))
    print(_("新しい回復キー（古い回復キーでは本人情報を開けません。印刷するか書き写して金庫などに"
            "保管してください）:"))
    print(f"\n    {result.recovery_key}\n")
    _offer_shredding(args, ctx)
    return 0


def _renew_identity_key(args, ctx) -> int:
    from pfdesk.services.encryption import renew_identity_key

    password = os.environ.get("PFDESK_PASSWORD") or getpass.getpass(_("パスワード: "))
    holders = renew_identity_key(ctx, ctx.actor.user_name, password)
    print(_("本人情報の鍵を作り直しました。新しい鍵を持つ利用者: {names}（と回復キー）").format(
        names="、".join(holders)))
    _offer_shredding(args, ctx)
    return 0


def _offer_shredding(args, ctx) -> None:
    from pfdesk.services.backup import plaintext_backups, shred_plaintext_backups

    plain = plaintext_backups(ctx)
    if not plain:
        return
    print(_("本人情報が守られていないバックアップが {n} 個あります（暗号化する前、または本人情報を"
            "別の鍵で暗号化する前のもの）:").format(n=len(plain)))
    for e in plain:
        print(f"    {e.path}")
    if getattr(args, "shred_plain_backups", False):
        gone = shred_plaintext_backups(ctx)
        print(_("{n} 個を上書きしてから削除しました。").format(n=len(gone)))
    else:
        print(_("完全に削除するには「pfdesk encrypt --shred-plain-backups」を実行してください"
                "（元に戻せません。必要なら先に暗号化したバックアップを作ってください）。"))


def _shred_only(args, ctx) -> int:
    from pfdesk.services.backup import plaintext_backups

    if not plaintext_backups(ctx):
        print(_("暗号化していないバックアップはありません。"))
        return 0
    _offer_shredding(args, ctx)
    return 0


def _recover(args) -> int:
    from pfdesk.cli._runtime import data_paths, require_file_store
    from pfdesk.services import accounts

    require_file_store(args, _("回復キーによるデータの回復（recover）"))
    paths = data_paths(args)
    if not args.user:
        raise KnownError(_("--user で管理者の利用者名を指定してください。"))
    recovery = os.environ.get("PFDESK_RECOVERY_KEY") or getpass.getpass(_("回復キー: "))
    store = accounts.recover_with_key(paths, recovery, args.user, _new_password(args))
    store.close()
    print(_("回復キーでデータを開き、「{login}」のパスワードを再設定しました。").format(
        login=args.user))
    return 0


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("日付「{t}」を読めません。").format(t=text),
                              hint=_("2027-03-31 の形で指定してください。")) from None


def _as_of(args) -> date:
    from pfdesk.services import retention

    if args.fiscal_year:
        return retention.year_end(args.fiscal_year)
    return _day(args.as_of) or date.today()


def _retention_list(args, ctx) -> int:
    from pfdesk.services import retention

    as_of = _as_of(args)
    if args.out:
        n = retention.export_candidates(ctx, args.out, as_of)
        print(_("廃棄候補 {n} 件を書き出しました: {path}").format(n=n, path=args.out))
        return 0
    rows = retention.disposal_candidates(ctx, as_of)
    print(_("廃棄候補一覧（{d} 時点）: {n} 件").format(d=as_of.isoformat(), n=len(rows)))
    for c in rows:
        print(f"{c.case_number}\t{c.record_label}\t{c.ended_on}\t{c.due_on}")
    return 0


def _retention_dispose(args, ctx) -> int:
    from pfdesk.services import retention

    as_of = _as_of(args)
    wanted = set(args.case_numbers)
    rows = [c for c in retention.disposal_candidates(ctx, as_of)
            if not wanted or c.case_number in wanted]
    missing = wanted - {c.case_number for c in rows}
    if missing:
        raise ValidationError(_("廃棄候補にないケース番号です: {n}").format(
            n=", ".join(sorted(missing))))
    if not rows:
        print(_("廃棄候補はありません。"))
        return 0
    if not args.yes:
        print(_("{n} 件の個人情報を完全に消去します。元に戻せません。"
                "よければ --yes を付けて実行してください。").format(n=len(rows)), file=sys.stderr)
        return 1
    numbers = retention.dispose_cases(ctx, [c.case_id for c in rows], as_of,
                                      approval=args.approval or "")
    print(_("{n} 件の個人情報を消去しました: {nums}").format(n=len(numbers),
                                                        nums=", ".join(numbers)))
    _older_backups(args, ctx)
    return 0


def _older_backups(args, ctx) -> None:
    """Backups made before the disposal still hold the identities: say so, shred on request."""
    from pfdesk.services.backup import backups_before_disposal, shred_backups_before_disposal

    older = backups_before_disposal(ctx)
    if not older:
        return
    if getattr(args, "shred_older_backups", False):
        gone = shred_backups_before_disposal(ctx)
        print(_("廃棄より前のバックアップ {n} 個を上書きしてから削除しました"
                "（今のデータのバックアップを先に作りました）。").format(n=len(gone)))
        return
    print(_("廃棄より前に作ったバックアップが {n} 個あり、廃棄した個人情報がまだ入っています。"
            "「pfdesk retention shred-old-backups --yes」で、今のデータをバックアップしてから"
            "それらを上書き・削除できます。").format(n=len(older)))


def _shred_old(args, ctx) -> int:
    from pfdesk.services.backup import backups_before_disposal

    older = backups_before_disposal(ctx)
    if not older:
        print(_("廃棄より前のバックアップはありません。"))
        return 0
    if not args.yes:
        for e in older:
            print(f"    {e.path}")
        print(_("{n} 個のバックアップを上書きしてから削除します。元に戻せません。"
                "よければ --yes を付けて実行してください。").format(n=len(older)), file=sys.stderr)
        return 1
    args.shred_older_backups = True
    _older_backups(args, ctx)
    return 0


def _add_as_of(p) -> None:
    p.add_argument("--as-of", help=_("この日の時点で判定（例: 2027-03-31）"))
    p.add_argument("--fiscal-year", type=int, help=_("この年度末の時点で判定（例: 2026）"))


def register(groups) -> None:
    """Add the account, encryption and retention commands."""
    top = groups.top
    users = top.add_parser("users", help=_("利用者の一覧・追加・パスワード再設定（管理者）"))
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    sub.add_parser("list", help=_("利用者の一覧")).set_defaults(handler=_list)
    add = sub.add_parser("add", help=_("利用者を追加（パスワードは入力または"
                                       " PFDESK_NEW_PASSWORD）"))
    add.add_argument("login", help=_("利用者名（半角英数字）"))
    add.add_argument("--name", help=_("氏名"))
    add.add_argument("--role", default="staff", help=_("admin / staff / viewer"))
    add.set_defaults(handler=_add)
    reset = sub.add_parser("reset-password", help=_("パスワードを再設定（ロックも解除）"))
    reset.add_argument("login")
    reset.set_defaults(handler=_reset)
    own = sub.add_parser("passwd", help=_("自分のパスワードを変更（新しいパスワードは入力または"
                                          " PFDESK_NEW_PASSWORD）"))
    own.set_defaults(handler=_passwd, changes_own_password=True)
    stop = sub.add_parser("deactivate", help=_("利用停止にする"))
    stop.add_argument("login")
    stop.set_defaults(handler=_deactivate)

    enc = top.add_parser("encrypt", help=_("暗号化されていないデータを暗号化する（管理者）"))
    enc.add_argument("--shred-plain-backups", action="store_true",
                     help=_("暗号化前の（暗号化していない）バックアップを上書きしてから削除する"))
    enc.add_argument("--seal-identities", action="store_true",
                     help=_("暗号化済みのデータの本人情報を、本人情報を扱える利用者だけが持つ別の鍵で"
                            "暗号化する"))
    enc.add_argument("--renew-identity-key", action="store_true",
                     help=_("本人情報の鍵を作り直す（権限を外した利用者が前の鍵を持ち出した"
                            "おそれがあるとき）"))
    enc.set_defaults(handler=_encrypt)
    rec = top.add_parser(
        "recover", help=_("回復キーでデータを開き、管理者のパスワードを再設定する"),
        description=_("例: pfdesk --user yamada recover。回復キーは入力を求めます"
                      "（または PFDESK_RECOVERY_KEY）。新しいパスワードも入力を求めます"
                      "（または PFDESK_NEW_PASSWORD）。"))
    rec.set_defaults(raw_handler=_recover)

    ret = top.add_parser("retention", help=_("保存年限: 廃棄候補一覧と廃棄（管理者）"))
    rsub = ret.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    lst = rsub.add_parser("list", help=_("廃棄候補一覧"))
    _add_as_of(lst)
    lst.add_argument("--out", help=_("CSV に書き出す"))
    lst.set_defaults(handler=_retention_list)
    dis = rsub.add_parser("dispose", help=_("廃棄候補の個人情報を完全に消去する"))
    _add_as_of(dis)
    dis.add_argument("case_numbers", nargs="*", help=_("ケース番号（省略時は候補すべて）"))
    dis.add_argument("--approval", metavar="決裁番号",
                     help=_("廃棄を決裁した文書の番号（必須。監査ログに記録します）"))
    dis.add_argument("--yes", action="store_true", help=_("確認なしで実行する"))
    dis.add_argument("--shred-older-backups", action="store_true",
                     help=_("廃棄より前のバックアップも上書き・削除する（先に今のデータをバックアップ）"))
    dis.set_defaults(handler=_retention_dispose)
    old = rsub.add_parser("shred-old-backups",
                          help=_("廃棄より前のバックアップを上書き・削除する（今のデータを先にバックアップ）"))
    old.add_argument("--yes", action="store_true", help=_("確認なしで実行する"))
    old.set_defaults(handler=_shred_old)
