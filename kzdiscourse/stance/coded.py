"""Coded sentences from a user: reading a filled coding sheet and finding its rows.

A coded file (CSV, XLSX or a DataFrame) holds either ``doc_id, sent_id, label`` of sentences
of a parsed corpus, or ``text, label``. Rows with an empty label are left out (logged);
unknown labels and ids that are not in the corpus raise errors that name the rows.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse.stance.coded import coded_table
>>> table, labels = coded_table(pd.DataFrame({"text": ["ЕС — надёжный партнёр Астаны."],
...                                           "label": ["pro_eu"]}))
>>> labels.tolist()
['pro_eu']
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import ColumnError, InputError, MissingIdError
from kzdiscourse.parsed import Parsed
from kzdiscourse.stance.labels import STANCE_LABELS

__all__ = ["coded_rows", "coded_table", "read_coded"]

log = logging.getLogger(__name__)


def read_coded(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A filled coding sheet as a DataFrame (CSV or XLSX path, or a DataFrame as it is)."""
    if isinstance(source, pd.DataFrame):
        return source
    p = Path(source)
    if not p.is_file():
        from kzdiscourse.errors import InputPathError

        raise InputPathError("coded file not found", source=str(p))
    if p.suffix.lower() == ".xlsx":
        return pd.read_excel(p, sheet_name=0, dtype=str, keep_default_na=False)
    return pd.read_csv(p, dtype=str, keep_default_na=False)


def _clean_coded(coded: pd.DataFrame, keys: list[str], source: str) -> pd.DataFrame:
    missing = [c for c in [*keys, "label"] if c not in coded.columns]
    if missing:
        raise ColumnError(
            f"the coded sentences lack columns {missing}",
            source=source,
            hint="pass the filled coding sheet (doc_id, sent_id, label) or text, label",
        )
    frame = coded.reset_index(drop=True).copy()
    frame["label"] = frame["label"].fillna("").astype(str).str.strip()
    blank = frame["label"] == ""
    if blank.all():
        raise InputError(
            "no coded sentence: every label cell is empty",
            source=source,
            hint="fill the label column with one of " + ", ".join(STANCE_LABELS),
        )
    if blank.any():
        log.warning("%d of %d rows have no label yet and are left out", blank.sum(), len(frame))
    frame = frame.loc[~blank]
    bad = frame.loc[~frame["label"].isin(STANCE_LABELS)]
    if len(bad):
        shown = ", ".join(f"row {i + 2}: {v!r}" for i, v in bad["label"].head(10).items())
        raise InputError(
            f"{len(bad)} label(s) outside the codebook ({shown})",
            source=source,
            hint=f"use only {list(STANCE_LABELS)} (lower case); rows count as in the file, "
            "header = row 1",
        )
    return frame


def coded_table(
    coded: Any, parsed: Parsed | None = None, *, lexicon: str = "stance_cues_ru"
) -> tuple[pd.DataFrame, np.ndarray]:
    """The sentence-table rows and labels of coded sentences.

    ``coded`` (DataFrame or path) holds ``doc_id, sent_id, label`` of sentences of
    ``parsed``, or ``text, label`` (then ``parsed`` is not needed). Rows with an empty label
    are left out (logged); unknown labels and ids not in the corpus raise errors that name
    the rows.
    """
    from kzdiscourse.stance.features import sentence_table

    source = str(coded) if not isinstance(coded, pd.DataFrame) else "<coded DataFrame>"
    frame = read_coded(coded)
    if parsed is None or "doc_id" not in frame.columns:
        if "text" not in frame.columns:
            raise ColumnError(
                "coded sentences need doc_id and sent_id (with the parsed corpus) or text",
                source=source,
            )
        frame = _clean_coded(frame, ["text"], source)
        table = sentence_table(frame["text"].astype(str).tolist(), lexicon=lexicon)
        return table, frame["label"].to_numpy(dtype=object)
    frame = _clean_coded(frame, ["doc_id", "sent_id"], source)
    rows = _rows_in_corpus(frame, parsed, source)
    table = sentence_table(parsed, lexicon=lexicon).iloc[rows].reset_index(drop=True)
    return table, frame["label"].to_numpy(dtype=object)


def coded_rows(coded: Any, parsed: Parsed, source: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The coded rows with a label (``doc_id, sent_id, label`` checked) and their positions
    in ``parsed.sentences``; raises errors that name bad rows and unknown ids."""
    frame = _clean_coded(read_coded(coded), ["doc_id", "sent_id"], source)
    return frame, _rows_in_corpus(frame, parsed, source)


def _rows_in_corpus(frame: pd.DataFrame, parsed: Parsed, source: str) -> np.ndarray:
    sents = parsed.sentences
    index = pd.MultiIndex.from_arrays([sents["doc_id"].astype(str), sents["sent_id"].astype(int)])
    try:
        sent_ids = frame["sent_id"].astype(int)
    except (TypeError, ValueError) as err:
        raise InputError(
            "sent_id must be whole numbers", source=source, hint="copy the ids from the sheet"
        ) from err
    at = index.get_indexer(pd.MultiIndex.from_arrays([frame["doc_id"].astype(str), sent_ids]))
    if (at < 0).any():
        bad = frame.loc[at < 0]
        shown = ", ".join(f"{d}/{s}" for d, s in zip(bad["doc_id"], bad["sent_id"], strict=True))
        raise MissingIdError(
            f"{len(bad)} coded sentence(s) are not in the corpus: {shown}",
            doc_ids=sorted(set(bad["doc_id"].astype(str))),
            source=source,
            hint="validate against the corpus the sheet was drawn from (same texts, same "
            "cleaning and parsing)",
        )
    return at
