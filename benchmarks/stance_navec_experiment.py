"""One measured experiment: do navec word vectors help the stance classifier?

Features: the mean 300-d navec news vector (the one bundled in the ``natasha`` wheel, MIT;
nothing is downloaded) of a sentence's word forms, standardised, into a balanced logistic
regression (C = 0.1), alone and with the lexicon's three cue scores. Evaluated like the
shipped scorers: (b) trained on the seed gold, tested on the independent test set; (c)
leave one seed document out, predictions pooled. Needs ``pip install natasha``.

Result on the development machine (README, "Stance scorers"): navec (b) 0.61, (c) 0.08;
navec + lexicon (b) 0.65, (c) 0.10 — below lemmas + lexicon (0.74, 0.52), so not adopted.

Run: ``python benchmarks/stance_navec_experiment.py``
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from kzdiscourse.stance import LexiconStance, evaluate, load_seed_gold, load_testset
from kzdiscourse.stance.units import texts_to_tokens


def main() -> None:
    import natasha
    from navec import Navec

    folder = os.path.join(os.path.dirname(natasha.__file__), "data", "emb")
    navec = Navec.load(os.path.join(folder, "navec_news_v1_1B_250K_300d_100q.tar"))
    lex = LexiconStance()

    def embed(texts: list[str]) -> np.ndarray:
        tok = texts_to_tokens(texts)
        tok = tok.loc[~tok["pos"].isin(["PUNCT", "SYM"])]
        out = np.zeros((len(texts), 300))
        for i, grp in tok.groupby("doc_id"):
            forms = grp["text"].str.lower().str.replace("ё", "е")
            vecs = [navec[w] for w in forms if w in navec]
            if vecs:
                out[int(i)] = np.mean(vecs, axis=0)
        return out

    def cues(texts: list[str]) -> np.ndarray:
        cols = ["s_pro_eu", "s_balance", "s_instrumental"]
        return lex.raw_scores(texts)[cols].to_numpy()

    def macro_f1(pred, gold) -> float:
        return round(evaluate(list(pred), list(gold)).macro_f1, 3)

    gold, test = load_seed_gold(), load_testset()
    variants = {
        "navec": embed,
        "navec+lexicon": lambda x: np.hstack([embed(x), cues(x)]),
    }
    for name, features in variants.items():

        def fit(texts, labels, features=features):
            model = make_pipeline(
                StandardScaler(),
                LogisticRegression(C=0.1, class_weight="balanced", max_iter=5000),
            )
            return model.fit(features(texts), labels)

        model = fit(gold["text"].tolist(), gold["label"].tolist())
        b = macro_f1(model.predict(features(test["text"].tolist())), test["label"])
        pooled_p, pooled_g = [], []
        for doc in gold["doc_id"].unique():
            train, held = gold[gold["doc_id"] != doc], gold[gold["doc_id"] == doc]
            m = fit(train["text"].tolist(), train["label"].tolist())
            pooled_p += list(m.predict(features(held["text"].tolist())))
            pooled_g += held["label"].tolist()
        print(
            f"{name}: (b) test set {b}, (c) leave-one-document-out {macro_f1(pooled_p, pooled_g)}"
        )


if __name__ == "__main__":
    main()
