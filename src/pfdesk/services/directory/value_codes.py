"""The words offices write in a directory's 分野 and 種別 columns, and the codes they mean.

Every 種別 implies its usual 分野 (ハローワーク → 就労支援, 警察 → 警察・消防・司法), so a
分野 column that holds 種別 words (the common case in lists made in Excel) sets both.
"""

from __future__ import annotations

from pfdesk.core.codes import FIELDS, ORG_KINDS
from pfdesk.core.i18n import _
from pfdesk.core.tabular.values import Option

#: The 分野 an organization of each 種別 usually belongs to.
KIND_FIELD: dict[str, str] = {
    "municipal_lead": "government", "municipal_section": "government",
    "hikikomori_center": "mental_health", "mental_health_center": "mental_health",
    "health_center": "health", "social_welfare_council": "welfare",
    "welfare_commissioner": "community", "self_reliance": "welfare",
    "community_care": "welfare", "disability_service": "welfare",
    "elderly_service": "welfare", "medical": "health", "hello_work": "employment",
    "saposute": "employment", "chamber": "commerce", "school": "education",
    "board_of_education": "education", "police": "safety", "fire": "safety",
    "law_office": "safety", "family_group": "peer", "npo": "private",
    "prefecture_labor": "employment", "child_guidance": "youth",
    "agriculture": "agriculture", "consumer_center": "consumer", "company": "commerce",
    "other": "other",
}

#: Other spellings of a 種別 found in real lists (brackets, width and ・ are folded anyway).
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "municipal_lead": ("担当部局", "担当課", "主管課", "事務局"),
    "municipal_section": ("庁内", "庁内関係課", "関係課", "役場", "市役所", "町役場", "村役場",
                          "行政庁内"),
    "hikikomori_center": ("ひきこもり支援センター", "引きこもり地域支援センター",
                          "ひきこもりセンター"),
    "mental_health_center": ("精神保健センター", "こころの健康センター", "精神保健福祉C"),
    "health_center": ("保健所", "保健センター", "保健福祉事務所", "福祉保健所"),
    "social_welfare_council": ("社協", "社会福祉協議会", "市社協", "町社協", "村社協"),
    "welfare_commissioner": ("民生委員", "児童委員", "民生児童委員", "民生委員児童委員",
                             "民生委員児童委員協議会", "民児協"),
    "self_reliance": ("自立相談支援", "自立相談支援窓口", "生活困窮者自立相談支援機関",
                      "生活困窮者自立支援", "くらしサポートセンター", "生活相談支援センター"),
    "community_care": ("地域包括", "包括支援センター", "地域包括支援C"),
    "disability_service": ("障害福祉サービス事業所", "障害者支援施設", "障がい福祉サービス事業者",
                           "障碍福祉サービス事業者", "相談支援事業所", "就労継続支援事業所"),
    "elderly_service": ("高齢者福祉サービス事業者", "介護サービス事業者", "介護事業所",
                        "居宅介護支援事業所", "介護保険事業者"),
    "medical": ("病院", "医院", "診療所", "クリニック", "医療", "精神科病院"),
    "hello_work": ("公共職業安定所", "職業安定所", "職安", "HW"),
    "saposute": ("サポステ", "若者サポートステーション", "地域若者サポステ"),
    "chamber": ("商工会", "商工会議所", "経済団体", "商工団体"),
    "school": ("小学校", "中学校", "高等学校", "高校", "特別支援学校", "支援学校", "大学"),
    "board_of_education": ("教委", "教育委員会事務局", "教育支援センター"),
    "police": ("警察署", "県警", "警察本部", "交番", "駐在所"),
    "fire": ("消防署", "消防本部", "消防組合"),
    "law_office": ("弁護士", "弁護士事務所", "司法書士", "司法書士事務所", "法テラス",
                   "司法", "弁護士会"),
    "family_group": ("家族会", "当事者会", "当事者団体", "KHJ", "親の会", "当事者・家族会"),
    "npo": ("NPO", "特定非営利活動法人", "NPO団体", "ＮＰＯ法人"),
    "prefecture_labor": ("労働局", "県労働部局", "労働政策課", "都道府県労働部"),
    "child_guidance": ("児相", "児童相談センター", "子ども家庭センター"),
    "agriculture": ("農協", "JA", "農業協同組合", "農業委員会"),
    "consumer_center": ("消費生活相談窓口", "消費者センター"),
    "company": ("会社", "株式会社", "有限会社", "事業所", "民間企業"),
}

#: Other spellings of a 分野.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "government": ("行政機関", "自治体", "市町村", "県", "国", "官公庁"),
    "welfare": ("社会福祉", "福祉サービス", "障害・高齢福祉サービス事業者",
                "福祉サービス事業者", "障害福祉", "高齢福祉", "介護"),
    "health": ("保健", "医療", "保健医療"),
    "mental_health": ("精神保健福祉", "精神医療", "こころの健康"),
    "education": ("学校教育", "教育機関"),
    "youth": ("子ども", "若者", "子ども・若者", "青少年", "児童福祉"),
    "employment": ("就労", "雇用", "労働"),
    "commerce": ("商工", "経済", "産業"),
    "consumer": ("消費生活",),
    "safety": ("警察", "消防", "司法", "警察・消防", "法律"),
    "community": ("地域団体", "自治会", "町内会", "住民"),
    "peer": ("当事者", "家族", "当事者団体"),
    "private": ("民間", "民間団体", "支援団体", "NPO等"),
}

KIND_PREFIX = "kind:"


def field_options() -> tuple[Option, ...]:
    """What a 分野 cell may mean: a 分野, or a 種別 (which brings its 分野 along)."""
    out = [Option(k, label, FIELD_SYNONYMS.get(k, ())) for k, label in FIELDS]
    for k, label in ORG_KINDS:
        if k == "other":
            continue
        shown = _("{field}（種別: {kind}）").format(kind=label, field=FIELDS.label(KIND_FIELD[k]))
        out.append(Option(KIND_PREFIX + k, label, KIND_SYNONYMS.get(k, ()), shown))
    return tuple(out)


def kind_options() -> tuple[Option, ...]:
    """What a 種別 cell may mean."""
    return tuple(Option(k, label, KIND_SYNONYMS.get(k, ())) for k, label in ORG_KINDS)


def split_field_code(code: str | None) -> tuple[str, str]:
    """(分野, 種別) for a code chosen for a 分野 cell; 種別 "" when only a 分野 was named."""
    if not code:
        return "", ""
    if code.startswith(KIND_PREFIX):
        kind = code[len(KIND_PREFIX):]
        return KIND_FIELD.get(kind, "other"), kind
    return code, ""
