"""Parameters checked at the door, before any work.

:func:`kzdiscourse.compare`, :meth:`Corpus.parse <kzdiscourse.Corpus.parse>`,
:func:`kzdiscourse.topics.fit` and the command line call these checks first, so a wrong
``seed`` or ``n_jobs`` fails in milliseconds with a message naming the parameter and the
fix, not after minutes of parsing deep inside a library.
Each check returns the value in its canonical type (``numpy.int64(7)`` → ``7``) and raises
:class:`~kzdiscourse.errors.ParameterError` otherwise.

Examples
--------
>>> check_seed(7)
7
>>> check_seed("7")
Traceback (most recent call last):
...
kzdiscourse.errors.ParameterError: seed must be an integer in [0, 4294967295], got '7' (str)
What to do: pass a whole number such as seed=0; the same seed gives the same tables
>>> check_n_jobs(-1), check_n_jobs(2)
(-1, 2)
"""

from __future__ import annotations

import numbers
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from kzdiscourse.errors import ParameterError

__all__ = [
    "SEED_MAX",
    "check_choice",
    "check_compare",
    "check_formats",
    "check_int",
    "check_k",
    "check_n_jobs",
    "check_profile",
    "check_progress",
    "check_seed",
    "check_share",
]

#: The largest seed: numpy, scikit-learn and gensim all take seeds in [0, 2**32 - 1].
SEED_MAX = 2**32 - 1


def _shown(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"


def _is_int(value: Any) -> bool:
    """True for int and numpy integers, never for bool (``True`` is not a count)."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return False
    return isinstance(value, numbers.Integral)


def check_int(value: Any, name: str, minimum: int | None = None, hint: str | None = None) -> int:
    """An integer of at least ``minimum``.

    Examples
    --------
    >>> check_int(3, "window", minimum=0)
    3
    """
    if not _is_int(value) or (minimum is not None and int(value) < minimum):
        bound = "" if minimum is None else f" of at least {minimum}"
        raise ParameterError(
            f"{name} must be an integer{bound}, got {_shown(value)}",
            hint=hint or f"pass a whole number{bound}, e.g. {name}={max(minimum or 0, 1)}",
        )
    return int(value)


def check_seed(seed: Any, name: str = "seed") -> int:
    """The one seed every random step derives from: an integer in [0, 2³²−1].

    ``None`` is refused: tables must be reproducible, so the seed is always explicit.

    Examples
    --------
    >>> check_seed(2**32 - 1)
    4294967295
    >>> check_seed(True)
    Traceback (most recent call last):
    ...
    kzdiscourse.errors.ParameterError: seed must be an integer in [0, 4294967295], got True (bool)
    What to do: pass a whole number such as seed=0; the same seed gives the same tables
    """
    if not _is_int(seed) or not 0 <= int(seed) <= SEED_MAX:
        raise ParameterError(
            f"{name} must be an integer in [0, {SEED_MAX}], got {_shown(seed)}",
            hint=f"pass a whole number such as {name}=0; the same seed gives the same tables",
        )
    return int(seed)


def check_n_jobs(n_jobs: Any) -> int:
    """Worker processes: a positive integer, or ``-1`` for every core.

    Examples
    --------
    >>> check_n_jobs(0)
    Traceback (most recent call last):
    ...
    kzdiscourse.errors.ParameterError: n_jobs must be a positive integer or -1 (every core), got 0 (int)
    What to do: pass n_jobs=1 to parse in this process, n_jobs=4 for four workers, n_jobs=-1 for every core
    """  # noqa: E501
    if not _is_int(n_jobs) or not (int(n_jobs) >= 1 or int(n_jobs) == -1):
        raise ParameterError(
            f"n_jobs must be a positive integer or -1 (every core), got {_shown(n_jobs)}",
            hint="pass n_jobs=1 to parse in this process, n_jobs=4 for four workers, "
            "n_jobs=-1 for every core",
        )
    return int(n_jobs)


def check_k(k: Any, name: str = "k") -> int:
    """A number of topics (or clusters): an integer of at least 2.

    Examples
    --------
    >>> check_k(4)
    4
    """
    return check_int(k, name, minimum=2, hint=f"pass {name}=2 or more (a model of one topic "
                     "describes nothing)")  # fmt: skip


def check_share(value: Any, name: str, allow_none: bool = True) -> float | None:
    """A share in [0, 1] (``None`` where the check it sets can be switched off).

    Examples
    --------
    >>> check_share(0.3, "min_cyrillic_share"), check_share(None, "min_cyrillic_share")
    (0.3, None)
    """
    if value is None and allow_none:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not 0 <= float(value) <= 1:
        off = " (None switches the check off)" if allow_none else ""
        raise ParameterError(
            f"{name} must be a number between 0 and 1{off}, got {_shown(value)}",
            hint=f"pass e.g. {name}=0.5",
        )
    return float(value)


def check_choice(value: Any, name: str, choices: Collection[str]) -> str:
    """One of ``choices``.

    Examples
    --------
    >>> check_choice("lemma", "match", ("lemma", "form", "any"))
    'lemma'
    """
    if not isinstance(value, str) or value not in choices:
        raise ParameterError(
            f"unknown {name} {_shown(value)}",
            hint=f"use one of: {', '.join(map(repr, choices))}",
        )
    return value


def check_formats(formats: Any, known: Collection[str]) -> tuple[str, ...]:
    """A non-empty collection of known output formats (a string is one format).

    Examples
    --------
    >>> check_formats("csv", ("csv", "md"))
    ('csv',)
    """
    items: Iterable[Any] = (formats,) if isinstance(formats, str) else formats
    try:
        chosen = tuple(items)
    except TypeError:
        chosen = (formats,)
    unknown = [f for f in chosen if not isinstance(f, str) or f not in known]
    if unknown or not chosen:
        raise ParameterError(
            f"unknown output format(s) {unknown}" if unknown else "no output format given",
            hint=f"use any of: {', '.join(known)}",
        )
    return tuple(dict.fromkeys(chosen))


def check_profile(profile: Any) -> str | Mapping[str, str]:
    """A cleaning profile: ``"auto"``, a profile name, or a mapping doc_id → either.

    Examples
    --------
    >>> check_profile("dzen")
    'dzen'
    """
    from kzdiscourse.cleaning.profiles import profile_names

    names = ["auto", *profile_names()]
    values = list(profile.values()) if isinstance(profile, Mapping) else [profile]
    bad = [v for v in values if not isinstance(v, str) or v not in names]
    if bad:
        raise ParameterError(
            f"unknown cleaning profile {_shown(bad[0])}",
            hint=f"use one of: {', '.join(names)} (or a mapping from doc_id to one of them)",
        )
    return profile


def check_progress(progress: Any) -> bool | None:
    """``True``, ``False`` or ``None`` (automatic).

    Examples
    --------
    >>> check_progress(None) is None
    True
    """
    if progress is not None and not isinstance(progress, bool):
        raise ParameterError(
            f"progress must be True, False or None, got {_shown(progress)}",
            hint="pass progress=True to show a bar, False to hide it, None to decide by size",
        )
    return progress


def check_compare(
    *, seed: Any, n_jobs: Any, profile: Any, progress: Any, by: Any
) -> dict[str, Any]:
    """Every plain parameter of :func:`kzdiscourse.compare`, checked before any work.

    Examples
    --------
    >>> check_compare(seed=0, n_jobs=1, profile="auto", progress=None, by="outlet")["seed"]
    0
    """
    if not isinstance(by, str) or not by:
        raise ParameterError(
            f"by must be the name of a metadata column, got {_shown(by)}",
            hint="pass e.g. by='outlet' (by='doc_id' compares documents)",
        )
    return {
        "seed": check_seed(seed),
        "n_jobs": check_n_jobs(n_jobs),
        "profile": check_profile(profile),
        "progress": check_progress(progress),
        "by": by,
    }
