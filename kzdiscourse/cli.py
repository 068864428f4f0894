"""The ``kzdiscourse`` command line.

Exit codes: 0 success; 1 the input could not be used (bad path, encoding, ids, metadata,
unknown column — the message says what to do); 2 wrong command-line usage.

Examples
--------
Compare the bundled seeds by outlet and write the tables to ``results/``::

    kzdiscourse compare --out results

Compare your own folder of ``.txt`` files with a ``metadata.csv``, grouped by genre::

    kzdiscourse compare path/to/texts --by genre --out results/genre
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kzdiscourse._version import __version__
from kzdiscourse.errors import InputPathError, KzDiscourseError

__all__ = ["main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2

_DESCRIPTION = """\
Comparative discourse and stance analysis of Russian-language political texts.
Load texts with metadata, remove site boilerplate, parse them into sentences and
lemmatised tokens, and write reproducible comparison tables."""

_COMPARE_HELP = """\
Compare groups of documents and write every table as CSV and Markdown, plus a
manifest.json with versions, parameters and SHA-256 of every input.

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

    corpus = _load(args.input)
    report = compare(
        corpus,
        by=args.by,
        seed=args.seed,
        profile=args.profile,
        n_jobs=args.n_jobs,
        measures=args.measures.split(",") if args.measures else None,
    )
    written = report.save(args.out)
    print(
        f"compared {len(corpus)} documents by {args.by!r}: "
        f"{len(report.tables)} tables written to {args.out}/"
    )
    for name, table in report.tables.items():
        print(f"  {name}: {len(table)} rows")
    print(f"  manifest.json ({len(written)} files in all)")
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
        "--n-jobs",
        type=int,
        default=1,
        metavar="N",
        help="worker processes for parsing (default: 1; -1 = all cores)",
    )
    cmp.set_defaults(func=_cmd_compare)

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
