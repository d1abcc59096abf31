"""Attached files on a server store: attached on one PC, opened on another.

The stored bytes go to the database with the record that lists them; another PC
fetches them when the file is opened, and migrate-store carries them both ways.
"""

from __future__ import annotations

import shutil

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import agenda, meetings
from pfdesk.store.pg import open_server_store
from tests.services.test_retention import cases  # noqa: F401 - fixture


def _first_item(ctx) -> int:
    meeting = meetings.list_meetings(ctx, fy=2026)[0]
    return agenda.list_agenda(ctx, meeting.id)[0].id


def test_a_file_attached_on_one_pc_opens_on_another(demo_ctx, tmp_path):
    pdf = tmp_path / "相談受付状況.pdf"
    pdf.write_bytes(b"%PDF-1.4 shared between PCs")
    material = agenda.attach_file(demo_ctx, _first_item(demo_ctx), pdf, title="相談受付状況")

    other = open_server_store(DataPaths(tmp_path / "pc2"), demo_ctx.store.engine.url)
    try:
        pc2 = ServiceContext(store=other, actor=demo_ctx.actor)
        path = agenda.material_path(pc2, material)
        assert path.is_relative_to(tmp_path / "pc2")  # fetched into PC 2's own folder
        assert path.read_bytes() == b"%PDF-1.4 shared between PCs"
    finally:
        other.close()
    # A PC starting later has the file before it is asked for.
    late = open_server_store(DataPaths(tmp_path / "pc3"), demo_ctx.store.engine.url)
    late.close()
    assert [p.read_bytes() for p in (tmp_path / "pc3" / "attachments").iterdir()] == [
        b"%PDF-1.4 shared between PCs"]


def test_migrate_store_carries_the_files_both_ways(pg_cluster, demo_template, tmp_path,
                                                   capsys):
    from pfdesk.services.context import Actor
    from pfdesk.store.engine import open_store

    town = tmp_path / "town"
    shutil.copytree(demo_template, town)
    store = open_store(DataPaths(town))
    try:
        ctx = ServiceContext(store=store, actor=Actor.local_admin())
        pdf = tmp_path / "名簿.pdf"
        pdf.write_bytes(b"%PDF-1.4 the town's file")
        material = agenda.attach_file(ctx, _first_item(ctx), pdf, title="名簿")
    finally:
        store.close()

    pg_cluster.execute("CREATE DATABASE with_files")
    url = pg_cluster.url("with_files").render_as_string(hide_password=False)
    assert main(["--demo", "--data-dir", str(town), "migrate-store", "--to", url]) == 0
    assert "添付ファイル: 1 件" in capsys.readouterr().out

    server = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url("with_files"))
    try:
        pc = ServiceContext(store=server, actor=Actor.local_admin())
        assert agenda.material_path(pc, material).read_bytes() == b"%PDF-1.4 the town's file"
    finally:
        server.close()

    back = tmp_path / "back"
    assert main(["--demo", "--data-dir", str(tmp_path / "pc2"), "--database-url", url,
                 "migrate-store", "--to-folder", str(back)]) == 0
    assert "添付ファイル: 1 件" in capsys.readouterr().out
    again = open_store(DataPaths(back))
    try:
        ctx = ServiceContext(store=again, actor=Actor.local_admin())
        assert agenda.material_path(ctx, material).read_bytes() == b"%PDF-1.4 the town's file"
    finally:
        again.close()


def test_disposal_removes_the_servers_copy_too(ctx, cases):  # noqa: F811
    from sqlalchemy import select

    from pfdesk.store.models import AttachmentBlob
    from tests.services.test_retention import (
        test_disposal_removes_the_case_from_meeting_text_and_attachments as disposal,
    )

    with ctx.session() as s:  # the case item's file, as another PC attached it
        s.add(AttachmentBlob(stored_name="case.pdf", data=b"%PDF-1.4 case"))
        s.add(AttachmentBlob(stored_name="other.pdf", data=b"%PDF-1.4 other"))
        s.commit()
    disposal(ctx, cases)
    with ctx.session() as s:
        assert list(s.scalars(select(AttachmentBlob.stored_name))) == ["other.pdf"]
