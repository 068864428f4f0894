"""Numbered rows of per-form values, kept as numpy columns that grow with a cache.

The lemmatiser analyses each distinct lower-cased form once; a chunk of text then needs
the analyses of its distinct forms as columns (one array per field). Building those
columns from the cached rows chunk by chunk (a Python tuple per form, transposed) costs
time per distinct form *of every chunk*; :class:`TypeColumns` numbers each form when its
row is first added, writes the new rows into the columns once, and gives a chunk its
columns by numpy indexing.

Examples
--------
>>> columns = TypeColumns(("lemma", "is_stop"), (object, bool))
>>> rows = {"стали": ("стать", False), "и": ("и", True)}
>>> ids = columns.ids(["и", "стали", "и"], rows.__getitem__)
>>> ids.tolist()
[0, 1, 0]
>>> {name: column.tolist() for name, column in columns.take(ids).items()}
{'lemma': ['и', 'стать', 'и'], 'is_stop': [True, False, True]}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["TypeColumns"]


class TypeColumns:
    """Rows of per-form values, numbered in the order forms are first seen.

    Parameters
    ----------
    names : sequence of str
        The fields of a row, in order.
    dtypes : sequence of type
        The numpy dtype of each field's column (``object`` for strings).
    """

    def __init__(self, names: Sequence[str], dtypes: Sequence[Any]) -> None:
        self.names = tuple(names)
        self.dtypes = tuple(dtypes)
        self.clear()

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        """Forget every form."""
        self._ids: dict[str, int] = {}
        self._n = 0
        self._columns = [np.empty(1024, dtype=d) for d in self.dtypes]

    def ids(self, forms: Sequence[str], row_of: Callable[[str], Sequence[Any]]) -> np.ndarray:
        """The number of each form, adding the rows (``row_of(form)``, called once per form
        new to the table) of those not numbered yet."""
        found = list(map(self._ids.get, forms))  # one C-level pass when all are known
        if None in found:
            new: list[Sequence[Any]] = []
            known = self._ids
            for k, hit in enumerate(found):
                if hit is None:
                    form = forms[k]
                    hit = known.get(form)  # the same form may occur twice in ``forms``
                    if hit is None:
                        hit = known[form] = self._n + len(new)
                        new.append(row_of(form))
                    found[k] = hit
            self._append(new)
        return np.array(found, dtype=np.int64)

    def take(self, ids: np.ndarray) -> dict[str, np.ndarray]:
        """The columns of the forms numbered ``ids`` (new arrays), by field name."""
        return {name: column[ids] for name, column in zip(self.names, self._columns, strict=True)}

    def _append(self, rows: list[Sequence[Any]]) -> None:
        if not rows:
            return
        start, end = self._n, self._n + len(rows)
        size = len(self._columns[0])
        if end > size:
            while size < end:
                size *= 2
            grown = []
            for column in self._columns:
                bigger = np.empty(size, dtype=column.dtype)
                bigger[:start] = column[:start]
                grown.append(bigger)
            self._columns = grown
        for column, values in zip(self._columns, zip(*rows, strict=True), strict=True):
            column[start:end] = values
        self._n = end
