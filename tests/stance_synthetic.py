"""A tiny locator set made from the seed gold, in the stance-corpus file formats.

Each run of about eight consecutive seed-gold sentences becomes a "page" of a made-up
outlet; its locator rows hold the sentence index in the split page text, the hash and the
gold label, exactly as ``benchmarks/stance_corpus_*.csv`` do. Used to run
``benchmarks/train_stance_model.py`` end to end without the git-ignored cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kzdiscourse.stance import load_seed_gold

PAGE_COLUMNS = ["url", "outlet", "country", "outlet_origin", "genre", "year"]
SENTENCE_COLUMNS = ["url", "sent_index", "sha256", "n_chars", "label", "secondary", "rationale"]


def write_seed_locators(folder: Path, per_page: int = 8, outlets: int = 5) -> dict[str, Path]:
    """Write pages.csv, sentences.csv and pages.jsonl under ``folder``; return their paths."""
    from stance_external import sentence_hash, split_sentences

    gold = load_seed_gold()
    pages, sentences, records = [], [], []
    for doc_id, part in gold.groupby("doc_id", sort=True):
        part = part.reset_index(drop=True)
        for k, start in enumerate(range(0, len(part), per_page)):
            chunk = part.iloc[start : start + per_page]
            url = f"https://example.org/{doc_id}/{k}"
            outlet = f"outlet{(len(pages)) % outlets}.example"
            text = "\n".join(chunk["text"])
            label_of = dict(zip(chunk["text"], chunk["label"], strict=True))
            for i, s in enumerate(split_sentences(text)):
                if s in label_of:
                    sentences.append(
                        {"url": url, "sent_index": i, "sha256": sentence_hash(s),
                         "n_chars": len(s), "label": label_of[s], "secondary": "",
                         "rationale": "seed gold"}
                    )  # fmt: skip
            genre = "analysis" if doc_id.startswith("ankasam") else "opinion"
            pages.append(
                {"url": url, "outlet": outlet, "country": "kz" if k % 2 else "ca",
                 "outlet_origin": "other", "genre": genre, "year": "2025"}
            )  # fmt: skip
            records.append({"url": url, "outlet": outlet, "title": "", "date": "", "text": text})
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "pages": folder / "pages.csv",
        "sentences": folder / "sentences.csv",
        "cache": folder / "pages.jsonl",
    }
    pd.DataFrame(pages, columns=PAGE_COLUMNS).to_csv(paths["pages"], index=False)
    pd.DataFrame(sentences, columns=SENTENCE_COLUMNS).to_csv(paths["sentences"], index=False)
    paths["cache"].write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return paths
