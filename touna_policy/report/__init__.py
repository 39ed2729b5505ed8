"""Stage 6, report: texts in two languages, tables, charts, the front page, HTML and PDF, and the browser check."""
