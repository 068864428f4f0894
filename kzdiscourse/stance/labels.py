"""The stance label set of the codebook (``docs/stance_codebook.md``).

Examples
--------
>>> from kzdiscourse.stance.labels import STANCE_LABELS, ORIENTATION_LABELS
>>> STANCE_LABELS
('pro_eu', 'balance', 'instrumental', 'none')
>>> "none" in ORIENTATION_LABELS
False
"""

from __future__ import annotations

__all__ = ["ORIENTATION_LABELS", "STANCE_LABELS"]

#: Every label a sentence can get, in the fixed order used for columns and tables.
STANCE_LABELS: tuple[str, ...] = ("pro_eu", "balance", "instrumental", "none")

#: The labels that count for a document's dominant stance (``none`` never dominates).
ORIENTATION_LABELS: tuple[str, ...] = ("pro_eu", "balance", "instrumental")
