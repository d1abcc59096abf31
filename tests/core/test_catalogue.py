"""The message catalogues: every visible string has its English translation, one command keeps them."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from pfdesk.core.catalogue import extract, fields_of, messages_in, mo_bytes, update

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `python -m pfdesk.core.catalogue` and translate the new strings in resources/locale/en"


def test_every_visible_string_is_in_the_catalogues_and_translated():
    report = update(ROOT, check=True)
    assert not report.untranslated, f"{FIX}:\n" + "\n".join(report.untranslated[:30])
    assert not report.bad_fields, "a translation lost a {field}:\n" + "\n".join(report.bad_fields)
    assert not report.stale, f"{FIX}: out of date: {report.stale}"


def test_extraction_finds_wrapped_strings_code_labels_and_marked_tables():
    source = (
        'from pfdesk.core.i18n import _, N_\n'
        'x = _("保存")\n'
        'y = _("つなぎ" "の追加")\n'
        'LIST = _cl("性別", ("female", "女性"), ("male", "男性"))\n'
        'TABLE = {"a": N_("資料名")}\n'
        'z = _(variable)\n'
    )
    found = [text for text, _line in messages_in(source, "x.py")]
    assert found == ["保存", "つなぎの追加", "女性", "男性", "資料名"]
    assert len(extract(ROOT / "src" / "pfdesk")) > 2500


def test_compiled_catalogue_is_read_by_gettext_and_keeps_fields():
    data = mo_bytes({"監査ログ {n} 件": "{n} audit log entries", "未訳": ""})
    t = gettext.GNUTranslations(io.BytesIO(data))
    assert t.gettext("監査ログ {n} 件").format(n=3) == "3 audit log entries"
    assert t.gettext("未訳") == "未訳"  # untranslated: the Japanese stays
    assert fields_of("{n}件（{d:%Y-%m-%d}）") == ["{d:%Y-%m-%d}", "{n}"]
