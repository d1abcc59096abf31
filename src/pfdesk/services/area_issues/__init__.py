"""地域課題: the area's recurring problems tagged on cases and agenda items, counted per 年度."""
