"""Feature and design ideas for the stance model that were tried and not kept, measured.

Every experiment adds one thing to (or changes one thing of) the reference model — the
``plus_chars_navec`` candidate of ``train_stance_model.py`` (lemma and character n-grams,
lexicon, rules, actors, navec; C 2, dense weight 0.3) — and is cross-validated exactly like
the candidates there: grouped by outlet, 5 folds, the mean of 3 fold seeds, calibration
off (labels only). Writes ``benchmarks/data/stance_model_experiments.csv``.

    python benchmarks/stance_model_experiments.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from stance_model_data import PAGES_CSV, PAGES_JSONL, SENTENCES_CSV, Coded, load_coded  # noqa: E402
from stance_model_eval import LABELS, point_metrics  # noqa: E402

OUT_CSV = HERE / "data" / "stance_model_experiments.csv"
CLASSES = sorted(LABELS)
REFERENCE = {"blocks": ("lemmas", "chars", "lexicon", "rules", "actors", "navec"),
             "C": 2.0, "dense_weight": 0.3}  # fmt: skip


# ------------------------------------------------------------------------------ machinery


def folds_of(c: Coded, seed: int, k: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(c.y)), c.y, c.outlets))


def fit_predict(xtr: Any, ytr: np.ndarray, xte: Any, C: float, balanced: bool = True):  # noqa: N803
    from kzdiscourse.stance.logit import fit_softmax, softmax
    from kzdiscourse.stance.model import balanced_weights

    codes = np.array([CLASSES.index(v) for v in ytr])
    w = balanced_weights(codes, 4) if balanced else None
    coef, b = fit_softmax(xtr, codes, 4, C=C, sample_weight=w)
    return softmax(np.asarray(xte @ coef.T) + b)


def reference_matrices(c: Coded, train: np.ndarray, test: np.ndarray, params: dict):
    from kzdiscourse.stance.features import StanceFeatures

    f = StanceFeatures(**{k: v for k, v in params.items() if k != "C"})
    f.fit(c.data.iloc[train])
    return f.transform(c.data.iloc[train]), f.transform(c.data.iloc[test])


def extra_runner(extra: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]], params=None):
    """A runner: the reference matrices plus a block ``extra(train, test)``."""
    params = params or REFERENCE

    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        xtr, xte = reference_matrices(c, train, test, params)
        if extra is not None:
            a, b = extra(train, test)
            xtr, xte = sp.hstack([xtr, a], format="csr"), sp.hstack([xte, b], format="csr")
        return fit_predict(xtr, c.y[train], xte, params["C"])

    return run


def text_block(docs: list[str], weight: float, min_df: int = 2):
    """TF-IDF of space-separated items (their unigrams), fitted on the training rows."""
    from kzdiscourse.stance.ngrams import NgramTfidf

    def block(train: np.ndarray, test: np.ndarray):
        tf = NgramTfidf(1, min_df).fit([docs[i] for i in train])
        return (weight * tf.transform([docs[i] for i in train]),
                weight * tf.transform([docs[i] for i in test]))  # fmt: skip

    return block


def dense_block(values: np.ndarray, weight: float, standardise: bool = False):
    def block(train: np.ndarray, test: np.ndarray):
        v = values
        if standardise:
            mu, sd = v[train].mean(0), v[train].std(0)
            v = (v - mu) / np.where(sd > 0, sd, 1.0)
        return sp.csr_matrix(weight * v[train]), sp.csr_matrix(weight * v[test])

    return block


def page_lookup(c: Coded) -> tuple[pd.Series, dict[tuple[str, int], int]]:
    full = c.table
    pairs = zip(full["doc_id"], full["sent_id"].astype(int), strict=True)
    key = {pair: i for i, pair in enumerate(pairs)}
    return full["lemmas"], key


# ------------------------------------------------------------------------------ experiments


def experiments(c: Coded) -> dict[str, Callable]:
    """name → runner(c, train, test) → probabilities (CLASSES order)."""
    from kzdiscourse.stance.features import DENSE_BLOCKS

    d, full = c.data, c.table
    docs = d["doc_id"].to_numpy()
    out: dict[str, Callable] = {"reference": extra_runner(None)}
    # interactions of the actor groups with the lexicon's cue scores
    act = d[[f"actor_{g}" for g in ("eu_west", "russia", "china", "region")]].to_numpy(float)
    lex = d[[f"lex_s_{lab}" for lab in ("pro_eu", "balance", "instrumental")]].to_numpy(float)
    inter = np.hstack([act[:, [i]] * lex for i in range(act.shape[1])])
    out["actor_x_cue_interactions"] = extra_runner(dense_block(inter, 0.3))
    # page context: the page's mean lexicon probabilities, its lemma bag, the neighbours' lemmas
    cols = [f"lex_p_{lab}" for lab in LABELS]
    page_mean = full.groupby("doc_id")[cols].mean().reindex(docs).to_numpy()
    out["page_mean_lexicon_profile"] = extra_runner(dense_block(page_mean, 1.0))
    page_bag = full.groupby("doc_id", sort=False)["lemmas"].apply(" ".join).reindex(docs)
    out["page_lemma_bag"] = extra_runner(text_block(page_bag.tolist(), 0.3))
    lemmas, key = page_lookup(c)
    nb = [" ".join(lemmas.iloc[key[(a, s + o)]] for o in (-1, 1) if (a, s + o) in key)
          for a, s in zip(d["doc_id"], d["sent_id"].astype(int), strict=True)]  # fmt: skip
    out["neighbour_lemma_bag"] = extra_runner(text_block(nb, 0.3))
    # the lexicon in more detail: summed weight per cue group, and a bag of cue|rule
    ev = lexicon_evidence(c)
    at = pd.MultiIndex.from_frame(d[["doc_id", "sent_id"]])
    groups = ev.groupby(["doc_id", "sent_id", "cue_group"])["weight"].sum().unstack(fill_value=0)
    out["cue_group_sums"] = extra_runner(
        dense_block(groups.reindex(at, fill_value=0.0).to_numpy(float), 0.3)
    )
    ev["cue_rule"] = (ev["cue"] + "|" + ev["rules"].astype(str)).str.replace(" ", "_")
    bag = ev.groupby(["doc_id", "sent_id"])["cue_rule"].apply(" ".join)
    out["cue_rule_bag"] = extra_runner(text_block(bag.reindex(at, fill_value="").tolist(), 0.5))
    # navec word clusters (k-means on the corpus vocabulary's vectors) as a bag of clusters
    out["navec_word_clusters_500"] = extra_runner(text_block(navec_clusters(c, 500), 0.3))
    # without the lexicon, without actors; neighbours' lexicon probabilities
    for block in ("lexicon", "actors"):
        blocks = tuple(b for b in REFERENCE["blocks"] if b != block)
        out[f"without_{block}"] = extra_runner(None, {**REFERENCE, "blocks": blocks})
    nbr = d[DENSE_BLOCKS["neighbours"]].to_numpy(float)
    out["plus_neighbour_lexicon"] = extra_runner(dense_block(nbr, 0.3))
    out["lemma_trigrams"] = extra_runner(None, {**REFERENCE, "max_n": 3})
    out["min_df_1"] = extra_runner(None, {**REFERENCE, "min_df": 1})
    out["navec_idf_power_1"] = idf_power_runner(1.0)
    out["no_class_weights"] = unbalanced_runner()
    out["coder_labels_as_soft_targets"] = soft_label_runner(c)
    out["ensemble_lemma_model_and_navec_model"] = ensemble_runner()
    out["stacked_page_context"] = stacked_runner(c)
    # round 3: the codebook's transactional and event-report word lists (framing_cues.py) at
    # full weight (as candidates in train_stance_model.py they get the dense weight 0.3), and
    # the transactional counts only where the EU/West is named
    framing = d[DENSE_BLOCKS["transactional"] + DENSE_BLOCKS["event"]].to_numpy(float)
    out["framing_blocks_weight_1"] = extra_runner(dense_block(framing, 1.0))
    tr = d[DENSE_BLOCKS["transactional"]].to_numpy(float) * d[["actor_eu_west"]].to_numpy(float)
    out["transactional_x_eu_west"] = extra_runner(dense_block(tr, 1.0))
    return out


def lexicon_evidence(c: Coded) -> pd.DataFrame:
    """The lexicon's cue evidence of the coded sentences' pages (re-scored from the table)."""
    from kzdiscourse.stance import LexiconStance

    texts = c.data["text"].astype(str).tolist()
    ev = LexiconStance().evidence(texts)
    ev = ev.assign(
        doc_id=c.data["doc_id"].to_numpy()[ev["doc_id"].astype(int)],
        sent_id=c.data["sent_id"].to_numpy()[ev["doc_id"].astype(int)],
    )
    return ev


def navec_clusters(c: Coded, k: int) -> list[str]:
    from sklearn.cluster import KMeans

    from kzdiscourse.stance.vectors import navec_vectors

    vocab = sorted({w for s in c.table["lemmas"] for w in s.split()})
    vec, known = navec_vectors(vocab)
    words = [w for w, ok in zip(vocab, known, strict=True) if ok]
    v = vec[known] / np.linalg.norm(vec[known], axis=1, keepdims=True)
    labels = KMeans(k, n_init=1, random_state=0).fit(v).labels_
    cluster = dict(zip(words, labels, strict=True))
    return [" ".join(f"c{cluster[w]}" for w in s.split() if w in cluster) for s in c.data["lemmas"]]


def idf_power_runner(power: float) -> Callable:
    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        import kzdiscourse.stance.vectors as vectors

        old, vectors.IDF_POWER = vectors.IDF_POWER, power
        try:
            return extra_runner(None)(c, train, test)
        finally:
            vectors.IDF_POWER = old

    return run


def unbalanced_runner() -> Callable:
    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        xtr, xte = reference_matrices(c, train, test, REFERENCE)
        return fit_predict(xtr, c.y[train], xte, REFERENCE["C"], balanced=False)

    return run


def soft_label_runner(c: Coded) -> Callable:
    """Each training sentence three times: the adjudicated label (weight 1) and each coder's
    label (weight 0.5)."""
    from stance_model_data import read_inputs

    sents = read_inputs(PAGES_CSV, SENTENCES_CSV, PAGES_JSONL)["sentences"].set_index("sha256")
    coder_a = sents.loc[c.hashes, "coder_a"].to_numpy(object)
    coder_b = sents.loc[c.hashes, "coder_b"].to_numpy(object)

    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        from kzdiscourse.stance.logit import fit_softmax, softmax
        from kzdiscourse.stance.model import balanced_weights

        xtr, xte = reference_matrices(c, train, test, REFERENCE)
        labels = np.concatenate([c.y[train], coder_a[train], coder_b[train]])
        codes = np.array([CLASSES.index(v) for v in labels])
        w = balanced_weights(codes, 4) * np.repeat([1.0, 0.5, 0.5], len(train))
        coef, b = fit_softmax(sp.vstack([xtr] * 3), codes, 4, C=REFERENCE["C"] / 2, sample_weight=w)
        return softmax(np.asarray(xte @ coef.T) + b)

    return run


def ensemble_runner(share: float = 0.35) -> Callable:
    """Probabilities averaged: the lemma model (C 3) and a navec + lexicon model (C 0.01)."""

    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        lemma = {"blocks": ("lemmas", "lexicon", "rules", "actors"), "C": 3.0, "dense_weight": 0.3}
        navec = {"blocks": ("lexicon", "navec"), "C": 0.01, "navec_weight": 1.0}
        p1 = fit_predict(*_xy(c, train, test, lemma), C=lemma["C"])
        p2 = fit_predict(*_xy(c, train, test, navec), C=navec["C"])
        return (1 - share) * p1 + share * p2

    return run


def _xy(c: Coded, train: np.ndarray, test: np.ndarray, params: dict):
    xtr, xte = reference_matrices(c, train, test, params)
    return xtr, c.y[train], xte


def stacked_runner(c: Coded) -> Callable:
    """A second logistic regression over the reference model's out-of-fold log-probabilities,
    the mean of the other coded sentences of the page and the previous and next sentence's."""
    from sklearn.linear_model import LogisticRegression

    docs = c.data["doc_id"].to_numpy()
    sent = c.data["sent_id"].to_numpy().astype(int)

    def context(p: np.ndarray, idx: np.ndarray) -> np.ndarray:
        frame = pd.DataFrame(p).assign(d=docs[idx])
        tot = frame.groupby("d")[list(range(4))].transform("sum").to_numpy()
        cnt = frame.groupby("d")[0].transform("count").to_numpy()[:, None]
        others = np.where(cnt > 1, (tot - p) / np.maximum(cnt - 1, 1), 0.25)
        pairs = list(zip(docs[idx], sent[idx], strict=True))
        at = {pair: i for i, pair in enumerate(pairs)}
        near = [np.array([p[at[(a, s + o)]] if (a, s + o) in at else np.full(4, 0.25)
                          for a, s in pairs]) for o in (-1, 1)]  # fmt: skip
        return np.log(np.hstack([p, others, *near]) + 1e-9)

    def run(c: Coded, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        from sklearn.model_selection import StratifiedGroupKFold

        inner = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
        oof = np.zeros((len(train), 4))
        for a, b in inner.split(np.zeros(len(train)), c.y[train], c.outlets[train]):
            oof[b] = extra_runner(None)(c, train[a], train[b])
        p_test = extra_runner(None)(c, train, test)
        second = LogisticRegression(C=0.1, class_weight="balanced", max_iter=2000)
        second.fit(context(oof, train), [CLASSES.index(v) for v in c.y[train]])
        return second.predict_proba(context(p_test, test))

    return run


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", default=None)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT_CSV)
    args = ap.parse_args(argv)
    c = load_coded(PAGES_CSV, SENTENCES_CSV, PAGES_JSONL)
    splits = [folds_of(c, seed) for seed in range(args.repeats)]
    rows = []
    for name, runner in experiments(c).items():
        if args.only and name not in args.only and name != "reference":
            continue
        t = time.perf_counter()
        reps = []
        for folds in splits:
            proba = np.zeros((len(c.y), 4))
            for train, test in folds:
                proba[test] = runner(c, train, test)
            pred = np.array(CLASSES, dtype=object)[proba.argmax(axis=1)]
            reps.append(point_metrics(pred, c.y, c.pages))
        m = pd.DataFrame(reps)
        row = {"experiment": name, **m.mean().to_dict(),
               "macro_f1_sd": float(m["macro_f1"].std(ddof=0)),
               "seconds": round(time.perf_counter() - t, 1)}  # fmt: skip
        rows.append(row)
        print(f"{name:40s} macro-F1 {row['macro_f1']:.3f}  instrumental "
              f"{row['f1:instrumental']:.2f}", flush=True)  # fmt: skip
    frame = pd.DataFrame(rows)
    ref = frame.loc[frame["experiment"] == "reference", "macro_f1"].iloc[0]
    frame.insert(2, "vs_reference", frame["macro_f1"] - ref)
    keep = [
        "experiment",
        "macro_f1",
        "vs_reference",
        "macro_f1_sd",
        "f1:pro_eu",
        "f1:balance",
        "f1:instrumental",
        "f1:none",
        "kappa",
        "dominant_agreement",
        "share_mae",
        "seconds",
    ]
    frame[keep].round(4).to_csv(args.out, index=False)
    return frame


if __name__ == "__main__":
    main()
