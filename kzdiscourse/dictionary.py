"""Dictionaries of lemma patterns and a fast matcher over the tokens table.

A :class:`Dictionary` maps categories to entries. An entry is one or more *token patterns*
separated by spaces; each token pattern is a lemma (lower case, ``ё`` written ``е``) or a
glob over lemmas (``*`` any run of characters, ``?`` one character): ``евро*`` catches
``евросоюз``, ``еврокомиссия``…; ``энергетический безопасность`` catches every inflected
form of the phrase (*энергетической безопасности*, *энергетическую безопасность*), because
matching reads the ``lemma`` column of :attr:`Parsed.tokens`.

Matching rules
--------------
* Punctuation and symbols are skipped: a multi-word entry matches consecutive *word* tokens
  of one sentence (it never crosses a sentence boundary), so ``очевидный что`` matches
  *очевидно, что*.
* Overlaps are resolved so that no token is counted twice: the **longest match wins**
  (most tokens); between equally long matches the one that starts first wins, then the
  category listed first, then the entry listed first. With ``scope="category"`` (default,
  like quanteda's ``nested_scope="key"``) this happens inside each category, so one token
  may count once for each category it belongs to (multi-label frames); with
  ``scope="dictionary"`` each token belongs to at most one match of the whole dictionary.

Candidate positions are found by joining the tokens' lemma codes with the lemma codes each
entry's *first* pattern allows (globs are expanded once against the corpus vocabulary, not
per token); further words of multi-word entries are checked as vectorised array lookups, so
cost grows with the number of tokens plus candidates, not tokens × entries
(:mod:`kzdiscourse.matching`).

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.dictionary import Dictionary
>>> d = Dictionary.from_dict({"eu": ["евро*", "европейский союз"], "kz": ["казахстан"]})
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Казахстан и Европейский союз, Евросоюзом."]})
>>> parsed = Corpus.from_dataframe(docs).parse()
>>> for row in d.match(parsed)[["category", "entry", "text"]].values.tolist():
...     print(row)
['kz', 'казахстан', 'Казахстан']
['eu', 'европейский союз', 'Европейский союз']
['eu', 'евро*', 'Евросоюзом']
>>> d.count(parsed).to_dict("records")
[{'doc_id': 'a', 'category': 'eu', 'hits': 2}, {'doc_id': 'a', 'category': 'kz', 'hits': 1}]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from kzdiscourse.errors import InputError, ResourceError
from kzdiscourse.matching import MATCH_COLUMNS, SCOPES, match_entries, resolve_overlaps

__all__ = ["MATCH_COLUMNS", "Dictionary", "normalize_pattern"]


def normalize_pattern(pattern: str) -> str:
    """Lower-case a pattern, fold ``ё`` to ``е`` and collapse whitespace.

    Examples
    --------
    >>> normalize_pattern("  Европейский   Союз ")
    'европейский союз'
    """
    return " ".join(str(pattern).lower().replace("ё", "е").split())


@dataclass(frozen=True)
class Dictionary:
    """Categories of lemma patterns, with provenance.

    Build one with :meth:`from_resource`, :meth:`from_yaml`, :meth:`from_quanteda_yaml`,
    :meth:`from_liwc`, :meth:`load` (format from the file suffix) or :meth:`from_dict`.

    Attributes
    ----------
    name, version : str
        Identify the dictionary (``version`` is the file's own version; ``"unversioned"``
        for imports that carry none).
    sha256 : str
        SHA-256 of the source file's bytes (of a canonical JSON-like dump for
        :meth:`from_dict`), recorded in the Report manifest.
    source : str
        Where it was read from.
    entries : pandas.DataFrame
        One row per (category, entry): ``category, entry, n_tokens, order`` plus any extra
        per-entry fields given in a native YAML file (e.g. ``rule``).
    categories : dict
        Category name → one-line description (empty string if none), in file order.
    """

    name: str
    version: str
    sha256: str
    source: str
    entries: pd.DataFrame = field(repr=False)
    categories: dict[str, str] = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Dictionary({self.name!r}, version={self.version!r}, "
            f"{len(self.categories)} categories, {len(self.entries)} entries)"
        )

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(
        cls,
        mapping: Mapping[str, Iterable[str | Mapping[str, Any]]],
        *,
        name: str = "user",
        version: str = "unversioned",
        descriptions: Mapping[str, str] | None = None,
        source: str = "<dict>",
    ) -> Dictionary:
        """Build a dictionary from ``{category: [entry, ...]}``.

        An entry is a pattern string, or a mapping with a ``pattern`` key and any extra
        fields (kept as columns of :attr:`entries`).
        """
        rows: list[dict[str, Any]] = []
        categories: dict[str, str] = {}
        descriptions = dict(descriptions or {})
        for category, items in mapping.items():
            cat = str(category)
            if isinstance(items, str):
                raise ResourceError(
                    f"category {cat!r} must list its entries, got a single string",
                    source=source,
                    hint="write the entries as a YAML list",
                )
            categories[cat] = str(descriptions.get(cat, ""))
            for item in items:
                extra: dict[str, Any] = {}
                if isinstance(item, Mapping):
                    if "pattern" not in item:
                        raise ResourceError(
                            f"an entry of category {cat!r} has no 'pattern'",
                            source=source,
                            hint="write entries as strings or {pattern: ..., ...}",
                        )
                    extra = {k: v for k, v in item.items() if k != "pattern"}
                    pattern = normalize_pattern(item["pattern"])
                else:
                    pattern = normalize_pattern(item)
                if not pattern:
                    raise ResourceError(
                        f"empty entry in category {cat!r}", source=source, hint="remove it"
                    )
                rows.append({"category": cat, "entry": pattern, **extra})
        entries = pd.DataFrame.from_records(rows)
        if entries.empty:
            raise ResourceError("dictionary has no entries", source=source, hint="add entries")
        entries = entries.drop_duplicates(["category", "entry"], keep="first")
        entries.insert(2, "n_tokens", entries["entry"].str.count(" ") + 1)
        entries.insert(3, "order", np.arange(len(entries)))
        entries = entries.reset_index(drop=True)
        digest = hashlib.sha256(
            yaml.safe_dump(
                {"name": name, "version": version, "entries": rows}, allow_unicode=True
            ).encode("utf-8")
        ).hexdigest()
        return cls(name, str(version), digest, source, entries, categories)

    @classmethod
    def _from_native(cls, data: Any, raw: bytes, source: str) -> Dictionary:
        if not isinstance(data, dict) or "categories" not in data:
            raise ResourceError(
                "a kzdiscourse dictionary file needs a 'categories' mapping",
                source=source,
                hint="see kzdiscourse/resources/frames_ru.yaml for the format, or use "
                "Dictionary.from_quanteda_yaml / from_liwc for other formats",
            )
        mapping: dict[str, list[Any]] = {}
        descriptions: dict[str, str] = {}
        for cat, spec in data["categories"].items():
            if isinstance(spec, Mapping):
                mapping[str(cat)] = list(spec.get("entries") or [])
                descriptions[str(cat)] = " ".join(str(spec.get("description", "")).split())
            else:
                mapping[str(cat)] = list(spec or [])
        made = cls.from_dict(
            mapping,
            name=str(data.get("name", Path(source).stem)),
            version=str(data.get("version", "unversioned")),
            descriptions=descriptions,
            source=source,
        )
        return cls(
            made.name,
            made.version,
            hashlib.sha256(raw).hexdigest(),
            source,
            made.entries,
            made.categories,
        )

    @classmethod
    def from_resource(cls, name: str) -> Dictionary:
        """Load a dictionary bundled in ``kzdiscourse/resources/<name>.yaml``."""
        from kzdiscourse.resources import load_resource

        res = load_resource(name)
        made = cls._from_native(res.data, b"", res.path)
        return cls(made.name, made.version, res.sha256, res.path, made.entries, made.categories)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Dictionary:
        """Load a dictionary file in kzdiscourse's own YAML format.

        The file has ``name``, ``version``, ``description`` and ``categories``; each
        category is either a list of entries or a mapping with ``description`` (one line)
        and ``entries``. Entries are strings or mappings with ``pattern`` plus extra fields.
        """
        raw, data = _read_yaml(path)
        return cls._from_native(data, raw, str(path))

    @classmethod
    def from_quanteda_yaml(cls, path: str | Path, separator: str = ".") -> Dictionary:
        """Import a quanteda YAML dictionary (``quanteda::as.yaml`` output).

        Keys map to lists of patterns or to nested keys; nested keys are joined with
        ``separator`` (``economy.trade``). Patterns are read as lemma globs (quanteda's
        default ``valuetype = "glob"``); quanteda matches surface forms, so a pattern such as
        ``войн*`` written for word forms still works on lemmas, and plain words should be
        written as lemmas.
        """
        raw, data = _read_yaml(path)
        if not isinstance(data, Mapping):
            raise ResourceError(
                "a quanteda YAML dictionary is a mapping of keys to lists",
                source=str(path),
                hint="export it from R with quanteda::as.yaml()",
            )
        mapping: dict[str, list[str]] = {}

        def walk(node: Any, prefix: str) -> None:
            if isinstance(node, Mapping):
                for key, value in node.items():
                    walk(value, f"{prefix}{separator}{key}" if prefix else str(key))
            elif isinstance(node, list):
                for item in node:
                    if isinstance(item, Mapping):
                        walk(item, prefix)
                    else:
                        mapping.setdefault(prefix, []).append(str(item))
            elif node is not None:
                mapping.setdefault(prefix, []).append(str(node))

        walk(data, "")
        made = cls.from_dict(mapping, name=Path(path).stem, source=str(path))
        return cls(
            made.name, made.version, hashlib.sha256(raw).hexdigest(), str(path), made.entries,
            made.categories,
        )  # fmt: skip

    @classmethod
    def from_liwc(cls, path: str | Path, encoding: str = "utf-8") -> Dictionary:
        """Import a LIWC ``.dic`` file (LIWC 2001/2007/2015 layout).

        The file starts with a header between two ``%`` lines, one ``<id> <category>`` per
        line; every following line is ``<pattern> <id> [<id> ...]`` separated by tabs or
        spaces. A trailing ``*`` in LIWC is a prefix wildcard, the same as our glob. A
        multi-word pattern must be quoted or tab-separated from its ids.
        """
        p = Path(path)
        try:
            raw = p.read_bytes()
            text = raw.decode(encoding)
        except FileNotFoundError as exc:
            raise ResourceError("dictionary file not found", source=str(p)) from exc
        except UnicodeDecodeError as exc:
            raise ResourceError(
                f"dictionary file is not {encoding}", source=str(p), hint="pass encoding="
            ) from exc
        lines = [ln.strip() for ln in text.lstrip("\ufeff").splitlines()]
        lines = [ln for ln in lines if ln]
        if not lines or lines[0] != "%" or "%" not in lines[1:]:
            raise ResourceError(
                "a LIWC .dic file starts with a category header between two '%' lines",
                source=str(p),
                hint="add the '%' header with one '<id> <category>' line per category",
            )
        close = lines.index("%", 1)
        ids: dict[str, str] = {}
        for ln in lines[1:close]:
            parts = ln.split(None, 1)
            if len(parts) != 2:
                raise ResourceError(f"bad header line {ln!r}", source=str(p))
            ids[parts[0]] = parts[1].strip()
        mapping: dict[str, list[str]] = {cat: [] for cat in ids.values()}
        for ln in lines[close + 1 :]:
            if "\t" in ln:
                word, _, rest = ln.partition("\t")
                codes = rest.split()
            else:
                parts = ln.split()
                word, codes = parts[0], parts[1:]
                # a multi-word pattern: everything before the first run of numeric ids
                while codes and codes[0] not in ids and not codes[0].isdigit():
                    word = f"{word} {codes.pop(0)}"
            word = word.strip().strip('"')
            for code in codes:
                if code not in ids:
                    raise ResourceError(
                        f"pattern {word!r} uses unknown category id {code!r}",
                        source=str(p),
                        hint="declare the id in the '%' header",
                    )
                mapping[ids[code]].append(word)
        mapping = {k: v for k, v in mapping.items() if v}
        made = cls.from_dict(mapping, name=p.stem, source=str(p))
        return cls(
            made.name, made.version, hashlib.sha256(raw).hexdigest(), str(p), made.entries,
            made.categories,
        )  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> Dictionary:
        """Load a user dictionary, choosing the format from the file.

        ``.dic`` → LIWC; ``.yml``/``.yaml`` with a top-level ``categories`` key →
        kzdiscourse format, otherwise quanteda YAML.
        """
        p = Path(path)
        if p.suffix.lower() == ".dic":
            return cls.from_liwc(p)
        if p.suffix.lower() in (".yml", ".yaml"):
            _, data = _read_yaml(p)
            if isinstance(data, Mapping) and "categories" in data:
                return cls.from_yaml(p)
            return cls.from_quanteda_yaml(p)
        raise ResourceError(
            f"unknown dictionary format {p.suffix!r}",
            source=str(p),
            hint="use .yaml/.yml (kzdiscourse or quanteda) or .dic (LIWC)",
        )

    # ------------------------------------------------------------------ info
    def manifest_record(self) -> dict[str, str]:
        """``{"name", "version", "sha256", "path"}`` for a Report manifest."""
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "path": self.source,
        }

    def subset(self, categories: Sequence[str]) -> Dictionary:
        """A dictionary with only the given categories (same provenance)."""
        unknown = [c for c in categories if c not in self.categories]
        if unknown:
            raise InputError(f"unknown categories {unknown}", hint=f"use {list(self.categories)}")
        keep = self.entries["category"].isin(categories)
        return Dictionary(
            self.name,
            self.version,
            self.sha256,
            self.source,
            self.entries.loc[keep].reset_index(drop=True),
            {c: d for c, d in self.categories.items() if c in categories},
        )

    # ------------------------------------------------------------------ matching
    def match(self, data: Any, scope: str = "category", resolve: bool = True) -> pd.DataFrame:
        """Every non-overlapping match of the dictionary in a parsed corpus.

        Parameters
        ----------
        data : Parsed or pandas.DataFrame
            A :class:`~kzdiscourse.parsed.Parsed` corpus or its ``tokens`` table (needs
            ``doc_id, sent_id, tok_id, start, end, lemma, pos``; ``par_id`` and ``text``
            are used when present).
        scope : {"category", "dictionary"}, default "category"
            Where overlaps are resolved (see the module docstring).
        resolve : bool, default True
            ``False`` returns every candidate, overlapping ones included, for callers that
            apply context rules first and then call :meth:`resolve`.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`MATCH_COLUMNS`: ``tok_start``/``tok_end`` are the ``tok_id`` of
            the first and last matched token (inclusive), ``start``/``end`` character
            offsets into the document text, ``entry`` the dictionary pattern, ``lemmas``
            the matched lemmas and ``text`` the matched surface text (tokens joined by the
            original characters between them when a ``documents`` table is available,
            otherwise by spaces). In corpus order (documents as in the corpus, then
            ``sent_id``, ``tok_start``), then category order.
        """
        if scope not in SCOPES:
            raise InputError(f"unknown scope {scope!r}", hint=f"use one of {SCOPES}")
        found = match_entries(self.entries, data)
        return self.resolve(found, scope=scope) if resolve else found

    def resolve(self, matches: pd.DataFrame, scope: str = "category") -> pd.DataFrame:
        """Drop overlapping matches so that no token counts twice within a scope.

        The longest match (most word tokens) wins; then the one starting first; then the
        category listed first in the dictionary; then the entry listed first. Use it after
        ``match(..., resolve=False)`` when context rules have removed or re-labelled some
        candidates (a category not in the dictionary ranks after all known ones).

        Parameters
        ----------
        matches : pandas.DataFrame
            Rows in the format of :meth:`match`.
        scope : {"category", "dictionary"}

        Returns
        -------
        pandas.DataFrame
            The kept rows, in their original order.
        """
        return resolve_overlaps(matches, self.entries, list(self.categories), scope)

    def count(self, data: Any, scope: str = "category") -> pd.DataFrame:
        """Hits per document and category (``doc_id, category, hits``), zeros omitted."""
        m = self.match(data, scope=scope)
        out = m.groupby(["doc_id", "category"], sort=True).size().rename("hits").reset_index()
        return out


def _read_yaml(path: str | Path) -> tuple[bytes, Any]:
    p = Path(path)
    if not p.is_file():
        raise ResourceError("dictionary file not found", source=str(p), hint="check the path")
    raw = p.read_bytes()
    try:
        return raw, yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot parse YAML: {exc}", source=str(p)) from exc
