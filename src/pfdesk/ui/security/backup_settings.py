"""管理 → 暗号化とバックアップ: the automatic backup settings (rotation, a second folder)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.backup import backup_settings, list_store_backups, save_backup_settings
from pfdesk.services.context import ServiceContext
from pfdesk.store.backups import BackupSettings
from pfdesk.ui.errors import show_error
from pfdesk.ui.widgets import note_label


def _count(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 366)
    box.setValue(value)
    box.setSuffix(_(" 個"))
    return box


class BackupSettingsBox(QGroupBox):
    """Whether to back up automatically, how many to keep, and a second folder."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(_("自動バックアップ"), parent)
        self.ctx = ctx
        allowed = ctx.actor.can(Permission.BACKUP)
        s = backup_settings(ctx) if allowed else BackupSettings()
        form = QFormLayout(self)
        form.addRow(note_label(_(
            "その日に初めて起動したときと、pfdesk を閉じるときに、自動でバックアップを作り、"
            "検査します。古いものは、日ごと・週ごと・月ごとに新しいものを残して整理します。")))
        self.auto = QCheckBox(_("自動でバックアップする"))
        self.auto.setChecked(s.auto)
        form.addRow(self.auto)
        self.daily = _count(s.daily)
        self.weekly = _count(s.weekly)
        self.monthly = _count(s.monthly)
        keep = QHBoxLayout()
        for label, box in ((_("日ごと"), self.daily), (_("週ごと"), self.weekly),
                           (_("月ごと"), self.monthly)):
            keep.addWidget(QLabel(label))
            keep.addWidget(box)
        keep.addStretch(1)
        form.addRow(_("残す数"), keep)
        self.second = QLineEdit(s.second_folder)
        self.second.setPlaceholderText(_("USB メモリやネットワークのフォルダー（空欄なら使わない）"))
        browse = QPushButton(_("参照…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.second, 1)
        row.addWidget(browse)
        form.addRow(_("2つ目の保存先"), row)
        save = QPushButton(_("設定を保存"))
        save.clicked.connect(self.save)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(save)
        form.addRow(bottom)
        self.latest = note_label("")
        form.addRow(self.latest)
        save.setEnabled(ctx.actor.can(Permission.SETTINGS_WRITE))
        if allowed:
            self.show_latest()
        else:
            self.setEnabled(False)
            self.latest.setText(_("この利用者の役割では、バックアップの設定は扱えません。"))

    def browse(self) -> None:
        """Choose the second folder."""
        folder = QFileDialog.getExistingDirectory(self, _("2つ目の保存先"), self.second.text())
        if folder:
            self.second.setText(folder)

    def settings(self) -> BackupSettings:
        """The settings as entered."""
        return BackupSettings(daily=self.daily.value(), weekly=self.weekly.value(),
                              monthly=self.monthly.value(),
                              second_folder=self.second.text().strip(),
                              auto=self.auto.isChecked())

    def save(self) -> bool:
        """Check and store the settings; whether they were saved."""
        try:
            save_backup_settings(self.ctx, self.settings())
        except KnownError as e:
            show_error(self, e)
            return False
        self.message.setText(_("保存しました。"))
        return True

    def show_latest(self) -> None:
        """The newest backup and how many there are."""
        try:
            entries = list_store_backups(self.ctx)
        except KnownError:
            entries = []
        if not entries:
            self.latest.setText(_("まだバックアップはありません。"))
            return
        newest = entries[0]
        self.latest.setText(_("最新のバックアップ: {d:%Y-%m-%d %H:%M}（{c}）　全部で {n} 個").format(
            d=newest.created, c=newest.counts_text(), n=len(entries)))
