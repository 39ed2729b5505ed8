"""A papermill engine that writes the output notebook when it starts and when it ends, not around
every cell.

papermill's own engine rewrites (and re-validates) the whole output notebook before and after every
cell when ``request_save_on_cell_execute`` is true: about 2 x 85 writes of a notebook that grows with
each embedded chart, a report's largest per-cell cost. This engine keeps papermill's per-cell
metadata (start and end times, durations, status) and writes the notebook when execution starts (so
a running notebook is visible in the build folder) and when it ends, whatever ends it: a failing
cell, a cell that times out, a kernel that dies, Ctrl-C (papermill's ``notebook_complete`` runs in a
``finally``). A failed run therefore still leaves the partly executed notebook with its error.

Importing this module imports papermill (heavy): import it where notebooks are executed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "touna-end-saving"
"""The name this engine is registered under (``papermill.execute_notebook(engine_name=...)``)."""


class EndSavingManager(NotebookExecutionManager):
    """papermill's execution manager without the writes around each cell."""

    _in_cell = False

    @contextlib.contextmanager
    def _no_save(self) -> Iterator[None]:
        self._in_cell = True
        try:
            yield
        finally:
            self._in_cell = False

    def save(self, **kwargs) -> None:
        if not self._in_cell:
            super().save(**kwargs)

    def cell_start(self, cell, cell_index=None, **kwargs) -> None:
        with self._no_save():
            super().cell_start(cell, cell_index, **kwargs)

    def cell_complete(self, cell, cell_index=None, **kwargs) -> None:
        with self._no_save():
            super().cell_complete(cell, cell_index, **kwargs)

    def autosave_cell(self) -> None:
        """No timed autosave either: the notebook is written when it ends."""


class EndSavingEngine(NBClientEngine):
    """nbclient execution (papermill's default engine) managed by :class:`EndSavingManager`."""

    @classmethod
    def execute_notebook(
        cls, nb, kernel_name, output_path=None, progress_bar=False, log_output=False, autosave_cell_every=30, **kwargs
    ):
        nb_man = EndSavingManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


papermill_engines.register(ENGINE_NAME, EndSavingEngine)
