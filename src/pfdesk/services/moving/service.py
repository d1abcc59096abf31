"""Moving to a new PC: the whole data folder out in one archive, proven and put in place.

``move_out`` writes the archive; ``move_in`` puts it into an empty data folder.

Moving in never touches a folder that already holds a store, and checks everything
before it writes a file: every member's CRC and SHA-256, the store's
``integrity_check`` and record counts against the manifest, and the audit log's hash
chain, its seals and its end (the audit head carried in the archive). Afterwards the
store is opened (upgraded if it came from an older pfdesk), the move is recorded in its
audit log and the chain verified again.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.atomic import write_error
from pfdesk.core.errors import FileProblem, KnownError, StoreError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import ADMIN, Permission
from pfdesk.paths import STORE_FILE, DataPaths
from pfdesk.services import audit
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.services.moving import archive as ar
from pfdesk.store import safefile
from pfdesk.store.migrate import backup_file
from pfdesk.store.models import AuditEvent


@dataclass(frozen=True)
class MoveOutInfo:
    """A move archive written: where, how big, what it holds."""

    path: Path
    encrypted: bool
    size: int
    counts: dict[str, int]
    audit_entries: int
    attachments: int

    def message(self) -> str:
        """What to tell the user, with the next step on the new PC."""
        lock = _("暗号化済み") if self.encrypted else _("暗号化なし")
        return _("移行用ファイルを作成し、検査しました（{lock}、{c}、添付ファイル {a}件、"
                 "監査ログ {n}件、{mb:.1f} MB）: {p}\n新しい PC に pfdesk をインストールして起動し、"
                 "「pfdesk のはじめかた」でこのファイルを取り込んでください（コマンドでは "
                 "pfdesk move-in ファイル名）。").format(
            lock=lock, c=safefile.counts_text(self.counts), a=self.attachments,
            n=self.audit_entries, mb=self.size / 1_000_000, p=self.path)


def default_move_name(when: datetime | None = None) -> str:
    """``pfdesk-move-YYYYMMDD-HHMMSS.zip``."""
    return f"pfdesk-move-{(when or datetime.now()):%Y%m%d-%H%M%S}.zip"


def _audit_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


@service(Permission.BACKUP, Permission.SETTINGS_WRITE, Permission.AUDIT_READ)
def move_out(ctx: ServiceContext, out: Path | str) -> MoveOutInfo:
    """Write the whole data folder into one verified archive at ``out`` (administrators).

    ``out`` may be a folder (the file is named by date and time). The move itself is
    recorded first, so the archive holds the entry that says it was made.
    """
    ctx.store.require_file(_("新しい PC への移動（move-out）"))
    paths = ctx.store.paths
    target = Path(out)
    if target.is_dir():
        target = target / default_move_name()
    if target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    with ctx.session() as s:
        audit.record(s, ctx.actor, "backup.move.export", "store", [], file=str(target),
                     encrypted=ctx.store.key is not None, kind=_("新しい PC への移行"))
        s.commit()
    # The head is read before the copy: the copy holds at least every entry it names.
    head = paths.audit_head.read_bytes() if paths.audit_head.is_file() else None
    stage = safefile.stage_dir(paths)
    try:
        db = backup_file(ctx.store.engine, stage / STORE_FILE)
        facts = safefile.inspect_store(db, ctx.store.key)
        engine = _engine_for(db, ctx.store.key)
        try:
            with Session(engine) as s:
                entries = _audit_count(s)
                last = int(s.scalar(select(func.max(AuditEvent.id))) or 0)
        finally:
            engine.dispose()
        payload = ar.payload_bytes(paths, head)
        attachments = sum(1 for n in zipfile.ZipFile(io.BytesIO(payload)).namelist()
                          if n.startswith("attachments/"))
        members: dict[str, Path] = {STORE_FILE: db}
        if paths.keys.is_file():
            members[ar.KEYS_FILE] = paths.keys
        name = ar.PAYLOAD
        if ctx.store.key is not None:
            payload, name = ar.seal(payload, ctx.store.key), ar.PAYLOAD_SEALED
        (stage / name).write_bytes(payload)
        members[name] = stage / name
        manifest = ar.MoveManifest(datetime.now(), facts.encrypted, facts.revision, facts.counts,
                                   last, digests={k: ar.sha256_of(p) for k, p in members.items()})
        part = stage / "move.zip"
        try:
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(ar.MANIFEST, manifest.to_json())
                for member, src in members.items():
                    z.write(src, member)
            safefile.fsync_file(part)
        except OSError as e:
            raise FileProblem(_("移行用ファイルを書き込めませんでした（データフォルダーの空き容量が"
                                "足りない可能性があります）。"), where=str(part)) from e
        ar.read_manifest(part)
        _place(part, target)
        ar.read_manifest(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return MoveOutInfo(target, facts.encrypted, target.stat().st_size, facts.counts, entries,
                       attachments)


def _place(src: Path, out: Path) -> None:
    """Copy the finished archive to ``out`` under a temp name, then rename it into place."""
    part = out.with_name(f".~{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            safefile.copy_durable(src, part)
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
        safefile.fsync_dir(out.parent)
    except OSError as e:
        raise write_error(e, out) from e


def _engine_for(db: Path, key: bytes | None):
    from pfdesk.store.engine import make_engine

    return make_engine(db, key=key)


@dataclass(frozen=True)
class MoveInResult:
    """A move done: what arrived and how the audit log checked out."""

    source: Path
    root: Path
    encrypted: bool
    counts: dict[str, int]
    attachments: int
    audit_entries: int

    def message(self) -> str:
        """A few Japanese sentences for the user."""
        return _("移行用ファイル「{f}」をデータフォルダー {r} に取り込みました（{c}、添付ファイル "
                 "{a}件）。監査ログ {n}件のつながりと封印を確かめ、改ざんは見つかりませんでした。"
                 ).format(f=self.source.name, r=self.root, c=safefile.counts_text(self.counts),
                          a=self.attachments, n=self.audit_entries)


def _refuse_if_in_use(paths: DataPaths) -> None:
    from pfdesk.store.presence import MARKER

    if (paths.store.exists() and paths.store.stat().st_size > 0) or (paths.root / MARKER).exists():
        raise KnownError(
            _("このデータフォルダーにはすでに pfdesk のデータがあるため、取り込みませんでした。"),
            where=str(paths.root),
            hint=_("新しい PC で初めて使うときに取り込むか、--data-dir で空のフォルダーを指定して"
                   "ください。今のデータを置き換えるときは、バックアップからの復元を使います。"))


def _check_digests(stage: Path, manifest: ar.MoveManifest, source: Path) -> None:
    for member, digest in manifest.digests.items():
        f = stage / member
        if not f.is_file() or ar.sha256_of(f) != digest:
            raise StoreError(_("移行用ファイルの「{m}」が記録と一致しません（壊れているか、"
                               "書き換えられています）。").format(m=member), where=str(source),
                             hint=_("前の PC でもう一度移行用ファイルを作ってください。"))


def _verify_audit(db: Path, key: bytes | None, where: Path, last_id: int) -> int:
    """Verify the chain, the seals and the end of the log of ``db``; the number of entries.

    ``last_id`` is the newest entry the manifest names: the log must reach it.
    """
    from pfdesk.services import audit_seal

    engine = _engine_for(db, key)
    try:
        with Session(engine) as s:
            brk = audit.verify_chain(s)
            head = audit.verify_head(s) if brk is None else None
            if brk is None and isinstance(head, audit.ChainBreak):
                brk = head
            sealed = audit_seal.check(s, key=None, anchors=[]) if brk is None else None
            count = _audit_count(s)
            last = int(s.scalar(select(func.max(AuditEvent.id))) or 0)
            if brk is None and last < last_id:
                brk = audit.ChainBreak(last + 1, None, "tail", str(last_id))
    finally:
        engine.dispose()
    if brk is not None or sealed is not None:
        number = brk.event_id if brk is not None else sealed.event_id  # type: ignore[union-attr]
        raise StoreError(_("移行用ファイルの監査ログを検証できませんでした（番号 {n} で記録の"
                           "つながりが切れています）。取り込みは行っていません。").format(n=number),
                         where=str(where),
                         hint=_("前の PC で 管理 → 監査ログ の「検証」を行い、管理者に経緯を"
                                "確認してください。"))
    return count


def move_in(paths: DataPaths, source: Path | str, *, user: str | None = None,
            password: str | None = None, recovery_key: str | None = None) -> MoveInResult:
    """Put the data of a move archive into the empty data folder ``paths``, proven first.

    Works before anyone can sign in on the new PC, like the recovery of a damaged
    store: an encrypted archive opens with a user's password or the recovery key kept
    in its own ``keys.json``.
    """
    from pfdesk.services.recovery import key_from_secret

    src = Path(source)
    manifest = ar.read_manifest(src)
    _refuse_if_in_use(paths)
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        from pfdesk.store.errors import folder_error

        raise folder_error(e, paths.root) from e
    stage = safefile.stage_dir(paths)
    try:
        try:
            with zipfile.ZipFile(src) as z:
                z.extractall(stage, ar.safe_members(z, src))
        except (zipfile.BadZipFile, zlib.error, OSError) as e:
            raise FileProblem(_("移行用ファイルを取り出せませんでした（空き容量を確かめて"
                                "ください）。"), where=str(src)) from e
        _check_digests(stage, manifest, src)
        db = stage / STORE_FILE
        keys = stage / ar.KEYS_FILE
        key = None
        if manifest.encrypted:
            key = key_from_secret(user=user, password=password, recovery_key=recovery_key)(
                keys if keys.is_file() else None)
        facts = safefile.inspect_store(db, key)
        if facts.counts != manifest.counts:
            raise StoreError(_("移行用ファイルの件数が記録と一致しないため、取り込みませんでした。"),
                             where=str(src))
        files = stage / "files"
        sealed = stage / ar.PAYLOAD_SEALED
        payload = (ar.unseal(sealed.read_bytes(), key, src) if key is not None and sealed.is_file()
                   else (stage / ar.PAYLOAD).read_bytes())
        with zipfile.ZipFile(io.BytesIO(payload)) as inner:
            inner.extractall(files, ar.safe_members(inner, src))
        if (files / ar.AUDIT_HEAD).is_file():
            shutil.copyfile(files / ar.AUDIT_HEAD, stage / ar.AUDIT_HEAD)  # beside the store
        _verify_audit(db, key, src, manifest.audit_last_id)
        attachments = _install(paths, stage, files)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            (paths.root / safefile.TMP_DIR).rmdir()
    count = _record_and_verify(paths, key, src, user)
    return MoveInResult(src, paths.root, key is not None, facts.counts, attachments, count)


def _install(paths: DataPaths, stage: Path, files: Path) -> int:
    """Copy the proven files into the data folder, the store last; the attachments copied."""
    root = paths.root
    for name, is_folder in ar.CARRIED:
        src = files / name
        if is_folder and src.is_dir():
            shutil.rmtree(root / name, ignore_errors=True)
            safefile.copy_tree_durable(src, root / name)
        elif not is_folder and src.is_file():
            safefile.copy_durable(src, root / name)
    if (stage / ar.KEYS_FILE).is_file():
        safefile.copy_durable(stage / ar.KEYS_FILE, paths.keys)
    part = root / f".~{STORE_FILE}.moving"
    safefile.copy_durable(stage / STORE_FILE, part)
    os.replace(part, paths.store)
    safefile.fsync_dir(root)
    folder = files / "attachments"
    return sum(1 for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0


def _record_and_verify(paths: DataPaths, key: bytes | None, src: Path, user: str | None) -> int:
    """Open the moved store, record the move in its audit log and verify the log again."""
    from pfdesk.store.engine import open_store

    store = open_store(paths, key=key)
    try:
        actor = Actor(user or os.environ.get("USERNAME") or os.environ.get("USER") or "move-in",
                      _("移行"), ADMIN)
        with store.session() as s:
            audit.record(s, actor, "restore.move.import", "store", [], file=str(src),
                         kind=_("新しい PC への移行"))
            s.commit()
        with store.session() as s:
            brk = audit.verify_chain(s) or audit.verify_head(s)
            count = _audit_count(s)
            s.commit()
    finally:
        store.close()
    if isinstance(brk, audit.ChainBreak):
        raise StoreError(_("取り込んだデータの監査ログを検証できませんでした（番号 {n}）。").format(
            n=brk.event_id), where=str(paths.root))
    return count
