"""One central value per uncertain input, used by the deterministic projection and the Monte Carlo.

:func:`resolve_distributions` gives each uncertain input its distribution (the scenario's
``uncertainty`` section, else the shipped ``data/parameters/uncertainty.yaml`` unless ``defaults:
none``, else fixed). :func:`central_values` turns the data's and the scenario's values into the
central values: an input whose distribution has its own centre (a mean, a mode, a fixed value, a
uniform's midpoint) takes that centre, so the deterministic projection is the Monte Carlo's central
case; a distribution declared without one is centred on the deterministic value.
"""

from __future__ import annotations

from collections.abc import Mapping

from touna_policy.errors import InputError
from touna_policy.parameters.distributions import UNCERTAIN_INPUTS, Distribution
from touna_policy.parameters.uncertainty_defaults import UNCERTAINTY_YAML, load_uncertainty_defaults


def resolve_distributions(scenario, deterministic: Mapping[str, float]) -> tuple[dict[str, Distribution], bool]:
    """The distribution of every uncertain input, each checked within its range; and whether any
    came from the shipped (synthetic) defaults."""
    spec = scenario.uncertainty
    declared = spec.declared()
    defaults = load_uncertainty_defaults() if spec.defaults == "shipped" else None
    out, used_defaults = {}, False
    file = scenario.source_path or "<scenario>"
    for name in UNCERTAIN_INPUTS:
        if name in declared:
            dist, where, src = declared[name], f"uncertainty.{name}", file
        elif defaults is not None:
            dist, where, src = getattr(defaults, name), name, str(UNCERTAINTY_YAML)
            used_defaults = True
        else:
            dist, where, src = Distribution(distribution="fixed"), name, file
        try:
            dist.check_range(name, deterministic[name])
        except ValueError as exc:
            raise InputError.single(
                src,
                scenario.key_location(where) if src == file else f"key '{where}'",
                f"{dist.distribution} around {deterministic[name]:.6g}",
                str(exc),
            ) from None
        out[name] = dist
    return out, used_defaults


def central_values(distributions: Mapping[str, Distribution], deterministic: Mapping[str, float]) -> dict[str, float]:
    """The central value of every input: its distribution's centre, else its deterministic value."""
    return {name: float(distributions[name].centre(deterministic[name])) for name in UNCERTAIN_INPUTS}
