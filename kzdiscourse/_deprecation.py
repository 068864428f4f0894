"""Deprecation warnings for public API changes.

Policy (see CHANGELOG.md): anything public is deprecated for at least one minor release
before it is removed or changes behaviour. A deprecated name keeps working and emits a
:class:`DeprecationWarning` that names the version it was deprecated in, the version it
will be removed in, and what to use instead; the change is listed in CHANGELOG.md.

Examples
--------
>>> import warnings
>>> @deprecated(since="0.2.0", replacement="kzdiscourse.compare")
... def old_compare(x: int) -> int:
...     '''Compare (old name).'''
...     return x
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     old_compare(1)
1
>>> print(caught[0].message)
old_compare is deprecated since kzdiscourse 0.2.0 and will be removed in 0.3.0; use kzdiscourse.compare instead.
"""  # noqa: E501

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["deprecated", "keyword_only", "moved", "next_minor", "warn_deprecated"]

F = TypeVar("F", bound=Callable[..., Any])

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?")


def _minor(version: str) -> tuple[int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"not a version number: {version!r} (expected e.g. '0.2.0')")
    return int(match.group(1)), int(match.group(2))


def next_minor(version: str) -> str:
    """The first release allowed to remove something deprecated in ``version``.

    Examples
    --------
    >>> next_minor("0.2.0"), next_minor("1.4.3")
    ('0.3.0', '1.5.0')
    """
    major, minor = _minor(version)
    return f"{major}.{minor + 1}.0"


def _message(name: str, since: str, removed_in: str | None, replacement: str | None) -> str:
    removed_in = removed_in or next_minor(since)
    if _minor(removed_in) <= _minor(since):
        raise ValueError(
            f"{name}: removed_in={removed_in!r} must be at least one minor release after "
            f"since={since!r} (policy: deprecated for at least one minor release)"
        )
    text = f"{name} is deprecated since kzdiscourse {since} and will be removed in {removed_in}"
    return text + (f"; use {replacement} instead." if replacement else ".")


def warn_deprecated(
    name: str,
    since: str,
    *,
    replacement: str | None = None,
    removed_in: str | None = None,
    stacklevel: int = 2,
) -> None:
    """Emit the :class:`DeprecationWarning` for ``name`` (a function, parameter or value).

    Parameters
    ----------
    name : str
        What is deprecated, as the user wrote it (``"compare(n_boot=...)"``).
    since : str
        The kzdiscourse version that deprecated it.
    replacement : str, optional
        What to use instead.
    removed_in : str, optional
        The version that removes it; by default the next minor release after ``since``.
        Must be at least one minor release later.
    stacklevel : int, default 2
        As in :func:`warnings.warn`: 2 points at the caller of the function that calls this.
    """
    warnings.warn(
        _message(name, since, removed_in, replacement),
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def deprecated(
    since: str, *, replacement: str | None = None, removed_in: str | None = None
) -> Callable[[F], F]:
    """Decorator: calling the function warns (see :func:`warn_deprecated`), then runs it.

    The message is checked when the decorator is applied, so a bad ``removed_in`` fails at
    import, not at a user's call; the docstring gains a ``.. deprecated::`` note.
    """

    def decorate(func: F) -> F:
        name = getattr(func, "__qualname__", getattr(func, "__name__", repr(func)))
        message = _message(name, since, removed_in, replacement)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            warnings.warn(message, DeprecationWarning, stacklevel=2)
            return func(*args, **kwargs)

        note = f".. deprecated:: {since}\n    {message}"
        wrapper.__doc__ = f"{func.__doc__ or ''}\n\n{note}\n".lstrip("\n")
        return wrapper  # type: ignore[return-value]

    return decorate


def keyword_only(since: str, *, positional: int, removed_in: str | None = None) -> Callable[[F], F]:
    """Decorator: the parameters after the first ``positional`` became keyword-only.

    Passing them by position still works for the deprecation period, with a warning; the
    function's keyword-only parameters must be declared in their old positional order.

    Examples
    --------
    >>> import warnings
    >>> @keyword_only(since="0.1.0", positional=1)
    ... def scale(x: float, *, factor: float = 2.0) -> float:
    ...     return x * factor
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     scale(3.0, 10.0)
    30.0
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    passing factor to scale by position is deprecated since kzdiscourse 0.1.0 and will be
    removed in 0.2.0; use scale(..., factor=...) instead.
    """

    def decorate(func: F) -> F:
        import inspect

        params = inspect.signature(func).parameters.values()
        names = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
        qualname = getattr(func, "__qualname__", getattr(func, "__name__", repr(func)))
        _message(qualname, since, removed_in, None)  # check the policy at decoration time

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > positional:
                extra = args[positional:]
                if len(extra) > len(names):
                    raise TypeError(
                        f"{qualname}() takes {positional} positional argument(s) but "
                        f"{len(args)} were given"
                    )
                moved = names[: len(extra)]
                twice = [n for n in moved if n in kwargs]
                if twice:
                    raise TypeError(f"{qualname}() got multiple values for {twice}")
                message = _message(
                    f"passing {', '.join(moved)} to {qualname} by position",
                    since,
                    removed_in,
                    f"{qualname}(..., {moved[0]}=...)",
                )
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                kwargs.update(zip(moved, extra, strict=True))
                args = args[:positional]
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def moved(module: str, names: dict[str, str], since: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for names that moved: each access warns and returns the
    object from its new home.

    Parameters
    ----------
    module : str
        The old module (``__name__``).
    names : dict of str to str
        Old name → ``"new.module"`` (same name) or ``"new.module:new_name"``.
    since : str
        The release that moved them.

    Examples
    --------
    >>> import warnings
    >>> getattr_ = moved("old", {"sqrt": "math", "root": "math:sqrt"}, "0.1.0")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     getattr_("root")(4.0)
    2.0
    >>> print(caught[0].message)
    old.root is deprecated since kzdiscourse 0.1.0 and will be removed in 0.2.0; use math.sqrt instead.
    """  # noqa: E501
    import importlib

    def __getattr__(name: str) -> Any:  # noqa: N807
        if name not in names:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        target, _, attr = names[name].partition(":")
        value = getattr(importlib.import_module(target), attr or name)
        warn_deprecated(f"{module}.{name}", since, replacement=f"{target}.{attr or name}")
        return value

    return __getattr__
