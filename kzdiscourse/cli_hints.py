"""Messages in the words of the interface the user is in.

Errors and warnings are written for Python (``pass id_col=``, ``encoding='cp1251'``). On the
command line the same message must name the option that exists there (``--id-col``,
``--encoding cp1251``): :func:`to_cli` rewrites every Python parameter the command line has
an option for. ``tests/test_cli_hints.py`` collects every hint the package can raise and
checks that, rewritten, each names only options that exist.

Examples
--------
>>> to_cli("available columns: id, body; pass text_col= to name the right one")
'available columns: id, body; pass --text-col to name the right one'
>>> to_cli("convert it to UTF-8 or pass encoding='cp1251'")
'convert it to UTF-8 or pass --encoding cp1251'
>>> to_cli("add a row per text file, or pass strict=False to keep texts without metadata")
'add a row per text file, or pass --no-strict to keep texts without metadata'
"""

from __future__ import annotations

import re

__all__ = ["OPTIONS", "to_cli"]

#: Python parameter → command-line option (the options the input and compare commands have).
OPTIONS = {
    "id_col": "--id-col",
    "text_col": "--text-col",
    "encoding": "--encoding",
    "min_cyrillic_share": "--min-cyrillic-share",
    "metadata": "--metadata",
    "pattern": "--pattern",
    "sep": "--sep",
    "strict": "--strict",
    "seed": "--seed",
    "n_jobs": "--n-jobs",
    "by": "--by",
    "measures": "--measures",
    "profile": "--profile",
    "formats": "--formats",
    "progress": "--progress",
    "cache": "--cache",
    "window": "--window",
    "match": "--match",
    "method": "--method",
}

_VALUE = r"(?:'[^']*'|\"[^\"]*\"|[\w.\-]+)"
_PARAM = re.compile(rf"(?<![\w\-.])({'|'.join(OPTIONS)})=({_VALUE})?")
#: Python literals and their command-line spelling.
_LITERALS = {"None": "none", "True": "", "False": ""}


def _option(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    option = OPTIONS[name]
    if value is None:
        return option
    if value in ("True", "False"):
        if name in ("strict", "progress"):
            return option if value == "True" else "--no-" + option[2:]
        return option
    value = _LITERALS.get(value, value.strip("'\""))
    return f"{option} {value}"


def to_cli(text: str) -> str:
    """A message with Python parameters rewritten as the command line's options.

    ``name=`` becomes ``--name``, ``name='value'`` becomes ``--name value``,
    ``strict=False`` becomes ``--no-strict``, ``None`` becomes ``none``; "the ``--x``
    argument" becomes "the ``--x`` option". Parameters the command line has no option for
    are left as they are.

    Examples
    --------
    >>> to_cli("check the encoding= argument; lower min_cyrillic_share=None")
    'check the --encoding option; lower --min-cyrillic-share none'
    """
    out = _PARAM.sub(_option, text)
    return re.sub(r"(--[\w-]+) argument", r"\1 option", out)
