"""The disambiguator: a linear model that picks one reading per ambiguous token.

:class:`Disambiguator` holds the weights (a hashed table, see
:mod:`kzdiscourse.disambiguation.features`) and a cache of the readings of every form it
has met. For a run of tokens it finds those whose form has more than one reading, builds
the keys of their readings' features in one pass (:meth:`Disambiguator.batch`) and keeps,
for each token, the reading with the highest score (the most probable one on ties).

The packaged model (``resources/lemma_disambiguator.zip``) is a zip of two ``.npy`` arrays
(the indexes and values of the non-zero weights) and ``meta.json`` (the training data, its
digest, the settings and the accuracy measured when it was trained); see
:func:`save_model`.

Examples
--------
>>> from kzdiscourse.nlp import Lemmatizer
>>> model = default_disambiguator()
>>> forms = ["Они", "стали", "сильнее", "."]
>>> lower = [f.lower() for f in forms]
>>> tokens = (lower, np.arange(4), forms, np.arange(4), np.zeros(4, dtype=int))
>>> chosen = model.choose(*tokens, model.reading_cache(), Lemmatizer().candidates)
>>> [(int(t), r.lemma, r.upos) for t, r in zip(chosen.tokens, chosen.readings)]
[(1, 'стать', 'VERB'), (2, 'сильный', 'ADJ')]

(*сильнее* is ambiguous too: the adjective *сильный* or the adverbs *сильно, сильнее*.)
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kzdiscourse.disambiguation.features import (
    SHAPES,
    TEMPLATES,
    agreement_offsets,
    context_columns,
    mix_keys,
    reading_column,
    shape_index,
    templates_digest,
    with_agreement,
)
from kzdiscourse.disambiguation.readings import (
    CONTEXT_ATTRIBUTES,
    Analysis,
    Reading,
    ReadingCache,
    string_hash,
)

__all__ = [
    "MODEL_FILE",
    "Batch",
    "Choice",
    "Disambiguator",
    "default_disambiguator",
    "lemmatization_info",
    "load_model",
    "save_model",
]

#: The packaged model, in ``kzdiscourse/resources``.
MODEL_FILE = "lemma_disambiguator.zip"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# the class hash of punctuation marks (see ReadingCache): not a word for ``word_`` context
_PUNCT_CLASS = np.uint64(string_hash("c:<punct>"))


@dataclass
class Batch:
    """The ambiguous tokens of a run of tokens, their readings and feature keys.

    ``tokens`` are token indexes (ascending); token ``tokens[k]`` owns the reading rows
    ``start[k]:start[k + 1]``. For each row, ``keys`` holds one weight index per template,
    ``log_share`` the log of the reading's share of pymorphy3's probability and
    ``row_reading`` the reading's entry in ``table`` (the readings of the ambiguous forms;
    ``table_type`` gives each entry's form, an index into ``lower_forms``).
    """

    tokens: np.ndarray
    start: np.ndarray
    keys: np.ndarray
    log_share: np.ndarray
    row_reading: np.ndarray
    table: list[Reading]
    table_type: np.ndarray

    @property
    def readings(self) -> list[Reading]:
        """The reading of every row."""
        return [self.table[i] for i in self.row_reading.tolist()]

    @property
    def row_token(self) -> np.ndarray:
        """For each reading row, its position in ``tokens``."""
        return np.repeat(np.arange(len(self.tokens)), np.diff(self.start))


@dataclass
class Choice:
    """The readings chosen for a run of tokens.

    Token ``tokens[k]`` gets reading ``table[reading[k]]``, a reading of the form
    ``table_type[reading[k]]`` (an index into the ``lower_forms`` given). Tokens not in
    ``tokens`` have a single reading.
    """

    tokens: np.ndarray
    reading: np.ndarray
    table: list[Reading]
    table_type: np.ndarray

    @property
    def readings(self) -> list[Reading]:
        """The chosen reading of each token of ``tokens``."""
        return [self.table[i] for i in self.reading.tolist()]


class Disambiguator:
    """Chooses one reading per token from context.

    Parameters
    ----------
    weights : numpy.ndarray
        float32 table of ``2**meta["bits"]`` weights.
    meta : dict
        ``bits`` and ``min_share`` at least (see :func:`save_model`).
    """

    def __init__(self, weights: np.ndarray, meta: dict[str, Any]) -> None:
        self.bits = int(meta["bits"])
        if weights.shape != (1 << self.bits,):
            raise ValueError(f"weights must have 2**{self.bits} entries")
        self.weights = weights.astype(np.float32, copy=False)
        self.meta = meta
        self.share_weight = float(meta.get("share_weight", 0.0))
        self.min_share = float(meta["min_share"])
        # hashed shape of each (shape, sentence start) pair, at 2 * SHAPES.index + start
        self._shape_table = np.array(
            [string_hash(f"shape:{shape}{start}") for shape in SHAPES for start in ("", "^")],
            dtype=np.uint64,
        )

    def reading_cache(self) -> ReadingCache:
        """An empty cache of the readings of forms, for this model's ``min_share``."""
        return ReadingCache(self.min_share)

    def batch(
        self,
        lower_forms: Sequence[str],
        lower_code: np.ndarray,
        forms: Sequence[str],
        form_code: np.ndarray,
        sent: np.ndarray,
        readings: ReadingCache,
        candidates: Callable[[str], list[Analysis]],
    ) -> Batch:
        """Ambiguous tokens and their readings' feature keys.

        Parameters
        ----------
        lower_forms : sequence of str
            Distinct lower-cased forms.
        lower_code : numpy.ndarray
            Each token's entry in ``lower_forms``.
        forms : sequence of str
            Distinct forms as written.
        form_code : numpy.ndarray
            Each token's entry in ``forms``.
        sent : numpy.ndarray
            Each token's sentence number (tokens in text order).
        readings : ReadingCache
            Where the readings of forms are kept (:meth:`reading_cache`; the lemmatiser
            keeps one with its analyses).
        candidates : callable
            ``candidates(lower)`` lists a form's analyses
            (:meth:`kzdiscourse.nlp.Lemmatizer.candidates`); asked once per form new to
            ``readings``.
        """
        lower_code = np.asarray(lower_code, dtype=np.int64)
        form_code = np.asarray(form_code, dtype=np.int64)
        sent = np.asarray(sent)
        # each form's number in the cache, then its rows of the cache's per-form arrays
        ids = readings.ids(lower_forms, candidates)
        context_table, n_read_table, mask_table = readings.tables()
        n_read = n_read_table[ids]
        tokens = np.flatnonzero(n_read[lower_code] > 0) if len(lower_code) else lower_code
        per_token = n_read[lower_code[tokens]]
        start = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(per_token, out=start[1:])
        if not len(tokens):
            empty = np.zeros(0, dtype=np.int64)
            keys = np.zeros((0, len(TEMPLATES)), dtype=np.uint32)
            return Batch(tokens, start, keys, empty.astype(np.float64), empty, [], empty)
        type_context = context_table[ids]
        # sentence starts, then each token's shape from its written form
        first = np.ones(len(sent), dtype=bool)
        first[1:] = sent[1:] != sent[:-1]
        kind = np.fromiter(map(shape_index, forms), dtype=np.int64, count=len(forms))
        shape = self._shape_table[kind[form_code] * 2 + first]
        # the reading table of the ambiguous forms present, and each row's entry in it
        amb_types = np.flatnonzero(n_read > 0)
        type_start = np.zeros(len(ids), dtype=np.int64)
        entries = {t: readings.entry(ids[t]) for t in amb_types.tolist()}
        counts = n_read[amb_types]
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        type_start[amb_types] = offsets
        cand = np.concatenate([entries[t].cand for t in amb_types.tolist()])
        table_share = np.concatenate([entries[t].log_share for t in amb_types.tolist()])
        table_mask = np.concatenate([entries[t].masks for t in amb_types.tolist()])
        type_mask = mask_table[ids]
        table = [r for t in amb_types.tolist() for r in entries[t].readings]
        row_token = np.repeat(np.arange(len(tokens)), per_token)
        within = np.arange(len(row_token)) - start[row_token]
        row_reading = type_start[lower_code[tokens]][row_token] + within
        words = type_context[lower_code, CONTEXT_ATTRIBUTES.index("class")] != _PUNCT_CLASS
        context = context_columns(type_context, lower_code, sent, shape, tokens, words)
        # whether each reading can agree with the neighbours' analyses
        row_mask = table_mask[row_reading]
        agrees = {}
        for d in (-1, 1):
            j = tokens + d
            inside = (j >= 0) & (j < len(lower_code))
            jc = np.clip(j, 0, len(lower_code) - 1)
            inside &= sent[jc] == sent[tokens]
            neighbour = np.where(inside, type_mask[lower_code[jc]], 0)
            agrees[d] = (row_mask & neighbour[row_token]) != 0
        keys = np.empty((len(row_token), len(TEMPLATES)), dtype=np.uint32)
        for t, (_, attribute) in enumerate(TEMPLATES):
            row_context = context[t][row_token]
            offsets = agreement_offsets(t)
            if offsets:
                row_context = with_agreement(row_context, [agrees[d] for d in offsets])
            keys[:, t] = mix_keys(
                row_context, cand[row_reading, reading_column(attribute)], t, self.bits
            )
        return Batch(
            tokens=tokens,
            start=start,
            keys=keys,
            log_share=table_share[row_reading],
            row_reading=row_reading,
            table=table,
            table_type=np.repeat(amb_types, counts),
        )

    def scores(self, batch: Batch) -> np.ndarray:
        """The score of every reading row of ``batch``: the sum of its features' weights
        plus ``share_weight`` times the log of its share of pymorphy3's probability."""
        scores = self.weights[batch.keys].sum(axis=1, dtype=np.float64)
        return scores + self.share_weight * batch.log_share

    def choose(
        self,
        lower_forms: Sequence[str],
        lower_code: np.ndarray,
        forms: Sequence[str],
        form_code: np.ndarray,
        sent: np.ndarray,
        readings: ReadingCache,
        candidates: Callable[[str], list[Analysis]],
    ) -> Choice:
        """The reading chosen for each ambiguous token (arguments as for :meth:`batch`)."""
        batch = self.batch(lower_forms, lower_code, forms, form_code, sent, readings, candidates)
        if not len(batch.tokens):
            return Choice(batch.tokens, batch.row_reading, batch.table, batch.table_type)
        best = best_rows(self.scores(batch), batch.start)
        return Choice(batch.tokens, batch.row_reading[best], batch.table, batch.table_type)

    def in_context(
        self,
        table: dict[str, np.ndarray],
        tokens: tuple[Sequence[str], np.ndarray, Sequence[str], np.ndarray, np.ndarray],
        readings: ReadingCache,
        candidates: Callable[[str], list[Analysis]],
        stopwords: frozenset[str],
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """A type table extended with the readings chosen in context, and new codes.

        For each token whose form has several readings one is chosen (:meth:`choose`);
        each distinct (form, reading) chosen becomes a row appended to the table
        (``lemma``, ``pos``, ``tag`` and ``is_stop`` of the reading, the form's other
        columns), and those tokens point to it. String work stays per type: the caller
        still maps rows to tokens by array indexing.

        Parameters
        ----------
        table : dict of numpy.ndarray
            The lemmatiser's type table of the distinct lower-cased forms
            (:meth:`kzdiscourse.nlp.Lemmatizer.type_table`): ``lemma``, ``pos``, ``tag``,
            ``norm``, ``is_stop`` and other columns, one row per form.
        tokens : tuple
            ``(lower_forms, lower_code, forms, form_code, sent)``: the distinct
            lower-cased forms and each token's entry (its row of ``table``), the distinct
            forms as written and each token's entry, each token's sentence number.
        readings, candidates
            As for :meth:`batch`.
        stopwords : frozenset of str
            A reading is a stopword when its lemma or the form is one.

        Returns
        -------
        table : dict of numpy.ndarray
        codes : numpy.ndarray
            Each token's row of the returned table.
        """
        lower_forms, lower_code = tokens[0], tokens[1]
        choice = self.choose(*tokens, readings, candidates)
        if not len(choice.tokens):
            return table, lower_code
        used, inverse = np.unique(choice.reading, return_inverse=True)
        types = choice.table_type[used]
        extended = {name: np.concatenate([column, column[types]]) for name, column in table.items()}
        n = len(lower_forms)
        norms = table["norm"][types].tolist()
        for k, (i, norm) in enumerate(zip(used.tolist(), norms, strict=True)):
            r = choice.table[i]
            extended["lemma"][n + k] = r.lemma
            extended["pos"][n + k] = r.upos
            extended["tag"][n + k] = r.tag
            extended["is_stop"][n + k] = r.lemma in stopwords or norm in stopwords
        codes = np.array(lower_code, dtype=np.int64, copy=True)
        codes[choice.tokens] = n + inverse.ravel()
        return extended, codes

    @property
    def info(self) -> dict[str, Any]:
        """What the manifest records about the model (training data, digest, settings)."""
        keys = (
            "model",
            "treebanks",
            "data_digest",
            "weights_digest",
            "min_share",
            "share_weight",
            "bits",
        )
        return {k: self.meta[k] for k in keys if k in self.meta}


def best_rows(scores: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Index of the best row of each run ``start[k]:start[k + 1]`` (the first on ties)."""
    runs = start[:-1]
    top = np.maximum.reduceat(scores, runs)
    length = np.diff(start)
    is_top = scores >= np.repeat(top, length)
    position = np.where(is_top, np.arange(len(scores)), len(scores))
    return np.minimum.reduceat(position, runs)


def save_model(path: Path, weights: np.ndarray, meta: dict[str, Any]) -> None:
    """Write a model file: the same weights and meta give the same bytes.

    The non-zero weights are stored as ``index.npy`` (uint32) and ``value.npy``
    (float32) with ``meta.json`` (sorted keys) in a zip with fixed dates.
    """
    index = np.flatnonzero(weights).astype(np.uint32)
    value = weights[index].astype(np.float32)
    members = {"meta.json": json.dumps(meta, sort_keys=True, indent=1, ensure_ascii=False)}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in (("index.npy", index), ("value.npy", value)):
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buffer.getvalue())
        info = zipfile.ZipInfo("meta.json", date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, members["meta.json"].encode("utf-8"))


def load_model(source: Path | None = None) -> Disambiguator:
    """Read a model file (by default the packaged one)."""
    if source is None:
        data = resources.files("kzdiscourse.resources").joinpath(MODEL_FILE).read_bytes()
    else:
        data = Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        meta = json.loads(zf.read("meta.json").decode("utf-8"))
        index = np.load(io.BytesIO(zf.read("index.npy")), allow_pickle=False)
        value = np.load(io.BytesIO(zf.read("value.npy")), allow_pickle=False)
    if meta.get("templates_digest") != templates_digest():
        from kzdiscourse.errors import ResourceError

        raise ResourceError(
            "the disambiguation model was trained with other feature templates",
            source=str(source or MODEL_FILE),
            hint="retrain it: python benchmarks/train_disambiguator.py",
        )
    weights = np.zeros(1 << int(meta["bits"]), dtype=np.float32)
    weights[index] = value
    return Disambiguator(weights, meta)


@lru_cache(maxsize=1)
def default_disambiguator() -> Disambiguator:
    """The packaged model, loaded once per process."""
    return load_model()


def lemmatization_info(disambiguate: bool = True) -> dict[str, Any]:
    """How lemmas and tags are chosen, for manifests and parse-cache keys.

    Parameters
    ----------
    disambiguate : bool, default True
        Whether readings are chosen in context.

    Returns
    -------
    dict
        ``disambiguation`` (bool) and, when it is on, the packaged model's description:
        training treebanks (repository, commit, file, sentences, tokens, SHA-256), data
        and weights digests and settings.

    Examples
    --------
    >>> info = lemmatization_info()
    >>> info["disambiguation"], sorted(t["treebank"] for t in info["treebanks"])
    (True, ['UD_Russian-GSD', 'UD_Russian-Poetry', 'UD_Russian-Taiga'])
    >>> lemmatization_info(disambiguate=False)
    {'disambiguation': False}
    """
    if not disambiguate:
        return {"disambiguation": False}
    return {"disambiguation": True, **default_disambiguator().info}
