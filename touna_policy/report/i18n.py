"""Texts and number formats in Bahasa Indonesia (``id``, the default) and English (``en``).

Every text a report, chart or notebook shows comes from one catalogue per language: the YAML files
of ``touna_policy/locales/<lang>/``, merged into flat keys such as ``coverage.chart_title`` (a file
holds one or more top-level sections; a key may be defined only once per language). Numbers are
formatted for the language with babel: ``Rp 4,42 miliar`` and ``21.900 pekerja`` in Indonesian,
``IDR 4.42 billion`` and ``21,900 workers`` in English.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from babel.numbers import format_decimal, format_percent

from touna_policy.errors import InputError, did_you_mean

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
_BABEL_LOCALE = {"id": "id_ID", "en": "en_US"}


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`InputError` with the nearest one."""
    if lang not in LANGUAGES:
        raise InputError.single(
            "<language>", "lang", repr(lang), f"one of {', '.join(LANGUAGES)}", did_you_mean(str(lang), LANGUAGES)
        )
    return lang


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (the same mappings, a tenth of the time), else PyYAML's."""


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """The flat key -> text mapping of one language."""
    check_language(lang)
    flat: dict[str, str] = {}

    def walk(obj, prefix, path):
        for key, value in obj.items():
            dotted = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                walk(value, dotted, path)
            elif dotted in flat:
                raise ValueError(f"{path}: text key '{dotted}' is defined twice in the {lang} catalogue")
            else:
                flat[dotted] = str(value)

    for path in sorted((LOCALES_DIR / lang).glob("*.yaml")):
        walk(yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}, "", path)
    return flat


def babel_locale(lang: str) -> str:
    """The Babel locale of a report language: ``id_ID`` / ``en_US``."""
    return _BABEL_LOCALE[check_language(lang)]


def text(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The catalogue text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    cat = catalogue(lang)
    if key not in cat:
        raise KeyError(f"no text '{key}' in the {lang} catalogue; {did_you_mean(key, cat)}".rstrip("; "))
    return cat[key].format(**values) if values else cat[key]


t = text


@lru_cache(maxsize=64)
def _number_format(lang: str, decimals: int, percent: bool):
    """The parsed babel pattern and locale of a number format (parsed once, not at every number)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + ("%" if percent else "")
    return parse_pattern(pattern), Locale.parse(_BABEL_LOCALE[check_language(lang)])


def number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """``21.900`` (id) / ``21,900`` (en)."""
    pattern, locale = _number_format(lang, decimals, False)
    return format_decimal(value, format=pattern, locale=locale)


def workers(value: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """``21.900 pekerja`` / ``21,900 workers``."""
    return f"{number(round(value), lang)} {text('units.workers', lang)}"


def share(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A 0-1 share as a percentage: ``30,2%`` / ``30.2%``."""
    pattern, locale = _number_format(lang, decimals, True)
    return format_percent(value, format=pattern, locale=locale)


def money(value_idr: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """Rupiah in words of scale: ``Rp 4,42 miliar`` / ``IDR 4.42 billion``; ``Rp 30,24 juta``; a whole
    number of the scale without decimals: ``Rp 1 miliar``, ``Rp 134 miliar`` (not ``Rp 1,00 miliar``)."""
    lang = check_language(lang)
    prefix = text("units.currency", lang)
    for scale, key in ((1e12, "units.trillion"), (1e9, "units.billion"), (1e6, "units.million")):
        if abs(value_idr) >= scale:
            scaled = value_idr / scale
            whole = round(scaled, decimals) == round(scaled)
            return f"{prefix} {number(scaled, lang, 0 if whole else decimals)} {text(key, lang)}"
    return f"{prefix} {number(value_idr, lang)}"


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a catalogue text expects (format specs and conversions dropped)."""
    from string import Formatter

    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}


def catalogue_differences(langs: tuple[str, ...] = LANGUAGES) -> list[str]:
    """Every way the catalogues disagree: a file present in one folder only, a key missing in one
    language, or a text whose ``{placeholders}`` differ. Empty when they match."""
    problems: list[str] = []
    files = {lang: {p.name for p in (LOCALES_DIR / lang).glob("*.yaml")} for lang in langs}
    for name in sorted(set().union(*files.values())):
        for lang in langs:
            if name not in files[lang]:
                problems.append(f"locales/{lang}/{name} is missing (it exists for another language)")
    cats = {lang: catalogue(lang) for lang in langs}
    for key in sorted(set().union(*cats.values())):
        present = [lang for lang in langs if key in cats[lang]]
        for lang in langs:
            if key not in cats[lang]:
                problems.append(f"key '{key}' is missing in the {lang} catalogue (present in {', '.join(present)})")
        if len(present) == len(langs):
            names = {lang: placeholders(cats[lang][key]) for lang in langs}
            if len({frozenset(v) for v in names.values()}) > 1:
                problems.append(
                    f"key '{key}' has different placeholders: "
                    + "; ".join(f"{lang} {sorted(v)}" for lang, v in names.items())
                )
    return problems
