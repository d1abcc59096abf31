"""docs/figures.md, the list of figure names for mapping writers, generated from the catalogue.

Regenerate after changing the catalogue:  python -m pfdesk.services.returns.figures_doc
(a test fails while the committed file is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pfdesk.services.returns.figures import catalogue

DOC = Path(__file__).resolve().parents[4] / "docs" / "figures.md"

_INTRO = """# 報告で使える数値名（figures）

都道府県の様式に記入する設定ファイル（記入設定、TOML）では、セルごとに下の「数値名」を書きます。
例: `C6 = "new.month.4"`（4月の新規）。様式の区分が粗いときは
`H6 = ["contacts.month.4.email", "contacts.month.4.online"]` のように並べると合計を記入します。

数え方（DOMAIN.md の集計ルール）:

- 年度は4月～翌年3月。期間は報告を作るときに年度または月の範囲で選びます（12か月以内）。
- 実人数（persons）: 期間中に相談（取消されていない支援経過記録）が1回以上あった人の数。
- 延べ件数（contacts）: 期間中の相談の回数。
- 新規（new）: 初めての相談が期間中にあった人の数。
- 人は、ケースではなく人で数えます。同じ人の別のケース（前の年度の相談など）を「本人・家族」タブで
  結びつけると、実人数・新規・つないだ人数でその人を1人と数えます（新規はその人の最初の相談の期間だけ）。
- 支援計画・評価・終結・進行管理の数（`support.…`、`closures.…`、`cases.open`、`progress.…`）は
  件数です。評価の成果は就労に限らず、居場所の利用・外出・家族関係の改善・医療や福祉につながった
  なども数えます。家族のみ（本人未接触）のアセスメントも数えます。
- 年代は期間中の最初の相談日の年齢（生年月日が不明のときは記録された年代）。年齢は生年**月**から
  数え、誕生月の1日に1歳加えます（生年月日そのものは本人情報の鍵で暗号化されることがあり、
  どの役割が集計しても同じ数になるように。`core.fiscal.age_in_month`、`docs/privacy.md` 5.）。
- 相談者区分・方法・相談内容は相談ごとに数えます。人数はその区分の相談があった人の数で、
  区分をまたいで足すと実人数より多くなることがあります。新規は最初の相談の区分で数えます。
- 取消されたケース・相談・つなぎは数えません。
- 回答日（`answer.date`）は報告を作った日です。担当者名・電話番号・e-mail は「自治体の設定」の
  担当者・電話・メールから取ります。
- 周知方法（`settings.publicity.…`）は「窓口・実態把握の回答」の周知方法の文から、広報誌・
  ホームページ（HP）・リーフレット／チラシ・SNS（LINE 等）・その他 のそれぞれを 有／無 にします。
- 「秘匿」の印がある数値は、秘匿を指定すると 1～2 が「＊」になります。
  「＊」になるセルを様式の数式が合計しているときは（Excel は「＊」を 0 として合計します）、
  確認の一覧の「注意」欄と `pfdesk return` の「注意:」の行で知らせます。

## 秘匿（小さい数を隠す）

報告は役場の外に出る資料なので、秘匿は**初めから有効**です（設定 `small_counts`）。

- 規則: 人数・件数（「秘匿」の印がある数値）のうち 1 から上限（初期値 2）までを「＊」にします。
- 二次秘匿: 合計と内訳がどちらも載る組（年代別の合計＝実人数、年代×性別の行と列＝各年代・
  各性別、月別の合計＝年間、月別×方法＝その月と方法別の合計、相談経路・相談内容・方法・
  相談者区分・ケース状況・つなぎ先の合計）で「＊」が1つだけだと、合計から引き算で
  分かってしまいます。そこで、その組の「＊」でない最も小さい数（なければ合計）も「＊」に
  し、どの組にも「＊」が1つだけ、ということがなくなるまで繰り返します。
- 内訳をいくつか合計して1つの欄に書くとき、内訳に「＊」が1つでもあれば、その欄も「＊」です。
- 設定の値: `enabled`（true / false。false は役場内で確かめるときだけ）、`rule`
  （`secondary` = 二次秘匿まで行う〔初期値〕、`primary` = 小さい数だけを隠す〔合計から
  計算できる場合があるので、外に出す資料には使わない〕）、`threshold`（隠す数の上限、1～9、
  初期値 2）。表示と変更は `pfdesk hiding`（例: `pfdesk hiding --threshold 3`、変更は管理者。
  変更は監査ログに残ります）。
- 記入設定の `suppress_small = true` と `pfdesk return --suppress-small` は、設定で秘匿を
  切っているときにも秘匿を行わせます（秘匿を切ることはできません）。
- 同じ規則を、閲覧者が見る統計（`pfdesk stats`、`--json` では「＊」）と、会議資料の
  「相談受付状況（統計）」（全体会などで配る資料）にも使います。グラフでは隠した数は 0 の
  高さで描かれ、表には「＊」と出ます。

## 記入設定（TOML）の書き方

メモ帳で書ける UTF-8 のテキストファイルです。例は `resources/returns/example_mapping.toml`。

```toml
[form]
title = "東雲県 ひきこもり支援状況調査票"   # 表示用の名前（省略可）
suppress_small = false                      # true: 1～2 の人数・件数を「＊」にする（秘匿）

[sheets."2 相談実績"]                        # シート名は様式のシート見出しそのまま
B6 = "new.month.4"                          # セル番地 = "数値名"
H6 = ["contacts.month.4.email", "contacts.month.4.online"]   # 合計して記入
```

### まとめて合計する（`*` とグループ）

区分の多い数値を様式の1つの欄に合計するときは、名前を並べる代わりに `*` を使えます。
`K6 = "referrals.*"` は `referrals.` で始まる数値（`referrals.total` のような合計は除く）を
すべて合計します。いくつかを除くときや、同じ合計を何か所にも書くときは `[groups]` に名前を
付けて定義し、セルにはその名前を書きます。先頭に `-` を付けた名前は合計から除きます。

```toml
[groups]
"その他" = ["referrals.*", "-referrals.hello_work", "-referrals.medical"]

[sheets."3 つなぎ"]
B5 = "referrals.hello_work"
C5 = "referrals.medical"
D5 = "その他"                # ハローワーク・医療機関以外のつなぎの合計
```

### セルに合わせた記入

値はセルの形に合わせて記入します。

- **プルダウン（入力規則のリスト）のセル**: 有／無 の答えは、そのリストの言葉に直して記入します
  （有 → はい・○・あり など、無 → いいえ・×・なし など）。リストにない値は記入せず、
  セル番地とリストの内容を知らせます。
- **日付の書式のセル**（yyyy/mm/dd、yyyy/mm など）: 「令和3年4月」「令和8年12月3日」のような
  値を Excel の日付として記入します（年月だけのときは1日）。
- **年のセル**: `C9 = { figure = "settings.survey_year", year = "西暦" }` と書くと
  「令和5年度」を数 2023 として、`year = "和暦"` なら「2023年度」を「令和5年度」として記入します。
- **数**: 人数・件数は数のまま記入します（文字の「12」にはなりません）。
- **文字の入ったセル**: 様式の見出し（「4月」「(4) 構成機関数」など）が入っているセルには
  記入しません。セル番地のずれに気付けるよう、その文字を示して知らせます。
  書き換えてよいときだけ `B2 = { figure = "answer.date", overwrite = true }` と書きます。

### 確かめること

書き出す前に、次の誤りがないか確かめます（誤りがあれば何も書き出さず、行番号つきで知らせます）:
数値名の誤り（近い名前を示します）、様式にないシート、セル番地の誤り、結合セルの左上以外のセル、
数式の入ったセル、文字（見出し）の入ったセル、プルダウンにない値、日付や年として読めない値。
保存先の名前は `.xlsx` で終わる必要があります。年度の途中で作ると「まだ終わっていません」と
注意を表示します（`pfdesk return` では「注意:」の行）。

この一覧は pfdesk の数値の定義から作られています（手で編集しないでください）。
"""


def figures_markdown() -> str:
    """The whole document."""
    out = [_INTRO]
    group = None
    for f in catalogue():
        if f.group != group:
            group = f.group
            out.append(f"\n## {group}\n\n| 数値名 | 意味 | 種類 |\n|---|---|---|")
        kind = "文字" if f.is_text else ("人数・件数（秘匿）" if f.suppressible else "数")
        out.append(f"| `{f.name}` | {f.description} | {kind} |")
    return "\n".join(out) + "\n"


def main() -> int:
    """Write docs/figures.md."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(figures_markdown(), encoding="utf-8")
    print(DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main())
