"""The per-village workforce estimate: real figures where they exist, a fitted rule below them.

No per-village population or labour figures are published for Tojo Una-Una. Every figure here is
labelled with the level at which it is real (the ``method`` column says it row by row).

Rule
----
1. **Regency (real).** The 2025 Kemendagri registered population of each kabupaten
   (``kabupaten_population_2025.csv``; Tojo Una-Una 173,534) is kept exact.
2. **Kecamatan blocks (real shares, Tojo Una-Una).** ``kecamatan_population.csv`` holds the BPS 2020
   census for the six island kecamatan. Each keeps its 2020 census share of the regency
   (``population_2020 / 163,829``), carried to 2025 on the 2025 regency total. The rest of the regency
   (the six mainland kecamatan) is the residual block. It is split further by the latest census table
   whose figures cover exactly the residual kecamatan: the 2010 census by kecamatan of 2010
   (preliminary figures; Ampana Kota of 2010 = today's Ampana Kota + Ratolindo), each block keeping its
   2010 share of the mainland. Carrying shares forward assumes equal growth within a group; on the
   islands, the 2010 shares carried to 2020 miss the 2020 census by at most 3.5 %.
   Without such a table the residual stays one block.
3. **Villages within a block (estimated).** Block totals are split over its villages in proportion to
   ``w = r ** is_kelurahan * area_km2 ** beta``: *r* is the kelurahan-to-desa population ratio from an
   OLS fit over all Indonesian kabupaten (``population = a * n_desa + b * n_kelurahan``, *r = b / a*);
   the village area comes from the MIT-licensed boundaries (:mod:`touna_policy.data.boundaries`).
   *beta* is fitted on the real blocks (:func:`fit_area_rule`): each block's predicted share of its
   group (islands 2020, mainland 2010) against its real share, least squares on log shares. Where no
   village areas exist (other kabupaten) ``beta = 0``: the split is by type only.
4. **Working population.** ``population * employed_ratio``, the ratio from the kabupaten's own BPS
   labour-force participation (TPAK) and open unemployment (TPT) where ``labour.csv`` has them:
   ``employed_ratio = share_15plus * TPAK * (1 - TPT)``, the 15+ share being the province's working-age
   population (employed + unemployed + not in the labour force, Sakernas) over its 2025 registered
   population. Elsewhere the national ratio of employed persons (BPS, August 2024) to registered
   population.
5. **Vulnerable (informal) workers.** Working population times the informal share of the employed of
   the kabupaten's province where ``labour.csv`` has one (Sulawesi Tengah 65.70 %, February 2024),
   else the national share (57.95 %, August 2024).

Counts are whole people, apportioned by largest remainder so that each total is exact. Run
``python -m touna_policy.data.workforce_estimate`` (or ``make data``) to rebuild
``data/processed/village_workforce.csv`` and its sidecar ``village_workforce_rule.json`` from
``data/raw``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.boundaries import village_areas_km2
from touna_policy.data.kecamatan import load_kecamatan_population
from touna_policy.data.labour import (
    LABOUR_CSV,
    PARTICIPATION_RATE,
    UNEMPLOYMENT_RATE,
    informal_share_by_area,
    latest,
    load_labour,
    working_age_thousands,
)
from touna_policy.data.population import indicator, load_kabupaten_population, load_regency_population
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce import WORKFORCE_COLUMNS
from touna_policy.errors import InputError
from touna_policy.rounding import apportion

BASE_YEAR = 2025
ANCHOR_CENSUS_YEAR = 2020
RULE_SIDECAR_JSON = config.PROCESSED_DIR / "village_workforce_rule.json"
BLOCK_AREA = config.DEFAULT_AREA_CODE  # the kabupaten whose kecamatan figures and boundaries are shipped


@dataclass(frozen=True)
class KelurahanWeight:
    """The fitted kelurahan-to-desa population ratio and the statsmodels fit it came from."""

    ratio: float
    desa_population: float
    kelurahan_population: float
    n_kabupaten: int
    results: object  # statsmodels RegressionResults


@lru_cache(maxsize=1)
def fit_kelurahan_weight() -> KelurahanWeight:
    """Fit ``population = a * n_desa + b * n_kelurahan`` over Indonesia's kabupaten (OLS, no intercept)."""
    import statsmodels.api as sm  # heavy optional import, loaded only when the weight is fitted

    villages = load_registry("")
    counts = villages.groupby(["kabupaten_code", "type"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["desa", "kelurahan"], fill_value=0)
    population = load_kabupaten_population().set_index("code")
    table = counts.join(population[["name", "total"]], how="inner")
    table = table[table["name"].str.startswith("Kabupaten")]
    results = sm.OLS(table["total"].astype(float), table[["desa", "kelurahan"]].astype(float)).fit()
    a, b = float(results.params["desa"]), float(results.params["kelurahan"])
    return KelurahanWeight(
        ratio=b / a, desa_population=a, kelurahan_population=b, n_kabupaten=len(table), results=results
    )


# ---------------------------------------------------------------------------------------------
# Kecamatan blocks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A set of kecamatan with a real population figure (or the residual of the regency)."""

    name: str
    kecamatan_codes: tuple[str, ...]
    group: str  # "anchored" (census 2020 share of the regency) or "residual" (share of the rest)
    base_population: float  # at BASE_YEAR, before rounding
    truth_year: int | None
    truth_population: float | None
    level: str  # the method text's first part: where the figure is real


def kecamatan_blocks(kecamatan_codes: list[str], regency_total: float) -> list[Block]:
    """The real blocks of Tojo Una-Una's kecamatan at the base year (see the module docstring, step 2)."""
    figures = load_kecamatan_population()
    census = load_regency_population()
    regency_2020 = float(census.loc[census["year"] == ANCHOR_CENSUS_YEAR, "population"].iloc[0])
    known = set(kecamatan_codes)
    anchored = figures[
        (figures["year"] == ANCHOR_CENSUS_YEAR)
        & (figures["kind"] == "census")
        & figures["kecamatan_codes"].map(lambda c: set(c) <= known)
    ]
    blocks = [
        Block(
            name=row.kecamatan,
            kecamatan_codes=row.kecamatan_codes,
            group="anchored",
            base_population=row.population / regency_2020 * regency_total,
            truth_year=ANCHOR_CENSUS_YEAR,
            truth_population=float(row.population),
            level=(
                f"kecamatan real (BPS census {ANCHOR_CENSUS_YEAR} {row.kecamatan} {row.population:,.0f} = "
                f"{row.population / regency_2020:.2%} of the regency's {regency_2020:,.0f}, carried to "
                f"{BASE_YEAR} on the Kemendagri total {regency_total:,.0f})"
            ),
        )
        for row in anchored.itertuples(index=False)
    ]
    taken = {c for b in blocks for c in b.kecamatan_codes}
    residual = sorted(known - taken)
    if not residual:
        return blocks
    rest = regency_total - sum(b.base_population for b in blocks)
    inside = figures[
        figures["kind"].isin(["census", "census_preliminary"])
        & figures["kecamatan_codes"].map(lambda c: set(c) <= set(residual))
    ]
    for year in sorted(inside["year"].unique(), reverse=True):
        rows = inside[inside["year"] == year]
        covered = [c for codes in rows["kecamatan_codes"] for c in codes]
        if sorted(covered) == residual:  # the figures partition the residual exactly
            total = float(rows["population"].sum())
            for row in rows.itertuples(index=False):
                kind = "census" if row.kind == "census" else "preliminary census"
                blocks.append(
                    Block(
                        name=row.kecamatan,
                        kecamatan_codes=row.kecamatan_codes,
                        group="residual",
                        base_population=rest * row.population / total,
                        truth_year=int(year),
                        truth_population=float(row.population),
                        level=(
                            f"kecamatan block real (BPS {kind} {year} {row.kecamatan} {row.population:,.0f} = "
                            f"{row.population / total:.2%} of the mainland's {total:,.0f}, carried to "
                            f"{BASE_YEAR} on the regency total minus the island kecamatan, {rest:,.0f})"
                        ),
                    )
                )
            return blocks
    blocks.append(
        Block(
            name="mainland",
            kecamatan_codes=tuple(residual),
            group="residual",
            base_population=rest,
            truth_year=None,
            truth_population=None,
            level=f"block real (regency total minus the kecamatan above, {rest:,.0f})",
        )
    )
    return blocks


# ---------------------------------------------------------------------------------------------
# The village rule and its fit
# ---------------------------------------------------------------------------------------------


def village_weights(is_kelurahan: np.ndarray, area_km2: np.ndarray, kelurahan_weight: float, beta: float) -> np.ndarray:
    """``r ** is_kelurahan * area ** beta``; villages without an area (NaN) get ``area ** 0 = 1``."""
    area_factor = np.where(np.isnan(area_km2), 1.0, np.power(np.where(np.isnan(area_km2), 1.0, area_km2), beta))
    return np.where(is_kelurahan, kelurahan_weight, 1.0) * area_factor


@dataclass(frozen=True)
class AreaRule:
    """The fitted area exponent *beta* and how well the rule reproduces the real blocks."""

    beta: float
    kelurahan_weight: float
    log_rmse: float  # root mean square of log(predicted / real share) over the real blocks
    max_abs_log_error: float
    equal_split_log_rmse: float  # the same for beta = 0 (split by type only)
    islands_only_beta: float  # beta fitted on the anchored (island) blocks alone
    islands_only_mainland_log_rmse: float  # that beta's error on the mainland blocks (out of sample)
    blocks: pd.DataFrame = field(repr=False)  # name, group, truth_year, real_share, fitted_share, error


def _block_fit_table(
    villages: pd.DataFrame, blocks: list[Block]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Block index per village, group per block, real share of each block within its group, fit mask."""
    kec_to_block = {c: i for i, b in enumerate(blocks) for c in b.kecamatan_codes}
    block_of = villages["kecamatan_code"].map(kec_to_block).to_numpy(dtype=np.int64)
    group = np.array([b.group for b in blocks])
    truth = np.array([b.truth_population if b.truth_population is not None else np.nan for b in blocks])
    fit = ~np.isnan(truth)
    share = np.zeros(len(blocks))
    for g in np.unique(group):
        member = (group == g) & fit
        share[member] = truth[member] / truth[member].sum()
    return block_of, group, share, fit


def _shares(weights: np.ndarray, block_of: np.ndarray, group: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Each fitted block's share of its group's weight."""
    per_block = np.bincount(block_of, weights=weights, minlength=len(group))
    out = np.zeros(len(group))
    for g in np.unique(group):
        member = (group == g) & fit
        out[member] = per_block[member] / per_block[member].sum()
    return out


@lru_cache(maxsize=1)
def fit_area_rule() -> AreaRule:
    """Fit *beta* of ``w = r ** is_kelurahan * area ** beta`` on Tojo Una-Una's real blocks.

    Least squares on ``log(predicted share / real share)`` of every block with a real figure, within
    its group (island kecamatan: census 2020 shares of the islands; mainland: 2010 shares of the
    mainland). *r* is held at :func:`fit_kelurahan_weight` (the islands have no kelurahan).
    """
    from scipy.optimize import minimize_scalar  # heavy optional import, loaded only for the fit

    villages = _villages_with_area(load_registry(BLOCK_AREA))
    total = _kabupaten_totals([BLOCK_AREA])[0]
    blocks = kecamatan_blocks(sorted(villages["kecamatan_code"].unique()), total)
    block_of, group, real, fit = _block_fit_table(villages, blocks)
    r = fit_kelurahan_weight().ratio
    is_kel = villages["type"].to_numpy() == "kelurahan"
    area = villages["area_km2"].to_numpy(dtype=float)

    def errors(beta: float) -> np.ndarray:
        return np.log(_shares(village_weights(is_kel, area, r, beta), block_of, group, fit)[fit] / real[fit])

    def fit_on(mask: np.ndarray) -> float:
        return float(minimize_scalar(lambda b: np.sum(errors(b)[mask] ** 2), bounds=(-1, 2), method="bounded").x)

    island = group[fit] == "anchored"
    beta = fit_on(np.ones(island.size, dtype=bool))
    island_beta = fit_on(island)
    best = errors(beta)
    fitted = _shares(village_weights(is_kel, area, r, beta), block_of, group, fit)[fit]
    table = pd.DataFrame(
        {
            "block": [b.name for b, f in zip(blocks, fit, strict=True) if f],
            "group": group[fit],
            "truth_year": [b.truth_year for b, f in zip(blocks, fit, strict=True) if f],
            "real_share": real[fit],
            "fitted_share": fitted,
            "log_error": best,
        }
    )
    return AreaRule(
        beta=beta,
        kelurahan_weight=r,
        log_rmse=float(np.sqrt(np.mean(best**2))),
        max_abs_log_error=float(np.abs(best).max()),
        equal_split_log_rmse=float(np.sqrt(np.mean(errors(0.0) ** 2))),
        islands_only_beta=island_beta,
        islands_only_mainland_log_rmse=float(np.sqrt(np.mean(errors(island_beta)[~island] ** 2))),
        blocks=table,
    )


# ---------------------------------------------------------------------------------------------
# Labour ratios
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabourRatios:
    """Employed share of the population and informal share of the employed for one kabupaten."""

    employed_ratio: float
    informal_share: float
    text: str  # the method text's labour part


def employed_share_of_population() -> float:
    """National employed persons (BPS, Aug 2024) over national registered population (Kemendagri 2025)."""
    national = load_kabupaten_population().set_index("code").at["0", "total"]
    return indicator("employed_persons", "0") / float(national)


def labour_ratios(kabupaten_codes: np.ndarray) -> list[LabourRatios]:
    """The employed ratio and informal share of each kabupaten (module docstring, steps 4 and 5)."""
    table = load_labour()
    informal = informal_share_by_area(table)
    if "0" not in informal.index:
        raise InputError.single(
            LABOUR_CSV,
            "indicator 'informal_share_of_employed', area_code '0'",
            "no row",
            "the national informal share (the fallback for provinces without one)",
        )
    tpak, tpt = latest(table, PARTICIPATION_RATE), latest(table, UNEMPLOYMENT_RATE)
    population = load_kabupaten_population().set_index("code")["total"]
    national_ratio = employed_share_of_population()
    out = []
    for kab in kabupaten_codes:
        province = kab[:2]
        if kab in tpak.index and kab in tpt.index and working_age_thousands(table, province) is not None:
            working_age, period = working_age_thousands(table, province)  # type: ignore[misc]
            share_15plus = working_age * 1000.0 / float(population[province])
            lfpr, unemployment = tpak.at[kab, "value"] / 100.0, tpt.at[kab, "value"] / 100.0
            ratio = share_15plus * lfpr * (1.0 - unemployment)
            employed = (
                f"employed = population x 15+ share {share_15plus:.4f} (province {province}, Sakernas {period}, "
                f"over its Kemendagri {BASE_YEAR} population) x TPAK {lfpr:.2%} x (1 - TPT {unemployment:.2%}) "
                f"(BPS, {tpak.at[kab, 'period']}) = {ratio:.4f}"
            )
        else:
            ratio = national_ratio
            employed = f"employed = population x national employed ratio {ratio:.4f} (BPS Aug 2024 / Kemendagri 2025)"
        area = province if province in informal.index else "0"
        row = informal.loc[area]
        where = f"province {area} {row['area']}" if area != "0" else "national, no provincial table"
        out.append(
            LabourRatios(
                employed_ratio=ratio,
                informal_share=float(row["share"]),
                text=f"{employed}; vulnerable = informal share {row['share']:.2%} ({where}, Sakernas {row['period']})",
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# The estimate
# ---------------------------------------------------------------------------------------------


def _villages_with_area(registry: pd.DataFrame) -> pd.DataFrame:
    """``registry`` with ``area_km2`` from the shipped boundaries (NaN outside the file)."""
    areas = village_areas_km2()
    return registry.merge(areas, on="code", how="left")


def _kabupaten_totals(kab_codes) -> np.ndarray:
    kab_pop = load_kabupaten_population().set_index("code")["total"]
    totals = kab_pop.reindex(list(kab_codes)).to_numpy(dtype=float)
    if np.isnan(totals).any():
        missing = np.asarray(kab_codes)[np.isnan(totals)]
        raise InputError.single(
            config.KABUPATEN_POPULATION_CSV,
            f"code '{missing[0]}'",
            "no population row",
            "a 2025 population for every kabupaten of the registry",
        )
    return totals


def estimate_village_workforce(registry: pd.DataFrame) -> pd.DataFrame:
    """Apply the documented rule to every village of ``registry`` (any area).

    Returns
    -------
    DataFrame with columns ``code, village, type, kecamatan, base_year, population,
    working_population, vulnerable_workers, estimated, method``, sorted by code.
    """
    villages = _villages_with_area(registry.sort_values("code", kind="stable").reset_index(drop=True))
    kab_codes, kab_of = np.unique(villages["kabupaten_code"].to_numpy(), return_inverse=True)
    totals = _kabupaten_totals(kab_codes)
    r = fit_kelurahan_weight().ratio

    # blocks: the real kecamatan blocks of BLOCK_AREA, one block per kabupaten elsewhere
    block_names = [f"kabupaten {k}" for k in kab_codes]
    block_level = [f"regency total real (Kemendagri {BASE_YEAR}, {t:,.0f})" for t in totals]
    block_kab = list(range(len(kab_codes)))
    block_targets = list(totals)
    block_of = kab_of.copy()
    rule = None
    if BLOCK_AREA in kab_codes:
        k = int(np.searchsorted(kab_codes, BLOCK_AREA))
        inside = kab_of == k
        blocks = kecamatan_blocks(sorted(villages.loc[inside, "kecamatan_code"].unique()), totals[k])
        offset = len(block_names)
        kec_to_block = {c: offset + i for i, b in enumerate(blocks) for c in b.kecamatan_codes}
        block_of[inside] = villages.loc[inside, "kecamatan_code"].map(kec_to_block).to_numpy(dtype=np.int64)
        block_names += [b.name for b in blocks]
        block_level += [f"regency total real (Kemendagri {BASE_YEAR}, {totals[k]:,.0f}); {b.level}" for b in blocks]
        block_kab += [k] * len(blocks)
        block_targets += [b.base_population for b in blocks]
        block_targets[k] = 0.0  # the kabupaten's own block is empty: its villages sit in the kecamatan blocks
        rule = fit_area_rule()
    block_kab_arr = np.asarray(block_kab)
    block_population = apportion(totals, np.asarray(block_targets), block_kab_arr)

    # villages within blocks: area only where every village of the block has one
    area = villages["area_km2"].to_numpy(dtype=float)
    block_has_area = np.bincount(block_of, weights=np.isnan(area), minlength=len(block_names)) == 0
    beta = rule.beta if rule is not None else 0.0
    use_area = block_has_area[block_of] & (beta != 0.0)
    is_kel = villages["type"].to_numpy() == "kelurahan"
    weight = village_weights(is_kel, np.where(use_area, area, np.nan), r, beta)
    population = apportion(block_population, weight, block_of)

    ratios = labour_ratios(kab_codes)
    working_totals = np.rint(totals * np.array([x.employed_ratio for x in ratios]))
    working = apportion(working_totals, population, kab_of)
    vulnerable_totals = np.rint(working_totals * np.array([x.informal_share for x in ratios]))
    vulnerable = apportion(vulnerable_totals, working, kab_of)

    if rule is not None:
        with_area = (
            f"village split within the block estimated: weight {r:.2f} per kelurahan (1 per desa) x area_km2^"
            f"{rule.beta:.3f} (beta fitted on {len(rule.blocks)} real blocks, log-RMSE {rule.log_rmse:.1%})"
        )
    else:
        with_area = ""
    by_type = f"village split within the block estimated: weight {r:.2f} per kelurahan, 1 per desa"
    split_text = np.where(block_has_area & (beta != 0.0), with_area, by_type)
    method = (
        pd.Series(["estimate: "] * len(villages))
        + pd.Series(np.asarray(block_level, dtype=object)[block_of])
        + "; "
        + pd.Series(split_text[block_of])
        + "; "
        + pd.Series(np.asarray([x.text for x in ratios], dtype=object)[kab_of])
    )
    out = villages[["code", "village", "type", "kecamatan"]].copy()
    out["base_year"] = BASE_YEAR
    out["population"] = population
    out["working_population"] = working
    out["vulnerable_workers"] = vulnerable
    out["estimated"] = True
    out["method"] = method.to_numpy()
    return out[WORKFORCE_COLUMNS]


def rule_summary() -> dict:
    """The fitted numbers of the rule, for the sidecar JSON next to the processed file."""
    rule = fit_area_rule()
    kel = fit_kelurahan_weight()
    ratios = labour_ratios(np.array([BLOCK_AREA]))[0]
    return {
        "base_year": BASE_YEAR,
        "kelurahan_weight_r": round(kel.ratio, 6),
        "kelurahan_weight_fit": f"OLS without intercept over {kel.n_kabupaten} kabupaten (Kemendagri 2025)",
        "area_exponent_beta": round(rule.beta, 6),
        "area_exponent_fit": "least squares on log(fitted share / real share) over the real blocks",
        "log_rmse": round(rule.log_rmse, 6),
        "max_abs_log_error": round(rule.max_abs_log_error, 6),
        "equal_split_log_rmse": round(rule.equal_split_log_rmse, 6),
        "islands_only_beta": round(rule.islands_only_beta, 6),
        "islands_only_beta_mainland_log_rmse": round(rule.islands_only_mainland_log_rmse, 6),
        "blocks": rule.blocks.round(6).to_dict(orient="records"),
        "employed_ratio": round(ratios.employed_ratio, 6),
        "informal_share": round(ratios.informal_share, 6),
        "labour": ratios.text,
    }


def build_processed(path: Path = config.VILLAGE_WORKFORCE_CSV, sidecar: Path = RULE_SIDECAR_JSON) -> Path:
    """Rebuild ``data/processed/village_workforce.csv`` (and the rule's sidecar) for Tojo Una-Una."""
    from touna_policy.io import atomic_write_text

    table = estimate_village_workforce(load_registry(config.DEFAULT_AREA_CODE))
    atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(sidecar, json.dumps(rule_summary(), indent=2, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    """Rebuild ``data/processed/village_workforce.csv`` and print the fitted rule (``make data``)."""
    fit = fit_kelurahan_weight()
    rule = fit_area_rule()
    written = build_processed()
    print(
        f"kelurahan weight r = {fit.ratio:.4f} (desa {fit.desa_population:,.0f}, kelurahan "
        f"{fit.kelurahan_population:,.0f} people on average; {fit.n_kabupaten} kabupaten)"
    )
    print(
        f"area exponent beta = {rule.beta:.4f} on {len(rule.blocks)} real blocks: log-RMSE {rule.log_rmse:.1%} "
        f"(type-only split {rule.equal_split_log_rmse:.1%}); islands-only beta {rule.islands_only_beta:.3f} "
        f"misses the mainland by {rule.islands_only_mainland_log_rmse:.1%}"
    )
    print(f"wrote {written}")
