"""Code lists of the support cycle (アセスメント, 支援計画, 評価): keys stored, labels shown.

Kept apart from ``core.codes`` because they belong to one area. Following the 2025
handbook 「寄り添うための羅針盤」, nothing here measures a duration of withdrawal, a
family-only assessment is as valid as one with 本人, and outcomes are not employment.
"""

from __future__ import annotations

from pfdesk.core.codes import CodeList


def _cl(name: str, *pairs: tuple[str, str]) -> CodeList:
    return CodeList(name, tuple(pairs))


#: Whom the assessment rests on: 本人 met, or the family only (本人 not yet reached).
ASSESSMENT_BASES = _cl(
    "アセスメントの対象",
    ("person", "本人と面接"),
    ("person_family", "本人と家族"),
    ("family_only", "家族のみ（本人未接触）"),
    ("agency", "関係機関からの情報"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: 外出の状況 (social participation), the scale of the national surveys.
OUTING_LEVELS = _cl(
    "外出の状況",
    ("room", "自室からほとんど出ない"),
    ("home", "自室からは出るが家からは出ない"),
    ("nearby", "近所のコンビニなどには出かける"),
    ("interest", "趣味の用事のときだけ外出する"),
    ("regular", "普段から外出する"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: 健康 (coded for the figures; the detail is free text).
HEALTH_STATES = _cl(
    "健康・受診の状況",
    ("treated", "通院・治療中"),
    ("untreated", "受診していないが気になる症状がある"),
    ("none", "特に問題はない"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: リスク found at assessment (several may apply).
RISKS = _cl(
    "リスク",
    ("suicide", "自殺・自傷のおそれ"),
    ("violence", "家庭内暴力"),
    ("abuse", "虐待・ネグレクト"),
    ("poverty", "生活困窮"),
    ("health", "健康状態の悪化"),
    ("family_aging", "家族の高齢化・病気（8050）"),
    ("isolation", "孤立"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: 緊急度, also shown in the 進行管理台帳.
URGENCY = _cl(
    "緊急度",
    ("high", "高（早急な対応が必要）"),
    ("medium", "中"),
    ("low", "低"),
    ("unknown", "不明"),
)

#: Term of a plan goal.
GOAL_TERMS = _cl("目標の期間", ("short", "短期目標"), ("long", "長期目標"))

#: Who agreed to the plan (本人's agreement; the family's when 本人 is not reached).
PLAN_AGREEMENTS = _cl(
    "計画への同意",
    ("person", "本人が同意"),
    ("family", "家族が同意（本人未接触）"),
    ("pending", "未同意（説明中）"),
)

#: Result of one goal at a review.
GOAL_RESULTS = _cl(
    "目標の評価",
    ("achieved", "達成"),
    ("partly", "一部達成"),
    ("not", "未達成"),
    ("changed", "目標を変更"),
)

#: Outcomes seen at a review: not employment only (several may apply).
OUTCOMES = _cl(
    "支援の成果",
    ("ibasho", "居場所の利用"),
    ("outing", "外出ができるようになった"),
    ("family", "家族関係の改善"),
    ("medical", "医療・福祉につながった"),
    ("continuing", "相談が継続している"),
    ("daily_life", "生活リズムの改善"),
    ("education", "就学・復学・学び直し"),
    ("employment", "就労・就労体験"),
    ("other", "その他"),
)

#: A case-reviewing meeting's finding on an open case (進行管理).
FINDINGS = _cl(
    "進行管理の所見",
    ("continue", "継続"),
    ("revise", "見直し"),
    ("close_candidate", "終結候補"),
    ("support_meeting", "支援会議へ"),
)

#: 地域課題 the secretariat starts with; it adds its own (kept in a setting).
AREA_ISSUES = _cl(
    "地域課題",
    ("ibasho_lack", "居場所の不足"),
    ("transport", "移動手段がない"),
    ("family_aging", "家族の高齢化（8050）"),
    ("awareness", "相談窓口が知られていない"),
    ("work_experience", "就労体験・中間的就労の場の不足"),
    ("medical_link", "医療機関との連携"),
    ("young_adult_gap", "18歳以降の支援の切れ目"),
    ("other", "その他"),
)
