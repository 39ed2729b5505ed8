"""``reports/index.html``: every run under a reports folder, newest first, written atomically."""

from __future__ import annotations

from pathlib import Path

from touna_policy.io import atomic_write_text
from touna_policy.pipeline.manifest import all_runs
from touna_policy.report.html import index_html
from touna_policy.report.i18n import DEFAULT_LANGUAGE


def write_index(out: str | Path, lang: str = DEFAULT_LANGUAGE) -> Path:
    """Write ``out/index.html`` listing every run (atomic)."""
    out = Path(out)
    return atomic_write_text(out / "index.html", index_html(all_runs(out), out, lang))
