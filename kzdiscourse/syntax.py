"""Optional dependency parses from slovnet's news syntax model (the ``syntax`` extra).

The model and the navec news embeddings it needs ship inside the ``natasha`` 1.6 wheel
(``natasha/data/model/slovnet_syntax_news_v1.tar``, ``natasha/data/emb/navec_news_…tar``):
nothing is downloaded. Only slovnet and navec are used; natasha's pymorphy2-based
``MorphVocab`` (broken on Python 3.11) is never instantiated. The parser reads our own
tokens, sentence by sentence, so its output aligns one to one with ``Parsed.tokens``.

Install with ``pip install "kzdiscourse[syntax]"``.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.errors import KzDiscourseError

__all__ = ["available", "parse_dependencies"]


_MODEL = ("data", "model", "slovnet_syntax_news_v1.tar")
_EMBEDDING = ("data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")


def _natasha_files() -> tuple[Path, Path] | None:
    # locate the model files without importing natasha (its __init__ pulls in pymorphy2,
    # yargy and more, and takes seconds)
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    model, emb = root.joinpath(*_MODEL), root.joinpath(*_EMBEDDING)
    return (model, emb) if model.is_file() and emb.is_file() else None


def available() -> bool:
    """Whether the optional syntax extra (natasha's model files, slovnet, navec) is installed."""
    if _natasha_files() is None:
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("slovnet", "navec"))


@cache
def _model() -> Any:
    if not available():
        raise KzDiscourseError(
            "the dependency-parse method needs the optional 'syntax' extra",
            hint='install it with: pip install "kzdiscourse[syntax]", or use method="case"',
        )
    from navec import Navec
    from slovnet import Syntax

    model, emb = _natasha_files()  # type: ignore[misc]
    syntax = Syntax.load(str(model))
    syntax.navec(Navec.load(str(emb)))
    return syntax


def parse_dependencies(tokens: pd.DataFrame, batch_size: int = 64) -> pd.DataFrame:
    """Head and relation of every token, sentence by sentence.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table (``doc_id, sent_id, tok_id, text``), in corpus order.
    batch_size : int
        Sentences per model call.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, tok_id, head_tok_id, rel``: the ``tok_id`` of the syntactic head
        (``-1`` for the root) and the UD relation label.
    """
    syntax = _model()
    groups = list(tokens.groupby(["doc_id", "sent_id"], sort=False))
    rows: list[tuple[str, int, int, str]] = []
    for i in range(0, len(groups), batch_size):
        chunk = groups[i : i + batch_size]
        words = [g["text"].astype(str).tolist() for _, g in chunk]
        for (key, g), markup in zip(chunk, syntax.map(words), strict=True):
            ids = g["tok_id"].tolist()
            for tok_id, tok in zip(ids, markup.tokens, strict=True):
                head = int(tok.head_id)
                rows.append((key[0], tok_id, ids[head - 1] if head > 0 else -1, str(tok.rel)))
    return pd.DataFrame(rows, columns=["doc_id", "tok_id", "head_tok_id", "rel"])
