"""Re-run notebooks in place, top to bottom, each in a fresh kernel (run by `make execute`).

    python scripts/execute_notebooks.py                          every notebooks/*.ipynb
    python scripts/execute_notebooks.py notebooks/03_x.ipynb     just these

The kernel is this interpreter's (the course's .venv or conda env), started in notebooks/.
Running it twice gives the same file: no execution timings are stored, execution counts run
1, 2, 3, ... over the code cells, cell ids are kept, and widget model ids (random on each run)
are renamed to ids derived from the notebook's name and their order. A notebook whose run
fails is left untouched; cells tagged `raises-exception` may fail.
"""

import json
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 120  # seconds
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def stable_widget_ids(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Rename widget model ids to ids that depend only on the notebook name and their order."""
    ids = list(nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}))
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            model_id = output.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")
            if model_id:
                ids.append(model_id)
    if not ids:
        return nb
    text = json.dumps(nb)
    # Number the ids in the order they first appear in the file: stable from run to run.
    ids = sorted(set(ids), key=text.find)
    new = {
        old: uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/widget/{i}").hex for i, old in enumerate(ids)
    }
    pattern = re.compile("|".join(re.escape(old) for old in ids))
    text = pattern.sub(lambda m: new[m.group(0)], text)
    return nbformat.from_dict(json.loads(text))


def merge_streams(outputs: list) -> list:
    """Join consecutive prints to the same stream into one output.

    How a cell's printing is cut into chunks depends on timing; the text does not.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def tidy(nb: nbformat.NotebookNode) -> None:
    """Drop what changes from run to run without meaning anything."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timings, if an earlier tool stored them
        if cell.cell_type == "code" and not cell.source.strip():
            cell.outputs = []  # empty cells are not run: clear what an old run left
            cell.execution_count = None
        elif cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)


def execute(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    config = Config()
    config.KernelManager.transport_encryption = "auto"  # local traffic encrypted, no warning
    client = NotebookClient(
        nb,
        kernel_name="python3",  # jupyter_client starts it with this very interpreter
        timeout=CELL_TIMEOUT,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},  # cwd: notebooks/
        config=config,
    )
    start = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"{path.name}: FAILED, file left unchanged\n{error}", file=sys.stderr)
        return False
    tidy(nb)
    nb = stable_widget_ids(nb, path.name)
    nbformat.write(nb, path)
    cells = sum(1 for c in nb.cells if c.cell_type == "code" and c.execution_count)
    print(f"{path.name}: {cells} code cells run in {time.monotonic() - start:.1f} s")
    return True


def main(args: list[str]) -> int:
    paths = [Path(a).resolve() for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("execute: no notebooks in notebooks/ yet")
        return 0
    failed = [p.name for p in paths if not execute(p)]
    if failed:
        print(f"execute: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
