"""Building the cleaned text from classified lines, with the account of every removal.

:func:`assemble` keeps the unmarked lines (minus spaces at their ends, footnote markers,
stress accents and invisible characters), one blank line between paragraphs, and lists
every span it leaves out. :func:`to_original` carries those spans back through the markup
edits to offsets in the text as loaded, and :func:`merge_removed` turns them into the
``removed`` rows, which :func:`check_rebuild` proves complete: the text as loaded is the
cleaned text with each row's ``text`` put back in place of its ``replacement``.

Examples
--------
>>> from kzdiscourse.cleaning.assemble import assemble, merge_removed
>>> from kzdiscourse.cleaning.lines import split_lines
>>> raw = "Первый абзац.  \\n\\n\\n\\nВторой абзац.\\n"
>>> out = assemble(raw, split_lines(raw), remove_markers=False)
>>> out.text
'Первый абзац.\\n\\nВторой абзац.'
>>> [(r["start"], r["end"], r["reason"]) for r in merge_removed(raw, out.removed)]
[(13, 15, 'whitespace'), (17, 19, 'whitespace'), (32, 33, 'whitespace')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kzdiscourse.cleaning.lines import Line
from kzdiscourse.cleaning.markup import MARKUP_REASONS, OffsetMap
from kzdiscourse.cleaning.references import FOOTNOTE, expand_ref_ids
from kzdiscourse.layout import segment_paragraphs

__all__ = [
    "Assembled",
    "assemble",
    "check_rebuild",
    "merge_removed",
    "paragraph_roles",
    "to_original",
]

_STRESS = re.compile("[\u0300\u0301]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

Span = tuple[int, int, str]


@dataclass
class Assembled:
    """The cleaned text and what was left out (offsets into the text that was cleaned)."""

    text: str
    removed: list[Span] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    line_roles: list[tuple[int, str]] = field(default_factory=list)
    body: tuple[int, int] = (0, 0)  # from the first body line's start to the last line's end


def _inline_removals(line: Line, remove_markers: bool) -> tuple[list[Span], list[Span]]:
    """Removals inside a kept line: (start, end, reason) spans, and markers found."""
    spans: list[Span] = []
    markers: list[Span] = []
    text, base = line.text, line.start
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    if lead:
        spans.append((base, base + lead, "whitespace"))
    if trail:
        spans.append((base + len(text) - trail, base + len(text), "whitespace"))
    inner_lo, inner_hi = lead, len(text) - trail
    if remove_markers:
        for m in FOOTNOTE.finditer(text, inner_lo, inner_hi):
            spans.append((base + m.start(), base + m.end(), "footnote_marker"))
            markers.append((base + m.start(), base + m.end(), m.group(1)))
    for regex, reason in ((_STRESS, "stress_mark"), (_INVISIBLE, "invisible_char")):
        for m in regex.finditer(text, inner_lo, inner_hi):
            spans.append((base + m.start(), base + m.end(), reason))
    spans.sort()
    disjoint: list[Span] = []
    for span in spans:
        if not disjoint or span[0] >= disjoint[-1][1]:
            disjoint.append(span)
    return disjoint, markers


def assemble(raw: str, lines: list[Line], remove_markers: bool) -> Assembled:
    """Keep the unmarked lines of ``raw`` (see the module); lines that nothing is left of
    once their markers are removed get that marker's reason."""
    removed: list[Span] = []
    citations: list[dict[str, Any]] = []
    line_roles: list[tuple[int, str]] = []
    out: list[str] = []
    out_len = 0

    def keep(start: int, end: int) -> None:
        nonlocal out_len
        if end > start:
            out.append(raw[start:end])
            out_len += end - start

    survivors = []
    for i, line in enumerate(lines):
        if line.blank or line.reason:
            continue
        spans, markers = _inline_removals(line, remove_markers)
        if sum(e - s for s, e, _ in spans) >= line.end - line.start:
            line.reason = next((r for _, _, r in spans if r != "whitespace"), "whitespace")
            continue
        survivors.append((i, spans, markers))

    body_start = next(
        (lines[i].start for i, _, _ in survivors if lines[i].role in ("body", "heading")),
        lines[survivors[0][0]].start if survivors else 0,
    )
    body_end = lines[survivors[-1][0]].end if survivors else 0
    prev = -1
    for n, (i, spans, markers) in enumerate(survivors):
        separator_kept = n == 0  # nothing separates the first paragraph from the start
        for j in range(prev + 1, i):
            other = lines[j]
            if other.blank and not separator_kept:
                # one blank line (its newline only) separates paragraphs
                removed.append((other.start, other.end, "whitespace"))
                keep(other.end, other.stop)
                separator_kept = True
            else:
                removed.append((other.start, other.stop, other.reason or "whitespace"))
        line = lines[i]
        line_roles.append((out_len, line.role or "body"))
        marker_ids = {s: marker for s, _, marker in markers}
        cursor = line.start
        for s, e, reason in spans:
            keep(cursor, s)
            removed.append((s, e, reason))
            if s in marker_ids:
                for ref_id in expand_ref_ids(marker_ids[s]):
                    citations.append(
                        {
                            "ref_id": ref_id,
                            "marker": raw[s:e],
                            "offset": out_len,
                            "raw_start": s,
                            "raw_end": e,
                        }
                    )
            cursor = e
        keep(cursor, line.end)
        if line.stop > line.end:
            if n == len(survivors) - 1:
                removed.append((line.end, line.stop, "whitespace"))
            else:
                keep(line.end, line.stop)
        prev = i
    for j in range(prev + 1, len(lines)):
        other = lines[j]
        removed.append((other.start, other.stop, other.reason or "whitespace"))
    return Assembled("".join(out), removed, citations, line_roles, (body_start, body_end))


def to_original(removed: list[Span], omap: OffsetMap) -> list[tuple[int, int, str, str]]:
    """Removed spans of the edited text as ``(start, end, reason, replacement)`` spans of the
    original.

    A span covers the markup edits inside it: tags and Markdown marks keep their own reason
    (so a removed footer ``<a href=…>Похожие</a>`` is two ``html_markup`` rows around a
    ``footer`` row), entities are part of the text they stand in, except in whitespace.
    Markup edits that no span covers are added with their replacement.
    """
    out: list[tuple[int, int, str, str]] = []
    covered: set[int] = set()
    for s, e, reason in removed:
        if e <= s:
            continue
        start, end = omap.start(s), omap.end(e)
        inner = omap.inside(start, end)
        covered.update(id(x) for x in inner)
        pos = start
        for edit in inner:
            if edit.reason == "html_entity" and reason != "whitespace":
                continue
            out.append((pos, edit.start, reason, ""))
            out.append((edit.start, edit.end, edit.reason, ""))
            pos = edit.end
        out.append((pos, end, reason, ""))
    for edit in omap.edits:
        if id(edit) not in covered:
            out.append((edit.start, edit.end, edit.reason, edit.replacement))
    return [span for span in out if span[1] > span[0]]


def merge_removed(raw: str, spans: list[Any]) -> list[dict[str, Any]]:
    """The ``removed`` rows: spans sorted, and neighbours with the same reason merged
    (whitespace always; other reasons across whitespace-only rows; markup always, their
    replacements joined)."""
    rows: list[dict[str, Any]] = []
    for span in sorted(spans):
        s, e, reason = span[:3]
        replacement = span[3] if len(span) > 3 else ""
        if e <= s:
            continue
        if rows and rows[-1]["end"] == s and rows[-1]["reason"] == reason:
            prev = rows[-1]
            if (
                reason == "whitespace"
                or reason in MARKUP_REASONS
                or (raw[prev["start"] : s].strip() == "" and not replacement)
            ):
                prev["end"] = e
                prev["replacement"] += replacement
                continue
        rows.append({"start": s, "end": e, "reason": reason, "replacement": replacement})
    for row in rows:
        row["text"] = raw[row["start"] : row["end"]]
    return rows


def check_rebuild(raw: str, rows: list[dict[str, Any]], text: str) -> None:
    """Raise if the rows and the cleaned text do not rebuild the raw text exactly."""
    pieces = []
    pos = 0
    for row in rows:
        if row["start"] < pos:
            raise AssertionError(
                f"cleaning removed overlapping spans at raw offset {row['start']}; "
                "please report this with the input text"
            )
        pieces += [raw[pos : row["start"]], row["replacement"]]
        pos = row["end"]
    pieces.append(raw[pos:])
    if "".join(pieces) != text:
        raise AssertionError(
            "cleaning lost or duplicated characters (the removed rows do not rebuild the "
            "text as loaded); please report this with the input text"
        )


def paragraph_roles(text: str, line_roles: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Paragraph spans of the cleaned text with the role of the line each starts on."""
    out = []
    k = 0
    for s, e in segment_paragraphs(text):
        while k + 1 < len(line_roles) and line_roles[k + 1][0] <= s:
            k += 1
        role = line_roles[k][1] if line_roles else "body"
        out.append((s, e, role))
    return out
