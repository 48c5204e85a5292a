"""Per exercise set, the answers its checks are tested with (one module per set, exNN.py).

Each module defines WRONG (exercise id -> [(a wrong answer, text its verdict must contain)]),
ALSO_CORRECT (exercise id -> [other right answers]) and NAMESPACE (what the set's solutions
use from their notebook). ``collect`` merges them for tests/test_exercises.py.
"""

import importlib
from pathlib import Path


def collect() -> tuple[dict, dict, dict]:
    wrong, also_correct, namespace = {}, {}, {}
    for path in sorted(Path(__file__).parent.glob("ex*.py")):
        module = importlib.import_module(f"exercise_cases.{path.stem}")
        wrong.update(module.WRONG)
        also_correct.update(module.ALSO_CORRECT)
        namespace.update(module.NAMESPACE)
    return wrong, also_correct, namespace
