"""Boilerplate removal with a full account of every character taken out.

:func:`clean_text` works on one raw page text. It classifies each line (kept, or removed
for a named reason), removes a few things inside kept lines (footnote markers, stress
accents, invisible characters, spaces at line ends), and collapses blank lines so that
paragraphs are separated by at most one blank line. The removed spans, with their offsets in
the raw text and the reason, are returned alongside the cleaned text, and together they
partition the raw text exactly: no character disappears without a row saying why.

The rules live in ``resources/cleaning_profiles.yaml``; the structural steps (reference
lists, author block, teaser and repeated title, lead bullets) are implemented here.

Examples
--------
>>> from kzdiscourse.cleaning import clean_text
>>> raw = "Найти в Дзене\\nКанал\\n\\nЗаголовок\\n\\nПервый абзац текста.\\n\\n↗️ Подпишись на канал"
>>> result = clean_text(raw, profile="dzen")
>>> result.text
'Заголовок\\n\\nПервый абзац текста.'
>>> sorted({row["reason"] for row in result.removed})
['channel_name', 'site_header', 'subscribe_prompt', 'whitespace']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kzdiscourse.errors import KzDiscourseError, ResourceError
from kzdiscourse.layout import (
    ends_sentence,
    infer_roles,
    normalize_for_match,
    segment_paragraphs,
)
from kzdiscourse.resources import load_resource

__all__ = ["CleanResult", "clean_text", "detect_profile", "profile_names", "reason_descriptions"]

#: A line with at least this many words is article content; it bounds the page's head and tail.
CONTENT_MIN_WORDS = 12
#: A truncated teaser must be at least this long to be matched against the text that follows.
TEASER_MIN_CHARS = 60

_WORD = re.compile(r"\w+(?:[-‐]\w+)*")
_REFERENCE_LINE = re.compile(r"^\s*\[(\d{1,3})\]\s*(\S.*)$")
_FOOTNOTE = re.compile(r"(?<=\S)\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_STRESS = re.compile("[\u0300\u0301]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_URL = re.compile(r"\S*?((?:https?://|www\.)[^\s,;)\]»\"”]+)")
_ACCESSED = re.compile(
    r"\(?\s*(?:дата обращения|accessed|erişim tarihi)\s*:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*\)?",
    re.I,
)
_QUOTED = re.compile(r"[“\"«]([^”\"»]+)[”\"»]")
_ELLIPSIS_TAIL = re.compile(r"(?:\s*(?:…|\.\.\.|\.\.))+\s*$")
_NAME_LINE = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[ -][^\W\d_][^\W\d_'’.-]*){0,3}$")


# --------------------------------------------------------------------------------------------
# profiles


@dataclass(frozen=True)
class _LineRule:
    reason: str
    regex: re.Pattern[str]
    position: str  # "any", "head" or "tail"


@dataclass(frozen=True)
class _Profile:
    name: str
    description: str
    rules: tuple[_LineRule, ...]
    structure: Mapping[str, Any]
    outlets: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    markers: tuple[re.Pattern[str], ...] = ()


@cache
def _profiles() -> dict[str, _Profile]:
    res = load_resource("cleaning_profiles")
    reasons = res.data.get("reasons", {})
    out: dict[str, _Profile] = {}
    raw_profiles = res.data.get("profiles", {})
    if "generic" not in raw_profiles:
        raise ResourceError("cleaning profiles lack a 'generic' profile", source=res.path)
    for name, spec in raw_profiles.items():
        rules = []
        for rule in spec.get("line_rules", []):
            if rule["reason"] not in reasons:
                raise ResourceError(
                    f"profile {name!r} uses undeclared reason {rule['reason']!r}",
                    source=res.path,
                    hint="declare every reason under 'reasons:'",
                )
            try:
                regex = re.compile(rule["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise ResourceError(
                    f"bad pattern in profile {name!r}: {exc}", source=res.path
                ) from exc
            rules.append(_LineRule(rule["reason"], regex, rule.get("position", "any")))
        detect = spec.get("detect", {})
        out[name] = _Profile(
            name=name,
            description=spec.get("description", ""),
            rules=tuple(rules),
            structure=spec.get("structure", {}),
            outlets=tuple(normalize_for_match(o) for o in detect.get("outlets", [])),
            domains=tuple(d.lower() for d in detect.get("domains", [])),
            markers=tuple(re.compile(m, re.IGNORECASE) for m in detect.get("markers", [])),
        )
    return out


def profile_names() -> list[str]:
    """Names of the bundled cleaning profiles (plus ``"auto"``, which picks one)."""
    return sorted(_profiles())


def reason_descriptions() -> dict[str, str]:
    """Every removal reason with its one-line description."""
    return dict(load_resource("cleaning_profiles").data["reasons"])


def detect_profile(text: str, metadata: Mapping[str, Any] | None = None) -> str:
    """Pick a cleaning profile for a page.

    The metadata's ``outlet`` (or ``url`` domain) decides first; otherwise the first and
    last lines of the text are searched for each profile's markers; otherwise ``generic``.

    Parameters
    ----------
    text : str
        Raw page text.
    metadata : mapping, optional
        The document's metadata row.

    Returns
    -------
    str
        A profile name.

    Examples
    --------
    >>> detect_profile("Найти в Дзене\\nКанал\\n\\nТекст статьи.")
    'dzen'
    >>> detect_profile("Просто текст.", {"outlet": "ANKASAM"})
    'ankasam'
    """
    profiles = [p for name, p in sorted(_profiles().items()) if name != "generic"]
    meta = metadata or {}
    outlet = meta.get("outlet")
    if isinstance(outlet, str) and outlet.strip():
        key = normalize_for_match(outlet)
        for p in profiles:
            if key in p.outlets:
                return p.name
    url = meta.get("url")
    if isinstance(url, str) and url.strip():
        host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0]
        for p in profiles:
            if any(host == d or host.endswith("." + d) for d in p.domains):
                return p.name
    lines = [ln for ln in text.split("\n") if ln.strip()]
    edges = "\n".join(lines[:8] + lines[-8:])
    for p in profiles:
        if any(m.search(edges) for m in p.markers):
            return p.name
    return "generic"


# --------------------------------------------------------------------------------------------
# cleaning


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
        ``start``, ``end`` (offsets in the raw text), ``text``, ``reason``; sorted by start.
    references : list of dict
        ``ref_id``, ``authors``, ``title``, ``publisher``, ``url``, ``accessed``, ``text``.
    citations : list of dict
        ``ref_id``, ``marker``, ``offset`` (in the cleaned text), ``raw_start``, ``raw_end``.
    paragraphs : list of (start, end, role)
        Paragraph spans in the cleaned text with their role.
    """

    text: str
    profile: str
    removed: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class _Line:
    start: int  # offset of the first character
    end: int  # offset after the last character, newline excluded
    stop: int  # offset after the newline (== end on the last line without one)
    text: str
    reason: str | None = None
    role: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _split_lines(raw: str) -> list[_Line]:
    lines = []
    pos = 0
    for piece in raw.split("\n"):
        end = pos + len(piece)
        stop = min(end + 1, len(raw))
        lines.append(_Line(pos, end, stop, piece))
        pos = end + 1
    if lines and lines[-1].start == len(raw) and len(lines) > 1:
        lines.pop()  # the text ended with a newline: no empty last line
    return lines


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _apply_line_rules(lines: list[_Line], rules: tuple[_LineRule, ...]) -> None:
    content = [i for i, ln in enumerate(lines) if _words(ln.text) >= CONTENT_MIN_WORDS]
    first = content[0] if content else min(3, len(lines))
    last = content[-1] if content else max(len(lines) - 4, -1)
    for i, line in enumerate(lines):
        if line.blank or line.reason:
            continue
        for rule in rules:
            if rule.position == "head" and i >= first:
                continue
            if rule.position == "tail" and i <= last:
                continue
            if rule.regex.fullmatch(line.stripped):
                line.reason = rule.reason
                break
        if line.reason is None and not any(ch.isalnum() for ch in line.text):
            line.reason = "symbol_line"


def _channel_line(lines: list[_Line], meta: Mapping[str, Any]) -> None:
    channel = meta.get("channel")
    want = normalize_for_match(channel) if isinstance(channel, str) and channel.strip() else None
    nonblank = [ln for ln in lines if not ln.blank]
    for idx, line in enumerate(nonblank[:6]):
        if line.reason:
            continue
        if want and normalize_for_match(line.text) == want:
            line.reason = "channel_name"
            return
        after_header = idx > 0 and nonblank[idx - 1].reason == "site_header"
        if after_header and _words(line.text) <= 5 and not ends_sentence(line.stripped):
            line.reason = "channel_name"
            return


def _parse_reference(ref_id: int, body: str) -> dict[str, Any]:
    url_match = _URL.search(body)
    url = url_match.group(1).rstrip(".,") if url_match else None
    accessed_match = _ACCESSED.search(body)
    accessed = None
    if accessed_match:
        d, m, y = accessed_match.groups()
        accessed = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    quoted = _QUOTED.search(body)
    title = quoted.group(1).strip() if quoted else None
    authors = publisher = None
    if quoted:
        authors = body[: quoted.start()].strip().rstrip(",").strip() or None
        tail_end = (
            url_match.start() if url_match and url_match.start() > quoted.end() else len(body)
        )
        publisher = body[quoted.end() : tail_end].strip().strip(",").strip() or None
        if publisher and accessed_match and accessed_match.start() < tail_end:
            publisher = None
    return {
        "ref_id": ref_id,
        "authors": authors,
        "title": title,
        "publisher": publisher,
        "url": url,
        "accessed": accessed,
        "text": body.strip(),
    }


def _references(lines: list[_Line], has_inline_markers: bool) -> list[dict[str, Any]]:
    runs: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if not line.reason and _REFERENCE_LINE.match(line.text):
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    refs = []
    for run in runs:
        if len(run) < 2 and not has_inline_markers:
            continue
        for i in run:
            m = _REFERENCE_LINE.match(lines[i].text)
            assert m is not None
            lines[i].reason = "reference_list"
            refs.append(_parse_reference(int(m.group(1)), m.group(2)))
    return refs


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        bool(_NAME_LINE.match(line)) and 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)
    )


def _author_block(lines: list[_Line], meta: Mapping[str, Any]) -> None:
    """Mark the author's name line(s) after the article and the biography that follows."""
    author = meta.get("author")
    want = normalize_for_match(author) if isinstance(author, str) and author.strip() else None
    last_ref = max((i for i, ln in enumerate(lines) if ln.reason == "reference_list"), default=-1)
    # after a reference list any name-like line counts; without one, only the metadata author
    region_start = last_ref + 1 if last_ref >= 0 else len(lines) // 2
    names: list[int] = []
    for i in range(region_start, len(lines)):
        line = lines[i]
        if line.blank or line.reason:
            continue
        is_author = want is not None and normalize_for_match(line.text) == want
        if is_author or (last_ref >= 0 and _looks_like_name(line.stripped)):
            line.reason = "author_name"
            names.append(i)
            continue
        if names:
            if _words(line.text) >= CONTENT_MIN_WORDS:
                line.reason = "author_bio"
            break


def _dedupe(lines: list[_Line]) -> None:
    """Mark the earlier copy of a repeated line, and truncated teasers of later text.

    Runs in time linear in the number of lines (plus the teaser candidates), so pages with
    thousands of lines stay cheap.
    """
    kept = [i for i, ln in enumerate(lines) if not ln.blank and not ln.reason]
    norm = [normalize_for_match(lines[i].text) for i in kept]
    last_seen = {text: pos for pos, text in enumerate(norm)}
    by_prefix: dict[str, list[int]] = {}
    for pos, text in enumerate(norm):
        by_prefix.setdefault(text[:30], []).append(pos)
    for pos, i in enumerate(kept):
        text = norm[pos]
        if last_seen[text] > pos:
            short = _words(lines[i].text) <= 20 and not ends_sentence(lines[i].stripped)
            lines[i].reason = "repeated_title" if short else "duplicate_paragraph"
            continue
        stem = _ELLIPSIS_TAIL.sub("", text)
        if len(stem) < TEASER_MIN_CHARS:
            continue
        for start in by_prefix.get(stem[:30], []):
            if start <= pos:
                continue
            following = norm[start]
            nxt = start + 1
            while len(following) <= len(stem) and nxt < len(norm):
                following = f"{following} {norm[nxt]}"
                nxt += 1
            if following.startswith(stem) and len(following) > len(stem):
                lines[i].reason = "teaser"
                break


def _roles(lines: list[_Line], profile: _Profile, meta: Mapping[str, Any]) -> None:
    kept = [ln for ln in lines if not ln.blank and not ln.reason]
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    roles = infer_roles([ln.stripped for ln in kept], title=title)
    for line, role in zip(kept, roles, strict=True):
        line.role = role
    lead_until = tuple(profile.structure.get("lead_until", []))
    if not lead_until:
        return
    title_idx = next((i for i, ln in enumerate(lines) if ln.role == "title"), None)
    if title_idx is None:
        return
    stop = next(
        (i for i in range(title_idx + 1, len(lines)) if lines[i].reason in lead_until), None
    )
    if stop is None:
        return
    between = [ln for ln in lines[title_idx + 1 : stop] if not ln.blank and not ln.reason]
    if 0 < len(between) <= 6:
        for ln in between:
            ln.role = "lead"


def _inline_removals(
    line: _Line, remove_markers: bool
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Removals inside a kept line: (start, end, reason) in raw offsets, and markers found."""
    spans: list[tuple[int, int, str]] = []
    markers: list[tuple[int, int, str]] = []
    text, base = line.text, line.start
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    if lead:
        spans.append((base, base + lead, "whitespace"))
    if trail:
        spans.append((base + len(text) - trail, base + len(text), "whitespace"))
    inner_lo, inner_hi = lead, len(text) - trail
    if remove_markers:
        for m in _FOOTNOTE.finditer(text, inner_lo, inner_hi):
            spans.append((base + m.start(), base + m.end(), "footnote_marker"))
            markers.append((base + m.start(), base + m.end(), m.group(1)))
    for regex, reason in ((_STRESS, "stress_mark"), (_INVISIBLE, "invisible_char")):
        for m in regex.finditer(text, inner_lo, inner_hi):
            spans.append((base + m.start(), base + m.end(), reason))
    spans.sort()
    disjoint: list[tuple[int, int, str]] = []
    for span in spans:
        if not disjoint or span[0] >= disjoint[-1][1]:
            disjoint.append(span)
    return disjoint, markers


def _expand_ref_ids(marker: str) -> list[int]:
    ids: list[int] = []
    for part in re.split(r"\s*,\s*", marker):
        if re.search(r"[–-]", part):
            lo, hi = (int(x) for x in re.split(r"\s*[–-]\s*", part))
            ids.extend(range(lo, hi + 1) if lo <= hi <= lo + 50 else [lo, hi])
        else:
            ids.append(int(part))
    return ids


def clean_text(
    raw: str,
    *,
    profile: str = "auto",
    metadata: Mapping[str, Any] | None = None,
) -> CleanResult:
    """Remove boilerplate from one page text.

    Parameters
    ----------
    raw : str
        The text as loaded (NFC-normalised, ``\\n`` line endings).
    profile : str, default "auto"
        ``"auto"``, ``"generic"``, or a site profile (:func:`profile_names`).
    metadata : mapping, optional
        The document's metadata; ``title``, ``author``, ``channel``, ``outlet`` and ``url``
        help to find the title, the author block, the channel line and the profile.

    Returns
    -------
    CleanResult
    """
    meta = metadata or {}
    profiles = _profiles()
    name = detect_profile(raw, meta) if profile == "auto" else profile
    if name not in profiles:
        raise KzDiscourseError(
            f"unknown cleaning profile {profile!r}",
            hint=f"use 'auto' or one of: {', '.join(profile_names())}",
        )
    prof = profiles[name]
    rules = prof.rules + (profiles["generic"].rules if name != "generic" else ())
    lines = _split_lines(raw)

    _apply_line_rules(lines, rules)
    if prof.structure.get("channel_line"):
        _channel_line(lines, meta)
    references: list[dict[str, Any]] = []
    has_markers = any(_FOOTNOTE.search(ln.text) for ln in lines if not ln.reason)
    if prof.structure.get("references"):
        references = _references(lines, has_markers)
    if prof.structure.get("author_block"):
        _author_block(lines, meta)
    _dedupe(lines)
    _roles(lines, prof, meta)

    remove_markers = bool(references) and bool(prof.structure.get("footnote_markers"))
    return _assemble(raw, lines, name, references, remove_markers)


def _assemble(
    raw: str,
    lines: list[_Line],
    profile: str,
    references: list[dict[str, Any]],
    remove_markers: bool,
) -> CleanResult:
    removed: list[tuple[int, int, str]] = []
    kept_spans: list[tuple[int, int]] = []  # raw spans that make up the cleaned text, in order
    line_roles: list[tuple[int, str]] = []  # (cleaned offset where a kept line starts, role)
    citations: list[dict[str, Any]] = []
    out: list[str] = []
    out_len = 0

    def keep(start: int, end: int) -> None:
        nonlocal out_len
        if end > start:
            kept_spans.append((start, end))
            out.append(raw[start:end])
            out_len += end - start

    survivors = []
    for i, line in enumerate(lines):
        if line.blank or line.reason:
            continue
        spans, markers = _inline_removals(line, remove_markers)
        if sum(e - s for s, e, _ in spans) >= line.end - line.start:
            # nothing left once markers and the like are removed: the whole line goes
            line.reason = next((r for _, _, r in spans if r != "whitespace"), "whitespace")
            continue
        survivors.append((i, spans, markers))

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
                for ref_id in _expand_ref_ids(marker_ids[s]):
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

    text = "".join(out)
    removed_rows = _merge_removed(raw, removed)
    _check_partition(raw, kept_spans, removed_rows)
    return CleanResult(
        text=text,
        profile=profile,
        removed=removed_rows,
        references=references,
        citations=citations,
        paragraphs=_paragraph_roles(text, line_roles),
    )


def _merge_removed(raw: str, spans: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for s, e, reason in sorted(spans):
        if e <= s:
            continue
        if rows and rows[-1]["reason"] == reason == "whitespace" and rows[-1]["end"] == s:
            rows[-1]["end"] = e
            continue
        if (
            rows
            and rows[-1]["reason"] == reason
            and rows[-1]["end"] == s
            and raw[rows[-1]["start"] : s].strip() == ""
        ):
            rows[-1]["end"] = e
            continue
        rows.append({"start": s, "end": e, "reason": reason})
    for row in rows:
        row["text"] = raw[row["start"] : row["end"]]
    return rows


def _check_partition(raw: str, kept: list[tuple[int, int]], removed: list[dict[str, Any]]) -> None:
    spans = sorted([(s, e) for s, e in kept] + [(r["start"], r["end"]) for r in removed])
    pos = 0
    for s, e in spans:
        if s != pos:
            raise AssertionError(
                f"cleaning lost or duplicated characters at raw offset {pos}-{s}; "
                "please report this with the input text"
            )
        pos = e
    if pos != len(raw):
        raise AssertionError(f"cleaning lost characters at raw offset {pos}-{len(raw)}")


def _paragraph_roles(text: str, line_roles: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    out = []
    k = 0
    for s, e in segment_paragraphs(text):
        while k + 1 < len(line_roles) and line_roles[k + 1][0] <= s:
            k += 1
        role = line_roles[k][1] if line_roles else "body"
        out.append((s, e, role))
    return out
