"""実態把握調査 papers: questionnaires with cover letter, the .xlsx answer sheet, the report."""
