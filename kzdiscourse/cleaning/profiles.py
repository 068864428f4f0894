"""Cleaning profiles: the line rules and structural switches of each site, and picking one.

The rules live in ``resources/cleaning_profiles.yaml``. A line rule is a regular expression
that must match a whole stripped line (case-insensitively) and a ``position`` that says
where on the page it may remove a line:

- ``head``: before the page's first line of prose (the article's first paragraph);
- ``tail``: after its last line of prose;
- ``edges`` (the default): head or tail;
- ``anywhere``: also between the first and the last line of prose. Only rules whose
  pattern is the prompt and nothing else (``Поделиться``, ``Подпишитесь на наш канал!``,
  ``Читайте также:``) have this position, so a body sentence that starts like a prompt
  («Подписывайтесь на рассылку санкционных списков…») stays.

Examples
--------
>>> from kzdiscourse.cleaning.profiles import detect_profile, profile_names
>>> profile_names()
['ankasam', 'dzen', 'generic']
>>> detect_profile("Найти в Дзене\\nКанал\\n\\nТекст статьи.")
'dzen'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kzdiscourse.errors import ResourceError
from kzdiscourse.layout import normalize_for_match
from kzdiscourse.resources import load_resource

__all__ = [
    "POSITIONS",
    "LineRule",
    "Profile",
    "detect_profile",
    "load_profiles",
    "profile_names",
    "reason_descriptions",
]

#: Where on a page a line rule may remove a line, and the zones each position covers.
POSITIONS: dict[str, frozenset[str]] = {
    "head": frozenset({"head"}),
    "tail": frozenset({"tail"}),
    "edges": frozenset({"head", "tail"}),
    "anywhere": frozenset({"head", "body", "tail"}),
}


@dataclass(frozen=True)
class LineRule:
    """One line rule: the reason, the whole-line pattern and the zones it applies in."""

    reason: str
    regex: re.Pattern[str]
    zones: frozenset[str]


@dataclass(frozen=True)
class Profile:
    """A cleaning profile: its line rules, structural switches and detection markers."""

    name: str
    description: str
    rules: tuple[LineRule, ...]
    structure: Mapping[str, Any]
    outlets: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    markers: tuple[re.Pattern[str], ...] = ()


def _rule(name: str, rule: Mapping[str, Any], reasons: Mapping[str, str], path: str) -> LineRule:
    if rule["reason"] not in reasons:
        raise ResourceError(
            f"profile {name!r} uses undeclared reason {rule['reason']!r}",
            source=path,
            hint="declare every reason under 'reasons:'",
        )
    position = rule.get("position", "edges")
    if position not in POSITIONS:
        raise ResourceError(
            f"profile {name!r}: unknown position {position!r} for reason {rule['reason']!r}",
            source=path,
            hint=f"use one of: {', '.join(POSITIONS)}",
        )
    try:
        regex = re.compile(rule["pattern"], re.IGNORECASE)
    except re.error as exc:
        raise ResourceError(f"bad pattern in profile {name!r}: {exc}", source=path) from exc
    return LineRule(rule["reason"], regex, POSITIONS[position])


@cache
def load_profiles() -> dict[str, Profile]:
    """Every bundled profile by name (read once)."""
    res = load_resource("cleaning_profiles")
    reasons = res.data.get("reasons", {})
    out: dict[str, Profile] = {}
    raw_profiles = res.data.get("profiles", {})
    if "generic" not in raw_profiles:
        raise ResourceError("cleaning profiles lack a 'generic' profile", source=res.path)
    for name, spec in raw_profiles.items():
        rules = tuple(_rule(name, r, reasons, res.path) for r in spec.get("line_rules", []))
        detect = spec.get("detect", {})
        out[name] = Profile(
            name=name,
            description=spec.get("description", ""),
            rules=rules,
            structure=spec.get("structure", {}),
            outlets=tuple(normalize_for_match(o) for o in detect.get("outlets", [])),
            domains=tuple(d.lower() for d in detect.get("domains", [])),
            markers=tuple(re.compile(m, re.IGNORECASE) for m in detect.get("markers", [])),
        )
    return out


def profile_names() -> list[str]:
    """Names of the bundled cleaning profiles (plus ``"auto"``, which picks one)."""
    return sorted(load_profiles())


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
    profiles = [p for name, p in sorted(load_profiles().items()) if name != "generic"]
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
