"""notebooks/quickstart.ipynb runs top to bottom with the real model and shows the map inline."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_quickstart_notebook_executes() -> None:
    notebook = nbformat.read(ROOT / "notebooks" / "quickstart.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [o for cell in code_cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(o.get("text", "") for o in outputs
                     if o.get("output_type") == "stream" and o.get("name") == "stdout")
    assert text.split()[0] in ("shift", "ok")
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
