"""Headless Chromium: where to find it and the flags every use shares (screenshots, checks, PDF)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell")
CHROMIUM_HINT = (
    "no headless Chromium found for --pdf; install it (Debian/Ubuntu: `apt-get install chromium`) "
    "or set TOUNA_CHROMIUM to its path; the HTML report was written"
)

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags of every headless run: no sandbox (root in CI), no GPU, nothing fetched from the network."""


def find_chromium() -> str | None:
    """The headless browser to use: ``$TOUNA_CHROMIUM`` or the first of chromium/chrome on PATH, else None."""
    named = os.environ.get("TOUNA_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None
