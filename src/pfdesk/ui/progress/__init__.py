"""The 進行管理 page: the 実務者会議's 台帳 of every open case and its findings."""
