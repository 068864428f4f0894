"""compare(): run the measures on a corpus and collect their tables in a Report.

Each measure is a function ``f(parsed, by=..., seed=...) -> dict[str, DataFrame]``
registered in :data:`MEASURES` with a one-line description of every table it returns;
later measures (stance, framing, topics, …) plug in by adding an entry.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet", seed=0, measures=["summary"])
>>> list(report.tables)
['corpus_summary']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kzdiscourse.cluster import check_engine
from kzdiscourse.corpus import Corpus
from kzdiscourse.errors import InputError
from kzdiscourse.manifest import environment, inputs
from kzdiscourse.parsed import Parsed, document_groups
from kzdiscourse.report import Report

__all__ = ["MEASURES", "PROGRESS_MIN_CHARS", "PROGRESS_MIN_DOCUMENTS", "Measure", "compare"]

#: With ``progress=None``, compare() shows a progress bar from this many documents on …
PROGRESS_MIN_DOCUMENTS = 200
#: … or from this many characters of text on; below both it is silent.
PROGRESS_MIN_CHARS = 1_000_000


@dataclass(frozen=True)
class Measure:
    """A registered measure.

    Attributes
    ----------
    run : callable
        ``run(parsed, by=..., seed=...) -> dict[table_name, DataFrame]``.
    tables : tuple of (name, description)
        The tables ``run`` returns, in Report order, with a one-line description each.
    summarize : callable, optional
        ``summarize(tables) -> list[str]``: sentences for :meth:`Report.summary`, generated
        from the measure's own tables (never hand-written claims).
    """

    run: Callable[..., dict[str, pd.DataFrame]]
    tables: tuple[tuple[str, str], ...]
    summarize: Callable[[dict[str, pd.DataFrame]], list[str]] | None = None


def _summary(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.summary import corpus_summary

    return {"corpus_summary": corpus_summary(parsed, by=by)}


def _coverage(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.summary import coverage

    return {"coverage": coverage(parsed, by=by)}


def _describe_summary(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.summary import describe_corpus_summary

    return describe_corpus_summary(tables["corpus_summary"])


def _describe_coverage(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.summary import describe_coverage

    return describe_coverage(tables["coverage"])


def _describe_frames(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.framing import describe_frames

    return describe_frames(tables)


def _describe_keyness(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.keyness import describe_keyness

    return describe_keyness(tables)


def _describe_topics(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.topics.measure import describe_topics

    return describe_topics(tables)


def _keyness(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse import keyness

    tables = []
    if parsed.groups(by).nunique() > 1:
        tables.append(keyness.compare(parsed, by=by))
    tables.append(keyness.compare(parsed, by=by, reference="general_russian"))
    return {"keyness": pd.concat(tables, ignore_index=True)}


def _lexical_profile(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.lexical import profile

    return {"lexical_profile": profile(parsed, by=by, seed=seed)}


def _frames(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.framing import frame_report_tables

    return frame_report_tables(parsed, by=by, seed=seed)


def _metadiscourse(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.metadiscourse import metadiscourse_report_tables

    return metadiscourse_report_tables(parsed, by=by, seed=seed)


def _actors(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.actors import actor_report_tables

    return actor_report_tables(parsed, by=by, seed=seed)


def _stance(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.stance.profile import stance_report_tables

    return stance_report_tables(parsed, by=by, seed=seed)


def _describe_stance(tables: dict[str, pd.DataFrame]) -> list[str]:
    from kzdiscourse.stance.profile import describe_stance

    return describe_stance(tables)


def _topics(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.topics.measure import run

    return run(parsed, by=by, seed=seed)


#: The measures compare() knows, in the order their tables appear in the Report.
MEASURES: dict[str, Measure] = {
    "summary": Measure(
        _summary,
        (
            (
                "corpus_summary",
                "Size per document, per group and overall: paragraphs, sentences, word tokens, "
                "types, lemmas, references and citations.",
            ),
        ),
        _describe_summary,
    ),
    "coverage": Measure(
        _coverage,
        (
            (
                "coverage",
                "Characters kept and removed by cleaning, per document and reason; each "
                "document's rows add up to its length as loaded.",
            ),
        ),
        _describe_coverage,
    ),
    "stance": Measure(
        _stance,
        (
            (
                "stance_profile",
                "Share of sentences per stance label and group (lexicon scorer): classify-and-"
                "count, mean probability and adjusted classify-and-count (estimate column), "
                "with 95% bootstrap intervals over paragraphs and the dominant stance.",
            ),
            (
                "stance_differences",
                "Per label, difference in sentence shares between groups (two groups: first vs "
                "second; more: each vs the rest), Cohen's h, permutation p and Holm p.",
            ),
            (
                "stance_sentences",
                "Every sentence with its stance label, a probability per label, the margin and "
                "the scorer (method).",
            ),
            (
                "stance_evidence",
                "The cues behind every sentence's stance: lexicon entry, weight, and the "
                "negation, contrast, concession or clause rules applied.",
            ),
        ),
        _describe_stance,
    ),
    "frames": Measure(
        _frames,
        (
            (
                "frames",
                "Frame hits per group (frames_ru dictionary, lemma matching): count, per 1,000 "
                "word tokens and share of sentences, with 95% bootstrap intervals over sentences.",
            ),
            (
                "frame_tests",
                "Per-frame log-likelihood (G²) test between groups (two groups: first vs second; "
                "more: each vs the rest), p-value, Benjamini–Hochberg p and log ratio.",
            ),
            (
                "frame_evidence",
                "The matched terms of each frame in each sentence, with the sentence text.",
            ),
        ),
        _describe_frames,
    ),
    "metadiscourse": Measure(
        _metadiscourse,
        (
            (
                "metadiscourse",
                "Hyland's interactional markers (hedges, boosters, concessive boosters, attitude, "
                "evidentials incl. footnotes, engagement, self-mention) per 1,000 word tokens, "
                "with 95% bootstrap intervals over sentences.",
            ),
            (
                "metadiscourse_tests",
                "Per-category G² test between groups, p-value, Benjamini–Hochberg p, log ratio.",
            ),
            (
                "metadiscourse_evidence",
                "Every metadiscourse marker with its category, entry, the context rule that "
                "decided it, and its sentence.",
            ),
        ),
    ),
    "actors": Measure(
        _actors,
        (
            (
                "actor_mentions",
                "Mentions of canonical actors (actors_ru: names, capitals, leaders, adjectives) "
                "per 1,000 word tokens and share of sentences, with 95% bootstrap intervals.",
            ),
            (
                "actor_tests",
                "Per-actor G² test of mention frequency between groups, p-value, BH p, log ratio.",
            ),
            (
                "actor_comentions",
                "Sentences mentioning both actors of each pair, per group (long-form matrix, "
                "diagonal included), with share of sentences and Jaccard index.",
            ),
            (
                "actor_agency",
                "Agent vs patient counts per actor and group from the case-based approximation "
                "(method column), with counts per grammatical relation.",
            ),
            (
                "actor_verbs",
                "Verbs governed by each actor as agent or patient (case-based approximation).",
            ),
            (
                "actor_agency_evidence",
                "Every actor mention with case, preposition, relation, role and verb.",
            ),
        ),
    ),
    "keyness": Measure(
        _keyness,
        (
            (
                "keyness",
                "Lemmas that set each group apart, against the other groups ('rest') and "
                "against general Russian (wordfreq): counts, G2 with Bonferroni and BH "
                "p-values, chi2, Log Ratio, %DIFF, Monroe et al. log-odds z (prior and alpha0 "
                "in each row), dispersion and small-N flags.",
            ),
        ),
        _describe_keyness,
    ),
    "lexical_profile": Measure(
        _lexical_profile,
        (
            (
                "lexical_profile",
                "Size, sentence length, TTR, MATTR (50), MTLD (0.72), hapax share, word "
                "length, Flesch for Russian (Oborneva), numerals, percentages, citations, "
                "questions, quotes and Latin script per group, with paragraph-bootstrap 95% "
                "intervals where meaningful.",
            ),
        ),
    ),
    "topics": Measure(
        _topics,
        (
            (
                "topic_terms",
                "Top 10 terms of each LDA topic with weight (topic-word probability) and "
                "relevance (λ = 0.6). k and unit follow the corpus size: paragraphs and "
                "k = round(√(units/2)) (2–10) below 200 documents — for the two seeds 4 topics "
                "over 28 paragraphs and ~700 vocabulary tokens, an exploratory description of "
                "these texts, not stable themes.",
            ),
            (
                "topic_prevalence",
                "Share of each group's vocabulary tokens assigned to each topic, with 95% "
                "percentile bootstrap intervals over units (paragraphs or documents); units of "
                "one document are not independent, so with few documents the intervals are "
                "optimistic.",
            ),
            (
                "topic_quality",
                "Coherence per topic and overall (c_npmi, sliding window 10; u_mass, within "
                "units), topic diversity, and the same for frequency-weighted random word sets "
                "(random_baseline): a model should clearly beat that row. stability_jaccard: "
                "mean one-to-one Jaccard of top-10 terms between fits with 5 seeds (1 = same "
                "topics).",
            ),
        ),
        _describe_topics,
    ),
}


class _NoBar:
    def set_description(self, desc: str) -> None:
        pass

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(documents: pd.DataFrame, progress: bool | None, steps: int) -> Any:
    """A tqdm.auto bar over ``steps`` (tqdm imported only when a bar is shown)."""
    if progress is None:
        chars = int(documents["text"].str.len().sum()) if len(documents) else 0
        progress = len(documents) >= PROGRESS_MIN_DOCUMENTS or chars >= PROGRESS_MIN_CHARS
    if not progress:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=steps, unit="step", desc="kzdiscourse")


def compare(
    data: Corpus | Parsed,
    by: str = "outlet",
    seed: int = 0,
    measures: Iterable[str] | None = None,
    profile: str = "auto",
    n_jobs: int = 1,
    progress: bool | None = None,
    engine: str = "local",
    client: Any = None,
) -> Report:
    """Compare groups of documents with every available measure.

    Parameters
    ----------
    data : Corpus or Parsed
        A raw corpus (cleaned with ``profile`` and parsed here), a cleaned corpus (parsed
        here), or a parsed corpus.
    by : str, default "outlet"
        Metadata column defining the groups (``"doc_id"`` compares documents).
    seed : int, default 0
        The one seed every random step (bootstrap, topic models, CV splits) derives from.
    measures : iterable of str, optional
        Subset of :data:`MEASURES` to run; all by default.
    profile : str, default "auto"
        Cleaning profile, used only when ``data`` is a raw corpus.
    n_jobs : int, default 1
        Worker processes for parsing.
    progress : bool or None, default None
        Show a progress bar (``tqdm.auto``, so it renders in Jupyter) over cleaning,
        parsing and the measures. ``None`` shows it for corpora large enough to wait for —
        at least :data:`PROGRESS_MIN_DOCUMENTS` (200) documents or
        :data:`PROGRESS_MIN_CHARS` (1,000,000) characters — and stays silent otherwise;
        ``True`` / ``False`` force it on or off.
    engine : {"local", "dask"}, default "local"
        Where parsing runs (see :meth:`kzdiscourse.Corpus.parse`); tables are identical.
    client : distributed.Client, optional
        The Dask cluster for ``engine="dask"``.

    Returns
    -------
    Report
    """
    check_engine(engine, client)
    if isinstance(data, (Corpus, Parsed)):
        # fail early, before any parsing, on an unknown or incomplete grouping column
        document_groups(data.documents, by)
    else:
        raise InputError(
            f"compare() takes a Corpus or a Parsed, got {type(data).__name__}",
            hint="load texts with kzdiscourse.Corpus.from_folder(...) or load_seeds()",
        )
    names = list(MEASURES) if measures is None else list(measures)
    unknown = [m for m in names if m not in MEASURES]
    if unknown:
        raise InputError(f"unknown measure(s) {unknown}", hint=f"available: {', '.join(MEASURES)}")
    steps = [m for m in MEASURES if m in names]
    if isinstance(data, Corpus):
        steps = ([] if data.is_cleaned else ["clean"]) + ["parse", *steps]
    bar = _progress_bar(data.documents, progress, len(steps))
    if isinstance(data, Corpus):
        corpus = data
        if not data.is_cleaned:
            bar.set_description("kzdiscourse: clean")
            corpus = data.clean(profile=profile)
            bar.update()
        bar.set_description("kzdiscourse: parse")
        parsed = corpus.parse(n_jobs=n_jobs, engine=engine, client=client)
        bar.update()
    else:
        parsed = data
    groups = parsed.groups(by)
    tables: dict[str, pd.DataFrame] = {}
    descriptions: dict[str, str] = {}
    summary = [f"Compared {len(groups)} documents in {groups.nunique()} groups by {by!r}."]
    for name in [m for m in MEASURES if m in names]:
        measure = MEASURES[name]
        bar.set_description(f"kzdiscourse: {name}")
        produced = measure.run(parsed, by=by, seed=seed)
        bar.update()
        for table_name, description in measure.tables:
            tables[table_name] = produced[table_name]
            descriptions[table_name] = description
        if measure.summarize is not None:
            summary.extend(measure.summarize(produced))
    bar.set_description("kzdiscourse: done")
    bar.close()
    manifest: dict[str, Any] = environment()
    manifest["parameters"] = {
        "by": by,
        "seed": int(seed),
        "measures": [m for m in MEASURES if m in names],
        "profile": profile,
        "n_jobs": int(n_jobs),
        "engine": engine,
    }
    manifest["inputs"] = inputs(parsed.sources, parsed.cleaning)
    # how lemmas and tags were chosen (in context or not, and the model)
    manifest["lemmatization"] = (
        parsed.lemmatization
        if parsed.lemmatization is not None
        else {"disambiguation": "unknown (the Parsed given does not record it)"}
    )
    return Report(
        tables=tables, descriptions=descriptions, manifest=manifest, summary_lines=summary
    )
