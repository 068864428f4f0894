"""Per-form numpy rows that grow with a cache of forms (see :class:`ReadingCache`).

Examples
--------
>>> rows = FormRows(width=2)
>>> rows.fill(0, [(1, 2), (3, 4)], [0, 2], [5, 6])
>>> context, n_read, masks = rows.view(2)
>>> context.tolist(), n_read.tolist(), masks.tolist()
([[1, 2], [3, 4]], [0, 2], [5, 6])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["FormRows"]


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` with zero rows appended up to ``size`` rows."""
    out = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    out[: len(array)] = array
    return out


class FormRows:
    """Each form's hashed context attributes, number of reading rows and agreement mask,
    in arrays indexed by the form's number (grown by doubling: amortised O(1) per form).

    Parameters
    ----------
    width : int
        Number of context attributes per form.
    """

    def __init__(self, width: int) -> None:
        self.context = np.zeros((1024, width), dtype=np.uint64)
        self.n_read = np.zeros(1024, dtype=np.int64)
        self.type_mask = np.zeros(1024, dtype=np.int64)

    def fill(
        self,
        start: int,
        context: Sequence[Sequence[int]],
        n_read: Sequence[int],
        type_mask: Sequence[int],
    ) -> None:
        """Set the rows of forms ``start``, ``start + 1``, … (growing the arrays)."""
        end = start + len(context)
        size = len(self.n_read)
        while size < end:
            size *= 2
        if size > len(self.n_read):
            self.context = _grown(self.context, size)
            self.n_read = _grown(self.n_read, size)
            self.type_mask = _grown(self.type_mask, size)
        self.context[start:end] = np.array(context, dtype=np.uint64).reshape(len(context), -1)
        self.n_read[start:end] = n_read
        self.type_mask[start:end] = type_mask

    def view(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of the first ``n`` forms (views, valid until the next :meth:`fill`)."""
        return self.context[:n], self.n_read[:n], self.type_mask[:n]
