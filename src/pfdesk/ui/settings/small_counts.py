"""設定 → 小さい数の秘匿: whether figures of 1–2 people print as 「＊」 (administrators change it).

The same rule as ``pfdesk hiding``; every statistic, return and printed figure follows it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.small_counts import (
    RULES,
    SmallCountRule,
    get_small_count_rule,
    set_small_count_rule,
)


class SmallCountBox(QWidget):
    """The 秘匿 rule: on or off, the method, and the largest count hidden."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.seen: SmallCountRule | None = None  # the rule as shown (loaded or saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("小さい数の秘匿")))
        note = QLabel(_("統計・報告・会議資料で、1～2 人のような小さい数を「＊」で表し、"
                        "人が特定されないようにします。役場の外に出る資料のため、初めから有効です。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.enabled = QCheckBox(_("小さい数を「＊」で表す"))
        self.rule = QComboBox()
        for key, label in RULES.items():
            self.rule.addItem(_(label), key)
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 9)
        self.threshold.setSuffix(_(" 以下"))
        self.threshold.setMaximumWidth(110)
        form.addRow(_("秘匿"), self.enabled)
        form.addRow(_("方法"), self.rule)
        form.addRow(_("隠す数"), self.threshold)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.save_button = QPushButton(_("秘匿の設定を保存"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        writable = ctx.actor.can(Permission.SETTINGS_WRITE)
        for w in (self.enabled, self.rule, self.threshold, self.save_button):
            w.setEnabled(writable)
        if not writable:
            self.message.setText(_("秘匿の設定の変更は管理者が行います。"))

    def refresh(self) -> None:
        """Show the stored rule (keeping what was changed and not saved yet)."""
        if self.seen is None or self.value() == self.seen:
            self.seen = get_small_count_rule(self.ctx)
            self.set_value(self.seen)

    def set_value(self, rule: SmallCountRule) -> None:
        """Fill the fields."""
        self.enabled.setChecked(rule.enabled)
        self.rule.setCurrentIndex(max(0, self.rule.findData(rule.rule)))
        self.threshold.setValue(rule.threshold)

    def value(self) -> SmallCountRule:
        """The rule the fields say."""
        return SmallCountRule(self.enabled.isChecked(), str(self.rule.currentData()),
                              self.threshold.value())

    def save(self) -> bool:
        """Store the rule; a rule saved on another PC since it was shown is not overwritten."""
        rule = self.value()
        try:
            set_small_count_rule(self.ctx, rule, seen=self.seen)
        except EditConflict as e:
            # Shown with what changed; the fields keep the user's choice and the next
            # save goes on top of the rule as it is now.
            self.seen = current_seen(e).values
            self.message.setText(e.user_text())
            return False
        except KnownError as e:
            self.message.setText(e.user_text())
            return False
        self.seen = rule
        self.message.setText(_("秘匿の設定を保存しました。"))
        return True
