"""ファイル → 新しい PC へ移す: the dialog that writes the move archive."""
