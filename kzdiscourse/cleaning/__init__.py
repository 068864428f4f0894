"""Boilerplate removal with a full account of every character taken out.

:func:`clean_text` works on one raw page text. It strips markup (HTML/XML tags and
entities, Markdown marks) if the text has any, classifies each line (kept, or removed for a
named reason), removes a few things inside kept lines (footnote markers, stress accents,
invisible characters, spaces at line ends), and collapses blank lines so that paragraphs
are separated by at most one blank line. The removed spans, with their offsets in the raw
text, the reason and what was put in their place (``replacement``: a decoded entity, a line
break for a block tag, otherwise nothing), are returned alongside the cleaned text, and
together they rebuild the raw text exactly: no character disappears without a row saying
why.

Where boilerplate may be removed
--------------------------------
Removal is precise by construction: a rule removes a line only where boilerplate stands.

- **Line rules** (``resources/cleaning_profiles.yaml``) remove lines at the edges of the
  page (before its first line of prose and after its last, :mod:`.lines`); in the body
  only rules whose pattern is the prompt and nothing else apply (:mod:`.profiles`).
- **Reference lists** go only after their heading, when footnote markers cite them, or at
  the end of the page with bibliographic entries (:mod:`.references`).
- **Repeated lines** go only in the teaser shape at the top of the page (:mod:`.teaser`);
  a paragraph the author repeats stays.

Checks
------
Whenever cleaning still removes text from inside the body (between the first body line and
the last kept line; whitespace, symbol lines, stress marks, invisible characters, footnote
markers and markup do not count, :data:`NON_TEXT_REASONS`), or removes more than
``max_removed_share`` (default :data:`DEFAULT_MAX_REMOVED_SHARE`) of a document's
characters as text (and at least :data:`LARGE_REMOVAL_MIN_CHARS`), the result says so
(:attr:`CleanResult.body_removed_chars`, :attr:`CleanResult.large_removal`), a
:class:`~kzdiscourse.errors.CleaningWarning` is issued, and
:func:`kzdiscourse.summary.coverage` shows a line for the document.

Examples
--------
>>> from kzdiscourse.cleaning import clean_text
>>> raw = "Найти в Дзене\\nКанал\\n\\nЗаголовок\\n\\nПервый абзац текста.\\n\\n↗️ Подпишись на канал"
>>> result = clean_text(raw, profile="dzen")
>>> result.text
'Заголовок\\n\\nПервый абзац текста.'
>>> sorted({row["reason"] for row in result.removed})
['channel_name', 'site_header', 'subscribe_prompt', 'whitespace']
>>> body = (
...     "Санкции ЕС\\n\\nЕС обновил санкционные списки в декабре.\\n\\n"
...     "Подписывайтесь на рассылку санкционных списков ЕС: она бесплатна.\\n\\n"
...     "Казахстанские банки следят за изменениями."
... )
>>> clean_text(body, profile="generic").text == body  # a body line, not a prompt
True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kzdiscourse.cleaning.assemble import (
    assemble,
    check_rebuild,
    merge_removed,
    paragraph_roles,
    to_original,
)
from kzdiscourse.cleaning.lines import (
    apply_line_rules,
    assign_roles,
    mark_author_block,
    mark_channel_line,
    page_zones,
    split_lines,
)
from kzdiscourse.cleaning.markup import (
    MARKUP_REASONS,
    OffsetMap,
    apply_edits,
    detect_markup,
    first_markup,
    markup_edits,
)
from kzdiscourse.cleaning.profiles import (
    detect_profile,
    load_profiles,
    profile_names,
    reason_descriptions,
)
from kzdiscourse.cleaning.references import mark_references
from kzdiscourse.cleaning.teaser import mark_teasers
from kzdiscourse.errors import CleaningWarning, InputError, KzDiscourseError, MarkupError

__all__ = [
    "DEFAULT_MAX_REMOVED_SHARE",
    "LARGE_REMOVAL_MIN_CHARS",
    "MARKUP_MODES",
    "NON_TEXT_REASONS",
    "CleanResult",
    "check_options",
    "clean_text",
    "detect_profile",
    "profile_names",
    "reason_descriptions",
]

#: Above this share of a document's characters removed as text, cleaning warns.
DEFAULT_MAX_REMOVED_SHARE = 0.5
#: A large removal is also at least this many characters (a short post is often half
#: boilerplate, which is no news).
LARGE_REMOVAL_MIN_CHARS = 200
#: What ``markup=`` accepts: strip it (with ``removed`` rows), refuse it, or leave it.
MARKUP_MODES = ("strip", "error", "keep")
#: Removal reasons that take out no words of the text (they never trigger a check).
NON_TEXT_REASONS = (
    frozenset({"whitespace", "symbol_line", "stress_mark", "invisible_char", "footnote_marker"})
    | MARKUP_REASONS
)


@dataclass
class CleanResult:
    """The outcome of cleaning one text.

    Attributes
    ----------
    text : str
        The cleaned text.
    profile : str
        The profile that was applied.
    removed : list of dict
        ``start``, ``end`` (offsets in the raw text), ``reason``, ``replacement`` (what the
        cleaned text has in its place, usually ``""``), ``text``; sorted by start.
    references : list of dict
        ``ref_id``, ``authors``, ``title``, ``publisher``, ``url``, ``accessed``, ``text``.
    citations : list of dict
        ``ref_id``, ``marker``, ``offset`` (in the cleaned text), ``raw_start``, ``raw_end``.
    paragraphs : list of (start, end, role)
        Paragraph spans in the cleaned text with their role.
    markup : str
        The markup found and stripped: ``none``, ``html``, ``markdown`` or ``html+markdown``
        (``none`` with ``markup="keep"``).
    body_removed_spans, body_removed_chars : int
        Rows, and raw characters, removed as text from inside the body.
    body_removed_reasons : list of str
        Their reasons, sorted.
    removed_share : float
        Share of the raw characters removed as text (reasons outside
        :data:`NON_TEXT_REASONS`).
    large_removal : bool
        ``removed_share`` is above the ``max_removed_share`` the text was cleaned with (and
        at least :data:`LARGE_REMOVAL_MIN_CHARS` characters were removed as text).
    """

    text: str
    profile: str
    removed: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: list[tuple[int, int, str]] = field(default_factory=list)
    markup: str = "none"
    body_removed_spans: int = 0
    body_removed_chars: int = 0
    body_removed_reasons: list[str] = field(default_factory=list)
    removed_share: float = 0.0
    large_removal: bool = False

    def problems(
        self, doc_id: str | None = None, max_removed_share: float | None = None
    ) -> list[str]:
        """The checks that failed, as sentences (empty when cleaning stayed at the edges)."""
        name = f"document {doc_id!r}" if doc_id is not None else "the text"
        out = []
        if self.body_removed_spans:
            out.append(
                f"cleaning removed {self.body_removed_chars} characters of text from inside "
                f"the body of {name} ({self.body_removed_spans} spans: "
                f"{', '.join(self.body_removed_reasons)})"
            )
        if self.large_removal:
            limit = f" (max_removed_share={max_removed_share:g})" if max_removed_share else ""
            out.append(f"cleaning removed {self.removed_share:.0%} of {name} as text{limit}")
        return out


def check_options(markup: str, max_removed_share: float) -> None:
    """Raise :class:`~kzdiscourse.errors.InputError` for a bad ``markup`` or share."""
    if markup not in MARKUP_MODES:
        raise InputError(
            f"unknown markup mode {markup!r}",
            hint=f"use one of: {', '.join(repr(m) for m in MARKUP_MODES)}",
        )
    share_ok = isinstance(max_removed_share, (int, float)) and not isinstance(
        max_removed_share, bool
    )
    if not share_ok or not 0 < max_removed_share <= 1:
        raise InputError(
            f"max_removed_share must be a number in (0, 1], got {max_removed_share!r}",
            hint=f"e.g. max_removed_share={DEFAULT_MAX_REMOVED_SHARE} warns when more than "
            "half of a document is removed",
        )


def clean_text(
    raw: str,
    *,
    profile: str = "auto",
    metadata: Mapping[str, Any] | None = None,
    markup: str = "strip",
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
    doc_id: str | None = None,
    warn: bool = True,
) -> CleanResult:
    """Remove boilerplate (and markup) from one page text.

    Parameters
    ----------
    raw : str
        The text as loaded (NFC-normalised, ``\\n`` line endings).
    profile : str, default "auto"
        ``"auto"``, ``"generic"``, or a site profile (:func:`profile_names`).
    metadata : mapping, optional
        The document's metadata; ``title``, ``author``, ``channel``, ``outlet`` and ``url``
        help to find the title, the author block, the channel line and the profile.
    markup : {"strip", "error", "keep"}, default "strip"
        HTML/XML or Markdown in the text: strip it (every tag, entity and mark a
        ``removed`` row), raise :class:`~kzdiscourse.errors.MarkupError`, or leave it.
    max_removed_share : float, default 0.5
        Warn when more than this share of the text (and at least
        :data:`LARGE_REMOVAL_MIN_CHARS` characters) is removed as text.
    doc_id : str, optional
        The document's id, for messages.
    warn : bool, default True
        Issue a :class:`~kzdiscourse.errors.CleaningWarning` when a check fails
        (:meth:`kzdiscourse.Corpus.clean` issues one for the whole corpus instead).

    Returns
    -------
    CleanResult
    """
    check_options(markup, max_removed_share)
    meta = metadata or {}
    profiles = load_profiles()
    name = detect_profile(raw, meta) if profile == "auto" else profile
    if name not in profiles:
        raise KzDiscourseError(
            f"unknown cleaning profile {profile!r}",
            hint=f"use 'auto' or one of: {', '.join(profile_names())}",
        )
    kind = detect_markup(raw) if markup != "keep" else "none"
    if kind != "none" and markup == "error":
        line_no, sample = first_markup(raw, kind)
        raise MarkupError(
            f"the text contains {kind.replace('+', ' and ')} markup (line {line_no}: {sample!r})",
            doc_ids=[doc_id] if doc_id is not None else None,
            hint="clean(markup='strip') removes it and lists every tag in `removed`; "
            "markup='keep' leaves it in (its tags then count as words)",
        )
    edits = markup_edits(raw, kind) if kind != "none" else []
    text = apply_edits(raw, edits) if edits else raw

    prof = profiles[name]
    rules = prof.rules + (profiles["generic"].rules if name != "generic" else ())
    lines = split_lines(text)
    zones = page_zones(lines, rules)
    apply_line_rules(lines, rules, zones)
    if prof.structure.get("channel_line"):
        mark_channel_line(lines, meta, zones[0])
    references = mark_references(lines, rules) if prof.structure.get("references") else []
    if prof.structure.get("author_block"):
        mark_author_block(lines, meta, rules)
    mark_teasers(lines)
    assign_roles(lines, prof, meta)

    remove_markers = bool(references) and bool(prof.structure.get("footnote_markers"))
    out = assemble(text, lines, remove_markers)
    spans: list[Any] = out.removed
    citations = out.citations
    body_start, body_end = out.body
    if edits:
        omap = OffsetMap(edits)
        spans = to_original(out.removed, omap)
        for cit in citations:
            cit["raw_start"], cit["raw_end"] = (
                omap.start(cit["raw_start"]),
                omap.end(cit["raw_end"]),
            )
        body_start, body_end = omap.start(body_start), omap.end(body_end)
    rows = merge_removed(raw, spans)
    check_rebuild(raw, rows, out.text)

    text_rows = [r for r in rows if r["reason"] not in NON_TEXT_REASONS]
    in_body = [r for r in text_rows if r["start"] >= body_start and r["end"] <= body_end]
    removed_chars = sum(r["end"] - r["start"] for r in text_rows)
    share = removed_chars / len(raw) if raw else 0.0
    result = CleanResult(
        text=out.text,
        profile=name,
        removed=[
            {k: r[k] for k in ("start", "end", "reason", "replacement", "text")} for r in rows
        ],
        references=references,
        citations=citations,
        paragraphs=paragraph_roles(out.text, out.line_roles),
        markup=kind,
        body_removed_spans=len(in_body),
        body_removed_chars=sum(r["end"] - r["start"] for r in in_body),
        body_removed_reasons=sorted({r["reason"] for r in in_body}),
        removed_share=share,
        large_removal=share > max_removed_share and removed_chars >= LARGE_REMOVAL_MIN_CHARS,
    )
    if warn:
        for problem in result.problems(doc_id, max_removed_share):
            warnings.warn(problem, CleaningWarning, stacklevel=2)
    return result
