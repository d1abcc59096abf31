"""Demo step: the member organizations of みどり川町's platform and the people in them.

About 60 organizations across the 分野/種別 lists, about 120 people with readings
(some with 異体字: 髙橋, 山﨑, 𠮷田), and posts rotating every April over three 年度: a
predecessor's post ends on 3/31 and the successor's starts on 4/1. A few organizations
are 廃止. ``scale`` adds further service providers and NPOs with their staff.
"""

from __future__ import annotations

from datetime import date

from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.services.directory._common import org_search_text, person_search_text
from pfdesk.store.models import Organization, Person, Post

T = "東雲県みどり川町"
HALL = ("781-2199", f"{T}本町一丁目1番地")

# name, reading, 分野, 種別, 窓口, (〒, 住所) or None, 所属ネットワーク, [(部署, 職名), …]
ORGS: list[tuple] = [
    ("みどり川町保健福祉課", "みどりかわちょうほけんふくしか", "government", "municipal_lead",
     "地域福祉係", HALL, "自立支援協議会、自殺対策ネットワーク",
     [("", "課長"), ("地域福祉係", "係長"), ("地域福祉係", "主査"), ("健康づくり係", "保健師")]),
    ("みどり川町子育て支援課", "みどりかわちょうこそだてしえんか", "youth", "municipal_section",
     "子ども家庭係", HALL, "要保護児童対策地域協議会", [("", "課長"), ("子ども家庭係", "係長")]),
    ("みどり川町教育委員会学校教育課", "みどりかわちょうきょういくいいんかいがっこうきょういくか",
     "education", "board_of_education", "学校教育係", ("781-2199", f"{T}本町一丁目3番地"), "",
     [("", "課長"), ("学校教育係", "指導主事")]),
    ("みどり川町住民課", "みどりかわちょうじゅうみんか", "government", "municipal_section",
     "住民係", HALL, "", [("住民係", "係長")]),
    ("みどり川町税務課", "みどりかわちょうぜいむか", "government", "municipal_section",
     "収納係", HALL, "", [("収納係", "係長")]),
    ("みどり川町建設課", "みどりかわちょうけんせつか", "government", "municipal_section",
     "町営住宅係", HALL, "", [("町営住宅係", "主査")]),
    ("みどり川町産業振興課", "みどりかわちょうさんぎょうしんこうか", "commerce",
     "municipal_section", "商工観光係", HALL, "", [("商工観光係", "係長")]),
    ("みどり川町生涯学習課", "みどりかわちょうしょうがいがくしゅうか", "education",
     "municipal_section", "社会教育係", ("781-2199", f"{T}本町一丁目3番地"), "",
     [("社会教育係", "社会教育主事")]),
    ("みどり川町福祉事務所", "みどりかわちょうふくしじむしょ", "welfare", "municipal_section",
     "保護係", HALL, "自立支援協議会", [("保護係", "査察指導員"), ("保護係", "ケースワーカー")]),
    ("みどり川町保健センター", "みどりかわちょうほけんせんたー", "health", "health_center",
     "", ("781-2101", f"{T}本町二丁目8番15号"), "自殺対策ネットワーク",
     [("", "所長"), ("", "保健師")]),
    ("東雲県中央保健所", "しののめけんちゅうおうほけんじょ", "health", "health_center",
     "健康障害課", ("781-5310", "東雲県しののめ市桜町3番12号"), "自殺対策ネットワーク",
     [("健康障害課", "精神保健福祉相談員")]),
    ("東雲県精神保健福祉センター", "しののめけんせいしんほけんふくしせんたー", "mental_health",
     "mental_health_center", "相談課", ("780-0850", "東雲県しののめ市丸ノ内二丁目4番1号"), "",
     [("相談課", "主任")]),
    ("東雲県ひきこもり地域支援センター", "しののめけんひきこもりちいきしえんせんたー",
     "mental_health", "hikikomori_center", "", ("780-0850", "東雲県しののめ市丸ノ内二丁目4番1号"),
     "", [("", "センター長"), ("", "相談員")]),
    ("社会福祉法人みどり川町社会福祉協議会", "しゃかいふくしほうじんみどりかわちょうしゃかいふくしきょうぎかい",
     "welfare", "social_welfare_council", "地域福祉課", ("781-2104", f"{T}川原町5番地1"),
     "自立支援協議会、自殺対策ネットワーク",
     [("", "事務局長"), ("地域福祉課", "コミュニティソーシャルワーカー"),
      ("地域福祉課", "生活支援コーディネーター")]),
    ("みどり川町生活相談支援センター", "みどりかわちょうせいかつそうだんしえんせんたー",
     "welfare", "self_reliance", "", ("781-2104", f"{T}川原町5番地1"), "自立支援協議会",
     [("", "主任相談支援員"), ("", "就労支援員")]),
    ("みどり川町地域包括支援センター", "みどりかわちょうちいきほうかつしえんせんたー",
     "welfare", "community_care", "", ("781-2101", f"{T}本町二丁目8番15号"), "地域ケア会議",
     [("", "センター長"), ("", "社会福祉士")]),
    ("みどり川町民生委員児童委員協議会", "みどりかわちょうみんせいいいんじどういいんきょうぎかい",
     "community", "welfare_commissioner", "", None, "", [("", "会長"), ("", "副会長")]),
    ("ハローワーク東雲南", "はろーわーくしののめみなみ", "employment", "hello_work",
     "職業相談部門", ("781-1101", "東雲県南しののめ市高岡町甲1876番地1"), "",
     [("職業相談部門", "統括職業指導官"), ("職業相談部門", "就職支援ナビゲーター")]),
    ("しののめ地域若者サポートステーション", "しののめちいきわかものさぽーとすてーしょん",
     "employment", "saposute", "", ("780-0870", "東雲県しののめ市本町4丁目1番37号"), "",
     [("", "総括コーディネーター"), ("", "キャリアコンサルタント")]),
    ("東雲県商工労働部労働政策課", "しののめけんしょうこうろうどうぶろうどうせいさくか",
     "employment", "prefecture_labor", "雇用対策班", ("780-8570", "東雲県しののめ市丸ノ内一丁目2番20号"),
     "", [("雇用対策班", "チーフ")]),
    ("東雲県中央児童相談所", "しののめけんちゅうおうじどうそうだんじょ", "youth", "child_guidance",
     "相談課", ("781-5102", "東雲県しののめ市大津甲770番地1"), "要保護児童対策地域協議会",
     [("相談課", "児童福祉司")]),
    ("東雲県子ども・若者総合相談センター", "しののめけんこどもわかものそうごうそうだんせんたー",
     "youth", "other", "", ("780-0870", "東雲県しののめ市本町4丁目1番37号"), "",
     [("", "相談員")]),
    ("みどり川町商工会", "みどりかわちょうしょうこうかい", "commerce", "chamber", "",
     ("781-2110", f"{T}中町2番地7"), "", [("", "事務局長"), ("", "経営指導員")]),
    ("みどり川農業協同組合", "みどりかわのうぎょうきょうどうくみあい", "agriculture",
     "agriculture", "営農指導課", ("781-2120", f"{T}西町400番地"), "",
     [("営農指導課", "課長")]),
    ("東雲県消費生活センター", "しののめけんしょうひせいかつせんたー", "consumer",
     "consumer_center", "", ("780-0935", "東雲県しののめ市旭町1丁目107番地"), "",
     [("", "消費生活相談員")]),
    ("東雲県みどり川警察署", "しののめけんみどりかわけいさつしょ", "safety", "police",
     "生活安全課", ("781-2130", f"{T}本町三丁目2番1号"), "自殺対策ネットワーク",
     [("生活安全課", "課長"), ("生活安全課", "巡査部長")]),
    ("みどり川消防署", "みどりかわしょうぼうしょ", "safety", "fire", "救急係",
     ("781-2131", f"{T}本町三丁目6番10号"), "", [("救急係", "消防司令補")]),
    ("みどり川総合法律事務所", "みどりかわそうごうほうりつじむしょ", "safety", "law_office", "",
     ("781-2110", f"{T}中町1番地12 川辺ビル2階"), "", [("", "弁護士")]),
    ("しののめ司法書士事務所", "しののめしほうしょしじむしょ", "safety", "law_office", "",
     ("781-2110", f"{T}中町3番地5"), "", [("", "司法書士")]),
    ("みどり川町立みどり川中学校", "みどりかわちょうりつみどりかわちゅうがっこう", "education",
     "school", "", ("781-2140", f"{T}学園町1番地"), "",
     [("", "校長"), ("", "教頭"), ("", "生徒指導主事")]),
    ("みどり川町立北みどり川中学校", "みどりかわちょうりつきたみどりかわちゅうがっこう",
     "education", "school", "", ("781-2150", f"{T}北川甲215番地"), "",
     [("", "校長"), ("", "養護教諭")]),
    ("東雲県立みどり川高等学校", "しののめけんりつみどりかわこうとうがっこう", "education",
     "school", "", ("781-2141", f"{T}学園町12番地"), "", [("", "教頭"), ("", "スクールカウンセラー")]),
    ("東雲県立しののめ支援学校", "しののめけんりつしののめしえんがっこう", "education", "school",
     "進路指導部", ("781-5103", "東雲県しののめ市大津乙2300番地"), "", [("進路指導部", "進路指導主事")]),
    ("みどり川町教育支援センター「あおぞら教室」", "みどりかわちょうきょういくしえんせんたーあおぞらきょうしつ",
     "education", "board_of_education", "", ("781-2140", f"{T}学園町3番地"), "",
     [("", "指導員")]),
    ("医療法人緑風会みどり川病院", "いりょうほうじんりょくふうかいみどりかわびょういん", "health",
     "medical", "地域医療連携室", ("781-2160", f"{T}東町1丁目20番地"), "自殺対策ネットワーク",
     [("地域医療連携室", "精神保健福祉士"), ("精神科", "医師")]),
    ("あおば心療内科クリニック", "あおばしんりょうないかくりにっく", "mental_health", "medical", "",
     ("781-2110", f"{T}中町6番地3"), "", [("", "院長")]),
    ("東雲県立こころの医療センター", "しののめけんりつこころのいりょうせんたー", "mental_health",
     "medical", "医療福祉相談室", ("781-5104", "東雲県しののめ市鹿児1200番地"), "",
     [("医療福祉相談室", "精神保健福祉士")]),
    ("みどり川町国民健康保険診療所", "みどりかわちょうこくみんけんこうほけんしんりょうじょ", "health",
     "medical", "", ("781-2150", f"{T}北川甲30番地"), "", [("", "所長")]),
    ("NPO法人ひだまりの家", "ひだまりのいえ", "private", "npo", "居場所「ひだまり」",
     ("781-2104", f"{T}川原町12番地3"), "自立支援協議会", [("", "理事長"), ("", "スタッフ")]),
    ("NPO法人しののめ若者支援ネット", "しののめわかものしえんねっと", "youth", "npo", "",
     ("780-0870", "東雲県しののめ市本町2丁目5番8号"), "", [("", "代表理事")]),
    ("NPO法人つむぎ", "つむぎ", "employment", "npo", "就労体験事業",
     ("781-2120", f"{T}西町88番地"), "", [("", "事務局長"), ("就労体験事業", "コーディネーター")]),
    ("一般社団法人みどり川フードバンク", "みどりかわふーどばんく", "private", "npo", "",
     ("781-2120", f"{T}西町15番地2"), "", [("", "代表理事")]),
    ("KHJ東雲県やまびこ会", "けーえいちじぇいしののめけんやまびこかい", "peer", "family_group", "",
     ("780-0870", "東雲県しののめ市本町4丁目1番37号"), "", [("", "代表"), ("", "事務局")]),
    ("みどり川ひきこもり家族会「ひまわり」", "みどりかわひきこもりかぞくかいひまわり", "peer",
     "family_group", "", None, "", [("", "会長")]),
    ("当事者会「ゆるりの会」", "とうじしゃかいゆるりのかい", "peer", "family_group", "", None, "",
     [("", "世話人")]),
    ("社会福祉法人緑の里", "しゃかいふくしほうじんみどりのさと", "welfare", "disability_service",
     "就労継続支援B型事業所 みどり工房", ("781-2161", f"{T}東町3丁目5番地"), "自立支援協議会",
     [("みどり工房", "サービス管理責任者")]),
    ("相談支援事業所みちしるべ", "そうだんしえんじぎょうしょみちしるべ", "welfare",
     "disability_service", "", ("781-2161", f"{T}東町2丁目11番地"), "自立支援協議会",
     [("", "相談支援専門員")]),
    ("社会福祉法人清流会 特別養護老人ホームせせらぎ", "しゃかいふくしほうじんせいりゅうかいとくべつようごろうじんほーむせせらぎ",
     "welfare", "elderly_service", "", ("781-2150", f"{T}北川乙88番地"), "地域ケア会議",
     [("", "施設長"), ("", "生活相談員")]),
    ("居宅介護支援事業所ほほえみ", "きょたくかいごしえんじぎょうしょほほえみ", "welfare",
     "elderly_service", "", ("781-2104", f"{T}川原町20番地"), "地域ケア会議",
     [("", "介護支援専門員")]),
    ("訪問介護事業所あゆみ", "ほうもんかいごじぎょうしょあゆみ", "welfare", "elderly_service", "",
     ("781-2110", f"{T}中町8番地"), "", [("", "サービス提供責任者")]),
    ("東雲県発達障害者支援センター", "しののめけんはったつしょうがいしゃしえんせんたー", "welfare",
     "other", "", ("781-5102", "東雲県しののめ市大津甲770番地3"), "", [("", "相談員")]),
    ("株式会社みどり川精工", "みどりかわせいこう", "commerce", "company", "総務部",
     ("781-2170", f"{T}工業団地2番地"), "", [("総務部", "部長")]),
    ("有限会社川原建設", "かわはらけんせつ", "commerce", "company", "",
     ("781-2170", f"{T}工業団地7番地"), "", [("", "代表取締役")]),
    ("公益社団法人みどり川町シルバー人材センター", "みどりかわちょうしるばーじんざいせんたー",
     "employment", "other", "", ("781-2110", f"{T}中町2番地7"), "", [("", "事務局長")]),
    ("東雲県立大学社会福祉学部", "しののめけんりつだいがくしゃかいふくしがくぶ", "education",
     "other", "", ("781-8515", "東雲県しののめ市池2751番地1"), "", [("", "准教授")]),
    ("東雲保護観察所", "しののめほごかんさつしょ", "safety", "other", "",
     ("780-0850", "東雲県しののめ市丸ノ内一丁目4番1号"), "", [("", "保護観察官")]),
    ("みどり川町保護司会", "みどりかわちょうほごしかい", "safety", "other", "", None, "",
     [("", "会長")]),
    ("みどり川生活協同組合", "みどりかわせいかつきょうどうくみあい", "community", "company",
     "配食サービス", ("781-2120", f"{T}西町60番地"), "", [("配食サービス", "担当")]),
    ("みどり川町自殺対策ネットワーク", "みどりかわちょうじさつたいさくねっとわーく", "health",
     "other", "保健福祉課内", HALL, "自殺対策ネットワーク", []),
    ("みどり川町障害者地域自立支援協議会", "みどりかわちょうしょうがいしゃちいきじりつしえんきょうぎかい",
     "welfare", "other", "保健福祉課内", HALL, "自立支援協議会", []),
]

# Closed before today: (name, reading, 分野, 種別, 廃止日, [(部署, 職名)])
ABOLISHED = [
    ("みどり川町立東みどり川小学校", "みどりかわちょうりつひがしみどりかわしょうがっこう", "education",
     "school", date(2024, 3, 31), [("", "校長")]),
    ("NPO法人あけぼの", "あけぼの", "private", "npo", date(2025, 3, 31), [("", "理事長")]),
    ("みどり川町福祉課", "みどりかわちょうふくしか", "government", "municipal_section",
     date(2023, 3, 31), [("", "課長")]),
]

FAMILY = [
    ("髙橋", "たかはし"), ("山﨑", "やまさき"), ("𠮷田", "よしだ"), ("高橋", "たかはし"),
    ("山崎", "やまざき"), ("吉田", "よしだ"), ("佐藤", "さとう"), ("鈴木", "すずき"),
    ("田中", "たなか"), ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("山本", "やまもと"),
    ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("松本", "まつもと"), ("井上", "いのうえ"), ("木村", "きむら"),
    ("林", "はやし"), ("清水", "しみず"), ("森", "もり"), ("池田", "いけだ"),
    ("橋本", "はしもと"), ("石川", "いしかわ"), ("前田", "まえだ"), ("藤田", "ふじた"),
    ("岡田", "おかだ"), ("川原", "かわはら"), ("西森", "にしもり"), ("濵田", "はまだ"),
    ("岡林", "おかばやし"), ("片岡", "かたおか"), ("野村", "のむら"), ("和田", "わだ"),
    ("宮地", "みやじ"), ("公文", "くもん"), ("武市", "たけち"), ("弘田", "ひろた"),
    ("齋藤", "さいとう"), ("坂本", "さかもと"), ("門脇", "かどわき"), ("筒井", "つつい"),
]
GIVEN = [
    ("健一", "けんいち"), ("直樹", "なおき"), ("誠", "まこと"), ("浩二", "こうじ"),
    ("大輔", "だいすけ"), ("拓也", "たくや"), ("翔太", "しょうた"), ("隆", "たかし"),
    ("修", "おさむ"), ("和也", "かずや"), ("恵子", "けいこ"), ("由美", "ゆみ"),
    ("真由美", "まゆみ"), ("智子", "ともこ"), ("陽子", "ようこ"), ("美穂", "みほ"),
    ("彩", "あや"), ("さくら", "さくら"), ("千尋", "ちひろ"), ("香織", "かおり"),
    ("典子", "のりこ"), ("亮", "りょう"), ("悠", "はるか"), ("美咲", "みさき"),
    ("正人", "まさと"), ("由紀", "ゆき"), ("敏子", "としこ"), ("光男", "みつお"),
]

_PREFECTURE_KINDS = {"hello_work", "prefecture_labor", "child_guidance", "police",
                     "mental_health_center", "hikikomori_center"}
_ROTATES = {"municipal_lead", "municipal_section", "board_of_education", "school",
            "health_center", "community_care", "self_reliance", "social_welfare_council",
            "consumer_center", "fire"} | _PREFECTURE_KINDS
_EXTRA_KINDS = [("welfare", "disability_service", "就労継続支援B型事業所", "しゅうろうけいぞくしえん"),
                ("welfare", "elderly_service", "居宅介護支援事業所", "きょたくかいごしえん"),
                ("private", "npo", "NPO法人", ""), ("community", "other", "ふれあいサロン", "")]
_EXTRA_NAMES = [("こもれび", "こもれび"), ("あさひ", "あさひ"), ("かがやき", "かがやき"),
                ("すずらん", "すずらん"), ("ひなた", "ひなた"), ("つばさ", "つばさ"),
                ("わかば", "わかば"), ("みのり", "みのり"), ("せせらぎ", "せせらぎ"),
                ("いずみ", "いずみ")]


def _phone(rng, area: str = "0889") -> str:
    return f"{area}-{rng.choice(['52', '53', '55', '56'])}-{rng.randint(1000, 9999)}"


class _People:
    def __init__(self, demo) -> None:
        self.demo, self.rng = demo, demo.rng
        self.people: list[Person] = []
        self.posts: list[tuple[Person, Organization, str, str, date, date | None]] = []

    def new(self) -> Person:
        fam, fam_kana = self.rng.choice(FAMILY)
        giv, giv_kana = self.rng.choice(GIVEN)
        p = Person(family_name=fam, given_name=giv, family_kana=fam_kana, given_kana=giv_kana)
        if self.rng.random() < 0.1:
            p.phone = f"090-{self.rng.randint(1000, 9999)}-{self.rng.randint(1000, 9999)}"
        p.search_text = person_search_text(p)
        self.people.append(p)
        return p

    def seat(self, org: Organization, dept: str, title: str, ends: date | None = None) -> None:
        """Fill one seat with its holders over three 年度, rotating on April 1st."""
        rng = self.rng
        start = date(rng.randint(2015, 2024), 4, 1)
        rotations = []
        if org.kind in _ROTATES:
            for fy in (2024, 2025, 2026):
                if date(fy, 4, 1) > start and rng.random() < 0.35:
                    rotations.append(date(fy, 4, 1))
        bounds = [start, *rotations]
        for i, first in enumerate(bounds):
            last = date(bounds[i + 1].year, 3, 31) if i + 1 < len(bounds) else ends
            self.posts.append((self.new(), org, dept, title, first, last))


def _org(demo, name, reading, fld, kind, dept, where, networks) -> Organization:
    rng = demo.rng
    o = Organization(name=name, name_kana=reading, field=fld, kind=kind, department=dept,
                     networks=networks)
    if where:
        o.postal_code, o.address = where
        area = "0889" if "みどり川町" in where[1] else "088"
        o.phone = _phone(rng) if area == "0889" else f"088-{rng.randint(800, 899)}-" \
            f"{rng.randint(1000, 9999)}"
        if rng.random() < 0.6:
            o.fax = _phone(rng) if area == "0889" else f"088-{rng.randint(800, 899)}-" \
                f"{rng.randint(1000, 9999)}"
        if rng.random() < 0.5:
            o.email = f"{kind.replace('_', '-')}{rng.randint(1, 99)}@midorikawa.example.jp"
    o.search_text = org_search_text(o)
    return o


def generate(demo) -> None:
    """Add organizations, people and posts; put their ids in ``demo.shared``."""
    s, rng = demo.session, demo.rng
    people = _People(demo)
    orgs: list[Organization] = []
    seats: list[tuple[Organization, str, str, date | None]] = []
    for name, reading, fld, kind, dept, where, networks, posts in ORGS:
        o = _org(demo, name, reading, fld, kind, dept, where, networks)
        orgs.append(o)
        seats += [(o, d, t, None) for d, t in posts]
    for name, reading, fld, kind, closed, posts in ABOLISHED:
        o = _org(demo, name, reading, fld, kind, "", ("781-2199", f"{T}東町5番地"), "")
        o.active, o.abolished_on = False, closed
        o.note = "閉校・解散・組織改編により廃止"
        orgs.append(o)
        seats += [(o, d, t, closed) for d, t in posts]
    for n in range((demo.scale - 1) * 60):
        fld, kind, prefix, prefix_kana = _EXTRA_KINDS[n % len(_EXTRA_KINDS)]
        base, base_kana = _EXTRA_NAMES[rng.randrange(len(_EXTRA_NAMES))]
        name = f"{prefix}{base}第{n + 2}"
        # Readings are kana only; the branch number is in the name, not the reading.
        o = _org(demo, name, f"{prefix_kana}{base_kana}", fld, kind, "",
                 ("781-2110", f"{T}中町{n + 10}番地"), "")
        orgs.append(o)
        seats += [(o, "", rng.choice(["管理者", "相談員", "代表"]), None)]
    s.add_all(orgs)
    s.flush()
    for org, dept, title, ends in seats:
        people.seat(org, dept, title, ends)
    # A few posts ended on 3/31 with nobody recorded after them: the 年度更新 list shows them.
    open_seats = [i for i, p in enumerate(people.posts) if p[5] is None and p[1].active]
    ended_now = set(rng.sample(open_seats, min(len(open_seats) // 25 + 1, len(open_seats))))
    s.add_all(people.people)
    s.flush()
    fy = fiscal_year_of(demo.today)
    rows = []
    for i, (p, o, dept, title, first, last) in enumerate(people.posts):
        if i in ended_now and first < date(fy, 4, 1):
            last = date(fy, 3, 31)
        post = Post(person_id=p.id, organization_id=o.id, department=dept, title=title,
                    start_on=first, end_on=last, is_contact=True)
        if o.phone and rng.random() < 0.7:
            post.phone = _phone(rng) if o.phone.startswith("0889") else o.phone
        if last is None and first < date(fy, 4, 1):
            # Most were checked this April; some still wait for this year's confirmation.
            post.confirmed_fy = fy if rng.random() < 0.7 else rng.choice([fy - 1, None])
        elif first >= date(fy, 4, 1):
            post.confirmed_fy = fy
        rows.append(post)
    s.add_all(rows)
    s.flush()
    current = [r for r in rows if r.end_on is None or r.end_on >= demo.today]
    demo.shared["org_ids"] = [o.id for o in orgs if o.active]
    demo.shared["abolished_org_ids"] = [o.id for o in orgs if not o.active]
    demo.shared["org_ids_by_kind"] = _by_kind(orgs)
    demo.shared["person_ids"] = [p.id for p in people.people]
    demo.shared["current_person_ids"] = sorted({r.person_id for r in current})
    demo.shared["current_posts"] = [(r.person_id, r.organization_id, r.title) for r in current]
    demo.shared["lead_org_id"] = orgs[0].id


def _by_kind(orgs: list[Organization]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for o in orgs:
        if o.active:
            out.setdefault(o.kind, []).append(o.id)
    return out
