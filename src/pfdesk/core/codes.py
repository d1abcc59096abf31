"""The code lists of the domain (DOMAIN.md): stable ASCII keys with Japanese labels.

Keys are stored in the database and in exports of coded data; labels are what
users see and print. Every list that classifies people or contacts carries
``other`` (その他) and ``unknown`` (不明).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pfdesk.core.i18n import _


@dataclass(frozen=True)
class CodeList:
    """An ordered list of (key, label) pairs."""

    name: str
    items: tuple[tuple[str, str], ...]

    def label(self, key: str | None) -> str:
        """The label for ``key``; unknown keys are shown as they are, None as empty."""
        if key is None:
            return ""
        for k, v in self.items:
            if k == key:
                return _(v)
        return key

    def keys(self) -> list[str]:
        """All keys in display order."""
        return [k for k, _v in self.items]

    def labels(self) -> list[str]:
        """All labels in display order."""
        return [_(v) for _k, v in self.items]

    def key_for(self, text: str) -> str | None:
        """The key whose label or key equals ``text`` (for imports); None if none does."""
        t = (text or "").strip()
        for k, v in self.items:
            if t in (k, v, _(v)):
                return k
        return None

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _v in self.items)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((k, _(v)) for k, v in self.items)

    def __len__(self) -> int:
        return len(self.items)


def _cl(name: str, *pairs: tuple[str, str]) -> CodeList:
    return CodeList(name, tuple(pairs))


# --- directory -------------------------------------------------------------

#: 分野 of a member organization (R3.10.1 notice adds 教育, 農業, 商工, 就労支援,
#: 子ども・若者支援, 消費者).
FIELDS = _cl(
    "分野",
    ("government", "行政"),
    ("welfare", "福祉"),
    ("health", "保健・医療"),
    ("mental_health", "精神保健"),
    ("education", "教育"),
    ("youth", "子ども・若者支援"),
    ("employment", "就労支援"),
    ("commerce", "商工・経済"),
    ("agriculture", "農業"),
    ("consumer", "消費者"),
    ("safety", "警察・消防・司法"),
    ("community", "地域"),
    ("peer", "当事者・家族"),
    ("private", "民間支援団体"),
    ("other", "その他"),
)

#: 種別 of a member organization (typical members listed in DOMAIN.md).
ORG_KINDS = _cl(
    "種別",
    ("municipal_lead", "市区町村の担当部局"),
    ("municipal_section", "庁内関係課"),
    ("hikikomori_center", "ひきこもり地域支援センター"),
    ("mental_health_center", "精神保健福祉センター"),
    ("health_center", "保健所・保健センター"),
    ("social_welfare_council", "社会福祉協議会"),
    ("welfare_commissioner", "民生委員・児童委員"),
    ("self_reliance", "自立相談支援機関"),
    ("community_care", "地域包括支援センター"),
    ("disability_service", "障害福祉サービス事業者"),
    ("elderly_service", "高齢福祉サービス事業者"),
    ("medical", "医療機関"),
    ("hello_work", "ハローワーク"),
    ("saposute", "地域若者サポートステーション"),
    ("chamber", "商工会・経済団体"),
    ("school", "学校"),
    ("board_of_education", "教育委員会"),
    ("police", "警察"),
    ("fire", "消防"),
    ("law_office", "法律事務所"),
    ("family_group", "当事者会・家族会"),
    ("npo", "NPO法人"),
    ("prefecture_labor", "都道府県労働部局"),
    ("child_guidance", "児童相談所"),
    ("agriculture", "農業関係団体"),
    ("consumer_center", "消費生活センター"),
    ("company", "企業"),
    ("other", "その他"),
)

#: 役職 in a 会議体.
BODY_ROLES = _cl(
    "役職",
    ("chair", "会長"),
    ("vice_chair", "副会長"),
    ("member", "委員"),
    ("secretariat", "事務局"),
    ("observer", "オブザーバー"),
)

# --- consultations ----------------------------------------------------------

SEXES = _cl("性別", ("male", "男性"), ("female", "女性"), ("other", "その他"), ("unknown", "不明"))

REQUESTERS = _cl(
    "相談者区分",
    ("self", "本人"),
    ("family", "家族"),
    ("agency", "関係機関・支援者"),
    ("commissioner", "民生委員"),
    ("other", "その他"),
    ("unknown", "不明"),
)

METHODS = _cl(
    "方法",
    ("visit_office", "来所(面接)"),
    ("phone", "電話"),
    ("home_visit", "訪問"),
    ("email", "メール"),
    ("online", "オンライン"),
    ("accompany", "同行"),
    ("other", "その他"),
    ("unknown", "不明"),
)

TOPICS = _cl(
    "相談内容",
    ("health", "病気や健康・障害"),
    ("housing", "住まい"),
    ("income", "収入・生活費"),
    ("debt", "債務"),
    ("job_search", "仕事探し・就職"),
    ("work_anxiety", "仕事上の不安"),
    ("community", "地域との関係"),
    ("family", "家族との関係"),
    ("childcare", "子育て"),
    ("care", "介護"),
    ("withdrawal", "ひきこもり・不登校"),
    ("abuse", "DV・虐待"),
    ("other", "その他"),
    ("unknown", "不明"),
)

TRIGGERS = _cl(
    "きっかけ",
    ("school_refusal", "不登校"),
    ("mental_illness", "精神的な疾病またはその疑い"),
    ("relationships", "人間関係"),
    ("job_hunting", "就職活動の不調"),
    ("workplace", "職場になじめない"),
    ("illness", "病気"),
    ("other", "その他"),
    ("unknown", "不明"),
)

WORK_STATUSES = _cl(
    "就労・就学状況",
    ("employed", "就労中"),
    ("part_time", "アルバイト・パート"),
    ("unemployed", "無職"),
    ("student", "在学中"),
    ("leave", "休職・休学中"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: 相談経路: the kind of channel that caught the case (the organization itself is
#: kept separately when known).
ROUTES = _cl(
    "相談経路",
    ("direct", "本人・家族から直接"),
    ("municipal", "市区町村窓口"),
    ("welfare_office", "福祉事務所"),
    ("social_welfare_council", "社会福祉協議会"),
    ("self_reliance", "自立相談支援機関"),
    ("community_care", "地域包括支援センター"),
    ("health_center", "保健所・保健センター"),
    ("medical", "医療機関"),
    ("school", "学校・教育委員会等"),
    ("commissioner", "民生委員・児童委員"),
    ("hello_work", "ハローワーク"),
    ("saposute", "地域若者サポートステーション"),
    ("npo", "民間支援団体(当事者団体・NPO法人等)"),
    ("service_provider", "福祉サービス事業者"),
    ("other", "その他"),
    ("unknown", "不明"),
)

#: つなぎ先区分 used in national statistics.
REFERRAL_CATEGORIES = _cl(
    "つなぎ先区分",
    ("welfare_office", "福祉事務所"),
    ("municipal", "市区町村窓口"),
    ("social_welfare_council", "社会福祉協議会"),
    ("self_reliance", "自立相談支援機関"),
    ("community_care", "地域包括支援センター"),
    ("child_guidance", "児童相談所"),
    ("health_center", "保健所・保健センター"),
    ("mental_health_center", "精神保健福祉センター"),
    ("developmental", "発達障害者支援センター"),
    ("medical", "医療機関"),
    ("school", "学校・教育委員会等"),
    ("youth_center", "子ども・若者総合相談センター"),
    ("saposute", "地域若者サポートステーション"),
    ("hello_work", "ハローワーク"),
    ("disability", "障害者総合支援関連施設"),
    ("npo", "民間支援団体(当事者団体・NPO法人等)"),
    ("company", "企業"),
    ("hikikomori_center", "ひきこもり地域支援センター"),
    ("other", "その他"),
)

REFERRAL_STATUSES = _cl(
    "つなぎ状況",
    ("referred", "紹介済"),
    ("started", "利用開始"),
    ("ended", "終了"),
    ("interrupted", "中断"),
)

CASE_STATUSES = _cl(
    "ケース状況",
    ("intake", "受付"),
    ("active", "支援中"),
    ("watch", "見守り"),
    ("closed", "終結"),
)

CLOSE_REASONS = _cl(
    "終結理由",
    ("goal_met", "目標達成"),
    ("handed_over", "他機関へ引継ぎ"),
    ("moved", "転居"),
    ("wish", "本人・家族の意思"),
    ("lost_contact", "連絡途絶"),
    ("death", "死亡"),
    ("other", "その他"),
)

CONSENT_METHODS = _cl("同意方法", ("written", "書面"), ("oral", "口頭"))

COUNTERPARTS = _cl(
    "相手方",
    ("self", "本人"),
    ("family", "家族"),
    ("agency", "機関"),
    ("other", "その他"),
)

# --- meetings ----------------------------------------------------------------

BODY_KINDS = _cl(
    "会議体の種類",
    ("plenary", "全体会"),
    ("practitioners", "実務者会議"),
    ("working_team", "庁内ワーキングチーム会議"),
    ("case_conference", "個別ケース会議・支援調整会議"),
    ("support_meeting", "支援会議"),
    ("study", "学習会・情報交換会"),
    ("other", "その他"),
)

PUBLICITY = _cl("公開区分", ("public", "公開"), ("closed", "非公開"))

MEETING_STATUSES = _cl(
    "開催状況", ("planned", "予定"), ("held", "開催済"), ("cancelled", "中止")
)

NUMBERING = _cl("回次の数え方", ("fiscal", "年度ごと"), ("running", "通算"))

RESPONSES = _cl(
    "出欠",
    ("pending", "未回答"),
    ("present", "出席"),
    ("absent", "欠席"),
    ("proxy", "代理出席"),
    ("online", "オンライン"),
)

AGENDA_KINDS = _cl("議題の種類", ("agenda", "議題"), ("report", "報告"), ("other", "その他"))

ACTION_STATUSES = _cl(
    "対応状況",
    ("open", "未着手"),
    ("in_progress", "対応中"),
    ("done", "完了"),
    ("dropped", "取下げ"),
)

#: Action item statuses that still carry over to the next meeting.
OPEN_ACTION_STATUSES = ("open", "in_progress")

STUDY_PARTICIPANTS = _cl(
    "参加者区分",
    ("residents", "住民"),
    ("agencies", "関係機関"),
    ("families", "当事者・家族"),
)

# --- accounts ----------------------------------------------------------------

ROLES = _cl("権限", ("admin", "管理者"), ("staff", "担当者"), ("viewer", "閲覧者"))

ALL_LISTS: tuple[CodeList, ...] = (
    FIELDS, ORG_KINDS, BODY_ROLES, SEXES, REQUESTERS, METHODS, TOPICS, TRIGGERS,
    WORK_STATUSES, ROUTES, REFERRAL_CATEGORIES, REFERRAL_STATUSES, CASE_STATUSES,
    CLOSE_REASONS, CONSENT_METHODS, COUNTERPARTS, BODY_KINDS, PUBLICITY,
    MEETING_STATUSES, NUMBERING, RESPONSES, AGENDA_KINDS, ACTION_STATUSES,
    STUDY_PARTICIPANTS, ROLES,
)
