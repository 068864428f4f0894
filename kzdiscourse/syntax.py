"""Dependency parses from slovnet's news syntax model (the ``syntax`` agency method).

The model and the navec news embeddings it needs ship inside the ``natasha`` 1.6 wheel
(``natasha/data/model/slovnet_syntax_news_v1.tar``, ``natasha/data/emb/navec_news_…tar``):
nothing is downloaded. Only slovnet and navec are used; natasha's pymorphy2-based
``MorphVocab`` (broken on Python 3.11) is never instantiated. The parser reads our own
tokens, sentence by sentence, so its output aligns one to one with ``Parsed.tokens``.

natasha is a dependency of kzdiscourse. When its files cannot be found or loaded,
:func:`parse_dependencies` raises a :mod:`kzdiscourse.errors` exception that names
``method="case"`` (the case rules of :mod:`kzdiscourse.agency`, no parser) as the
alternative; nothing falls back silently.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.errors import MissingDependencyError, ResourceError

__all__ = ["available", "parse_dependencies"]


_MODEL = ("data", "model", "slovnet_syntax_news_v1.tar")
_CACHE: dict[tuple[str, ...], tuple[tuple[int, str], ...]] = {}
_CACHE_SIZE = 50_000  # sentences
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
    """Whether natasha's model files, slovnet and navec are installed (they are
    dependencies of kzdiscourse, so this is False only in a broken environment)."""
    if _natasha_files() is None:
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("slovnet", "navec"))


_ALTERNATIVE = 'or pass method="case" to use the case rules, which need no parser'


@cache
def _model() -> Any:
    if not available():
        raise MissingDependencyError(
            "the dependency parser for actor agency (method='syntax') is not installed: "
            "natasha's model files, slovnet or navec are missing",
            hint=f'reinstall kzdiscourse (pip install "natasha>=1.6,<1.7"), {_ALTERNATIVE}',
        )
    from navec import Navec
    from slovnet import Syntax

    model, emb = _natasha_files()  # type: ignore[misc]
    try:
        syntax = Syntax.load(str(model))
        syntax.navec(Navec.load(str(emb)))
    except Exception as err:  # a damaged or incompatible model file
        raise ResourceError(
            f"cannot load the dependency parser for actor agency (method='syntax'): {err}",
            source=str(model),
            hint=f"reinstall natasha, {_ALTERNATIVE}",
        ) from err
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
    words = [tuple(g["text"].astype(str).tolist()) for _, g in groups]
    # parses are a pure function of the word sequence: parse each distinct sentence once
    todo = list(dict.fromkeys(w for w in words if w not in _CACHE))
    for i in range(0, len(todo), batch_size):
        chunk = todo[i : i + batch_size]
        for w, markup in zip(chunk, syntax.map([list(c) for c in chunk]), strict=True):
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[w] = tuple((int(t.head_id), str(t.rel)) for t in markup.tokens)
    rows: list[tuple[str, int, int, str]] = []
    for ((doc_id, _), g), w in zip(groups, words, strict=True):
        ids = g["tok_id"].tolist()
        for tok_id, (head, rel) in zip(ids, _CACHE[w], strict=True):
            rows.append((doc_id, tok_id, ids[head - 1] if head > 0 else -1, rel))
    return pd.DataFrame(rows, columns=["doc_id", "tok_id", "head_tok_id", "rel"])
