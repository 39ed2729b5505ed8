"""The base class of every parameter and scenario model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ParameterModel(BaseModel):
    """A pydantic model whose validator is built when it first validates, not when it is defined.

    Building the validators of the 50-odd models costs about 0.1 s at import; a command reads most
    parameter files back from the validation cache (:mod:`touna_policy.parameters.loading`) and never
    validates them, so it does not pay for their validators. Subclasses set their own ``model_config``
    (pydantic merges it with this one).
    """

    model_config = ConfigDict(defer_build=True)
