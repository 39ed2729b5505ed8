"""Writes the bad-input corpus in this folder: ``python tests/bad_inputs/make_corpus.py``.

The committed case folders are the corpus (each an input file plus ``expected.txt``, read by
tests/test_bad_inputs.py); this script only saves typing when adding a case, above all for the CSV
cases, which are whole copies of the shipped files with one thing broken. Add a ``case(...)`` call,
run the script, read the new ``expected.txt`` and run the tests.
"""

import csv
import io
from pathlib import Path

OUT = Path(__file__).resolve().parent
ROOT = OUT.parents[1]
OUT.mkdir(exist_ok=True)

BASE = """name: corpus-case
title: "Corpus case"
horizon: {start_year: 2023, end_year: 2030}
quota_per_village:
  desa: {2024: 100}
  kelurahan: {2025: 100}
"""


def case(name, filename, content, expected, header=None):
    d = OUT / name
    d.mkdir(exist_ok=True)
    for f in d.iterdir():
        f.unlink()
    p = d / filename
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_bytes(content.encode("utf-8"))
    head = "\n".join(f"{k}: {v}" for k, v in (header or {}).items())
    body = "\n".join(expected)
    (d / "expected.txt").write_text((head + "\n\n" if head else "") + body + "\n", encoding="utf-8")


SCN = {"command": "validate {input}\ncommand: project {input} --quiet\ncommand: run {input} --out {dir}/reports"}

# ---------------- scenario YAML
case("scenario_empty", "scenario.yaml", "", ["an empty file", "expected a YAML mapping"], SCN)
case(
    "scenario_only_comments",
    "scenario.yaml",
    "# a scenario will go here\n\n",
    ["a file with only comments", "expected a YAML mapping"],
    SCN,
)
case(
    "scenario_not_mapping_list",
    "scenario.yaml",
    "- name: a\n- title: b\n",
    ["top level", "found a list", "expected a mapping of scenario keys"],
    SCN,
)
case(
    "scenario_not_mapping_text",
    "scenario.yaml",
    "satu miliar 150\n",
    ["top level", "found text 'satu miliar 150'", "expected a mapping of scenario keys"],
    SCN,
)
case(
    "scenario_broken_syntax",
    "scenario.yaml",
    BASE.replace("desa: {2024: 100}", "desa: {2024: 100"),
    ["line 6", "broken YAML syntax", "expected valid YAML"],
    SCN,
)
case("scenario_tab_indent", "scenario.yaml", BASE.replace("  desa:", "\tdesa:"), ["line 5", "broken YAML syntax"], SCN)
case("scenario_two_documents", "scenario.yaml", BASE + "---\nname: other\n", ["line 7", "broken YAML syntax"], SCN)
case(
    "scenario_duplicate_key",
    "scenario.yaml",
    BASE + "quota_per_village:\n  desa: {2026: 150}\n",
    ["key 'quota_per_village' (line 7)", "a duplicate of the key first written on line 4", "each key once"],
    SCN,
)
case(
    "scenario_duplicate_year",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: 100, 2024: 150}"),
    ["key '2024' (line 5)", "duplicate"],
    SCN,
)
case(
    "scenario_unknown_key",
    "scenario.yaml",
    BASE.replace("quota_per_village:", "quota_per_vilage:"),
    ["key 'quota_per_vilage' (line 4)", "unknown key 'quota_per_vilage'", "did you mean 'quota_per_village'?"],
    SCN,
)
case(
    "scenario_unknown_nested_key",
    "scenario.yaml",
    BASE.replace("end_year", "end_yaer"),
    ["key 'horizon.end_yaer' (line 3)", "did you mean 'end_year'?"],
    SCN,
)
case(
    "scenario_unknown_village_type",
    "scenario.yaml",
    BASE.replace("  kelurahan: {2025", "  kelurhan: {2025"),
    ["key 'quota_per_village.kelurhan' (line 6)", "did you mean 'kelurahan'?"],
    SCN,
)
case(
    "scenario_quota_text",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: seratus}"),
    ["key 'quota_per_village.desa.2024' (line 5)", "found 'seratus'", "expected a valid integer"],
    SCN,
)
case(
    "scenario_year_key_text",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{tahun 2024: 100}"),
    ["quota_per_village.desa", "'tahun 2024'", "integer"],
    SCN,
)
case(
    "scenario_bool_wrong",
    "scenario.yaml",
    BASE + "include_jht: maybe\n",
    ["key 'include_jht' (line 7)", "found 'maybe'", "expected a valid boolean"],
    SCN,
)
case(
    "scenario_negative_quota",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: -100}"),
    ["key 'quota_per_village.desa' (line 5)", "quota -100 in 2024 is outside 0-100000 workers"],
    SCN,
)
case(
    "scenario_fractional_quota",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: 100.5}"),
    ["key 'quota_per_village.desa.2024' (line 5)", "found 100.5", "fractional part"],
    SCN,
)
case(
    "scenario_nan_compliance",
    "scenario.yaml",
    BASE + "payment_compliance_share: {2024: .nan}\n",
    ["key 'payment_compliance_share' (line 7)", "not a finite number"],
    SCN,
)
case(
    "scenario_infinite_income",
    "scenario.yaml",
    BASE + "declared_income_idr: .inf\n",
    ["key 'declared_income_idr' (line 7)", "found inf", "less than or equal to 1000000000"],
    SCN,
)
case(
    "scenario_nan_budget",
    "scenario.yaml",
    BASE + "programme_budget_per_village_idr:\n  desa: {2026: .NaN}\n",
    ["key 'programme_budget_per_village_idr.desa' (line 8)", "not a finite number"],
    SCN,
)
case(
    "scenario_share_above_one",
    "scenario.yaml",
    BASE + "transport_worker_share: 1.5\n",
    ["key 'transport_worker_share' (line 7)", "found 1.5", "expected less than or equal to 1"],
    SCN,
)
case(
    "scenario_start_year_out_of_range",
    "scenario.yaml",
    BASE.replace("start_year: 2023", "start_year: 1990"),
    ["key 'horizon.start_year' (line 3)", "found 1990", "expected greater than or equal to 2000"],
    SCN,
)
case(
    "scenario_years_reversed",
    "scenario.yaml",
    BASE.replace("start_year: 2023, end_year: 2030", "start_year: 2035, end_year: 2023"),
    ["key 'horizon' (line 3)", "end_year 2023 is before start_year 2035"],
    SCN,
)
case(
    "scenario_schedule_year_out_of_range",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{1924: 100}"),
    ["key 'quota_per_village.desa' (line 5)", "year 1924 is outside 2000-2100"],
    SCN,
)
case(
    "scenario_override_unknown_village",
    "scenario.yaml",
    BASE + 'overrides:\n  - {village: "72.09.01.2095", quota: {2030: 200}}\n',
    ["key 'overrides.0.village' (line 8)", "'72.09.01.2095', not a village of area 72.09", "did you mean '72.09.01.20"],
    SCN,
)
case(
    "scenario_override_unknown_kecamatan",
    "scenario.yaml",
    BASE + 'overrides:\n  - {kecamatan: "Ampana Kot", payment_compliance_share: {2025: 0.9}}\n',
    ["key 'overrides.0.kecamatan' (line 8)", "not a kecamatan of area 72.09", "did you mean 'Ampana Kota'?"],
    SCN,
)
case(
    "scenario_override_bad_code",
    "scenario.yaml",
    BASE + 'overrides:\n  - {village: "72.9.1.2005", quota: {2030: 200}}\n',
    ["key 'overrides.0.village' (line 8)", "found '72.9.1.2005'", "expected Kemendagri village code"],
    SCN,
)
case(
    "scenario_python_object_tag",
    "scenario.yaml",
    BASE + 'description: !!python/object/apply:os.system ["echo owned"]\n',
    ["line 7", "a YAML tag that would construct an object", "plain YAML values"],
    SCN,
)
case(
    "scenario_custom_tag",
    "scenario.yaml",
    BASE + "description: !include notes.md\n",
    ["line 7", "a YAML tag that would construct an object", "!include"],
    SCN,
)
case(
    "scenario_name_path_traversal",
    "scenario.yaml",
    BASE.replace("name: corpus-case", "name: ../../etc/cron.d"),
    ["key 'name' (line 1)", "found '../../etc/cron.d'", "expected short id, used for folder names (a-z, 0-9, - and _)"],
    SCN,
)
case(
    "scenario_missing_title",
    "scenario.yaml",
    BASE.replace('title: "Corpus case"\n', ""),
    ["key 'title'", "found nothing", "expected this required key"],
    SCN,
)
case(
    "scenario_allocation_rule_misspelled",
    "scenario.yaml",
    BASE + "allocation_rule: proportinal\n",
    [
        "key 'allocation_rule' (line 7)",
        "found 'proportinal'",
        "expected 'equal', 'proportional'",
        "did you mean 'proportional'?",
    ],
    SCN,
)
case(
    "scenario_key_is_list",
    "scenario.yaml",
    BASE + "[desa, kelurahan]: 150\n",
    ["line 7", "a key that is a list or mapping"],
    SCN,
)
case(
    "scenario_not_utf8",
    "scenario.yaml",
    (BASE.replace("Corpus case", "Kecamatan Tojo \u2013 Pemda")).encode("cp1252"),
    ["text that is not UTF-8", "a UTF-8 text file"],
    SCN,
)
case(
    "scenario_many_problems",
    "scenario.yaml",
    BASE.replace("name: corpus-case", "name: Corpus Case").replace("end_year", "end_yaer") + "seed: -1\n",
    ["3 problems", "key 'name' (line 1)", "key 'horizon.end_yaer' (line 3)", "key 'seed' (line 7)"],
    {"command": "validate {input}"},
)

U = BASE + "uncertainty:\n  draws: 200\n"
case(
    "uncertainty_negative_sd",
    "scenario.yaml",
    U + "  workforce_growth_share_per_year: {distribution: normal, mean: 0.01, sd: -0.01}\n",
    [
        "key 'uncertainty.workforce_growth_share_per_year.sd' (line 9)",
        "found -0.01",
        "expected greater than or equal to 0",
    ],
    SCN,
)
case(
    "uncertainty_low_above_high",
    "scenario.yaml",
    U + "  payment_compliance_factor: {distribution: uniform, low: 0.95, high: 0.7}\n",
    ["key 'uncertainty.payment_compliance_factor' (line 9)", "low 0.95 is above high 0.7"],
    SCN,
)
case(
    "uncertainty_beta_sd_too_large",
    "scenario.yaml",
    U + "  self_paid_lapse_share: {distribution: beta, mean: 0.9, sd: 0.5}\n",
    ["key 'uncertainty.self_paid_lapse_share' (line 9)", "sd 0.5 is too large for a beta with mean 0.9"],
    SCN,
)
case(
    "uncertainty_outside_valid_range",
    "scenario.yaml",
    U + "  workforce_growth_share_per_year: {distribution: normal, mean: 0.01, sd: 0.1}\n",
    [
        "key 'uncertainty.workforce_growth_share_per_year' (line 9)",
        "outside the valid range -0.05-0.1 of workforce_growth_share_per_year",
    ],
    SCN,
)
case(
    "uncertainty_nan_parameter",
    "scenario.yaml",
    U + "  mortality_rate_per_year: {distribution: triangular, low: 0.0, mode: .nan, high: 0.01}\n",
    ["key 'uncertainty.mortality_rate_per_year' (line 9)", "mode nan is not a finite number"],
    SCN,
)
case(
    "uncertainty_distribution_misspelled",
    "scenario.yaml",
    U + "  vulnerable_share_factor: {distribution: Normal, sd: 0.1}\n",
    ["key 'uncertainty.vulnerable_share_factor.distribution' (line 9)", "found 'Normal'", "did you mean 'normal'?"],
    SCN,
)
case(
    "uncertainty_unknown_input",
    "scenario.yaml",
    U + "  workforce_growth: {distribution: normal, mean: 0.01, sd: 0.005}\n",
    ["key 'uncertainty.workforce_growth' (line 9)", "did you mean 'workforce_growth_share_per_year'?"],
    SCN,
)
case(
    "uncertainty_zero_draws",
    "scenario.yaml",
    U.replace("draws: 200", "draws: 0"),
    ["key 'uncertainty.draws' (line 8)", "found 0", "expected greater than or equal to 1"],
    SCN,
)

# ---------------- data CSVs
wf_text = (ROOT / "data/processed/village_workforce.csv").read_text(encoding="utf-8")
rows = list(csv.reader(io.StringIO(wf_text)))
header, body = rows[0], rows[1:]
for r in body:
    r[9] = "estimate"


def wf(rows_, delim=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(rows_)
    return buf.getvalue()


col = {c: i for i, c in enumerate(header)}


def patched(row_no, column, value):
    b = [list(r) for r in body]
    b[row_no - 2][col[column]] = value
    return wf([header] + b)


V = {"command": "validate {input}"}
case("workforce_empty", "village_workforce.csv", "", ["an empty file", "a header row with columns code, village"], V)
case(
    "workforce_header_only",
    "village_workforce.csv",
    wf([header]),
    ["a header row and no data rows", "at least one data row"],
    V,
)
h2 = [c if c != "vulnerable_workers" else "vulnerable_worker" for c in header]
case(
    "workforce_missing_column",
    "village_workforce.csv",
    wf([h2] + body),
    ["column 'vulnerable_workers'", "no such column", "did you mean 'vulnerable_worker'?"],
    V,
)
case(
    "workforce_unknown_kecamatan",
    "village_workforce.csv",
    patched(5, "kecamatan", "Una Unaa"),
    ["row 5, column 'kecamatan'", "'Una Unaa'", "'Una Una', the registry's kecamatan", "did you mean 'Una Una'?"],
    V,
)
b = [list(r) for r in body]
b[3][0] = b[2][0]
case(
    "workforce_duplicate_code",
    "village_workforce.csv",
    wf([header] + b),
    ["row 4, column 'code'", "row 5, column 'code'", "a value not repeated in another row"],
    V,
)
case(
    "workforce_negative_count",
    "village_workforce.csv",
    patched(7, "vulnerable_workers", "-289"),
    ["row 7, column 'vulnerable_workers'", "-289", "not negative"],
    V,
)
case(
    "workforce_non_numeric_count",
    "village_workforce.csv",
    patched(9, "population", "n/a"),
    ["row 9, column 'population'", "'n/a'", "a finite number"],
    V,
)
case(
    "workforce_thousands_separator",
    "village_workforce.csv",
    patched(3, "population", "1.983"),
    [
        "2 problems",
        "row 3, column 'population': found 1.983; expected a whole number of people",
        "row 3, column 'working_population'",
        "at most the population (1.983)",
    ],
    V,
)
b = [list(r) for r in body]
b[4][col["population"]] = "-983"
b[7][col["type"]] = "Desa"
b[9][col["code"]] = "72.09.01.20O9"
case(
    "workforce_many_problems",
    "village_workforce.csv",
    wf([header] + b),
    [
        "3 problems",
        "row 6, column 'population': found -983",
        "row 9, column 'type': found 'Desa'",
        "did you mean 'desa'?",
        "row 11, column 'code': found '72.09.01.20O9'; expected a Kemendagri village code such as 72.09.01.2005",
    ],
    V,
)
case(
    "workforce_semicolon_delimiter",
    "village_workforce.csv",
    wf([header] + body, ";"),
    ["row 1", "a semicolon-delimited header", "comma-separated values"],
    V,
)
case(
    "workforce_tab_delimiter",
    "village_workforce.csv",
    wf([header] + body, "\t"),
    ["row 1", "a tab-delimited header"],
    V,
)
case(
    "workforce_unknown_village",
    "village_workforce.csv",
    patched(4, "code", "72.09.01.2099"),
    ["row 4, column 'code'", "'72.09.01.2099', a village not in the registry", "did you mean"],
    V,
)
case(
    "workforce_vulnerable_above_working",
    "village_workforce.csv",
    patched(6, "vulnerable_workers", "900"),
    ["row 6, column 'vulnerable_workers'", "found 900", "at most the working population (499)"],
    V,
)
case(
    "workforce_ragged_row",
    "village_workforce.csv",
    wf([header] + body[:3] + [body[3] + ["extra", "cells"]] + body[4:]),
    ["rows that do not parse as CSV", "line 5", "the same number of fields"],
    V,
)
case(
    "workforce_latin1",
    "village_workforce.csv",
    patched(2, "village", "Tanjung Pinang \u00e9").encode("latin-1"),
    ["text that is not UTF-8", "CSV UTF-8"],
    V,
)
case(
    "workforce_missing_villages",
    "village_workforce.csv",
    wf([header] + body[:-3]),
    ["column 'code'", "3 villages of the registry missing", "one row for every village"],
    V,
)
# BOM from a spreadsheet export: accepted silently and read correctly (see test_bad_inputs)
case(
    "workforce_bom_accepted",
    "village_workforce.csv",
    b"\xef\xbb\xbf" + wf([header] + body).encode("utf-8"),
    ["ok:"],
    {"command": "validate {input}", "exit": "0", "stream": "stdout"},
)

reg_text = (ROOT / "data/raw/touna_villages.csv").read_text(encoding="utf-8")
reg_lines = reg_text.splitlines()
case(
    "registry_duplicate_code",
    "touna_villages.csv",
    "\n".join(reg_lines[:3] + [reg_lines[2]] + reg_lines[3:]) + "\n",
    ["row 3, column 'code'", "row 4, column 'code'", "a value not repeated"],
    V,
)
r = reg_lines[:]
r[1] = r[1].replace(",desa,", ",kelurahan,")
case(
    "registry_type_mismatch",
    "touna_villages.csv",
    "\n".join(r) + "\n",
    ["row 2, column 'type'", "'kelurahan'", "codes .1xxx are kelurahan"],
    V,
)
r = reg_lines[:]
r[1] = r[1].replace(",desa,", ",dusun,")
case(
    "registry_unknown_type", "touna_villages.csv", "\n".join(r) + "\n", ["row 2, column 'type'", "'dusun'", "one of"], V
)

ind = (ROOT / "data/raw/regency_indicators.csv").read_text(encoding="utf-8")
case(
    "indicators_share_above_one",
    "regency_indicators.csv",
    ind.replace("informal_worker_share,0,2024,0.5795", "informal_worker_share,0,2024,57.95"),
    ["row 6, column 'value'", "57.95", "a share between 0 and 1"],
    V,
)

pop = (ROOT / "data/raw/regency_population.csv").read_text(encoding="utf-8")
plines = pop.splitlines()
pl = plines[:]
parts = pl[2].split(",")
parts[1] = "-" + parts[1]
pl[2] = ",".join(parts)
case(
    "population_negative",
    "regency_population.csv",
    "\n".join(pl) + "\n",
    ["row 3, column 'population'", "expected a number above 0"],
    V,
)

cov = (ROOT / "data/parameters/coverage_assumptions.yaml").read_text(encoding="utf-8")
case(
    "coverage_assumptions_share_above_one",
    "coverage_assumptions.yaml",
    cov.replace("value: 0.40", "value: 40"),
    ["key 'wage_earner_coverage_share.value' (line", "found 40", "less than or equal to 1"],
    V,
)
bpu = (ROOT / "data/parameters/bpjs_bpu.yaml").read_text(encoding="utf-8")
case(
    "bpu_parameters_unknown_key",
    "bpjs_bpu.yaml",
    bpu.replace("jkm_death_benefit:", "jkm_death_benefits:"),
    ["key 'jkm_death_benefits' (line 77)", "unknown key", "did you mean 'jkm_death_benefit'?"],
    V,
)

# ---------------- CLI misuse
case(
    "cli_missing_file",
    "README.txt",
    "the scenario is not here\n",
    ["no such file", "an existing scenario YAML file"],
    {"command": "project {input}.missing.yaml", "names": "{input}.missing.yaml"},
)
case(
    "cli_folder_as_scenario",
    "README.txt",
    "run `touna-policy project` on this folder\n",
    ["a folder", "a YAML file"],
    {"command": "project {dir}", "names": "{dir}"},
)
case(
    "cli_output_is_folder",
    "scenario.yaml",
    BASE,
    ["--csv", "a folder", "a file path to write a CSV to"],
    {"command": "project {input} --csv {dir} --quiet", "names": "{dir}"},
)
case(
    "cli_output_under_a_file",
    "scenario.yaml",
    BASE,
    ["--csv", "a folder that cannot be created", "a writable output location"],
    {"command": "project {input} --csv {input}/out/summary.csv --quiet"},
)
case(
    "cli_validate_unknown_kind",
    "notes.txt",
    "not a scenario\n",
    ["a file of unknown kind ('.txt')", "a scenario .yaml"],
    V,
)
case(
    "cli_validate_folder",
    "README.txt",
    "folder\n",
    ["a folder", "expected a file"],
    {"command": "validate {dir}", "names": "{dir}"},
)
case(
    "cli_verify_without_manifest",
    "README.txt",
    "not a run folder\n",
    ["manifest.json: found no such file", "expected the manifest.json a run writes"],
    {"command": "verify {dir}", "names": "{dir}/manifest.json"},
)
case(
    "cli_verify_broken_manifest",
    "manifest.json",
    '{"input_checksums": {"data/raw/touna_villages.csv": "ab",\n',
    ["line 2, column 1", "text that is not valid JSON", "expected the JSON manifest of a run"],
    {"command": "verify {dir}"},
)
case(
    "cli_verify_manifest_without_checksums",
    "manifest.json",
    '{"scenario": "satu-miliar-150"}\n',
    ["key 'input_checksums'", "found no input checksums", "relative to the project root"],
    {"command": "verify {dir}"},
)
case(
    "cli_output_folder_not_writable",
    "scenario.yaml",
    BASE,
    ["--csv", "a folder that cannot be written", "expected a writable output location"],
    {"command": "project {input} --csv /sys/summary.csv --quiet", "names": "/sys/summary.csv"},
)

# ---------------- notebook parameters (checked by touna_policy.pipeline.notebook_params before a kernel starts)
NB = {"notebook": "notebooks/02-coverage-projection.ipynb"}
case(
    "notebook_param_misspelled",
    "parameters.yaml",
    "sed: 7\n",
    ["parameter 'sed'", "unknown parameter 'sed'", "did you mean 'seed'?"],
    NB,
)
case(
    "notebook_param_unknown",
    "parameters.yaml",
    "language: en\n",
    ["parameter 'language'", "unknown parameter 'language'", "did you mean 'lang'?"],
    NB,
)
case("notebook_param_seed_text", "parameters.yaml", "seed: '42'\n", ["parameter 'seed'", "found '42'", "integer"], NB)
case(
    "notebook_param_seed_negative",
    "parameters.yaml",
    "seed: -1\n",
    ["parameter 'seed'", "found -1", "greater than or equal to 0"],
    NB,
)
case(
    "notebook_param_lang_unknown",
    "parameters.yaml",
    "lang: fr\n",
    ["parameter 'lang'", "found 'fr'", "'id' or 'en'"],
    NB,
)

# ---------------- run / batch misuse (the report runner)
case(
    "cli_run_missing_scenario",
    "README.txt",
    "no scenario here\n",
    ["scenario: found no such file", "expected a scenario YAML file"],
    {"command": "run {input}.missing.yaml --out {dir}/reports", "names": "{input}.missing.yaml"},
)
# a batch goes on past a bad scenario: that scenario fails (exit 1) and the table names its file and problem
case(
    "cli_batch_bad_scenario_fails_that_run",
    "scenario.yaml",
    BASE.replace("quota_per_village:", "quota_per_vilage:"),
    ["failed", "key 'quota_per_vilage' (line 4)", "did you mean 'quota_per_village'?", "0 succeeded, 1 failed"],
    {"command": "batch {input} --out {dir}/reports --quiet", "exit": "1", "stream": "stdout"},
)
case(
    "cli_run_folder_as_scenario",
    "README.txt",
    "a folder\n",
    ["scenario: found a folder", "expected a scenario YAML file"],
    {"command": "run {dir} --out {dir}/reports", "names": "{dir}"},
)
case(
    "cli_run_output_not_writable",
    "scenario.yaml",
    BASE,
    ["--out", "a folder that cannot be written", "expected a writable output folder"],
    {
        "command": "run {input} --out /sys/reports\ncommand: batch {input} --out /sys/reports --quiet",
        "names": "/sys/reports",
    },
)
case(
    "cli_run_output_is_a_file",
    "scenario.yaml",
    BASE,
    ["--out", "found a file", "expected a folder to write reports into"],
    {"command": "run {input} --out {input}", "names": "{input}"},
)
case(
    "cli_run_language_unknown",
    "scenario.yaml",
    BASE,
    ["found 'fr'", "expected one of id, en"],
    {"command": "run {input} --lang fr --out {dir}/reports", "names": "lang"},
)
case(
    "cli_run_seed_negative",
    "scenario.yaml",
    BASE,
    ["parameter 'seed'", "found -1", "greater than or equal to 0"],
    {"command": "run {input} --seed -1 --out {dir}/reports", "names": "01-data-overview.ipynb"},
)
case(
    "cli_run_seed_not_a_number",
    "scenario.yaml",
    BASE,
    ["argument --seed: invalid int value: 'abc'"],
    {"command": "run {input} --seed abc", "names": "--seed"},
)
case(
    "cli_batch_timeout_zero",
    "scenario.yaml",
    BASE,
    ["argument --timeout: '0': expected a positive number of seconds"],
    {"command": "batch {input} --timeout 0", "names": "--timeout"},
)
case(
    "cli_batch_jobs_zero",
    "scenario.yaml",
    BASE,
    ["argument --jobs: '0': expected 1 or more"],
    {"command": "batch {input} --jobs 0", "names": "--jobs"},
)

# ================= issue 15, written by helper INPUTS: one folder per case, named i<class>_...
# ---------------- class 1: numbers silently read as other numbers
case(
    "i1_scenario_octal_quota",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: 0150}"),
    ["line 5", "found 0150", "YAML 1.1 reads 0150 as octal 104", "expected a plain decimal number such as 150"],
    SCN,
)
case(
    "i1_scenario_base60_quota",
    "scenario.yaml",
    BASE.replace("desa: {2024: 100}", "desa:\n    2024: 2:30"),
    ["line 6", "found 2:30", "a base-60 number (YAML 1.1 reads 2:30 as 150)", "plain decimal number"],
    SCN,
)
case(
    "i1_scenario_true_as_quota",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{2024: true}"),
    ["key 'quota_per_village.desa.2024' (line 5)", "found True", "a valid integer", "not true/false"],
    SCN,
)
case(
    "i1_scenario_true_as_compliance_share",
    "scenario.yaml",
    BASE + "payment_compliance_share: {2024: true}\n",
    ["key 'payment_compliance_share.2024' (line 7)", "found True", "a valid number", "not true/false"],
    SCN,
)
case(
    "i12_scenario_payment_probability_above_one",
    "scenario.yaml",
    BASE + "payment_probability:\n  - {kecamatan: Togean, probability_per_month: 1.5}\n",
    ["key 'payment_probability.0.probability_per_month' (line 8)", "found 1.5", "less than or equal to 1"],
    SCN,
)
case(
    "i12_scenario_payment_probability_unknown_kecamatan",
    "scenario.yaml",
    BASE + "payment_probability:\n  - {kecamatan: Walea Besr, probability_per_month: 0.5}\n",
    ["key 'payment_probability.0.kecamatan' (line 8)", "'Walea Besr', not a kecamatan", "did you mean 'Walea Besar'"],
    SCN,
)
case(
    "i1_scenario_yes_as_year_key",
    "scenario.yaml",
    BASE.replace("{2024: 100}", "{yes: 100}"),
    ["key 'quota_per_village.desa.yes", "(line 5)", "found 'yes'", "a year as a valid integer such as 2024"],
    SCN,
)
case(
    "i1_scenario_year_twice_once_quoted",
    "scenario.yaml",
    BASE.replace("{2024: 100}", '{2024: 100, "2024": 150}'),
    ["key '2024' (line 5)", "a duplicate of the key first written on line 5", "each key once"],
    SCN,
)
case(
    "i1_scenario_quoted_quota",
    "scenario.yaml",
    BASE.replace("{2024: 100}", '{2024: "150"}'),
    ["key 'quota_per_village.desa.2024' (line 5)", "found '150'", "not text"],
    SCN,
)
case(
    "i1_scenario_hex_seed",
    "scenario.yaml",
    BASE + "seed: 0x1F\n",
    ["line 7", "found 0x1F", "a hexadecimal, octal or binary number"],
    SCN,
)
case(
    "i1_scenario_underscore_budget",
    "scenario.yaml",
    BASE + "programme_budget_per_village_idr:\n  desa: {2026: 1_000_000_000}\n",
    ["line 8", "found 1_000_000_000", "a number with '_' separators"],
    SCN,
)
case(
    "i1_scenario_two_overrides_one_village",
    "scenario.yaml",
    BASE
    + 'overrides:\n  - {village: "72.09.01.2005", quota: {2030: 200}}\n'
    + '  - {village: "72.09.01.2005", quota: {2030: 300}}\n',
    [
        "key 'overrides.1.quota' (line 9)",
        "village '72.09.01.2005' given quota {2030: 300} here and {2030: 200} in overrides.0 (line 8)",
        "one value per village and key",
    ],
    SCN,
)
case(
    "i1_scenario_two_overrides_one_kecamatan",
    "scenario.yaml",
    BASE
    + "overrides:\n  - {kecamatan: Ampana Kota, payment_compliance_share: {2025: 0.9}}\n"
    + "  - {kecamatan: Ampana Kota, payment_compliance_share: {2025: 0.7}}\n",
    ["key 'overrides.1.payment_compliance_share' (line 9)", "kecamatan 'Ampana Kota'", "overrides.0 (line 8)"],
    SCN,
)
case(
    "i1_scenario_quota_override_under_proportional",
    "scenario.yaml",
    BASE + 'allocation_rule: proportional\noverrides:\n  - {village: "72.09.01.2005", quota: {2030: 200}}\n',
    [
        "key 'overrides.0.quota' (line 9)",
        "a quota override under allocation_rule 'proportional' (key 'allocation_rule' (line 7))",
        "quota overrides only with allocation_rule 'equal'",
    ],
    SCN,
)
case(
    "i1_scenario_target_year_after_horizon",
    "scenario.yaml",
    BASE + "targets: {measure: coverage_share, share: 0.5, year: 2040}\n",
    ["key 'targets.year' (line 7)", "2040, outside the horizon 2023-2030", "a target year within"],
    SCN,
)
case(
    "i1_uncertainty_triangular_without_mode_outside_range",
    "scenario.yaml",
    U + "  workforce_growth_share_per_year: {distribution: triangular, low: -0.5, high: 0.5}\n",
    [
        "key 'uncertainty.workforce_growth_share_per_year' (line 9)",
        "triangular low-high -0.5-0.5 is outside the valid range -0.05-0.1",
    ],
    SCN,
)
case(
    "i1_uncertainty_normal_without_mean_too_wide",
    "scenario.yaml",
    U + "  payment_compliance_factor: {distribution: normal, sd: 0.3}\n",
    ["key 'uncertainty.payment_compliance_factor' (line 9)", "normal with sd 0.3 spans 2.4", "wherever it is centred"],
    SCN,
)
case(
    "i1_uncertainty_truncated_normal_mean_outside_bounds",
    "scenario.yaml",
    U + "  vulnerable_share_factor: {distribution: normal, mean: 1.5, sd: 0.1, low: 0.8, high: 1.2}\n",
    ["key 'uncertainty.vulnerable_share_factor' (line 9)", "mean 1.5 is outside low-high 0.8-1.2"],
    SCN,
)
case(
    "i1_workforce_indonesian_thousands",
    "village_workforce.csv",
    patched(4, "vulnerable_workers", "1.000"),
    ["row 4, column 'vulnerable_workers': found 1.000; expected a whole number of people (write 1000"],
    V,
)
case(
    "i1_workforce_fractional_base_year",
    "village_workforce.csv",
    patched(5, "base_year", "2025.5"),
    ["row 5, column 'base_year': found 2025.5; expected a whole year such as 2025"],
    V,
)
case(
    "i1_workforce_same_column_twice",
    "village_workforce.csv",
    wf([[c if c != "method" else "population" for c in header]] + body),
    ["row 1, column 'population'", "the column 'population' 2 times (columns 6, 10)", "each column named once"],
    V,
)
case(
    "i1_workforce_type_contradicts_registry",
    "village_workforce.csv",
    patched(6, "type", "kelurahan"),
    ["row 6, column 'type'", "found 'kelurahan'", "'desa', the registry's type of village"],
    V,
)
case(
    "i1_regency_population_fractional_year",
    "regency_population.csv",
    pop.replace("2020,163829", "2020.5,163829"),
    ["row 3, column 'year': found 2020.5; expected a whole year"],
    V,
)
case(
    "i1_kabupaten_population_thousands",
    "kabupaten_population_2025.csv",
    (ROOT / "data/raw/kabupaten_population_2025.csv")
    .read_text(encoding="utf-8")
    .replace("11,Aceh,2815060,", "11,Aceh,2.815.060,"),
    ["row 3, column 'male': found 2.815.060; expected a whole number (write 2815060"],
    V,
)
case(
    "i1_bpu_parameters_true_as_value",
    "bpjs_bpu.yaml",
    bpu.replace("value: 0.02", "value: true", 1),
    ["key 'jht_contribution_share.values.2015-07-01.value' (line", "found True", "not true/false"],
    V,
)

# ---------------- class 3: hangs and unbounded work
case(
    "i3_scenario_fifo",
    "scenario.yaml",
    BASE,
    ["found a named pipe (FIFO)", "expected a regular YAML file"],
    {**SCN, "special": "fifo"},
)
case(
    "i3_workforce_fifo",
    "village_workforce.csv",
    "placeholder: the test makes a named pipe here\n",
    ["found a named pipe (FIFO)", "expected a regular CSV file"],
    {**V, "special": "fifo"},
)
case(
    "i3_registry_fifo",
    "touna_villages.csv",
    "placeholder: the test makes a named pipe here\n",
    ["found a named pipe (FIFO)", "expected a regular CSV file"],
    {**V, "special": "fifo"},
)
case(
    "i3_bpu_parameters_fifo",
    "bpjs_bpu.yaml",
    "placeholder: the test makes a named pipe here\n",
    ["found a named pipe (FIFO)", "expected a regular YAML file"],
    {**V, "special": "fifo"},
)
bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for x, y in zip("bcdefghi", "abcdefgh", strict=True):
    bomb += f"{x}: &{x} [{', '.join(['*' + y] * 9)}]\n"
case(
    "i3_scenario_alias_bomb",
    "scenario.yaml",
    BASE + "description:\n  " + bomb.replace("\n", "\n  ").rstrip() + "\n",
    ["aliases (*name) that expand to more than 200,000 values", "without repeated aliases"],
    SCN,
)
case(
    "i3_scenario_5000_nested_lists",
    "scenario.yaml",
    BASE + "description: " + "[" * 5000 + "]" * 5000 + "\n",
    ["line 7", "lists or mappings nested more than 40 deep"],
    SCN,
)
case(
    "i3_scenario_5000_nested_mappings",
    "scenario.yaml",
    BASE + "description: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    ["line 7", "lists or mappings nested more than 40 deep"],
    SCN,
)
case(
    "i3_scenario_too_large",
    "scenario.yaml",
    BASE,
    ["found a file of 3,000,00", "expected a YAML file of at most 2,097,152 bytes"],
    {**SCN, "special": "pad 3000003"},
)

# ---------------- class 4: OS errors on the read side (PermissionError as for another user's file)
case(
    "i4_scenario_unreadable",
    "scenario.yaml",
    BASE,
    ["a file this user may not read (permission denied)", "expected a readable YAML file", "chmod a+r"],
    {**SCN, "special": "unreadable"},
)
case(
    "i4_workforce_unreadable",
    "village_workforce.csv",
    wf([header] + body),
    ["a file this user may not read (permission denied)", "expected a readable CSV file"],
    {**V, "special": "unreadable"},
)
case(
    "i4_registry_unreadable",
    "touna_villages.csv",
    reg_text,
    ["a file this user may not read (permission denied)", "expected a readable CSV file"],
    {**V, "special": "unreadable"},
)
case(
    "i4_regency_population_unreadable",
    "regency_population.csv",
    pop,
    ["a file this user may not read (permission denied)", "expected a readable CSV file"],
    {**V, "special": "unreadable"},
)
case(
    "i4_bpu_parameters_unreadable",
    "bpjs_bpu.yaml",
    bpu,
    ["a file this user may not read (permission denied)", "expected a readable YAML file"],
    {**V, "special": "unreadable"},
)
case(
    "i4_coverage_assumptions_unreadable",
    "coverage_assumptions.yaml",
    cov,
    ["a file this user may not read (permission denied)", "expected a readable YAML file"],
    {**V, "special": "unreadable"},
)

# ---------------- class 6: errors name the user's input first
case(
    "i6_scenario_unknown_kabupaten",
    "scenario.yaml",
    BASE + 'area: "72.99"\n',
    ["key 'area' (line 7)", "'72.99', an area code with no villages in the registry", "a Kemendagri area code"],
    SCN,
)
case(
    "i6_scenario_unknown_province",
    "scenario.yaml",
    BASE + 'area: "99"\n',
    ["key 'area' (line 7)", "'99', an area code with no villages in the registry"],
    SCN,
)
case(
    "i6_scenario_area_near_miss",
    "scenario.yaml",
    BASE + 'area: "72.90"\n',
    ["key 'area' (line 7)", "'72.90'", "did you mean"],
    SCN,
)
case(
    "i6_horizon_before_first_rate",
    "scenario.yaml",
    BASE.replace("start_year: 2023", "start_year: 2010"),
    ["key 'horizon.start_year' (line 3)", "2010, before the BPU contribution rates", "a start year of 2016 or later"],
    SCN,
)
case(
    "i6_horizon_starts_before_first_rate_month",
    "scenario.yaml",
    BASE.replace("start_year: 2023", "start_year: 2015"),
    ["key 'horizon.start_year' (line 3)", "'jkm_contribution' holds from 2015-07-01", "2016 or later"],
    SCN,
)
case(
    "i6_area_and_horizon_both_named",
    "scenario.yaml",
    BASE.replace("start_year: 2023", "start_year: 2012") + 'area: "72.98"\n',
    ["2 problems", "key 'area' (line 7)", "key 'horizon.start_year' (line 3)"],
    SCN,
)
case(
    "i1_scenario_allocation_mix_under_equal_rule",
    "scenario.yaml",
    BASE + "allocation_mix: {equal_share: 0.25}\n",
    ["key 'allocation_mix' (line 7)", "under allocation_rule 'equal', which does not read it", "'capped_mix'"],
    SCN,
)
