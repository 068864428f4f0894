"""The ``kzdiscourse`` command line.

Exit codes: 0 success; 1 the input could not be used (bad path, encoding, ids, metadata,
unknown column, an output folder that cannot be written — the message says what to do);
2 wrong command-line usage (an unknown option, a value of the wrong kind). Messages name
this interface's options (``--id-col``, not ``id_col=``; :mod:`kzdiscourse.cli_hints`).

Examples
--------
Compare the bundled seeds by outlet and write the tables to ``results/``::

    kzdiscourse compare --out results

Compare your own folder of ``.txt`` files with a ``metadata.csv``, grouped by genre::

    kzdiscourse compare path/to/texts --by genre --out results/genre

Concordance lines for a lemma in the seeds, and the stance of every sentence of two files::

    kzdiscourse kwic инструмент --window 8
    kzdiscourse stance a.txt b.txt --out stance.csv

Check a parse cache, and empty it::

    kzdiscourse cache verify .kzcache
    kzdiscourse cache clear .kzcache
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from kzdiscourse._version import __version__
from kzdiscourse.cli_hints import to_cli
from kzdiscourse.cli_input import (
    add_cache_option,
    add_input_options,
    arg_type,
    load_input,
    load_text_files_input,
    n_jobs_type,
    parse_input,
    seed_type,
)
from kzdiscourse.errors import CacheError, InputError, InputPathError, KzDiscourseError
from kzdiscourse.params import check_formats, check_profile

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


def _folder_text(path: str | Path) -> str:
    """A folder for messages: ``results/``, never ``results//``."""
    text = str(Path(path))
    return text if text.endswith(("/", "\\")) else text + "/"


def _cmd_compare(args: argparse.Namespace) -> int:
    from kzdiscourse.compare import compare
    from kzdiscourse.output_folder import check_output_folder
    from kzdiscourse.parsed import document_groups
    from kzdiscourse.report import FIGURE_FORMATS, FORMATS

    formats = check_formats(
        tuple(f.strip() for f in args.formats.split(",") if f.strip()), (*FORMATS, *FIGURE_FORMATS)
    )
    check_output_folder(args.out)  # before any work
    corpus = load_input(args.input, args)
    measures = args.measures.split(",") if args.measures else None
    if args.cache is not None:
        document_groups(corpus.documents, args.by)  # an unknown column fails before parsing
        data = parse_input(corpus, args)
    else:
        data = corpus
    report = compare(
        data,
        by=args.by,
        seed=args.seed,
        profile=args.profile,
        n_jobs=args.n_jobs,
        measures=measures,
        progress=args.progress,
    )
    written = report.save(args.out, formats=formats)
    out = _folder_text(args.out)
    print(
        f"compared {len(corpus)} documents by {args.by!r}: "
        f"{len(report.tables)} tables written to {out}"
    )
    for name, table in report.tables.items():
        print(f"  {name}: {len(table)} rows")
    figures = [p for p in written if p.parent.name == "figures"]
    if figures:
        print(f"  figures: {len(figures)} files in {_folder_text(Path(args.out) / 'figures')}")
    print(f"  report: {Path(args.out) / 'report.md'}")
    print(f"  manifest.json ({len(written)} files in all)")
    return EXIT_OK


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
    parsed = parse_input(load_input(args.input, args), args)
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


def _cmd_stance(args: argparse.Namespace) -> int:
    from kzdiscourse.stance.profile import score

    parsed = parse_input(load_text_files_input(args.files, args), args)
    table = score(parsed, method=args.method)
    text = parsed.sentences[["doc_id", "sent_id", "text"]]
    table = table.merge(text, on=["doc_id", "sent_id"], how="left", validate="one_to_one")
    _write_table(table, args.out)
    return EXIT_OK


def _cmd_cache(args: argparse.Namespace) -> int:
    from kzdiscourse import cache_entries

    root = Path(args.dir)
    if not root.is_dir():
        raise CacheError(
            "no such cache folder" if not root.exists() else "not a folder",
            source=str(root),
            hint="give the folder passed as --cache (or cache=) before",
        )
    if not cache_entries.is_cache(root):
        raise CacheError(
            "this folder is not a kzdiscourse parse cache; nothing was done",
            source=str(root),
            hint="give the folder passed as --cache (or cache=) before",
        )
    if args.action == "clear":
        counts = cache_entries.clear(root)
        kept = f"; {counts['kept']} other file(s) left as they were" if counts["kept"] else ""
        print(f"removed {counts['files']} cache file(s) from {_folder_text(root)}{kept}")
        return EXIT_OK
    table = cache_entries.verify(root)
    ok = table["status"] == "ok"
    documents = int(table.loc[ok, "documents"].sum())
    n_ok = int(ok.sum())
    print(
        f"{n_ok} entr{'y' if n_ok == 1 else 'ies'} ok ({documents} documents) in "
        f"{_folder_text(root)}"
    )
    for row in table.loc[~ok].itertuples(index=False):
        print(f"  {row.status}: {row.fingerprint}/{row.batch}: {row.detail}")
    if ok.all():
        return EXIT_OK
    print(
        f"kzdiscourse: {int((~ok).sum())} entries are not usable; the next parse through this "
        f"cache parses their documents again and replaces them, or run "
        f"`kzdiscourse cache clear {root}` to empty the cache",
        file=sys.stderr,
    )
    return EXIT_INPUT


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


profile_type = arg_type(check_profile, str)


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
        "--seed",
        type=seed_type,
        default=0,
        metavar="N",
        help="seed for every random step, an integer in [0, 2^32-1] (default: 0)",
    )
    cmp.add_argument(
        "--profile",
        type=profile_type,
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
        type=n_jobs_type,
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
    add_cache_option(cmp)
    add_input_options(cmp)
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
    kw.add_argument(
        "--profile", type=profile_type, default="auto", metavar="NAME", help="cleaning profile"
    )
    kw.add_argument("--out", default=None, metavar="FILE.csv", help="write CSV here")
    add_cache_option(kw)
    add_input_options(kw)
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
        choices=("model", "lexicon", "classifier"),
        default="model",
        help="model: trained on the coded corpus (default); lexicon: cue rules; "
        "classifier: trained on the shipped seed gold",
    )
    st.add_argument(
        "--profile", type=profile_type, default="auto", metavar="NAME", help="cleaning profile"
    )
    st.add_argument("--out", default=None, metavar="FILE.csv", help="write CSV here")
    add_cache_option(st)
    add_input_options(st)
    st.set_defaults(func=_cmd_stance)

    cache = sub.add_parser(
        "cache",
        help="check or empty a parse cache (the folder given as --cache)",
        description="verify: read every entry of a parse cache and check it against its "
        "checksums (exit code 1 if any is damaged, incomplete or of an older format; the next "
        "parse through the cache replaces those). clear: remove the cache's files and nothing "
        "else.",
    )
    cache.add_argument("action", choices=("verify", "clear"), help="what to do")
    cache.add_argument("dir", metavar="DIR", help="the cache folder")
    cache.set_defaults(func=_cmd_cache)

    info = sub.add_parser(
        "info", help="show versions of kzdiscourse, its dependencies and resources"
    )
    info.set_defaults(func=_cmd_info)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
    """Warnings as one line on stderr, in the command line's words (no source line)."""
    name = getattr(category, "__name__", "Warning")
    print(f"kzdiscourse: warning ({name}): {to_cli(str(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return int(args.func(args))
        except KzDiscourseError as exc:
            print(f"kzdiscourse: error: {to_cli(str(exc))}", file=sys.stderr)
            return EXIT_INPUT
        except OSError as exc:  # a file that vanished or a full disk while writing
            where = f" [{exc.filename}]" if exc.filename else ""
            print(
                f"kzdiscourse: error: {exc.strerror or exc}{where}\n"
                "What to do: check the path, the permissions and the free disk space",
                file=sys.stderr,
            )
            return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
