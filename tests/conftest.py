"""Shared fixtures: the bundled seeds, raw, cleaned and parsed (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.ud import read_conllu

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--bless",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current seed Report (intentional changes only)",
    )


@pytest.fixture(scope="session")
def seeds() -> kzd.Corpus:
    return kzd.load_seeds()


@pytest.fixture(scope="session")
def cleaned(seeds: kzd.Corpus) -> kzd.Corpus:
    return seeds.clean()


@pytest.fixture(scope="session")
def parsed(cleaned: kzd.Corpus):
    return cleaned.parse()


@pytest.fixture(scope="session")
def seed_report(parsed):
    """compare() on the parsed seeds by outlet with seed 0: every measure, built once."""
    return kzd.compare(parsed, by="outlet", seed=0)


@pytest.fixture(scope="session")
def ud_documents():
    """600 UD GSD-test sentences as 40 documents of three paragraphs, parsed once (a
    corpus with many documents and paragraphs where the seeds have two documents)."""
    sents = read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")[:600]
    docs = [
        {
            "doc_id": f"d{i // 15:02d}",
            "text": "\n\n".join(
                " ".join(s.text for s in sents[j : j + 5]) for j in range(i, i + 15, 5)
            ),
        }
        for i in range(0, len(sents), 15)
    ]
    return kzd.Corpus.from_dataframe(pd.DataFrame(docs)).parse()


def rebuild_raw(clean_text: str, removed: list[dict]) -> str:
    """Put removed spans back into a cleaned text: the inverse of cleaning.

    ``removed`` rows carry raw offsets; the cleaned text is the raw text with those spans
    cut out (a row's ``replacement``, if any, standing in its place), so walking the raw
    offsets in order and taking characters either from the removed rows or, in between,
    from the cleaned text must give the raw text back.
    """
    out = []
    raw_pos = 0
    clean_pos = 0
    for row in sorted(removed, key=lambda r: r["start"]):
        gap = row["start"] - raw_pos
        assert gap >= 0, f"overlapping removed spans at {row['start']}"
        out.append(clean_text[clean_pos : clean_pos + gap])
        clean_pos += gap
        out.append(row["text"])
        assert len(row["text"]) == row["end"] - row["start"]
        replacement = row.get("replacement") or ""  # what the cleaned text has instead
        assert clean_text[clean_pos : clean_pos + len(replacement)] == replacement
        clean_pos += len(replacement)
        raw_pos = row["end"]
    out.append(clean_text[clean_pos:])
    return "".join(out)
