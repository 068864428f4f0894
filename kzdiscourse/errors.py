"""Exceptions raised by kzdiscourse.

Every exception names the document(s) or file(s) it is about and says what to do. They all
derive from :class:`KzDiscourseError`, so ``except kzdiscourse.errors.KzDiscourseError``
catches anything the library raises on purpose; input problems are also ``ValueError``
(or ``FileNotFoundError``) so generic handlers keep working.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.errors import DuplicateIdError
>>> frame = pd.DataFrame({"doc_id": ["a", "a"], "text": ["Первый текст.", "Второй текст."]})
>>> try:
...     Corpus.from_dataframe(frame)
... except DuplicateIdError as err:
...     print(err.doc_ids)
['a']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "CacheError",
    "CacheWarning",
    "CleaningWarning",
    "ColumnError",
    "DuplicateIdError",
    "EmptyTextError",
    "EncodingError",
    "InputError",
    "InputPathError",
    "KzDiscourseError",
    "KzDiscourseWarning",
    "LanguageError",
    "MarkupError",
    "MetadataMismatchError",
    "MissingDependencyError",
    "MissingIdError",
    "OutputPathError",
    "ParameterError",
    "ResourceError",
    "SkippedFileWarning",
]

_MAX_LISTED = 10


def _listing(items: Sequence[object]) -> str:
    shown = ", ".join(repr(x) for x in items[:_MAX_LISTED])
    if len(items) > _MAX_LISTED:
        shown += f", … ({len(items) - _MAX_LISTED} more)"
    return shown


class KzDiscourseError(Exception):
    """Base class of every error kzdiscourse raises on purpose.

    Parameters
    ----------
    message : str
        What went wrong.
    doc_ids : iterable of str, optional
        The documents concerned.
    source : str, optional
        The file or input the documents came from.
    hint : str, optional
        What the user should do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        doc_ids: Iterable[str] | None = None,
        source: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.doc_ids: list[str] = [str(d) for d in doc_ids] if doc_ids is not None else []
        self.source = source
        self.hint = hint
        super().__init__(self._render())

    def set_source(self, source: str) -> None:
        """Name another source in the error (e.g. the files behind a folder's documents)."""
        self.source = source
        self.args = (self._render(),)

    def _render(self) -> str:
        parts = [self.message]
        where = []
        if self.doc_ids:
            label = "document" if len(self.doc_ids) == 1 else "documents"
            where.append(f"{label}: {_listing(self.doc_ids)}")
        if self.source:
            where.append(f"source: {self.source}")
        if where:
            parts[0] += f" [{'; '.join(where)}]"
        if self.hint:
            parts.append(f"What to do: {self.hint}")
        return "\n".join(parts)


class InputError(KzDiscourseError, ValueError):
    """The input corpus or its metadata cannot be used as given."""


class InputPathError(KzDiscourseError, FileNotFoundError):
    """A path given to a loader or the command line does not exist or has the wrong kind."""


class DuplicateIdError(InputError):
    """Two or more documents share a ``doc_id``."""


class MissingIdError(InputError):
    """A document has no ``doc_id`` (missing, NaN or empty)."""


class EmptyTextError(InputError):
    """A document's text is empty or whitespace only."""


class EncodingError(InputError):
    """A file is not valid UTF-8 (the error says which encoding it looks like)."""


class LanguageError(InputError):
    """A document does not look like Russian text (too few Cyrillic letters)."""


class MarkupError(InputError):
    """A text contains HTML/XML or Markdown markup and cleaning was asked to refuse it."""


class MetadataMismatchError(InputError):
    """Texts without a metadata row, or metadata rows without a text."""


class ColumnError(InputError, KeyError):
    """A required column is missing, or a requested grouping column does not exist."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self._render()


class ParameterError(InputError):
    """A parameter has a wrong type or value (checked before any work; the message names
    the parameter and a valid value)."""


class OutputPathError(KzDiscourseError, OSError):
    """The output folder cannot be written (read-only, a file in its place, a parent that
    is a file, a ``manifest.json`` kzdiscourse did not write); checked before any work."""


class CacheError(KzDiscourseError, OSError):
    """A parse cache folder cannot be used at all (it is a file, or not a kzdiscourse cache
    where one was expected)."""


class MissingDependencyError(KzDiscourseError, ImportError):
    """An optional extra the call needs is not installed (the hint names the pip command)."""


class ResourceError(KzDiscourseError):
    """A bundled or user-supplied resource file (YAML word list, profile) is invalid."""


class KzDiscourseWarning(UserWarning):
    """Base class of the warnings kzdiscourse issues when analysis can go on.

    Filter them all with ``warnings.simplefilter("ignore", KzDiscourseWarning)``, or turn
    them into errors with ``"error"``.
    """


class CleaningWarning(KzDiscourseWarning):
    """Cleaning removed text from inside a document's body, or a large share of a document.

    The message names the documents; ``Corpus.cleaning`` and the ``coverage`` table have a
    line for each, and ``Corpus.removed`` lists what went.
    """


class SkippedFileWarning(KzDiscourseWarning):
    """Files in a folder were not read (hidden, broken link, unreadable, not a text file).

    The message names them and why; ``Corpus.skipped`` lists every one.
    """


class CacheWarning(KzDiscourseWarning):
    """The parse cache could not be used as asked: a damaged or foreign entry was found and
    re-parsed, or the cache cannot be written (read-only, disk full) and new parses are not
    stored. Parsing goes on; the tables are the same as without a cache."""
