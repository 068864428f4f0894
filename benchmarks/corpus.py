"""Build a large, realistic Russian benchmark corpus from the UD treebanks.

Half of the sentences are real UD sentences (GSD and Taiga); the other half are synthetic
sentences whose word forms are drawn from a Zipf-shaped distribution over every inflected
form of every UD lemma (expanded with pymorphy3), so that the corpus has a realistic
type/token ratio (many rare forms) rather than the handful of types that repeating the UD
sentences would give. Everything is derived from a seeded numpy Generator.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
UD_CANDIDATES = [
    Path(os.environ.get("KZD_UD_DIR", "")) if os.environ.get("KZD_UD_DIR") else None,
    HERE.parent.parent / "shared" / "data" / "ud",
    HERE.parent / "tests" / "data" / "ud",
]


def ud_files() -> list[Path]:
    for folder in UD_CANDIDATES:
        if folder is not None and folder.is_dir():
            files = sorted(folder.glob("*.conllu"))
            if files:
                return files
    raise FileNotFoundError("no UD .conllu files found (set KZD_UD_DIR)")


def ud_source() -> dict[str, object]:
    """Which UD files the corpus is built from: results on other files do not compare.

    ``../shared/data/ud`` (every treebank) gives far more word types than the small sample in
    ``tests/data/ud`` that a checkout without ``../shared`` falls back to, and the parse's
    cost grows with the types.
    """
    files = ud_files()
    return {"folder": str(files[0].parent), "files": [f.name for f in files]}


def build_corpus(target_tokens: int, seed: int = 0, doc_tokens: int = 2000) -> pd.DataFrame:
    """A DataFrame (doc_id, text, source) of about ``target_tokens`` razdel tokens."""
    import pymorphy3

    from kzdiscourse.ud import read_conllu

    rng = np.random.default_rng(seed)
    sentences = [s for f in ud_files() for s in read_conllu(f)]
    real = [s.text for s in sentences]
    real_len = np.array([len(s.tokens) for s in sentences])

    # lemma frequencies from the treebanks, then every form of each lemma
    lemma_freq: dict[str, int] = {}
    for s in sentences:
        for _form, lemma, upos in s.tokens:
            if (
                upos
                in (
                    "NOUN",
                    "VERB",
                    "ADJ",
                    "ADV",
                    "PROPN",
                    "ADP",
                    "PRON",
                    "DET",
                    "CCONJ",
                    "SCONJ",
                    "PART",
                    "AUX",
                )
                and lemma.isalpha()
            ):
                lemma_freq[lemma.lower()] = lemma_freq.get(lemma.lower(), 0) + 1
    morph = pymorphy3.MorphAnalyzer()
    forms: list[str] = []
    weights: list[float] = []
    ranked = sorted(lemma_freq, key=lambda lemma: (-lemma_freq[lemma], lemma))
    for rank, lemma in enumerate(ranked):
        parses = morph.parse(lemma)
        lexeme = sorted({p.word for p in parses[0].lexeme}) if parses else [lemma]
        # Zipf over lemma ranks, spread over the lemma's forms with a skew to the first ones
        share = np.array([1.0 / (k + 1) for k in range(len(lexeme))])
        share /= share.sum()
        for form, w in zip(lexeme, share, strict=True):
            forms.append(form)
            weights.append(w / (rank + 2) ** 1.0)
    cdf = np.cumsum(np.array(weights))
    cdf /= cdf[-1]

    punct = np.array([",", ",", ",", "—", ":", ";"])
    docs, tokens, d = [], 0, 0
    while tokens < target_tokens:
        parts, doc_tok = [], 0
        par: list[str] = []
        while doc_tok < doc_tokens:
            if rng.random() < 0.5:
                i = int(rng.integers(len(real)))
                sent, n = real[i], int(real_len[i])
            else:
                n = int(np.clip(rng.normal(18, 8), 4, 60))
                words = np.searchsorted(cdf, rng.random(n), side="right")
                out = []
                for k, w in enumerate(words):
                    out.append(forms[w])
                    if k < n - 1 and rng.random() < 0.08:
                        out.append(str(rng.choice(punct)))
                sent = " ".join(out).replace(" ,", ",").replace(" :", ":").replace(" ;", ";")
                sent = sent[:1].upper() + sent[1:] + "."
                n = len(out) + 1
            par.append(sent)
            doc_tok += n
            if rng.random() < 0.2:
                parts.append(" ".join(par))
                par = []
        if par:
            parts.append(" ".join(par))
        docs.append({"doc_id": f"bench_{d:05d}", "text": "\n\n".join(parts), "source": "ud+zipf"})
        tokens += doc_tok
        d += 1
    return pd.DataFrame(docs)
