"""実態把握調査: surveys of 民生委員・児童委員 and member organizations about people not yet counted."""
