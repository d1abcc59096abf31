"""次第・資料: agenda items (議題 / 報告 / その他), per-item 公開区分, case links, attached files.

資料番号 is never typed: materials are numbered 資料1, 資料2 … and 参考資料 in agenda
order whenever they are listed, so moving an item renumbers the packet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from pfdesk.core import codes
from pfdesk.core.atomic import read_error, sha256_file
from pfdesk.core.errors import FileProblem, PermissionDenied, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import Seen, check_seen
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.meetings._common import check_code, get_or_fail, required_text
from pfdesk.services.meetings.identity import IdentityDecision, screen_texts
from pfdesk.store import attachment_files, shared_files, vault
from pfdesk.store.models import AgendaItem, Case, Material, Meeting

#: File types that can be attached as 配布資料.
ALLOWED_SUFFIXES = (".pdf", ".xlsx", ".docx", ".csv")

#: Materials pfdesk builds itself when the packet is printed: key → default title.
GENERATED_MATERIALS = {
    "stats": "相談受付状況（統計）",
    "actions": "宿題事項の対応状況",
    "case_sheet": "ケース概要シート",
    "progress": "進行管理台帳",
    "area_issues": "地域課題の集計",
}


@dataclass(frozen=True)
class AgendaInput:
    """An agenda item as the form saves it."""

    title: str
    kind: str = "agenda"
    presenter: str = ""
    publicity: str = ""  # "" = as the meeting
    case_id: int | None = None


@dataclass(frozen=True)
class MaterialRow:
    """A 配布資料 with its 資料番号."""

    id: int
    agenda_item_id: int
    number_label: str
    title: str
    is_reference: bool
    original_name: str
    stored_name: str
    sha256: str
    size: int
    generated: str


@dataclass(frozen=True)
class AgendaRow:
    """An item of the 次第 with its materials; ``label`` is 議題(1), 報告(2) …"""

    id: int
    position: int
    kind: str
    kind_label: str
    label: str
    title: str
    presenter: str
    publicity: str
    publicity_label: str  # effective: the item's own or the meeting's
    case_id: int | None
    case_number: str
    summary: str
    materials: tuple[MaterialRow, ...]
    version: int = 1  # counted up by every saved edit of the item (services.edit_versions)


def number_materials(items: list[AgendaItem]) -> dict[int, str]:
    """資料番号 per material id: 資料1, 資料2 … then 参考資料 (numbered when more than one)."""
    mats = [m for it in items for m in it.materials]
    refs = [m for m in mats if m.is_reference]
    out: dict[int, str] = {}
    n = 0
    for m in mats:
        if not m.is_reference:
            n += 1
            out[m.id] = _("資料{n}").format(n=n)
    for i, m in enumerate(refs, 1):
        out[m.id] = _("参考資料") if len(refs) == 1 else _("参考資料{n}").format(n=i)
    return out


def item_labels(items: list[AgendaItem]) -> dict[int, str]:
    """Labels per item as in the 次第: 議題(1), 議題(2), 報告(1), その他."""
    counters: dict[str, int] = {}
    out = {}
    for it in items:
        counters[it.kind] = counters.get(it.kind, 0) + 1
        out[it.id] = f"{codes.AGENDA_KINDS.label(it.kind)}({counters[it.kind]})"
    return out


def agenda_rows(s, m: Meeting, *, view: MeetingView) -> list[AgendaRow]:
    """The 次第 of ``m`` as plain rows, as ``view``'s reader may see it (see entitlement).

    A withheld item (case content of a closed meeting for a reader not entitled) keeps its
    place but shows its case code and category only: no 件名, 要点筆記 or 資料.
    """
    items = sorted(m.agenda_items, key=lambda it: (_kind_order(it.kind), it.position))
    numbers = number_materials(items)
    labels = item_labels(items)
    case_ids = {it.case_id for it in items if it.case_id}
    cases = dict(s.execute(
        select(Case.id, Case.case_number).where(Case.id.in_(case_ids))
    ).all()) if case_ids else {}
    out = []
    for it in items:
        pub = it.publicity or m.publicity
        withheld = view.withheld(it.case_id)
        out.append(AgendaRow(
            id=it.id, position=it.position, kind=it.kind,
            kind_label=codes.AGENDA_KINDS.label(it.kind), label=labels[it.id],
            title=view.coded_title(it.case_id, cases.get(it.case_id, ""), it.kind)
            if withheld and it.case_id else view.text(it.title),
            presenter=it.presenter, publicity=it.publicity,
            publicity_label=codes.PUBLICITY.label(pub), case_id=it.case_id,
            case_number=view.code(it.case_id, cases.get(it.case_id, "")) if it.case_id else "",
            summary="" if withheld else view.text(it.summary),
            version=it.version or 1,
            materials=() if withheld else tuple(
                MaterialRow(
                    id=x.id, agenda_item_id=it.id, number_label=numbers[x.id],
                    title=view.text(x.title), is_reference=x.is_reference,
                    original_name=view.text(x.original_name), stored_name=x.stored_name,
                    sha256=x.sha256, size=x.size, generated=x.generated,
                )
                for x in it.materials
            ),
        ))
    return out


def _kind_order(kind: str) -> int:
    # The 次第 runs 議題 → 報告 → その他 whatever order items were added in.
    return {"agenda": 0, "report": 1}.get(kind, 2)


@service(Permission.MEETING_READ)
def list_agenda(ctx: ServiceContext, meeting_id: int) -> list[AgendaRow]:
    """The 次第 of a meeting: 議題, then 報告, then その他, each with its materials."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        return agenda_rows(s, m, view=MeetingView(s, ctx.actor, m, document=False))


def _check(s, data: AgendaInput) -> dict:
    title = required_text(data.title, "title", _("件名"))
    check_code(codes.AGENDA_KINDS, data.kind, "kind", _("種類"))
    if data.publicity:
        check_code(codes.PUBLICITY, data.publicity, "publicity", _("公開区分"))
    if data.case_id is not None:
        get_or_fail(s, Case, data.case_id, _("ケース"))
    return dict(title=title, kind=data.kind, presenter=clean_text(data.presenter),
                publicity=data.publicity, case_id=data.case_id)


def _check_case_permission(ctx: ServiceContext, case_id: int | None) -> None:
    if case_id is not None:
        ctx.require(Permission.CASE_READ)


def link_item(s, it: AgendaItem, case_id: int | None) -> None:
    """Link ``it`` to ``case_id`` (chosen when a typed identity was found); closed if public."""
    if case_id is None or it.case_id == case_id:
        return
    if it.case_id is not None:
        raise ValidationError(
            _("この議題は別のケースと結び付いています。"),
            hint=_("ケース番号に置き換えるか、別の議題として記録してください。"))
    get_or_fail(s, Case, case_id, _("ケース"))
    it.case_id = case_id
    if it.meeting.publicity == "public":
        it.publicity = "closed"  # case material is never discussed in public


@service(Permission.MEETING_WRITE)
def add_item(ctx: ServiceContext, meeting_id: int, data: AgendaInput, *,
             identity: IdentityDecision | None = None) -> int:
    """Add an item at the end of its kind; returns its id.

    A case identity typed into the 件名 raises IdentityFound until ``identity`` decides.
    """
    _check_case_permission(ctx, data.case_id)
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        values = _check(s, data)
        screened = screen_texts(s, ctx, {"title": values["title"]}, identity,
                                linkable=True, target=f"meeting:{m.id}")
        values["title"] = screened.texts["title"]
        if screened.link_case_id is not None:
            values["case_id"] = screened.link_case_id
        if values["case_id"] and values["publicity"] != "closed" and m.publicity == "public":
            # Case material is never discussed in public.
            values["publicity"] = "closed"
        pos = (s.scalar(select(func.max(AgendaItem.position))
                        .where(AgendaItem.meeting_id == m.id)) or 0) + 1
        it = AgendaItem(meeting_id=m.id, position=pos, **values)
        s.add(it)
        s.flush()
        audit.record(s, ctx.actor, "meetings.agenda.add", "agenda_item", [it.id],
                     meeting_id=m.id, case_id=it.case_id)
        s.commit()
        return it.id


AGENDA_LABELS = (
    ("title", _("件名")), ("kind", _("種類")), ("presenter", _("説明者")),
    ("publicity", _("公開区分")), ("case_id", _("ケース")),
)


def item_input(it: AgendaItem) -> AgendaInput:
    """An agenda item as stored, in the form update_item takes."""
    return AgendaInput(title=it.title, kind=it.kind, presenter=it.presenter or "",
                       publicity=it.publicity or "", case_id=it.case_id)


def seen_of(row: AgendaRow) -> Seen:
    """An item as the form shows ``row``: what update_item's ``seen`` takes."""
    return Seen(row.version, AgendaInput(title=row.title, kind=row.kind,
                                         presenter=row.presenter, publicity=row.publicity,
                                         case_id=row.case_id))


@service(Permission.MEETING_WRITE)
def update_item(ctx: ServiceContext, item_id: int, data: AgendaInput, *,
                identity: IdentityDecision | None = None, seen: Seen | None = None) -> None:
    """Save an item's 件名, kind, presenter, 公開区分 and case link (件名 screened).

    Refused with an EditConflict when the item was saved elsewhere since ``seen``.
    """
    _check_case_permission(ctx, data.case_id)
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        check_seen(s, it, seen, item_input(it), labels=AGENDA_LABELS,
                   action="meetings.agenda.edit", what=_("議題「{title}」").format(title=it.title))
        values = _check(s, data)
        screened = screen_texts(s, ctx, {"title": values["title"]}, identity,
                                linkable=values["case_id"] is None,
                                target=f"agenda_item:{it.id}", unchanged={"title": it.title})
        values["title"] = screened.texts["title"]
        for k, v in values.items():
            setattr(it, k, v)
        link_item(s, it, screened.link_case_id)
        audit.record(s, ctx.actor, "meetings.agenda.edit", "agenda_item", [it.id],
                     meeting_id=it.meeting_id, case_id=it.case_id)
        s.commit()


@service(Permission.MEETING_WRITE)
def remove_item(ctx: ServiceContext, item_id: int) -> None:
    """Delete an item with its materials, minutes and decisions (not its action items)."""
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        from pfdesk.store.models import ActionItem

        for a in s.scalars(select(ActionItem).where(ActionItem.agenda_item_id == it.id)):
            a.agenda_item_id = None
        audit.record(s, ctx.actor, "meetings.agenda.remove", "agenda_item", [it.id],
                     meeting_id=it.meeting_id, title=it.title)
        s.delete(it)
        s.commit()


@service(Permission.MEETING_WRITE)
def move_item(ctx: ServiceContext, item_id: int, delta: int) -> None:
    """Move an item up (-1) or down (+1) among the items of its kind."""
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        same = sorted(
            (x for x in it.meeting.agenda_items if x.kind == it.kind), key=lambda x: x.position
        )
        i = same.index(it)
        j = i + delta
        if 0 <= j < len(same):
            same[i].position, same[j].position = same[j].position, same[i].position
            audit.record(s, ctx.actor, "meetings.agenda.move", "agenda_item", [it.id],
                         delta=delta)
            s.commit()


@service(Permission.MEETING_WRITE)
def attach_file(
    ctx: ServiceContext,
    item_id: int,
    source: str | Path,
    *,
    title: str = "",
    is_reference: bool = False,
    identity: IdentityDecision | None = None,
) -> int:
    """Copy a PDF / xlsx / docx / csv into the store's attachments folder and list it as a 資料.

    The file's text and the 資料名 are scanned for case identities first (IdentityFound
    until ``identity`` decides); nothing is copied before that.
    """
    src = Path(source)
    if src.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            _("添付できるのは PDF・Excel（.xlsx）・Word（.docx）・CSV のファイルです。"),
            where=str(src), hint=_("ファイルを PDF などに保存し直してから添付してください。"),
        )
    if not src.is_file():
        raise FileProblem(_("ファイルが見つかりません。"), where=str(src),
                          hint=_("ファイルの場所を確認して、もう一度選んでください。"))
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        screened = screen_texts(s, ctx, {"material_title": clean_text(title) or src.stem},
                                identity, linkable=True, target=f"agenda_item:{it.id}",
                                files={"file": src})
        link_item(s, it, screened.link_case_id)
        s.commit()
        # A closed meeting's case item: its file is sealed under the identity key too.
        identity_key = vault.case_content_key(s, it)
    title = screened.texts["material_title"]
    digest = sha256_file(src)
    stored = f"{digest}{src.suffix.lower()}"
    target = ctx.store.paths.attachments / stored
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise read_error(exc, src) from exc
    if not target.exists():
        # Encrypted under the store's key when the store is (see store.attachment_files).
        attachment_files.write(ctx.store.paths, ctx.store.file_key, stored, data,
                               identity_key=identity_key)
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        pos = max((x.position for x in it.materials), default=0) + 1
        mat = Material(
            position=pos, title=clean_text(title) or src.stem, is_reference=bool(is_reference),
            original_name=src.name, stored_name=stored, sha256=digest, size=len(data),
        )
        it.materials.append(mat)
        s.flush()
        if shared_files.on_server(s):  # every PC of a server store can open it
            shared_files.upload(s, ctx.store.paths, stored)
        audit.record(s, ctx.actor, "meetings.material.attach", "material", [mat.id],
                     agenda_item_id=it.id, file=src.name, sha256=digest)
        s.commit()
        return mat.id


@service(Permission.MEETING_WRITE)
def add_generated_material(
    ctx: ServiceContext, item_id: int, kind: str, *, title: str = "",
    is_reference: bool = False,
) -> int:
    """List a document pfdesk builds at print time (統計, 宿題事項, ケース概要) as a 資料."""
    if kind not in GENERATED_MATERIALS:
        raise ValidationError(_("作成する資料の種類を一覧から選んでください。"), field="kind")
    with ctx.session() as s:
        it = get_or_fail(s, AgendaItem, item_id, _("議題"))
        if kind == "case_sheet" and it.case_id is None:
            raise ValidationError(
                _("ケース概要シートは、ケースと結び付けた議題にだけ付けられます。"),
                field="kind", hint=_("議題の編集でケースを選んでから追加してください。"),
            )
        if kind == "progress":
            from pfdesk.services.progress.findings import require_reviewing

            require_reviewing(s, it.meeting)
        pos = max((x.position for x in it.materials), default=0) + 1
        mat = Material(position=pos, title=clean_text(title) or _(GENERATED_MATERIALS[kind]),
                       generated=kind, is_reference=bool(is_reference))
        it.materials.append(mat)
        s.flush()
        audit.record(s, ctx.actor, "meetings.material.generated", "material", [mat.id],
                     agenda_item_id=it.id, kind=kind)
        s.commit()
        return mat.id


@dataclass(frozen=True)
class _MaterialShown:
    title: str
    is_reference: bool


MATERIAL_LABELS = (("title", _("資料名")), ("is_reference", _("参考資料")))


@service(Permission.MEETING_WRITE)
def update_material(ctx: ServiceContext, material_id: int, *, title: str,
                    is_reference: bool, identity: IdentityDecision | None = None,
                    seen: MaterialRow | None = None) -> None:
    """Rename a 資料 or mark it as 参考資料 (the 資料名 is screened for case identities).

    ``seen`` (the row the tab showed) refuses the save with an EditConflict when another
    PC renamed the material or switched 資料 / 参考資料 since.
    """
    from pfdesk.services.edit_versions import check_shown

    with ctx.session() as s:
        mat = get_or_fail(s, Material, material_id, _("資料"))
        if seen is not None:
            check_shown(s, mat.id, _MaterialShown(seen.title, seen.is_reference),
                        _MaterialShown(mat.title, bool(mat.is_reference)),
                        labels=MATERIAL_LABELS, what=_("資料「{title}」").format(title=mat.title),
                        action="meetings.material.edit")
        screened = screen_texts(
            s, ctx, {"material_title": required_text(title, "title", _("資料名"))}, identity,
            linkable=True, target=f"material:{mat.id}", unchanged={"material_title": mat.title})
        link_item(s, mat.agenda_item, screened.link_case_id)
        mat.title = screened.texts["material_title"]
        mat.is_reference = bool(is_reference)
        audit.record(s, ctx.actor, "meetings.material.edit", "material", [mat.id])
        s.commit()


@service(Permission.MEETING_WRITE)
def remove_material(ctx: ServiceContext, material_id: int) -> None:
    """Take a 資料 off the item; the copied file stays in the store (others may share it)."""
    with ctx.session() as s:
        mat = get_or_fail(s, Material, material_id, _("資料"))
        audit.record(s, ctx.actor, "meetings.material.remove", "material", [mat.id],
                     file=mat.original_name)
        s.delete(mat)
        s.commit()


@service(Permission.MEETING_READ)
def material_path(ctx: ServiceContext, material_id: int) -> Path:
    """Where the stored copy of an attached file is; FileProblem if it has gone missing.

    A reader not entitled to the case content in it (see :mod:`pfdesk.services.entitlement`)
    gets PermissionDenied, and the refusal is recorded.
    """
    with ctx.session() as s:
        mat = get_or_fail(s, Material, material_id, _("資料"))
        if not mat.stored_name:
            raise FileProblem(_("この資料は印刷時に作成されるため、ファイルはありません。"))
        stored = ctx.store.paths.attachments / mat.stored_name
        if not stored.is_file() and shared_files.on_server(s):
            shared_files.download(s, ctx.store.paths, mat.stored_name)  # attached elsewhere
        if not stored.is_file():
            raise FileProblem(
                _("資料「{title}」のファイルがデータフォルダにありません。").format(title=mat.title),
                where=str(stored), hint=_("バックアップから復元するか、添付し直してください。"),
            )
        item = mat.agenda_item
        view = MeetingView(s, ctx.actor, item.meeting, document=False)
        # Case content the reader may not see is refused before any decryption (its file
        # may be sealed under the identity key this session does not hold).
        withheld = bool(item.case_id) and view.withheld(item.case_id)
        # A decrypted copy in a private folder when the store is encrypted.
        path = stored if withheld else attachment_files.plain_copy(
            ctx.store.paths, ctx.store.file_key, mat.stored_name, mat.original_name,
            identity_key=vault.session_state(s).key, fallback=vault.session_state(s).previous)
        if withheld or not view.attachment_allowed(item, path):
            if path != stored:
                path.unlink(missing_ok=True)
            audit.record(s, ctx.actor, "meetings.material.refused", "material", [mat.id],
                         case_id=item.case_id, level=view.level(item.case_id))
            s.commit()
            raise PermissionDenied(
                _("この資料には、あなたの権限では見られないケースの情報が含まれています。"),
                hint=_("内容の確認が必要な場合は、事務局の担当者に依頼してください。"),
            )
        audit.record(s, ctx.actor, "meetings.material.open", "material", [mat.id],
                     case_id=item.case_id, level=view.level(item.case_id))
        s.commit()
        return path


@service(Permission.MEETING_WRITE, Permission.CASE_READ)
def case_choices(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Open cases as (id, ケース番号) for linking a case conference item; newest first."""
    with ctx.session() as s:
        rows = s.execute(
            select(Case.id, Case.case_number)
            .where(Case.voided_at.is_(None), Case.status != "closed")
            .order_by(Case.intake_date.desc())
        ).all()
        return [(cid, num) for cid, num in rows]
