"""The coded stance corpus as a training table: pages parsed, sentences found, features made.

Shared by ``train_stance_model.py`` (selection, the shipped model, the external test) and
``stance_model_experiments.py`` (the feature ideas that were tried and not kept). Inputs:
``data/stance_corpus_pages.csv``, ``data/stance_corpus_sentences.csv`` and the git-ignored
page texts ``cache/stance_corpus/pages.jsonl``; each page is parsed as one kzdiscourse
document (so neighbours and paragraphs are real) and every split sentence is one unit.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from page_sentences import normalize, sentence_hash, split_sentences  # noqa: E402
from stance_corpus import page_rounds  # noqa: E402

PAGES_CSV = HERE / "data" / "stance_corpus_pages.csv"
SENTENCES_CSV = HERE / "data" / "stance_corpus_sentences.csv"
PAGES_JSONL = HERE / "cache" / "stance_corpus" / "pages.jsonl"
#: The columns of a locator row that identify a training sentence and its label.
TRAINING_ROW_COLUMNS = ("url", "sent_index", "sha256", "label")


def training_rows_digest(rows: pd.DataFrame) -> str:
    """SHA-256 of the training rows: one line ``url<TAB>sent_index<TAB>sha256<TAB>label`` per
    row with a label, in the order given (the locator file's order), joined by newlines.

    It is what the model manifest records (``training.labelled_rows_sha256``) and what the
    test recomputes from ``stance_corpus_sentences.csv``: appending unlabelled rows (a new
    round before it is coded) leaves it unchanged; a changed, added or removed label, URL,
    index or sentence hash of a training row changes it.

    >>> rows = pd.DataFrame({"url": ["u", "u"], "sent_index": [0, 1], "sha256": ["a", "b"],
    ...                      "label": ["none", ""]})
    >>> training_rows_digest(rows) == training_rows_digest(rows.iloc[:1])
    True
    """
    cols = list(TRAINING_ROW_COLUMNS)
    frame = rows[cols].astype(str)
    frame = frame.loc[frame["label"] != ""]
    lines = frame.agg("\t".join, axis=1) if len(frame) else pd.Series([], dtype=str)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def locator_rows_digest(sentences_csv: Path) -> str:
    """:func:`training_rows_digest` of every labelled row of a locator file."""
    return training_rows_digest(pd.read_csv(sentences_csv, dtype=str, keep_default_na=False))


@dataclass
class Coded:
    """The coded sentences with their features and what they are grouped by.

    ``data`` is the sentence table of the coded sentences (one row each), ``table`` that of
    every unit of every page (coded or not); the arrays are aligned with ``data``.
    """

    data: pd.DataFrame
    table: pd.DataFrame
    y: np.ndarray
    outlets: np.ndarray
    pages: np.ndarray
    genre: np.ndarray
    country: np.ndarray
    rounds: np.ndarray
    hashes: np.ndarray
    status: dict[str, int]
    #: the locator rows' ``sent_index`` (with ``pages``, ``hashes`` and ``y``: the training
    #: rows of :func:`training_rows_digest`)
    sent_index: np.ndarray | None = None

    def rows_digest(self, keep: np.ndarray | None = None) -> str:
        """:func:`training_rows_digest` of the coded rows ``keep`` (all by default), in the
        locator file's order."""
        keep = np.ones(len(self.y), bool) if keep is None else keep
        rows = pd.DataFrame({"url": self.pages, "sent_index": self.sent_index,
                             "sha256": self.hashes, "label": self.y}).loc[keep]  # fmt: skip
        return training_rows_digest(rows)


def load_coded(pages_csv: Path, sentences_csv: Path, jsonl: Path) -> Coded:
    """Parse the pages, find every coded sentence and make its features."""
    inputs = read_inputs(pages_csv, sentences_csv, jsonl)
    parsed, units, coded = build_units(inputs)
    status = coded["status"].value_counts().to_dict()
    for r in coded.loc[coded["status"].isin(["missing", "no_page"])].itertuples(index=False):
        print(f"  not found ({r.status}): {r.url} #{r.sent_index} {r.sha256[:12]}")
    table = sentence_features(parsed, units)
    labelled = coded.loc[(coded["status"].isin(["ok", "moved"])) & (coded["label"] != "")]
    if labelled.empty:
        raise SystemExit("no coded sentence with a label was found: nothing to train on")
    at = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([labelled["doc_id"], labelled["sent_id"].astype(int)])
    )
    page_rows = inputs["pages"].reset_index(drop=True)
    meta = page_rows.set_index("url")
    row_of = pd.Series(np.arange(len(page_rows)), index=page_rows["url"])
    urls = labelled["url"]
    return Coded(
        data=table.iloc[at].reset_index(drop=True),
        table=table,
        y=labelled["label"].to_numpy(dtype=object),
        outlets=urls.map(meta["outlet"]).to_numpy(dtype=object),
        pages=urls.to_numpy(dtype=object),
        genre=urls.map(meta["genre"]).fillna("").to_numpy(dtype=object),
        country=urls.map(meta["country"]).fillna("").to_numpy(dtype=object),
        rounds=np.asarray(page_rounds(len(page_rows)))[urls.map(row_of).to_numpy()],
        hashes=labelled["sha256"].to_numpy(dtype=object),
        sent_index=labelled["sent_index"].to_numpy(dtype=int),
        status=status,
    )


def read_inputs(pages_csv: Path, sentences_csv: Path, jsonl: Path) -> dict[str, Any]:
    pages = pd.read_csv(pages_csv, dtype=str, keep_default_na=False)
    sents = pd.read_csv(sentences_csv, dtype=str, keep_default_na=False)
    sents["sent_index"] = sents["sent_index"].astype(int)
    texts: dict[str, dict] = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            texts[rec["url"]] = rec
    return {"pages": pages, "sentences": sents, "texts": texts}


def build_units(inputs: dict[str, Any]) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """(parsed, units, coded): every split sentence of every page as a unit.

    ``units``: doc_id, par_id, sent_id (unit index in the page), text, start, end, url,
    role; ``coded``: the locator rows with ``doc_id, sent_id`` of their unit and ``status``
    (``ok`` / ``moved`` / ``missing`` / ``no_page``).
    """
    from kzdiscourse import Corpus

    pages, sents, texts = inputs["pages"], inputs["sentences"], inputs["texts"]
    pages = pages.loc[pages["url"].isin(texts)].sort_values("url").reset_index(drop=True)
    pages["doc_id"] = [f"p{i:04d}" for i in range(len(pages))]
    docs = pages.assign(
        text=[unicodedata.normalize("NFC", texts[u]["text"]) for u in pages["url"]],
        title=[texts[u].get("title", "") for u in pages["url"]],
    )
    parsed = Corpus.from_dataframe(
        docs[["doc_id", "text", "url", "outlet", "country", "genre", "title"]],
        min_cyrillic_share=None,
    ).parse()
    doc_text = dict(zip(parsed.documents["doc_id"], parsed.documents["text"], strict=True))
    rows = []
    for r in pages.itertuples(index=False):
        text = doc_text[r.doc_id]
        pos = 0
        title = normalize(texts[r.url].get("title", ""))
        for i, s in enumerate(split_sentences(text)):
            at = text.find(s, pos)
            if at < 0:  # the splitter normalised something the parser kept: search again
                at = text.find(s)
            start, end = (at, at + len(s)) if at >= 0 else (-1, -1)
            pos = max(pos, end)
            role = "title" if i == 0 and title and normalize(s) == title else "body"
            rows.append((r.doc_id, i, s, start, end, r.url, role, sentence_hash(s)))
    units = pd.DataFrame(
        rows, columns=["doc_id", "sent_id", "text", "start", "end", "url", "role", "sha256"]
    )
    doc_of = dict(zip(pages["url"], pages["doc_id"], strict=True))
    by_url = {u: part for u, part in units.groupby("url", sort=False)}
    status, doc_ids, sent_ids = [], [], []
    for r in sents.itertuples(index=False):
        part = by_url.get(r.url)
        if part is None:
            status.append("no_page")
            doc_ids.append("")
            sent_ids.append(-1)
            continue
        hashes = part["sha256"].tolist()
        if 0 <= r.sent_index < len(hashes) and hashes[r.sent_index] == r.sha256:
            status.append("ok")
            k = r.sent_index
        elif r.sha256 in hashes:
            status.append("moved")
            k = hashes.index(r.sha256)
        else:
            status.append("missing")
            doc_ids.append("")
            sent_ids.append(-1)
            continue
        doc_ids.append(doc_of[r.url])
        sent_ids.append(k)
    coded = sents.assign(status=status, doc_id=doc_ids, sent_id=sent_ids)
    return parsed, units, coded


def unit_tokens(parsed: Any, units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tokens re-keyed to the units (token start inside the unit's span)."""
    tokens = parsed.tokens
    parts = []
    unit_rows = []
    for doc_id, part in units.groupby("doc_id", sort=False):
        tok = tokens.loc[tokens["doc_id"] == doc_id]
        starts = tok["start"].to_numpy()
        ok = part["start"].to_numpy() >= 0
        spans = part.loc[ok]
        idx = np.searchsorted(spans["start"].to_numpy(), starts, side="right") - 1
        inside = (idx >= 0) & (starts < spans["end"].to_numpy()[np.maximum(idx, 0)])
        t = tok.loc[inside].copy()
        t["sent_id"] = spans["sent_id"].to_numpy()[idx[inside]]
        parts.append(t)
        first_par = t.groupby("sent_id")["par_id"].min()
        u = part[["doc_id", "sent_id"]].copy()
        u["par_id"] = u["sent_id"].map(first_par).fillna(0).astype(int).to_numpy()
        unit_rows.append(u)
    keys = pd.concat(unit_rows, ignore_index=True)[["doc_id", "par_id", "sent_id"]]
    return pd.concat(parts, ignore_index=True), keys


def sentence_features(parsed: Any, units: pd.DataFrame) -> pd.DataFrame:
    from kzdiscourse.stance.features import tokens_sentence_table

    tokens, keys = unit_tokens(parsed, units)
    return tokens_sentence_table(
        tokens, keys, role=units["role"].to_numpy(), text=units["text"].to_numpy()
    )
