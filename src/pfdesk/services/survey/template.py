"""The questions of a 実態把握調査: a ready template the secretariat may adjust, and answer checks.

A survey keeps its questions as a dict ``key → {label, enabled, options, multiple}``.
性別, 年代 and 期間 use the code lists of returns (stored as keys); the other lists may be
edited per survey and are stored as the printed labels. Every list keeps その他 and 不明.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, PERIOD_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text

#: Questions with fixed code lists (answers stored as code keys).
CODED = ("sex", "age", "period")
#: Questions whose answer may name several options.
MULTIPLE = ("states", "triggers")
#: Every question in printed order.
ORDER = ("sex", "age", "family", "states", "period", "triggers", "support", "supporter",
         "knows_window", "remarks")
#: Options every adjustable list keeps.
ALWAYS = ("その他", "不明")

DEFAULT_QUESTIONS: dict[str, dict] = {
    "sex": {"label": "性別", "options": [lab for _k, lab in codes.SEXES.items]},
    "age": {"label": "年代", "options": [lab for _k, lab in AGE_BANDS]},
    "family": {"label": "家族構成", "options": [
        "単身", "親と同居", "配偶者・子と同居", "きょうだいと同居", "三世代同居", "その他", "不明"]},
    "states": {"label": "状態（複数可）", "options": [
        "自室からほとんど出ない", "自宅からほとんど出ない", "近所のコンビニ等には出かける",
        "趣味の用事のときだけ外出する", "家族以外との交流がほとんどない", "その他", "不明"]},
    "period": {"label": "期間", "options": [lab for _k, lab in PERIOD_BANDS]},
    "triggers": {"label": "きっかけ（複数可）",
                 "options": [lab for _k, lab in codes.TRIGGERS.items]},
    "support": {"label": "現在の支援", "options": [
        "支援を受けている", "支援を受けていない", "その他", "不明"]},
    "supporter": {"label": "支援している機関・人", "options": [
        "町の窓口", "社会福祉協議会", "医療機関", "民間支援団体（NPO等）", "家族会・当事者会",
        "民生委員・児童委員", "その他", "不明"]},
    "knows_window": {"label": "世帯が相談窓口を知っているか", "options": [
        "知っている", "知らない", "その他", "不明"]},
    "remarks": {"label": "備考（氏名・住所など個人が特定できることは書かないでください）",
                "options": []},
}


def default_questions() -> dict[str, dict]:
    """A fresh copy of the template, every question asked."""
    out = copy.deepcopy(DEFAULT_QUESTIONS)
    for key, q in out.items():
        q["enabled"] = True
        q["multiple"] = key in MULTIPLE
    return out


def normalize_questions(raw: dict | None) -> dict[str, dict]:
    """The template with ``raw``'s adjustments: labels, asked or not, edited option lists.

    Coded lists (性別, 年代, 期間) cannot be edited: returns count them by code.
    """
    out = default_questions()
    for key, q in (raw or {}).items():
        if key not in out or not isinstance(q, dict):
            continue
        target = out[key]
        label = clean_text(q.get("label", ""))
        if label:
            target["label"] = label
        target["enabled"] = bool(q.get("enabled", True))
        if key not in CODED and key != "remarks" and q.get("options") is not None:
            options = [clean_text(o) for o in q["options"] if clean_text(o)]
            options = list(dict.fromkeys(o for o in options if o not in ALWAYS))
            if not options:
                raise ValidationError(
                    _("「{label}」の選択肢を1つ以上入力してください。").format(
                        label=target["label"]), field=key)
            target["options"] = options + list(ALWAYS)
    for key in ("sex", "age", "period"):
        out[key]["enabled"] = True  # 性別・年代・期間 are what every report counts
    return out


def option_keys(key: str) -> list[tuple[str, str]]:
    """(stored value, label) pairs of a question's fixed code list."""
    if key == "sex":
        return [(k, lab) for k, lab in codes.SEXES]
    if key == "age":
        return [(k, _(lab)) for k, lab in AGE_BANDS]
    if key == "period":
        return [(k, _(lab)) for k, lab in PERIOD_BANDS]
    raise KeyError(key)


def coded_label(key: str, value: str) -> str:
    """The printed label of a coded answer (性別, 年代, 期間)."""
    return dict(option_keys(key)).get(value, value)


@dataclass(frozen=True)
class PersonAnswer:
    """One anonymous person as reported: codes for 性別・年代・期間, labels for the rest."""

    sex: str = "unknown"
    age_band: str = "unknown"
    family: str = ""
    states: tuple[str, ...] = field(default_factory=tuple)
    period: str = "unknown"
    triggers: tuple[str, ...] = field(default_factory=tuple)
    support: str = ""
    supporter: str = ""
    knows_window: str = ""
    remarks: str = ""


_FIELD_OF = {"sex": "sex", "age": "age_band", "period": "period", "family": "family",
             "states": "states", "triggers": "triggers", "support": "support",
             "supporter": "supporter", "knows_window": "knows_window"}


def _coded(key: str, value: str) -> str | None:
    text = clean_text(value)
    for k, lab in option_keys(key):
        if text in (k, lab):
            return k
    return None if text else "unknown"


def split_multi(value: str | tuple | list) -> list[str]:
    """「自室から…、その他」 → its options (separated by 、 , ， / ／ or line breaks)."""
    if isinstance(value, (tuple, list)):
        parts = list(value)
    else:
        import re

        parts = re.split(r"[、,，/／\n]+", value or "")
    return [clean_text(p) for p in parts if clean_text(p)]


def check_answer(questions: dict[str, dict], raw: PersonAnswer) -> tuple[PersonAnswer, list[
        tuple[str, str]]]:
    """The answer cleaned, and problems as (question label, message); labels or keys accepted."""
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    for key in ORDER:
        if key == "remarks":
            values["remarks"] = clean_text(raw.remarks)
            continue
        q = questions[key]
        attr = _FIELD_OF[key]
        given = getattr(raw, attr)
        if key in CODED:
            code = _coded(key, str(given))
            if code is None:
                problems.append((q["label"], _("「{v}」は選べません。{opts} から選んでください。").format(
                    v=given, opts="・".join(lab for _k, lab in option_keys(key)))))
                code = "unknown"
            values[attr] = code
            continue
        if not q.get("enabled", True):
            values[attr] = () if key in MULTIPLE else ""
            continue
        chosen = split_multi(given) if key in MULTIPLE else (
            [clean_text(str(given))] if clean_text(str(given)) else [])
        bad = [c for c in chosen if c not in q["options"]]
        if bad:
            problems.append((q["label"], _("「{v}」は選べません。{opts} から選んでください。").format(
                v="、".join(bad), opts="・".join(q["options"]))))
        if len(chosen) > 1 and key not in MULTIPLE:
            problems.append((q["label"], _("選べるのは1つです。")))
        good = [c for c in chosen if c in q["options"]]
        values[attr] = tuple(dict.fromkeys(good)) if key in MULTIPLE else (
            good[0] if good else "")
    return PersonAnswer(**values), problems  # type: ignore[arg-type]
