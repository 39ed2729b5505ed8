"""``reports/index.html``: every run under a reports folder, newest first, with each run's headline
figures read from its saved tables (``summary.csv``, ``villages.csv``, ``manifest.json``), written
atomically. The model is not run again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from touna_policy.io import atomic_write_text
from touna_policy.pipeline.manifest import all_runs, read_manifest
from touna_policy.report.comparison import scenario_short_title, scenario_title
from touna_policy.report.i18n import DEFAULT_LANGUAGE
from touna_policy.report.index_page import HeadlineFigures, headline_figures, index_html

VILLAGE_COLUMNS = ["type", "year", "premium_apbdes_idr"]
"""The village columns the headline's cost per desa needs (the rest of ``villages.csv`` is not read)."""


def read_headline(run_dir: str | Path) -> HeadlineFigures | None:
    """A finished scenario run's :func:`~touna_policy.report.index_page.headline_figures`, from what the
    folder holds; ``None`` when it has no ``summary.csv`` or the table cannot be read."""
    run_dir = Path(run_dir)
    summary = run_dir / "summary.csv"
    if not summary.is_file():
        return None
    try:
        district = pd.read_csv(summary)
        villages_csv = run_dir / "villages.csv"
        villages = pd.read_csv(villages_csv, usecols=VILLAGE_COLUMNS) if villages_csv.is_file() else None
        return headline_figures(district, villages)
    except (ValueError, KeyError, IndexError, OSError):  # a damaged table: the row shows dashes
        return None


def write_index(out: str | Path, lang: str = DEFAULT_LANGUAGE) -> Path:
    """Write ``out/index.html`` listing every run with its headline figures (atomic)."""
    out = Path(out)
    runs = [
        dict(r, title=scenario_title(entry, lang) or r["title"], short_title=scenario_short_title(entry, lang))
        for r in all_runs(out)
        for entry in [_scenario_entry(r)]
    ]
    figures = {
        r["path"]: f
        for r in runs
        if r["kind"] != "comparison" and r["status"] == "complete"
        for f in [read_headline(r["path"])]
        if f is not None
    }
    compared = {
        r["path"]: [_short_name(x, lang) for x in (read_manifest(r["path"]) or {}).get("runs", [])]
        for r in runs
        if r["kind"] == "comparison"
    }
    return atomic_write_text(out / "index.html", index_html(runs, out, lang, figures, compared))


def _scenario_entry(run: dict) -> dict:
    """The manifest's ``scenario`` entry of a listed run (empty for a failed run without manifest)."""
    return (read_manifest(run["path"]) or {}).get("scenario") or {}


def _short_name(compared_run: dict, lang: str) -> str:
    """A compared run's short scenario name (from its run folder's manifest), else its scenario id."""
    entry = (read_manifest(compared_run["path"]) or {}).get("scenario") or {} if compared_run.get("path") else {}
    return scenario_short_title(entry, lang) or str(compared_run.get("scenario", ""))
