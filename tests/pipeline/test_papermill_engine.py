"""The papermill engine writes a notebook when it starts and when it ends, not around each cell."""

import nbformat
import pytest

pytest.importorskip("papermill")

from touna_policy.pipeline.papermill_engine import EndSavingManager  # noqa: E402


def test_cells_keep_their_timings_but_the_notebook_is_written_only_at_start_and_end(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1"), nbformat.v4.new_code_cell("2 + 2")]
    nb.metadata.papermill = {}  # as papermill.execute_notebook prepares it
    out = tmp_path / "out.ipynb"
    manager = EndSavingManager(nb, output_path=str(out), progress_bar=False)
    manager.notebook_start()
    assert out.is_file()  # a running notebook is visible in the build folder
    out.unlink()
    for index, cell in enumerate(manager.nb.cells):
        manager.cell_start(cell, index)
        manager.cell_complete(cell, index)
        assert not out.exists()
    manager.notebook_complete()
    written = nbformat.read(out, as_version=4)
    assert [c.metadata.papermill["status"] for c in written.cells] == ["completed", "completed"]
    assert all(c.metadata.papermill["duration"] is not None for c in written.cells)
