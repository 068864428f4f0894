"""The command line's input: options that say how to read it, and the loading itself.

Every subcommand that reads texts (``compare``, ``kwic``, ``stance``) has the same input
options, named as the Python loaders' parameters are (``--id-col`` for ``id_col=``, …), so
a hint in an error message names an option that exists (:mod:`kzdiscourse.cli_hints`).
Option values are checked when the command line is parsed (a usage error, exit code 2).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_input_options(parser)
>>> args = parser.parse_args(["--min-cyrillic-share", "none", "--sep", "tab"])
>>> args.min_cyrillic_share is None, args.sep
(True, '\\t')
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kzdiscourse.errors import InputError, InputPathError, KzDiscourseError
from kzdiscourse.params import check_n_jobs, check_seed, check_share

__all__ = [
    "add_cache_option",
    "add_input_options",
    "arg_type",
    "load_input",
    "load_text_files_input",
    "parse_input",
]


def arg_type(check: Callable[[Any], Any], convert: Callable[[str], Any] = int) -> Callable:
    """An argparse ``type=`` that converts the string and runs a :mod:`kzdiscourse.params`
    check, reporting a bad value as a usage error naming the option's fix."""
    from kzdiscourse.cli_hints import to_cli

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a valid value: {text!r}") from None
        try:
            return check(value)
        except KzDiscourseError as exc:
            raise argparse.ArgumentTypeError(to_cli(str(exc)).replace("\n", "; ")) from None

    parse.__name__ = getattr(check, "__name__", "value")
    return parse


seed_type = arg_type(check_seed)
n_jobs_type = arg_type(check_n_jobs)


def _share(text: str) -> float | None:
    if text.strip().lower() in ("none", "off"):
        return None
    return check_share(float(text), "min_cyrillic_share")


def _separator(text: str) -> str:
    return {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(text.lower(), text)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how to read the input (folder, CSV, JSON Lines, Parquet)."""
    group = parser.add_argument_group("reading the input")
    group.add_argument(
        "--id-col",
        default="doc_id",
        metavar="COLUMN",
        help="id column of a .csv/.jsonl/.parquet input (default: doc_id)",
    )
    group.add_argument(
        "--text-col",
        default="text",
        metavar="COLUMN",
        help="text column of a .csv/.jsonl/.parquet input (default: text)",
    )
    group.add_argument(
        "--encoding",
        default=None,
        metavar="NAME",
        help="encoding of the text files or table (default: UTF-8, with an error naming the "
        "encoding a file reads as Russian in); 'auto' takes that encoding",
    )
    group.add_argument(
        "--min-cyrillic-share",
        type=arg_type(lambda v: v, _share),
        default=0.5,
        metavar="SHARE",
        help="refuse texts whose letters are less Cyrillic than this (default: 0.5; "
        "'none' switches the check off)",
    )
    group.add_argument(
        "--sep",
        type=_separator,
        default=None,
        metavar="CHAR",
        help="field separator of a .csv input (default: sniffed among , ; tab |)",
    )
    group.add_argument(
        "--metadata",
        default="metadata.csv",
        metavar="FILE",
        help="metadata table of a folder, relative to it (default: metadata.csv if present)",
    )
    group.add_argument(
        "--pattern",
        default="*.txt",
        metavar="GLOB",
        help="text files of a folder, any case (default: *.txt; **/*.txt recurses)",
    )
    group.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="refuse a folder whose texts and metadata rows do not match (default); "
        "--no-strict keeps texts without metadata",
    )


def add_cache_option(parser: argparse.ArgumentParser) -> None:
    """``--cache DIR``: reuse parses stored by earlier runs (see ``kzdiscourse cache``)."""
    parser.add_argument(
        "--cache",
        default=None,
        metavar="DIR",
        help="parse cache folder: documents parsed by an earlier run are read back",
    )


def load_input(path: str | None, args: argparse.Namespace) -> Any:
    """The corpus of a command's INPUT (the bundled seeds without one)."""
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
    share = args.min_cyrillic_share
    columns = {"id_col": args.id_col, "text_col": args.text_col, "min_cyrillic_share": share}
    if p.is_dir():
        return Corpus.from_folder(
            p,
            pattern=args.pattern,
            metadata=args.metadata,
            encoding=args.encoding,
            strict=args.strict,
            min_cyrillic_share=share,
        )
    suffix = p.suffix.lower()
    if suffix in (".csv", ".tsv"):
        sep = args.sep if args.sep is not None else ("\t" if suffix == ".tsv" else None)
        extra = {} if sep is None else {"sep": sep}
        return Corpus.from_csv(p, encoding=args.encoding, **columns, **extra)
    if suffix in (".jsonl", ".ndjson"):
        return Corpus.from_jsonl(p, encoding=args.encoding, **columns)
    if suffix in (".parquet", ".pq"):
        return Corpus.from_parquet(p, **columns)
    raise InputPathError(
        f"cannot tell how to read a {suffix or 'suffix-less'} file",
        source=str(p),
        hint="use a folder of .txt files, or a .csv, .jsonl or .parquet file",
    )


def load_text_files_input(files: Sequence[str], args: argparse.Namespace) -> Any:
    """One corpus input (folder, .csv, .jsonl, .parquet) or several plain-text files."""
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.loaders import load_text_files

    if len(files) == 1 and not files[0].lower().endswith(".txt"):
        return load_input(files[0], args)
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
    loaded = load_text_files(
        paths, stems, encoding=args.encoding, min_cyrillic_share=args.min_cyrillic_share
    )
    return Corpus(documents=loaded.documents, sources=loaded.sources)


def parse_input(corpus: Any, args: argparse.Namespace) -> Any:
    """Clean (with ``--profile``) and parse, through ``--cache`` if given."""
    cleaned = corpus if corpus.is_cleaned else corpus.clean(profile=args.profile)
    return cleaned.parse(n_jobs=getattr(args, "n_jobs", 1), cache=args.cache)
