"""実態把握 page: surveys, respondents, answers, questionnaires and the report."""
