"""People behind cases: who a case is about, their other cases, family who consulted, merges."""
