"""The stance model file: deterministic gzip JSON, and the manifest it carries.

This module writes the file and checks its format; :func:`kzdiscourse.stance.model.read_model_file`
reads it back into a :class:`~kzdiscourse.stance.model.StanceModel`.

The file holds the parameters, the n-gram vocabulary and idf, the dense feature columns,
every stage's coefficients and intercepts (6 decimals), the calibration, the out-of-fold
confusion counts and the manifest (training-data hashes, label counts, lexicon, seed,
library versions). JSON is written with sorted keys and gzip with a zero timestamp, so the
same data and seed give the same bytes; no scikit-learn object is pickled.

Examples
--------
>>> from kzdiscourse.stance.model import read_model_file
>>> model = read_model_file()
>>> sorted(model.manifest_["training"]["label_counts"])
['balance', 'instrumental', 'none', 'pro_eu']
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from kzdiscourse.errors import ResourceError
from kzdiscourse.stance.labels import STANCE_LABELS

if TYPE_CHECKING:
    from kzdiscourse.stance.model import StanceModel

__all__ = [
    "SHIPPED_MODEL",
    "check_format",
    "confusion_counts",
    "label_counts",
    "model_bytes",
    "model_to_dict",
    "restore_context",
    "restore_features",
    "shipped_model_record",
    "training_manifest",
]

#: File name of the model that ships in ``kzdiscourse/resources``.
SHIPPED_MODEL = "stance_model_ru.json.gz"
FORMAT = "kzdiscourse.stance_model"
FORMAT_VERSION = 1
DECIMALS = 6


def model_to_dict(model: StanceModel) -> dict[str, Any]:
    """Everything the model needs, as plain JSON types (see :meth:`save`)."""
    check_is_fitted(model, "stages_")
    tfidf = model.features_.tfidf_
    cv = None
    if model.cv_confusion_ is not None:
        cv = {"labels": list(STANCE_LABELS), "counts": model.cv_confusion_.to_numpy().tolist()}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "params": _params(model),
        "classes": [str(c) for c in model.classes_],
        "vocabulary": list(tfidf.vocabulary) if tfidf is not None else [],
        "idf": np.round(tfidf.idf, DECIMALS).tolist() if tfidf is not None else [],
        "dense_columns": model.features_.dense_columns(),
        **_extra_blocks(model.features_),
        "stages": [
            {
                "name": s["name"],
                "classes": list(s["classes"]),
                "coef": np.asarray(s["coef"]).tolist(),
                "intercept": np.asarray(s["intercept"]).tolist(),
            }
            for s in model.stages_
        ],
        "calibration": {
            "method": model.calibration,
            "temperature": float(model.temperature_),
            "bias": np.asarray(model.bias_, dtype=float).tolist(),
        },
        "cv_confusion": cv,
        "manifest": model.manifest_,
        **_decision(model),
        **_context(model),
    }


def _params(model: Any) -> dict[str, Any]:
    """The model's parameters as JSON types; those of the context stage only when it is
    used (so files of models without it keep their bytes)."""
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.get_params().items()}
    if not params.get("context"):
        params.pop("context", None)
        params.pop("context_C", None)
        params.pop("context_class_weight", None)
    return params


def _context(model: Any) -> dict[str, Any]:
    """The fitted context stage (absent without one)."""
    ctx = getattr(model, "context_", None)
    if ctx is None:
        return {}
    return {
        "context": {
            "temperature": float(ctx["temperature"]),
            "C": float(ctx["C"]),
            "class_weight": float(ctx["class_weight"]),
            "columns": list(ctx["columns"]),
            "coef": np.asarray(ctx["coef"]).tolist(),
            "intercept": np.asarray(ctx["intercept"]).tolist(),
        }
    }


def restore_context(data: dict[str, Any], classes: Any, source: str) -> dict[str, Any] | None:
    """The context stage of a model file (``None`` if it has none)."""
    from kzdiscourse.stance.context import context_columns

    ctx = data.get("context")
    if ctx is None:
        return None
    if list(ctx["columns"]) != context_columns(list(classes)):
        raise ResourceError(
            "model file's context columns differ from this version's", source=source
        )
    return {
        "temperature": float(ctx["temperature"]),
        "C": float(ctx["C"]),
        "class_weight": float(ctx["class_weight"]),
        "columns": list(ctx["columns"]),
        "coef": np.array(ctx["coef"], dtype=float).reshape(len(classes), -1),
        "intercept": np.array(ctx["intercept"], dtype=float),
    }


def _decision(model: Any) -> dict[str, Any]:
    """The decision offsets (absent for ``decision="argmax"``, so such files keep their
    bytes)."""
    offsets = np.asarray(getattr(model, "decision_bias_", np.zeros(0)), dtype=float)
    if not np.any(offsets):
        return {}
    return {"decision_bias": np.round(offsets, DECIMALS).tolist()}


def _extra_blocks(features: Any) -> dict[str, Any]:
    """The fitted state of the ``chars`` and ``navec`` blocks (absent when not used, so
    files of models without them keep their bytes)."""
    out: dict[str, Any] = {}
    chars = getattr(features, "chars_", None)
    if chars is not None:
        out["chars"] = {
            "vocabulary": list(chars.vocabulary),
            "idf": np.round(chars.idf, DECIMALS).tolist(),
            "lo": int(chars.lo),
            "hi": int(chars.hi),
        }
    navec = getattr(features, "navec_", None)
    if navec is not None:
        out["navec"] = navec.state(DECIMALS)
    return out


def restore_features(features: Any, data: dict[str, Any], source: str) -> Any:
    """``features`` (an unfitted :class:`~kzdiscourse.stance.features.StanceFeatures` with
    the file's parameters) with the fitted state a model file holds."""
    from kzdiscourse.stance.ngrams import CharTfidf, NgramTfidf
    from kzdiscourse.stance.vectors import NavecMean

    blocks = set(features.blocks)
    features.tfidf_ = None
    if "lemmas" in blocks:
        features.tfidf_ = NgramTfidf.from_state(
            data["vocabulary"], np.array(data["idf"]), features.max_n
        )
    features.chars_ = features.navec_ = None
    for block in ("chars", "navec"):
        if (block in blocks) != (block in data):
            raise ResourceError(
                f"the model file's '{block}' block does not match its parameters", source=source
            )
    if "chars" in data:
        c = data["chars"]
        idf = np.array(c["idf"])
        features.chars_ = CharTfidf.from_state(c["vocabulary"], idf, c["lo"], c["hi"])
    if "navec" in data:
        features.navec_ = NavecMean.from_state(data["navec"])
    features.feature_names_ = features.block_names(data["vocabulary"])
    if features.dense_columns() != list(data["dense_columns"]):
        raise ResourceError("model file's dense columns differ from this version's", source=source)
    return features


@cache
def shipped_model_record() -> dict[str, Any]:
    """What a Report's manifest records about the default stance scorer: the shipped model
    file (path, SHA-256), its training data (name, sentences, pages, outlets, label counts,
    the digest of the sorted sentence hashes, the locator files' hashes), its lexicon,
    parameters, calibration, seed and the versions it was trained with.

    >>> record = shipped_model_record()
    >>> record["file"], len(record["sha256"])
    ('kzdiscourse/resources/stance_model_ru.json.gz', 64)
    """
    from importlib import resources

    raw = resources.files("kzdiscourse").joinpath("resources", SHIPPED_MODEL).read_bytes()
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    manifest = data["manifest"]
    return {
        "file": f"kzdiscourse/resources/{SHIPPED_MODEL}",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "training": manifest.get("training", {}),
        "lexicon": manifest.get("lexicon", {}),
        "seed": manifest.get("seed"),
        "versions": manifest.get("versions", {}),
        "params": data["params"],
        "calibration": {k: v for k, v in data["calibration"].items() if k != "bias"},
    }


def check_format(data: dict[str, Any], source: str) -> None:
    """Raise :class:`~kzdiscourse.errors.ResourceError` unless ``data`` is a model file of
    this format version."""
    if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise ResourceError(
            "not a kzdiscourse stance model file (or a newer format)",
            source=source,
            hint="save the model with StanceModel.save() of this kzdiscourse version",
        )


def model_bytes(model: StanceModel) -> bytes:
    """The file's bytes: sorted-key JSON, gzip with a zero timestamp (deterministic)."""
    text = json.dumps(
        model_to_dict(model), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def confusion_counts(gold: np.ndarray, pred: np.ndarray) -> pd.DataFrame:
    """Counts of gold (rows) × predicted (columns) labels in codebook order."""
    idx = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    counts = np.zeros((len(STANCE_LABELS), len(STANCE_LABELS)), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        counts[idx[g], idx[p]] += 1
    return pd.DataFrame(counts, index=list(STANCE_LABELS), columns=list(STANCE_LABELS))


def label_counts(labels: np.ndarray) -> dict[str, int]:
    """Sentences per codebook label."""
    return {lab: int((labels == lab).sum()) for lab in STANCE_LABELS}


def training_manifest(
    table: pd.DataFrame, labels: np.ndarray, model: StanceModel
) -> dict[str, Any]:
    """Provenance of a fit: sentence hashes digest, label counts, lexicon, seed, versions."""
    import scipy
    import sklearn

    from kzdiscourse._version import __version__
    from kzdiscourse.stance.features import lexicon_scorer

    hashes = sorted(
        hashlib.sha256(str(t).strip().encode("utf-8")).hexdigest() for t in table["text"]
    )
    lex = lexicon_scorer(model.lexicon).manifest_record()
    return {
        "training": {
            "name": "custom",
            "n_sentences": len(table),
            "label_counts": label_counts(labels),
            "sentences_sha256_digest": hashlib.sha256("\n".join(hashes).encode()).hexdigest(),
        },
        "lexicon": {k: lex[k] for k in ("name", "version", "sha256")},
        "seed": int(model.seed),
        "versions": {
            "kzdiscourse": __version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }
