"""Model tables a planner can read: the fitted trend of the other channels as coefficients with plain
labels, in place of the raw statsmodels summary (``const``, ``x1``, ``P>|z|``)."""

from __future__ import annotations

import html

import numpy as np

from touna_policy.report import i18n

TREND_ALPHA = 0.10
"""The interval printed beside each coefficient: 90 %, as the trend chart's band."""


def _p_value(p: float, lang: str) -> str:
    return "<\u00a0" + i18n.number(0.001, lang, 3) if p < 0.001 else i18n.number(p, lang, 3)  # kept on one line


def trend_coefficient_rows(trend, lang: str) -> list[list[str]]:
    """One row per channel and term: channel, term, estimate, standard error, p-value, 90 % interval."""
    rows = []
    for channel, res in trend.results.items():
        params, se, p = (np.asarray(v, dtype=float) for v in (res.params, res.bse, res.pvalues))
        ci = np.asarray(res.conf_int(alpha=TREND_ALPHA), dtype=float)
        terms = (
            i18n.text("annex.model.intercept", lang, year=trend.reference_year),
            i18n.text("annex.model.slope", lang),
        )
        for k, term in enumerate(terms):
            rows.append(
                [
                    i18n.text(f"estimation.channel_{channel}", lang) if k == 0 else "",
                    term,
                    i18n.number(params[k], lang, 3),
                    i18n.number(se[k], lang, 3),
                    _p_value(p[k], lang),
                    f"{i18n.number(ci[k, 0], lang, 3)} – {i18n.number(ci[k, 1], lang, 3)}",
                ]
            )
    return rows


def trend_coefficients_html(trend, lang: str) -> str:
    """The trend's coefficients as a table (with a note saying how to read a logit coefficient)."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    keys = ("channel", "term", "estimate", "std_error", "p_value", "interval")
    head = "".join(f"<th>{e(i18n.text(f'annex.model.columns.{k}', lang))}</th>" for k in keys)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in trend_coefficient_rows(trend, lang)
    )
    note = e(i18n.text("annex.model.read", lang))
    return f'<table class="touna-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{note}</p>'


def show_trend_coefficients(trend, lang: str) -> None:
    """Display :func:`trend_coefficients_html` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(trend_coefficients_html(trend, lang)))
