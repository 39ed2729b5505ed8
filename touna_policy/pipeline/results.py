"""What happened to a run or a batch: small picklable records that travel back from worker processes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunResult:
    """What happened to one scenario (small and picklable: it travels back from worker processes)."""

    scenario_path: str
    scenario: str = ""
    status: str = "failed"  # complete | failed | skipped
    run_dir: str = ""  # the run folder (complete/skipped) or the failed folder
    seconds: float = 0.0
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("complete", "skipped")


@dataclass
class BatchResult:
    """Every scenario's :class:`RunResult`, the comparison's, and the index page written."""

    results: list[RunResult]
    comparison: RunResult | None
    index: str

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results + ([self.comparison] if self.comparison else []) if not r.ok]
