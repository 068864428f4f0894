"""What the measures of compare() cost, as ratios to the parse in the same run.

The corpus is the one of ``bench_parse.py`` (half UD sentences, half a Zipf-shaped sample
of every form of every UD lemma; ``corpus.build_corpus``), cut into ``--documents``
documents and spread round-robin over ``--groups`` outlets (and, for the groups ratio, over
ten times as many). One process, everything timed in it:

- **parse**: ``Corpus.parse(n_jobs=1)`` with a cold word-form cache;
- **measures by outlet**: each registered measure's ``run(parsed, by="outlet", seed=0)``,
  its seconds and its ratio to the parse; the neural dependency parser inside ``actors``
  (the optional ``syntax`` extra, a parser in its own right) is also reported apart;
- **by document**: all measures with ``by="doc_id"`` (one group per document);
- **tokens ×2**: all measures on the first half of the documents and on all of them;
- **groups ×10**: all measures with ``--groups`` and with ten times as many outlets.

Imports, the bundled resources and the general-Russian list are warmed before timing (on
the seeds, and the reference lemmas of the corpus vocabulary after the parse), as in a
session that has run compare() before; their one-time seconds are reported. Wall and CPU
seconds are both kept (the machine may be shared; CPU seconds of this process
are what the measures themselves cost). Targets of issue 12: all measures ≤ 3× the parse,
``by="doc_id"`` over 1,000 documents ≤ 5×, doubling the tokens ≤ 2.2× the time, 20 → 200
groups ≤ 3× the time. The script reports the ratios; it asserts nothing.

Usage::

    python benchmarks/bench_compare.py --tokens 1000000 --documents 1000 --groups 20

Writes ``benchmarks/out/compare.json`` and prints it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results import write_result  # noqa: E402

from corpus import build_corpus, ud_source  # noqa: E402


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"seconds": wall - start[0], "cpu_seconds": cpu - start[1]}


class _DependencyTimer:
    """Time spent in the optional neural dependency parser (actors' ``syntax`` method)."""

    def __init__(self) -> None:
        self.seconds = self.cpu_seconds = 0.0

    def __enter__(self) -> _DependencyTimer:
        from kzdiscourse import syntax

        self._original = syntax.parse_dependencies

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = _clock()
            try:
                return self._original(*args, **kwargs)
            finally:
                spent = _since(start)
                self.seconds += spent["seconds"]
                self.cpu_seconds += spent["cpu_seconds"]

        syntax.parse_dependencies = timed
        syntax._CACHE.clear()  # every run parses what it needs
        return self

    def __exit__(self, *exc: object) -> None:
        from kzdiscourse import syntax

        syntax.parse_dependencies = self._original


#: The stance scorers the timed runs used (the default one: its name goes in the result).
SCORERS: set[str] = set()


def time_measures(parsed: Any, by: str) -> dict[str, Any]:
    """Seconds of each registered measure's run() on ``parsed`` grouped by ``by``; ``all``
    sums them, ``all_but_dependency_parse`` leaves out the neural parser inside actors."""
    from kzdiscourse import measures
    from kzdiscourse.word_index import shared_word_indexes

    out: dict[str, Any] = {}
    # as in compare(): every dictionary matched shares one index of the corpus's words
    with _DependencyTimer() as parser, shared_word_indexes():
        for name, measure in measures.registered().items():
            start = _clock()
            produced = measure.run(parsed, by=by, seed=0, engine="local")
            out[name] = _since(start)
            if name == "stance" and "method" in produced.get("stance_rates", {}):
                SCORERS.update(produced["stance_rates"]["method"].astype(str))
    keys = ("seconds", "cpu_seconds")
    out["all"] = {key: sum(v[key] for v in out.values()) for key in keys}
    out["dependency_parse"] = {"seconds": parser.seconds, "cpu_seconds": parser.cpu_seconds}
    out["all_but_dependency_parse"] = {
        key: out["all"][key] - out["dependency_parse"][key] for key in keys
    }
    return out


def _ratio(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {
        "wall": round(a["seconds"] / b["seconds"], 3),
        "cpu": round(a["cpu_seconds"] / b["cpu_seconds"], 3),
    }


def _rounded(timing: dict[str, Any]) -> dict[str, Any]:
    return {k: {m: round(v, 3) for m, v in t.items()} for k, t in timing.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000, help="corpus size in tokens")
    ap.add_argument("--documents", type=int, default=1000, help="documents in the corpus")
    ap.add_argument("--groups", type=int, default=20, help="outlets (×10 for the groups ratio)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "out" / "compare.json"))
    ap.add_argument(
        "--no-warmup", action="store_true", help="skip the warm-up on the seeds (tests only)"
    )
    args = ap.parse_args(argv)

    import pandas as pd

    from kzdiscourse import Corpus, nlp

    load_start = os.getloadavg()
    frame = build_corpus(
        args.tokens, seed=args.seed, doc_tokens=max(args.tokens // args.documents, 50)
    )
    order = pd.Series(range(len(frame)))
    frame["outlet"] = [f"outlet_{k % args.groups:03d}" for k in order]
    frame["outlet_x10"] = [f"outlet_{k % (10 * args.groups):04d}" for k in order]
    corpus = Corpus.from_dataframe(frame)

    # one-time costs of a session, outside the timings: imports, the bundled resources and
    # the general-Russian list (wordfreq, lemmatised on demand), warmed on the seeds
    import kzdiscourse as kzd
    from kzdiscourse.reference import general_russian

    start = _clock()
    if not args.no_warmup:
        kzd.compare(kzd.load_seeds(), by="outlet", seed=0)
    warmup = _since(start)

    nlp.default_lemmatizer().clear_cache()  # a cold word-form cache, as in bench_parse
    start = _clock()
    parsed = corpus.parse(n_jobs=1)
    parse = _since(start)
    # the reference lemmas of this corpus's vocabulary, once (kept for the session)
    start = _clock()
    general_russian().proportions(sorted(set(parsed.tokens["lemma"].astype(str))))
    reference = _since(start)

    by_outlet = time_measures(parsed, "outlet")
    by_doc = time_measures(parsed, "doc_id")
    half = parsed.subset(parsed.doc_ids[: len(parsed.doc_ids) // 2])
    by_outlet_half = time_measures(half, "outlet")
    by_outlet_x10 = time_measures(parsed, "outlet_x10")

    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_start": load_start},
        "stance_scorer": sorted(SCORERS),
        "corpus": {
            "documents": len(parsed.doc_ids),
            "tokens": len(parsed.tokens),
            "half_tokens": len(half.tokens),
            "groups": args.groups,
            "groups_x10": 10 * args.groups,
            "ud_source": ud_source(),
        },
        "parse": {k: round(v, 3) for k, v in parse.items()},
        "warmup_on_seeds": {k: round(v, 3) for k, v in warmup.items()},
        "general_russian_lemmas": {k: round(v, 3) for k, v in reference.items()},
        "measures_by_outlet": _rounded(by_outlet),
        "measures_by_doc_id": _rounded(by_doc),
        "measures_half_tokens": _rounded(by_outlet_half),
        "measures_groups_x10": _rounded(by_outlet_x10),
        "ratios": {
            "measure_to_parse": {k: _ratio(v, parse) for k, v in by_outlet.items()},
            "all_measures_to_parse": _ratio(by_outlet["all"], parse),
            "all_but_dependency_parse_to_parse": _ratio(
                by_outlet["all_but_dependency_parse"], parse
            ),
            "by_doc_id_to_parse": _ratio(by_doc["all"], parse),
            "by_doc_id_but_dependency_parse_to_parse": _ratio(
                by_doc["all_but_dependency_parse"], parse
            ),
            "doubling_tokens": _ratio(by_outlet["all"], by_outlet_half["all"]),
            "groups_x10": _ratio(by_outlet_x10["all"], by_outlet["all"]),
        },
        "targets": {
            "all_measures_to_parse": 3.0,
            "by_doc_id_to_parse": 5.0,
            "doubling_tokens": 2.2,
            "groups_x10": 3.0,
        },
        "load_average_end": os.getloadavg(),
    }
    write_result(result, args.out)
    return result


if __name__ == "__main__":
    main()
