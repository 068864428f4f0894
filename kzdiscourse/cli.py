"""The ``kzdiscourse`` command line.

Exit codes: 0 success; 1 the input could not be used (bad path, encoding, ids, metadata,
unknown column — the message says what to do); 2 wrong command-line usage.

Examples
--------
Compare the bundled seeds by outlet and write the tables to ``results/``::

    kzdiscourse compare --out results

Compare your own folder of ``.txt`` files with a ``metadata.csv``, grouped by genre::

    kzdiscourse compare path/to/texts --by genre --out results/genre

Concordance lines for a lemma in the seeds, and the stance of every sentence of two files::

    kzdiscourse kwic инструмент --window 8
    kzdiscourse stance a.txt b.txt --out stance.csv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kzdiscourse._version import __version__
from kzdiscourse.errors import InputError, InputPathError, KzDiscourseError

__all__ = ["main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2

_DESCRIPTION = """\
Comparative discourse and stance analysis of Russian-language political texts.
Load texts with metadata, remove site boilerplate, parse them into sentences and
lemmatised tokens, and write reproducible comparison tables."""

_COMPARE_HELP = """\
Compare groups of documents and write every table (CSV, Markdown, LaTeX, Parquet),
the figures (PNG, SVG), report.md, and a manifest.json with versions, parameters and
SHA-256 of every input and output table; --formats picks a subset.

INPUT is one of:
  a folder of .txt files (UTF-8), optionally with metadata.csv (a doc_id column,
    a file column if ids differ from file names, and any metadata columns);
  a .csv, .jsonl or .parquet file with doc_id and text columns plus metadata.
Without INPUT, the two bundled seed texts are used (grouped by outlet:
an ANKASAM analysis and a Dzen column)."""


def _load(path: str | None):
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.seeds import load_seeds

    if path is None:
        return load_seeds()
    p = Path(path)
    if not p.exists():
        raise InputPathError(
            "no such file or folder",
            source=str(p),
            hint="give a folder of .txt files or a .csv/.jsonl/.parquet file; "
            "run without INPUT to use the bundled seeds",
        )
    if p.is_dir():
        return Corpus.from_folder(p)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return Corpus.from_csv(p)
    if suffix in (".jsonl", ".ndjson"):
        return Corpus.from_jsonl(p)
    if suffix in (".parquet", ".pq"):
        return Corpus.from_parquet(p)
    raise InputPathError(
        f"cannot tell how to read a {suffix or 'suffix-less'} file",
        source=str(p),
        hint="use a folder of .txt files, or a .csv, .jsonl or .parquet file",
    )


def _cmd_compare(args: argparse.Namespace) -> int:
    from kzdiscourse.compare import compare
    from kzdiscourse.report import FIGURE_FORMATS, FORMATS

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in (*FORMATS, *FIGURE_FORMATS)]
    if unknown or not formats:
        raise InputError(
            f"unknown output format(s) {unknown}" if unknown else "--formats is empty",
            hint=f"use a comma-separated subset of {','.join((*FORMATS, *FIGURE_FORMATS))}",
        )
    corpus = _load(args.input)
    report = compare(
        corpus,
        by=args.by,
        seed=args.seed,
        profile=args.profile,
        n_jobs=args.n_jobs,
        measures=args.measures.split(",") if args.measures else None,
        progress=args.progress,
    )
    written = report.save(args.out, formats=formats)
    print(
        f"compared {len(corpus)} documents by {args.by!r}: "
        f"{len(report.tables)} tables written to {args.out}/"
    )
    for name, table in report.tables.items():
        print(f"  {name}: {len(table)} rows")
    print(f"  manifest.json ({len(written)} files in all)")
    return EXIT_OK


def _parse(corpus, profile: str):
    cleaned = corpus if corpus.is_cleaned else corpus.clean(profile=profile)
    return cleaned.parse()


def _write_table(table, out: str | None) -> None:
    from kzdiscourse.report import table_to_csv

    data = table_to_csv(table)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    path = Path(out)
    if path.parent != Path() and not path.parent.is_dir():
        raise InputPathError(
            "the folder for --out does not exist",
            source=str(path.parent),
            hint="create it first or give another path",
        )
    path.write_bytes(data)
    print(f"{len(table)} rows written to {path}", file=sys.stderr)


def _cmd_kwic(args: argparse.Namespace) -> int:
    from kzdiscourse.kwic import kwic

    if args.window < 0:
        raise InputError("--window must be zero or positive", hint="e.g. --window 5")
    parsed = _parse(_load(args.input), args.profile)
    if args.by is not None:
        parsed.groups(args.by)  # unknown column: an error naming the valid ones
    lines = kwic(parsed, args.term, window=args.window, match=args.match, by=args.by)
    if lines.empty:
        print(
            f"kzdiscourse: no match for {args.term!r} ({args.match}); try --match any for "
            "word forms, or a glob such as 'евро*'",
            file=sys.stderr,
        )
    _write_table(lines, args.out)
    return EXIT_OK


def _stance_corpus(files: Sequence[str]):
    """One corpus input (folder, .csv, .jsonl, .parquet) or several plain-text files."""
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.loaders import load_text_files

    if len(files) == 1 and not files[0].lower().endswith(".txt"):
        return _load(files[0])
    paths = []
    for name in files:
        p = Path(name)
        if not p.is_file():
            raise InputPathError(
                "no such file" if not p.exists() else "not a plain-text file",
                source=str(p),
                hint="give .txt files, or one folder / .csv / .jsonl / .parquet corpus",
            )
        paths.append(p)
    stems = [p.stem for p in paths]
    dup = sorted({s for s in stems if stems.count(s) > 1})
    if dup:
        raise InputError(
            f"several files have the same name {dup}; the file name (without .txt) is the doc_id",
            hint="rename the files or put them in a folder with a metadata.csv",
        )
    loaded = load_text_files(paths, stems)
    return Corpus(documents=loaded.documents, sources=loaded.sources)


def _cmd_stance(args: argparse.Namespace) -> int:
    from kzdiscourse.stance.profile import score

    parsed = _parse(_stance_corpus(args.files), args.profile)
    table = score(parsed, method=args.method)
    text = parsed.sentences[["doc_id", "sent_id", "text"]]
    table = table.merge(text, on=["doc_id", "sent_id"], how="left", validate="one_to_one")
    _write_table(table, args.out)
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from kzdiscourse.manifest import environment

    env = environment()
    print(
        f"kzdiscourse {env['kzdiscourse']} (pipeline {env['pipeline_version']}), "
        f"Python {env['python']}"
    )
    print("dependencies:")
    for pkg, ver in env["dependencies"].items():
        print(f"  {pkg} {ver}")
    print("morphology:")
    for key, value in env["morphology"].items():
        print(f"  {key}: {value}")
    print("resources:")
    for res in env["resources"]:
        print(f"  {res['name']} {res['version']}  sha256 {res['sha256'][:16]}…")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="kzdiscourse",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kzdiscourse {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    cmp = sub.add_parser(
        "compare",
        help="compare groups of documents and write the tables",
        description=_COMPARE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp.add_argument(
        "input",
        nargs="?",
        metavar="INPUT",
        help="folder or file to analyse (default: the bundled seeds)",
    )
    cmp.add_argument(
        "--by",
        default="outlet",
        metavar="COLUMN",
        help="metadata column that defines the groups (default: outlet; doc_id compares documents)",
    )
    cmp.add_argument(
        "--out",
        default="results",
        metavar="DIR",
        help="folder for the tables and manifest (default: results)",
    )
    cmp.add_argument(
        "--seed", type=int, default=0, metavar="N", help="seed for every random step (default: 0)"
    )
    cmp.add_argument(
        "--profile",
        default="auto",
        metavar="NAME",
        help="cleaning profile: auto (default), generic, ankasam or dzen",
    )
    cmp.add_argument(
        "--measures",
        default=None,
        metavar="LIST",
        help="comma-separated subset of measures (default: all)",
    )
    cmp.add_argument(
        "--formats",
        default="csv,md,tex,parquet,png,svg",
        metavar="LIST",
        help="comma-separated output formats (default: csv,md,tex,parquet,png,svg; "
        "leave out png and svg to write no figures)",
    )
    cmp.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        metavar="N",
        help="worker processes for parsing (default: 1; -1 = all cores)",
    )
    cmp.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only from 200 documents or 1M characters)",
    )
    cmp.set_defaults(func=_cmd_compare)

    kw = sub.add_parser(
        "kwic",
        help="concordance lines (keyword in context) for a lemma or word form",
        description="Concordance lines for TERM: a lemma («инструмент»), a word form, a glob "
        "(«евро*») or several words («средний коридор»); case and ё/е are ignored. "
        "CSV to stdout, or to --out.",
    )
    kw.add_argument("term", metavar="TERM", help="lemma, word form, glob or phrase")
    kw.add_argument(
        "input",
        nargs="?",
        metavar="INPUT",
        help="folder or .csv/.jsonl/.parquet file (default: the bundled seeds)",
    )
    kw.add_argument(
        "--window", type=int, default=5, metavar="N", help="tokens of context per side (default 5)"
    )
    kw.add_argument(
        "--by",
        default=None,
        metavar="COLUMN",
        help="metadata column to report in the group column (e.g. outlet)",
    )
    kw.add_argument(
        "--match",
        choices=("lemma", "form", "any"),
        default="lemma",
        help="match lemmas (default), word forms, or either",
    )
    kw.add_argument("--profile", default="auto", metavar="NAME", help="cleaning profile")
    kw.add_argument("--out", default=None, metavar="FILE.csv", help="write CSV here")
    kw.set_defaults(func=_cmd_kwic)

    st = sub.add_parser(
        "stance",
        help="stance of every sentence (pro_eu / balance / instrumental / none)",
        description="Clean and parse the texts, then write one row per sentence: doc_id, "
        "par_id, sent_id, label, a probability per label, margin, method and the sentence "
        "text. FILE is one or more plain-text .txt files (UTF-8; the file name is the "
        "doc_id), or one folder / .csv / .jsonl / .parquet corpus. CSV to stdout, or to --out.",
    )
    st.add_argument("files", nargs="+", metavar="FILE", help=".txt files or one corpus input")
    st.add_argument(
        "--method",
        choices=("lexicon", "classifier"),
        default="lexicon",
        help="lexicon: cue rules (default); classifier: trained on the shipped seed gold",
    )
    st.add_argument("--profile", default="auto", metavar="NAME", help="cleaning profile")
    st.add_argument("--out", default=None, metavar="FILE.csv", help="write CSV here")
    st.set_defaults(func=_cmd_stance)

    info = sub.add_parser(
        "info", help="show versions of kzdiscourse, its dependencies and resources"
    )
    info.set_defaults(func=_cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KzDiscourseError as exc:
        print(f"kzdiscourse: error: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
