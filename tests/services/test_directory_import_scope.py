"""名簿の取り込み reads only the organizations its file names, with the same outcome.

People of other organizations are never matched anyway: reading the whole directory
gives the same plan.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import event

from pfdesk.services.directory import importer
from pfdesk.services.directory.importer import import_contacts, preview_contacts_import
from pfdesk.services.directory.people import get_person, list_people

HEADER = ["機関名", "部署", "役職", "氏名", "ふりがな", "電話番号"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buf.getvalue().encode("cp932"))
    return path


class _Everything:
    """Stands for "every organization is named": the whole directory is read, as before."""

    def __contains__(self, _key: object) -> bool:
        return True


@pytest.fixture()
def directory(ctx, tmp_path):
    _csv(tmp_path / "first.csv", [
        ["みどり川町保健福祉課", "地域福祉係", "係長", "髙橋 一郎", "たかはし いちろう", ""],
        ["みどり川町保健福祉課", "地域福祉係", "主事", "伊藤 健", "いとう けん", ""],
        ["東雲県精神保健福祉センター", "相談課", "主任", "髙橋 一郎", "たかはし いちろう", ""],
        ["東雲県精神保健福祉センター", "相談課", "", "山本 花", "やまもと はな", ""],
        ["NPO法人つむぎ", "", "理事長", "西森 誠", "にしもり まこと", "0889-55-1111"],
        ["", "", "", "佐藤 正", "さとう ただし", ""],
    ])
    assert import_contacts(ctx, tmp_path / "first.csv").count("add") == 6
    return _csv(tmp_path / "second.csv", [
        ["みどり川町保健福祉課", "地域福祉係", "課長補佐", "高橋 一郎", "たかはし いちろう", ""],
        ["みどり川町保健福祉課", "地域福祉係", "主事", "伊東 健", "いとう けん", ""],
        ["", "", "", "佐藤 正", "さとう ただし", "090-1111-2222"],
        ["ＮＰＯ法人つむぎ", "", "理事長", "西森 誠", "にしもり まこと", "0889-55-2222"],
        ["新しい団体", "", "", "山本 花", "やまもと はな", ""],
    ])


def test_the_plan_is_the_same_as_with_the_whole_directory_read(ctx, directory, monkeypatch):
    for add_duplicates in (False, True):
        scoped = preview_contacts_import(ctx, directory, add_duplicates=add_duplicates)
        with monkeypatch.context() as m:
            m.setattr(importer._Plan, "_named_orgs", lambda self: _Everything())
            whole = preview_contacts_import(ctx, directory, add_duplicates=add_duplicates)
        assert scoped.rows == whole.rows
        assert not scoped.errors


def test_only_the_named_organizations_people_are_matched(ctx, directory):
    preview = preview_contacts_import(ctx, directory)
    rows = {r.row: r for r in preview.rows}
    assert rows[2].duplicate_of == "既存: 髙橋\u3000一郎（みどり川町保健福祉課）"
    assert rows[2].action == "update"  # a new title: a new post
    assert rows[3].review.startswith("要確認: 読みが同じ「伊藤\u3000健」")
    assert rows[4].duplicate_of == "既存: 佐藤\u3000正"  # the person without a post
    assert rows[5].duplicate_of == "既存: 西森\u3000誠（NPO法人つむぎ）"
    assert (rows[6].action, rows[6].duplicate_of) == ("add", "")  # 山本 of another place

    done = import_contacts(ctx, directory)
    assert [r.action for r in done.rows] == ["update", "add", "unchanged", "update", "add"]
    people = list_people(ctx)
    takahashi = [p for p in people if p.full_name == "髙橋\u3000一郎"]
    assert len(takahashi) == 2
    titles = sorted(sorted(p.title for p in get_person(ctx, x.id).posts) for x in takahashi)
    # The センター's 髙橋 keeps his one post; the 保健福祉課's got a second one.
    assert titles == [["主任"], ["係長", "課長補佐"]]
    assert sum(p.full_name == "山本\u3000花" for p in people) == 2


def test_new_organizations_are_inserted_once_and_not_updated_again(ctx, tmp_path):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith(("INSERT INTO organization", "UPDATE organization",
                                 "UPDATE person", "UPDATE post")):
            head = statement.split(" (")[0].split(" SET ")[0]
            statements.append(f"{head} phone" if " phone=" in statement else head)

    rows = [["NPO法人つむぎ", "", "理事長", "西森 誠", "にしもり まこと", "0889-55-1111"],
            ["NPO法人つむぎ", "", "", "森 修", "もり おさむ", "0889-55-2222"]]
    event.listen(ctx.store.engine, "before_cursor_execute", seen)
    try:
        import_contacts(ctx, _csv(tmp_path / "new.csv", rows))
        first = list(statements)
        statements.clear()
        rows[0][5] = "0889-55-3333"  # a stored post's phone changes: that one is updated
        import_contacts(ctx, _csv(tmp_path / "again.csv", rows))
    finally:
        event.remove(ctx.store.engine, "before_cursor_execute", seen)
    assert first == ["INSERT INTO organization"]  # and no UPDATE of what was just inserted
    assert statements == ["UPDATE post phone"]
