"""Hashes of the full parse tables on fixed inputs: run before and after a speed change.

A change meant to make parsing faster must not change one cell. This parses, with and
without context disambiguation and from a cold word-form cache: the seeds (as loaded and
cleaned), a benchmark corpus (``benchmarks/corpus.py``, ``--tokens``, seed 0; also once
more with the cache warm) and the texts of the UD files it finds (GSD test and Taiga
dev, sentences joined per document); and lemmatises the gold tokens of those UD files
(``kzdiscourse.nlp.lemmatize`` and ``Lemmatizer.analyze``). Each table is hashed column by
column (values, dtypes, names). Two runs on the same code give the same JSON; compare the
files of two versions with ``cmp``.

Usage::

    KZD_UD_DIR=../shared/data/ud python benchmarks/parse_fingerprint.py before.json
    # … change the code …
    KZD_UD_DIR=../shared/data/ud python benchmarks/parse_fingerprint.py after.json
    cmp before.json after.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pandas as pd  # noqa: E402

import kzdiscourse as kzd  # noqa: E402
from kzdiscourse import Corpus, nlp  # noqa: E402
from kzdiscourse.ud import read_conllu  # noqa: E402

from corpus import UD_CANDIDATES, build_corpus  # noqa: E402

UD_FILES = ("ru_gsd-ud-test.conllu", "ru_taiga-ud-dev.conllu")
TABLES = ("paragraphs", "sentences", "tokens")


def frame_hash(frame: pd.DataFrame) -> str:
    """SHA-256 (16 hex digits) of a frame's column names, dtypes and values."""
    h = hashlib.sha256()
    h.update(repr(list(frame.columns)).encode())
    h.update(repr([str(t) for t in frame.dtypes]).encode())
    for column in frame.columns:
        h.update(pd.util.hash_pandas_object(frame[column], index=True).to_numpy().tobytes())
    return h.hexdigest()[:16]


def ud_files() -> list[Path]:
    """GSD test and Taiga dev from the first folder that has them (else GSD test alone,
    from the sample in tests/data, or nothing)."""
    for folder in UD_CANDIDATES:
        if folder is not None:
            found = [folder / f for f in UD_FILES if (folder / f).is_file()]
            if found:
                return found
    return []


def parse_hashes(corpus: Any, disambiguate: bool, cold: bool = True) -> dict[str, Any]:
    if cold:
        nlp.default_lemmatizer().clear_cache()
    parsed = corpus.parse(n_jobs=1, disambiguate=disambiguate)
    out: dict[str, Any] = {t: frame_hash(getattr(parsed, t)) for t in TABLES}
    out["tokens_n"] = len(parsed.tokens)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--tokens", type=int, default=300_000)
    args = ap.parse_args(argv)

    gold = {f.name: read_conllu(f) for f in ud_files()}
    docs: dict[str, list[str]] = {}
    for name, sentences in gold.items():
        for s in sentences:
            docs.setdefault(f"{name}#{s.doc_id}", []).append(s.text)
    corpora = {
        "seeds": kzd.load_seeds(),
        "seeds_clean": kzd.load_seeds().clean(),
        "bench": Corpus.from_dataframe(build_corpus(args.tokens, seed=0)),
    }
    if docs:
        corpora["ud_texts"] = Corpus.from_dataframe(
            pd.DataFrame(
                {
                    "doc_id": [f"d{i}" for i in range(len(docs))],
                    "text": [" ".join(t) for t in docs.values()],
                }
            )
        )
    out: dict[str, Any] = {"ud_files": sorted(gold)}
    for name, corpus in corpora.items():
        for disambiguate in (True, False):
            out[f"{name}:context={disambiguate}"] = parse_hashes(corpus, disambiguate)
    out["bench:warm_cache"] = parse_hashes(corpora["bench"], True, cold=False)
    for name, sentences in gold.items():
        for disambiguate in (True, False):
            nlp.default_lemmatizer().clear_cache()
            lem = nlp.default_lemmatizer()
            h = hashlib.sha256()
            for s in sentences:
                forms = [t[0] for t in s.tokens]
                h.update(repr(nlp.lemmatize(forms, disambiguate=disambiguate)).encode())
                analysis = lem.analyze(forms, disambiguate=disambiguate)
                h.update(repr({k: list(v) for k, v in analysis.items()}).encode())
            out[f"lemmatize:{name}:context={disambiguate}"] = h.hexdigest()[:16]
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
