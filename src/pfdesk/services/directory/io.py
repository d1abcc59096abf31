"""名簿の書き出し and the column layout shared by export and import.

An exported file imports back unchanged: the same headers are understood by the column
guesser, and re-importing updates the same records instead of adding new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from pfdesk.core import kana
from pfdesk.core.codes import FIELDS, ORG_KINDS
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import FieldSpec, SheetData, write_csv, write_xlsx
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import is_current, today_of
from pfdesk.store.models import BodyMembership, Organization, Person, Post

#: The columns an import understands, with the header spellings found in real lists.
CONTACT_FIELDS: list[FieldSpec] = [
    FieldSpec("org_name", _("機関名"), ("団体名", "所属", "所属機関", "機関・団体名", "関係機関",
                                       "事業所名", "法人名", "会社名", "機関", "団体")),
    FieldSpec("org_kana", _("機関名ふりがな"), ("機関名フリガナ", "団体名ふりがな",
                                                "団体名フリガナ", "所属ふりがな")),
    FieldSpec("field", _("分野"), ()),
    FieldSpec("kind", _("種別"), ("機関種別",)),
    FieldSpec("department", _("部署"), ("部署名", "課", "課名", "担当課", "係", "所属部署")),
    FieldSpec("title", _("職名"), ("役職", "役職名", "職", "肩書", "肩書き")),
    FieldSpec("full_name", _("氏名"), ("名前", "担当者", "担当者名", "お名前", "担当者氏名")),
    FieldSpec("family_name", _("姓"), ("氏",)),
    FieldSpec("given_name", _("名"), ()),
    FieldSpec("full_kana", _("ふりがな"), ("フリガナ", "氏名ふりがな", "氏名フリガナ",
                                          "よみがな", "ヨミガナ", "読み", "カナ", "かな")),
    FieldSpec("family_kana", _("姓ふりがな"), ("姓フリガナ", "せい", "セイ")),
    FieldSpec("given_kana", _("名ふりがな"), ("名フリガナ", "めい", "メイ")),
    FieldSpec("phone", _("電話番号"), ("TEL", "電話", "連絡先", "Tel", "電話番号(直通)",
                                      "携帯", "携帯電話")),
    FieldSpec("email", _("メール"), ("E-mail", "メールアドレス", "Email", "mail", "Eメール")),
    FieldSpec("org_phone", _("機関の電話番号"), ("代表電話", "代表電話番号", "機関電話番号")),
    FieldSpec("fax", _("FAX"), ("ファクス", "ファックス", "FAX番号", "ファクシミリ")),
    FieldSpec("postal_code", _("郵便番号"), ("〒", "郵便")),
    FieldSpec("address", _("住所"), ("所在地", "住所1")),
    FieldSpec("start_on", _("在任開始"), ("着任日", "就任日", "在任開始日")),
    FieldSpec("note", _("備考"), ("メモ", "特記事項")),
]

EXPORT_HEADERS = [f.label for f in CONTACT_FIELDS if f.key not in ("full_name", "full_kana")]


@dataclass(frozen=True)
class ExportResult:
    """What was written: where, how many rows, and what cp932 could not hold."""

    path: str
    rows: int
    encoding: str
    replaced: int
    report: str


def _org_cells(o: Organization) -> dict[str, str]:
    return {
        "org_name": o.name, "org_kana": o.name_kana, "field": FIELDS.label(o.field),
        "kind": ORG_KINDS.label(o.kind), "org_phone": o.phone, "fax": o.fax,
        "postal_code": o.postal_code, "address": o.address,
    }


def contact_rows(session, *, body_id: int | None = None, in_post_only: bool = True
                 ) -> list[list]:
    """The export rows: one per current post, plus organizations with nobody in post.

    Sorted 五十音順 by organization, then person. Used by export and by tests.
    """
    today = today_of(session)
    keys = [f.key for f in CONTACT_FIELDS if f.key not in ("full_name", "full_kana")]
    orgs = {o.id: o for o in session.scalars(
        select(Organization).where(Organization.merged_into_id.is_(None)))}
    seated: set[int] | None = None
    if body_id:
        seated = set(session.scalars(select(BodyMembership.person_id).where(
            BodyMembership.body_id == body_id)))
    out: list[tuple[tuple, list]] = []
    staffed: set[int] = set()
    for post, p in session.execute(
        select(Post, Person).join(Person, Person.id == Post.person_id)
        .where(Person.merged_into_id.is_(None))
    ):
        if in_post_only and not is_current(post.start_on, post.end_on, today):
            continue
        if seated is not None and p.id not in seated:
            continue
        o = orgs.get(post.organization_id)
        if o is None or (in_post_only and not o.active):
            continue
        staffed.add(o.id)
        cells = _org_cells(o) | {
            "department": post.department, "title": post.title,
            "family_name": p.family_name, "given_name": p.given_name,
            "family_kana": p.family_kana, "given_kana": p.given_kana,
            "phone": post.phone, "email": post.email,
            "start_on": post.start_on.isoformat() if post.start_on else "",
            "note": p.note,
        }
        key = (kana.sort_key(o.name_kana or o.name), post.department,
               kana.sort_key(p.family_kana + "\u3000" + p.given_kana), p.id)
        out.append((key, [cells.get(k, "") for k in keys]))
    if seated is None:
        for o in orgs.values():
            if o.id in staffed or (in_post_only and not o.active):
                continue
            cells = _org_cells(o) | {"department": o.department, "email": o.email,
                                     "note": o.note}
            out.append(((kana.sort_key(o.name_kana or o.name), "", (), 0),
                        [cells.get(k, "") for k in keys]))
    out.sort(key=lambda x: x[0])
    return [row for _key, row in out]


@service(Permission.EXPORT_PERSONAL, Permission.DIRECTORY_READ)
def export_contacts(
    ctx: ServiceContext,
    path: str | Path,
    *,
    encoding: str | None = None,
    body_id: int | None = None,
    in_post_only: bool = True,
) -> ExportResult:
    """Write the directory to .xlsx or .csv (``encoding`` cp932 or utf-8-sig, default BOM).

    For cp932 the report lists each character replaced (𠮷→吉 …) by row and column.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            _("書き出し先「{name}」の種類が分かりません。").format(name=target.name),
            field="path", hint=_("ファイル名の最後を .xlsx か .csv にしてください。"),
        )
    enc = encoding or "utf-8-sig"
    if enc not in ("cp932", "utf-8-sig"):
        raise ValidationError(
            _("文字コード「{enc}」には対応していません。").format(enc=enc), field="encoding",
            hint=_("cp932（Shift_JIS）か utf-8-sig（BOM付きUTF-8）を選んでください。"),
        )
    with ctx.session() as s:
        rows = contact_rows(s, body_id=body_id, in_post_only=in_post_only)
        replaced, report = 0, _("すべての文字をそのまま書き出しました。")
        if suffix == ".xlsx":
            enc = "xlsx"
            write_xlsx(target, [SheetData(_("関係機関名簿"), EXPORT_HEADERS, rows)])
        else:
            result = write_csv(target, EXPORT_HEADERS, rows,
                               encoding="cp932" if enc == "cp932" else "utf-8-sig")
            replaced, report = len(result.problems), result.summary()
        audit.record(s, ctx.actor, "directory.export", "organization", [],
                     file=target.name, rows=len(rows), encoding=enc, replaced=replaced,
                     body_id=body_id)
        s.commit()
    return ExportResult(str(target), len(rows), enc, replaced, report)
