"""Language rules for the text a person reads in a report, per report language (issue 13).

:func:`language_problems` is pure: it takes the texts (a report's visible text, a catalogue, the
sentences the narrative functions write) and returns what breaks the house style, each with its
examples. :mod:`touna_policy.report.browser_check` applies it to a rendered page; the tests apply it
to every catalogue text and to the narrative of every shipped scenario.

The rules:

- a doubled word (``pekerja pekerja``): a word followed by itself in lower case (place names such
  as ``Una Una`` are capitalised and pass; Indonesian reduplication is written with a hyphen);
- a percent written with a space (``50 %``): both languages write ``50%`` (PUEBI for Indonesian;
  :func:`touna_policy.report.i18n.share` formats every share so);
- in Indonesian, *premi* (the glossary's word is *iuran*);
- a scenario id in kebab case (``satu-miliar-150``): a reader sees the scenario's title;
- a number with more than three decimals (``0,0205``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DOUBLED_WORD = re.compile(r"(?<![\w-])([^\W\d_]{2,})\s+(\1)(?![\w-])", re.IGNORECASE)
PERCENT_WITH_SPACE = re.compile(r"\d\s%")
SCENARIO_ID = re.compile(r"(?<![\w/.-])[a-z]{3,}(?:-[a-z]+)*-\d+(?![\w/-]|\.\w)")
"""A scenario name as the shipped ones are spelt (``baseline-100``, ``arrears-2025``)."""
LONG_DECIMAL = re.compile(r"(?<![\w.,])\d+[.,]\d{4,}(?![\d])")

WORDS_TO_AVOID = {"id": re.compile(r"\bpremi\b", re.IGNORECASE)}
"""Per language: words the glossary replaces (``glossary.contribution.avoid``)."""


def doubled_words(text: str) -> list[str]:
    """``pekerja pekerja`` and the like: a word repeated, the second time in lower case."""
    return [m.group(0) for m in DOUBLED_WORD.finditer(text) if m.group(2)[0].islower()]


def scenario_ids(text: str, names: Iterable[str] = ()) -> list[str]:
    """Scenario names in kebab case, and any of ``names`` (the scenarios a report is about)."""
    found = [m.group(0) for m in SCENARIO_ID.finditer(text)]
    for name in names:
        found += re.findall(rf"(?<![\w/.-]){re.escape(name)}(?![\w/-]|\.\w)", text)
    return found


def language_problems(
    texts: Iterable[str], lang: str, scenario_names: Iterable[str] = (), allowed: Iterable[str] = ()
) -> list[tuple[str, list[str]]]:
    """What in ``texts`` breaks the report language's rules: ``[(what, sorted examples), ...]``,
    empty when none does. ``allowed``: strings that pass (e.g. a run id a title page shows as code)."""
    names, allowed = tuple(scenario_names), set(allowed)
    found: dict[str, set[str]] = {}

    def note(what: str, hits: Iterable[str]) -> None:
        hits = set(hits) - allowed
        if hits:
            found.setdefault(what, set()).update(hits)

    avoid = WORDS_TO_AVOID.get(lang)
    for text in texts:
        note("a doubled word", doubled_words(text))
        note("a percent written with a space", (m.group(0) for m in PERCENT_WITH_SPACE.finditer(text)))
        note("a scenario id instead of its title", scenario_ids(text, names))
        note("a number with more than three decimals", (m.group(0) for m in LONG_DECIMAL.finditer(text)))
        if avoid is not None:
            note(f"a word the {lang} glossary avoids", (m.group(0) for m in avoid.finditer(text)))
    return [(what, sorted(hits)) for what, hits in found.items()]


NOTED_RULES: tuple[str, ...] = ()
"""Rules a rendered report is only noted for, not failed on: none now (a scenario id and a number with
more than three decimals fail every shipped report's check; the tuple is where a new rule would start)."""


def page_language(texts: Iterable[str]) -> str | None:
    """The report language of a page: the one whose report subtitle it shows (None when neither)."""
    from touna_policy.report import i18n

    joined = " ".join(texts)
    found = [lang for lang in i18n.LANGUAGES if i18n.text("report.subtitle", lang) in joined]
    return found[0] if len(found) == 1 else None


def page_problems(texts: Iterable[str]) -> tuple[list[str], list[str]]:
    """A rendered page's text nodes checked by :func:`language_problems` in the page's language
    (:func:`page_language`; the language-neutral rules only when unknown): ``(failures, notes)``,
    each ``"what (n x): examples"``; rules in :data:`NOTED_RULES` are notes."""
    texts = list(texts)
    failures: list[str] = []
    notes: list[str] = []
    for what, hits in language_problems(texts, page_language(texts) or ""):
        (notes if what in NOTED_RULES else failures).append(f"{what} ({len(hits)}x): {', '.join(hits[:5])}")
    return failures, notes
