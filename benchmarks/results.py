"""Where a benchmark's result goes: one JSON file (and, by default, the same JSON on stdout).

Every ``bench_*.py`` ends the same way: make the output folder, write the result as indented
JSON with a final newline, show it. This module is that ending, so the files stay written
alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_result(result: dict[str, Any], out: str | Path, *, echo: bool = True) -> None:
    """Write ``result`` to ``out`` as JSON (indent 2, UTF-8, final newline), making its
    folder; with ``echo`` also print the same JSON."""
    text = json.dumps(result, indent=2)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    if echo:
        print(text)
