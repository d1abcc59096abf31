"""Sealed identities: a 閲覧者's password opens the store, not the names in it (issue 12, item 3).

The attack of the issue, replayed: everything a 閲覧者 can unwrap with their own password
(the store key K1 and whatever identity key keys.json gives them) applied to every file
in the data folder, and the decrypted bytes searched for the demo town's names.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from datetime import date

import pytest

from pfdesk.core.errors import KnownError
from pfdesk.core.kana import fold
from pfdesk.services import accounts
from pfdesk.services.backup import plaintext_backups, shred_plaintext_backups
from pfdesk.services.consultations.cases import get_case
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.context import ServiceContext
from pfdesk.services.encryption import encrypt_store, seal_identities
from pfdesk.services.stats import consultation_stats, stats_to_dict
from pfdesk.store import crypto, vault
from pfdesk.store.engine import open_store
from tests.security_helpers import (  # noqa: F401
    PASSWORD,
    cheap_hashing,
    encrypt_unsealed,
    fast_kdf,
    make_user,
    signed_in,
)

FY = (date(2025, 4, 1), date(2026, 3, 31))


def _identities(store) -> dict[str, set[str]]:
    """The demo cases' names, readings, addresses and phone numbers, read from the plain file.

    Names the directory also holds (a member organization's staff member who happens to
    share a name, or part of one, with a case in the generated town) are public and left out.
    """
    con = sqlite3.connect(store.paths.store)
    try:
        rows = con.execute(
            "SELECT family_name, given_name, family_kana, given_kana, address, phone, birth_date"
            " FROM consultation_case").fetchall()
        directory = [t for (t,) in con.execute("SELECT search_text FROM person")]
        public = {n for n in (a + b for a, b, _c, _d, _e, _f, _g in rows)
                  if any(fold(n) in t for t in directory)}
        public |= {n for n in (c + d for _a, _b, c, d, _e, _f, _g in rows)
                   if any(fold(n) in t for t in directory)}
    finally:
        con.close()
    found: dict[str, set[str]] = {"name": set(), "kana": set(), "address": set(),
                                  "phone": set(), "birth": set()}
    for fn, gn, fk, gk, addr, phone, birth in rows:
        if fn and gn and fn + gn not in public:
            found["name"].add(fn + gn)
        if fk and gk and fk + gk not in public:
            found["kana"].add(fk + gk)
        if addr and len(addr) >= 6:
            found["address"].add(addr)
        if phone:
            found["phone"].add(phone)
        if birth:
            found["birth"].add(birth)
    return found


def _hits(data: bytes, identities: dict[str, set[str]]) -> dict[str, list[str]]:
    """The identities found in ``data`` (as typed or without spaces), by kind."""
    text = data.decode("utf-8", errors="ignore")
    # The readable runs, each once (a store file is mostly binary and repeats itself).
    runs = "\n".join(set(re.findall(r"[^\x00-\x1f\x7f-\x9f]{2,}", text)))
    compact = runs.replace(" ", "").replace("\u3000", "")
    found = {kind: sorted(v for v in values if v in compact or v in runs)
             for kind, values in identities.items()}
    return {kind: values for kind, values in found.items() if values}


def _plain_bytes_for(path, key: bytes, tmp_path) -> bytes:
    """Every byte of the SQLCipher file ``path`` decrypted with ``key`` (a plain export)."""
    out = tmp_path / f"plain-{path.name}-{abs(hash(str(path)))}.sqlite3"
    crypto.export_copy(path, out, source_key=key, dest_key=None)
    return out.read_bytes()


@pytest.fixture
def sealed_town(demo_ctx, fast_kdf):  # noqa: F811 - fixture imported above
    """The demo town encrypted by an administrator, with a staff and a viewer account."""
    identities = _identities(demo_ctx.store)
    before = stats_to_dict(consultation_stats(demo_ctx, start=FY[0], end=FY[1]))
    make_user(demo_ctx, "yamada", "admin")
    admin = signed_in(demo_ctx, "yamada")
    recovery = encrypt_store(admin, "yamada", PASSWORD)
    make_user(admin, "tanaka", "staff")
    make_user(admin, "etsuran", "viewer")
    return admin, recovery, identities, before


def test_the_viewers_password_opens_no_identity_in_any_file(sealed_town, tmp_path):
    admin, _recovery, identities, _before = sealed_town
    assert sum(len(v) for v in identities.values()) > 600
    # The plain backup made before encrypting is offered for deletion, as the window does.
    plain = plaintext_backups(admin)
    assert plain
    # The scan does find identities where they are readable: the plain backup.
    with zipfile.ZipFile(plain[0].path) as z:
        assert _hits(z.read("pfdesk.sqlite3"), identities)["name"]
    shred_plaintext_backups(admin)
    paths = admin.store.paths
    admin.store.checkpoint()
    kf = crypto.KeyFile.load(paths)
    k1 = kf.unwrap_user("etsuran", PASSWORD)
    assert kf.identity_key("etsuran", PASSWORD) is None
    # The staff member does get the identity key; the viewer's own grant does not exist.
    assert kf.identity_key("tanaka", PASSWORD) is not None
    assert not kf.is_granted("etsuran")

    scanned = 0
    for f in sorted(p for p in paths.root.rglob("*") if p.is_file()):
        data = f.read_bytes()
        if crypto.is_encrypted_file(f) and data[:16] != crypto.SQLITE_HEADER and \
                f.suffix in {".sqlite3", ""} and f.stat().st_size >= 1024 and "wal" not in f.name:
            try:
                data = _plain_bytes_for(f, k1, tmp_path)
            except crypto.WrongSecret:
                pass
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                for member in z.namelist():
                    inner = tmp_path / f"member-{scanned}"
                    inner.write_bytes(z.read(member))
                    body = inner.read_bytes()
                    if member.endswith(".sqlite3") and crypto.is_encrypted_file(inner):
                        body = _plain_bytes_for(inner, k1, tmp_path)
                    assert _hits(body, identities) == {}, f"{f.name}:{member}"
        assert _hits(data, identities) == {}, f.name
        scanned += 1
    assert scanned >= 3


def test_entitled_users_read_search_and_count_as_before(sealed_town):
    admin, _recovery, identities, before = sealed_town
    staff = signed_in(admin, "tanaka")
    page = search_cases(staff, CaseFilter(), sort="name", descending=False, limit=5)
    first = get_case(staff, page.rows[0].id)
    assert first.family_name and first.family_name + first.given_name in identities["name"]
    # Searching by a name (3+ and 2 characters) finds the case through the sealed texts.
    hit = search_cases(staff, CaseFilter(text=first.family_name + first.given_name))
    assert first.id in [r.id for r in hit.rows]
    two = search_cases(staff, CaseFilter(text=first.given_name[:2]))
    assert first.id in [r.id for r in two.rows]
    # The cells themselves are sealed in the file.
    with staff.session() as s:
        raw = s.connection().exec_driver_sql(
            "SELECT family_name, birth_date, search_text FROM consultation_case "
            "WHERE id = ?", (first.id,)).one()
    assert all(vault.is_sealed(v) for v in raw if v)
    # The figures do not depend on who reads them, and are those of the plain store.
    assert stats_to_dict(consultation_stats(staff, start=FY[0], end=FY[1])) == before
    assert stats_to_dict(consultation_stats(admin, start=FY[0], end=FY[1])) == before


def test_a_viewer_session_gets_no_identity_even_from_the_store_layer(sealed_town):
    admin, *_ = sealed_town
    viewer = signed_in(admin, "etsuran")
    from pfdesk.store.models import Case

    with viewer.session() as s:
        c = s.query(Case).filter(Case.birth_ym != "").first()
        assert c.family_name == "" and c.birth_date is None and c.address == ""
        assert c.birth_ym  # the month of birth stays for the figures
        c.phone = "090-0000-0000"
        with pytest.raises(KnownError, match="本人情報の鍵"):
            s.flush()


def test_promotion_and_demotion_follow_the_role(sealed_town):
    admin, *_ = sealed_town
    viewer_id = next(u.id for u in accounts.list_users(admin) if u.login_name == "etsuran")
    accounts.update_user(admin, viewer_id, display_name="etsuran さん", role="staff")
    kf = crypto.KeyFile.load(admin.store.paths)
    assert kf.identity_key("etsuran", PASSWORD) is not None
    accounts.update_user(admin, viewer_id, display_name="etsuran さん", role="viewer")
    assert crypto.KeyFile.load(admin.store.paths).identity_key("etsuran", PASSWORD) is None


def test_recovery_key_opens_identities_and_gives_them_to_the_new_password(sealed_town):
    admin, recovery, identities, _ = sealed_town
    paths = admin.store.paths
    admin.store.close()
    store = accounts.recover_with_key(paths, recovery, "yamada", "new-" + PASSWORD)
    store.close()
    store = open_store(paths, key=accounts.unlock_store_key(paths, "yamada", "new-" + PASSWORD))
    try:
        ctx = ServiceContext(store, accounts.login(store, "yamada", "new-" + PASSWORD))
        page = search_cases(ctx, CaseFilter(), limit=3)
        assert any(r.name.replace("\u3000", "") in identities["name"] for r in page.rows)
    finally:
        store.close()


def test_a_store_encrypted_earlier_is_sealed_on_request(demo_ctx, fast_kdf):  # noqa: F811
    identities = _identities(demo_ctx.store)
    make_user(demo_ctx, "yamada", "admin")
    admin = signed_in(demo_ctx, "yamada")
    encrypt_unsealed(admin, "yamada")  # as an earlier pfdesk did it
    make_user(admin, "tanaka", "staff")
    assert not crypto.KeyFile.load(admin.store.paths).sealed
    result = seal_identities(admin, "yamada", PASSWORD)
    assert result.cells > 1000 and result.recovery_key
    assert "yamada" in result.granted and "tanaka" in result.granted
    with pytest.raises(KnownError, match="すでに"):
        seal_identities(admin, "yamada", PASSWORD)
    # The backups made before the sealing are offered for deletion; the new one is sealed.
    old = plaintext_backups(admin)
    assert old
    shred_plaintext_backups(admin)
    staff = signed_in(admin, "tanaka")
    page = search_cases(staff, CaseFilter(), limit=3)
    assert any(r.name.replace("\u3000", "") in identities["name"] for r in page.rows)


def test_the_command_seals_a_store_encrypted_earlier(demo_ctx, fast_kdf, monkeypatch,  # noqa: F811
                                                      capsys):
    from pfdesk.__main__ import main

    make_user(demo_ctx, "yamada", "admin")
    admin = signed_in(demo_ctx, "yamada")
    encrypt_unsealed(admin, "yamada")
    accounts.change_own_password(admin, PASSWORD, "own-" + PASSWORD)
    root = str(admin.store.paths.root)
    admin.store.close()
    monkeypatch.setenv("PFDESK_PASSWORD", "own-" + PASSWORD)
    assert main(["--data-dir", root, "--user", "yamada", "encrypt", "--seal-identities"]) == 0
    out = capsys.readouterr().out
    assert "暗号化しました" in out and "回復キー" in out
    assert crypto.KeyFile.load(admin.store.paths).sealed
    # A second time is refused with a plain message, not a traceback.
    assert main(["--data-dir", root, "--user", "yamada", "encrypt", "--seal-identities"]) == 2
    assert "すでに" in capsys.readouterr().err


def test_case_items_of_closed_meetings_are_sealed_and_read_by_entitled_users(sealed_town):
    admin, *_ = sealed_town
    from pfdesk.services.meetings.minutes import add_decision, get_minutes, save_summary

    with admin.session() as s:
        con = s.connection()
        closed = con.exec_driver_sql(
            "SELECT a.id, a.meeting_id, a.summary FROM agenda_item a JOIN meeting m "
            "ON m.id = a.meeting_id JOIN body b ON b.id = m.body_id WHERE a.case_id IS NOT NULL"
            " AND b.kind IN ('support_meeting', 'case_conference') AND a.summary != ''").all()
        open_ = con.exec_driver_sql(
            "SELECT a.summary FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id "
            "JOIN body b ON b.id = m.body_id WHERE b.kind = 'plenary' AND a.summary != ''"
        ).scalars().all()
    assert closed and open_
    assert all(vault.is_sealed(row[2]) for row in closed)
    assert not any(vault.is_sealed(v) for v in open_)  # a 全体会's minutes stay as they are
    item_id, meeting_id, _cell = closed[0]
    staff = signed_in(admin, "tanaka")
    shown = next(i for i in get_minutes(staff, meeting_id).items if i.agenda.id == item_id)
    assert shown.agenda.summary and not vault.is_sealed(shown.agenda.summary)
    # What a staff member types now is sealed on its way to the file, and reads back as typed.
    save_summary(staff, item_id, "本人と面談し、来月から通所を始める。")
    add_decision(staff, item_id, "来月の会議で経過を確認する。")
    with admin.session() as s:
        raw = s.connection().exec_driver_sql(
            "SELECT summary FROM agenda_item WHERE id = ?", (item_id,)).scalar()
        decisions = s.connection().exec_driver_sql(
            "SELECT text FROM decision WHERE agenda_item_id = ?", (item_id,)).scalars().all()
    assert vault.is_sealed(raw) and all(vault.is_sealed(d) for d in decisions)
    again = next(i for i in get_minutes(staff, meeting_id).items if i.agenda.id == item_id)
    assert again.agenda.summary == "本人と面談し、来月から通所を始める。"
    assert "来月の会議で経過を確認する。" in [d.text for d in again.decisions]


def test_a_case_items_file_opens_only_with_the_identity_key(sealed_town, tmp_path):
    admin, *_ = sealed_town
    from pfdesk.core.errors import PermissionDenied
    from pfdesk.services.meetings.agenda import attach_file, material_path
    from pfdesk.store import attachment_files

    with admin.session() as s:
        item_id = s.connection().exec_driver_sql(
            "SELECT a.id FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id JOIN body b"
            " ON b.id = m.body_id WHERE a.case_id IS NOT NULL AND b.kind = 'support_meeting'"
        ).scalars().first()
    note = tmp_path / "経過メモ.csv"
    phrase = "通所先の見学に同行した。次回は家族面談。"
    note.write_text(f"日付,内容\n2026-11-20,{phrase}\n", encoding="utf-8")
    staff = signed_in(admin, "tanaka")
    material_id = attach_file(staff, item_id, note, title="経過メモ")
    paths = admin.store.paths
    with admin.session() as s:
        stored = s.connection().exec_driver_sql(
            "SELECT stored_name FROM material WHERE id = ?", (material_id,)).scalar()
    blob = (paths.attachments / stored).read_bytes()
    # The store key's layer opens to the identity layer, not to the text.
    inner = attachment_files.unseal(blob, admin.store.key)
    assert inner.startswith(attachment_files.ID_MAGIC)
    assert phrase.encode() not in inner
    # The staff member opens it; a viewer is refused before anything is decrypted.
    assert phrase in material_path(staff, material_id).read_text(encoding="utf-8")
    viewer = signed_in(admin, "etsuran")
    with pytest.raises(PermissionDenied):
        material_path(viewer, material_id)


def test_drafts_typed_by_entitled_users_are_sealed(sealed_town):
    admin, *_ = sealed_town
    from pfdesk.services.drafts import load_draft, save_draft

    staff = signed_in(admin, "tanaka")
    save_draft(staff, "contact:new:1", "母親から電話。本人は吉田さんの家に行った。")
    assert load_draft(staff, "contact:new:1").text.startswith("母親から電話")
    viewer = signed_in(admin, "etsuran")
    save_draft(viewer, "note", "全体会の感想")
    assert load_draft(viewer, "note").text == "全体会の感想"
    with admin.session() as s:
        rows = dict(s.connection().exec_driver_sql(
            "SELECT user_name, text FROM draft").all())
    assert vault.is_sealed(rows["tanaka"]) and rows["etsuran"] == "全体会の感想"


def test_a_returning_person_is_still_recognised_at_intake(sealed_town):
    admin, *_ = sealed_town
    from pfdesk.services.consultations.same_person import possible_same_person

    staff = signed_in(admin, "tanaka")
    page = search_cases(staff, CaseFilter(), limit=50)
    known = next(get_case(staff, r.id) for r in page.rows
                 if get_case(staff, r.id).birth_date is not None)
    by_birth = possible_same_person(staff, known.family_kana, known.given_kana, known.birth_date)
    assert known.id in [c.case_id for c in by_birth]
    by_name = possible_same_person(staff, known.family_kana, known.given_kana, None,
                                   known.family_name, known.given_name)
    assert known.id in [c.case_id for c in by_name]


def test_renewing_the_identity_key_shuts_out_a_former_holder(sealed_town):
    admin, recovery, identities, _ = sealed_town
    from pfdesk.services.encryption import renew_identity_key
    from pfdesk.store.models import Case

    viewer_id = next(u.id for u in accounts.list_users(admin) if u.login_name == "etsuran")
    accounts.update_user(admin, viewer_id, display_name="etsuran さん", role="staff")
    kf = crypto.KeyFile.load(admin.store.paths)
    taken = kf.identity_key("etsuran", PASSWORD)  # what a staff member could copy away
    assert taken is not None
    accounts.update_user(admin, viewer_id, display_name="etsuran さん", role="viewer")
    holders = renew_identity_key(admin, "yamada", PASSWORD)
    assert "yamada" in holders and "tanaka" in holders and "etsuran" not in holders
    with admin.session() as s:
        cells = s.connection().exec_driver_sql(
            "SELECT family_name FROM consultation_case WHERE family_name != ''").scalars().all()
    assert cells and all(vault.is_sealed(c) for c in cells)
    with pytest.raises(KnownError):
        vault.open_text(cells[0], taken)
    # Everyone entitled reads on; the recovery key opens the new key too.
    staff = signed_in(admin, "tanaka")
    assert get_case(staff, search_cases(staff, CaseFilter(), limit=1).rows[0].id).family_name
    assert crypto.KeyFile.load(admin.store.paths).recovery_identity_key(recovery) == \
        vault.state(admin.store.engine).key
    # Backups sealed under the old key are offered for deletion.
    assert any(e.path.suffix == ".zip" for e in plaintext_backups(admin))
    with admin.session() as s:
        assert s.query(Case).filter(Case.family_name != "").count() == len(cells)


def test_an_interrupted_renewal_loses_nothing_and_finishes_when_run_again(sealed_town,
                                                                         monkeypatch):
    admin, *_ = sealed_town
    from pfdesk.services.encryption import renew_identity_key

    staff = signed_in(admin, "tanaka")
    case_id = search_cases(staff, CaseFilter(), limit=1).rows[0].id
    name = get_case(staff, case_id).family_name

    def crash(*_a, **_k):
        raise OSError("power cut")

    monkeypatch.setattr(vault, "reseal", crash)
    with pytest.raises(OSError):
        renew_identity_key(admin, "yamada", PASSWORD)
    monkeypatch.undo()
    # keys.json already names the new key; the cells are still under the old one.
    paths = admin.store.paths
    admin.store.close()
    store = open_store(paths, key=accounts.unlock_store_key(paths, "tanaka", PASSWORD))
    try:
        staff = ServiceContext(store, accounts.login(store, "tanaka", PASSWORD))
        assert get_case(staff, case_id).family_name == name
        admin = ServiceContext(store, accounts.login(store, "yamada", PASSWORD))
        renew_identity_key(admin, "yamada", PASSWORD)
        assert get_case(staff, case_id).family_name == name
        with store.session() as s:
            cell = s.connection().exec_driver_sql(
                "SELECT family_name FROM consultation_case WHERE id = ?", (case_id,)).scalar()
        assert vault.open_text(cell, vault.state(store.engine).key)
    finally:
        store.close()


def test_a_sealed_store_is_not_copied_to_a_server_where_no_key_could_open_it(sealed_town):
    admin, *_ = sealed_town
    from pfdesk.services.shared_store import copy_to_server

    with pytest.raises(KnownError, match="本人情報を別の鍵で暗号化したデータ"):
        copy_to_server(admin, "postgresql://pfdesk@localhost/pfdesk")
