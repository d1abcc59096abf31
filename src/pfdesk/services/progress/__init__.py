"""進行管理: the 実務者会議's review of every open case (台帳 and findings)."""
