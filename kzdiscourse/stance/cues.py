"""The stance cue lexicon: reading ``stance_cues_ru`` (or a user's file) into cues and weights.

A lexicon file has cue ``groups`` (weights per label, ``negated`` weights, entries) and rule
sections (``scoring``, ``negation``, ``contrast``, ``subordinate``, ``constructions``,
``scope``); a custom lexicon that leaves a rule section out inherits the bundled one. The
rules themselves are applied by :mod:`kzdiscourse.stance.rules`, the scoring by
:class:`kzdiscourse.stance.LexiconStance`.

Examples
--------
>>> from kzdiscourse.stance.cues import load_lexicon
>>> lex = load_lexicon("stance_cues_ru")
>>> lex.name, lex.weights[("convergence", "сближение")]
('stance_cues_ru', {'pro_eu': 1.0})
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kzdiscourse.dictionary import Dictionary, normalize_pattern
from kzdiscourse.errors import ResourceError
from kzdiscourse.stance.labels import ORIENTATION_LABELS

__all__ = ["RULE_SECTIONS", "CueLexicon", "label_weights", "load_lexicon"]

#: Rule sections of a lexicon file; a custom lexicon without one inherits the bundled one.
RULE_SECTIONS = ("scoring", "negation", "contrast", "subordinate", "constructions", "scope")


@dataclass(frozen=True)
class CueLexicon:
    """A parsed stance cue lexicon: cue dictionary, per-entry weights and rule sections."""

    name: str
    version: str
    sha256: str
    path: str
    cues: Dictionary
    centres: Dictionary | None
    weights: dict[tuple[str, str], dict[str, float]] = field(repr=False)
    negated: dict[tuple[str, str], dict[str, float]] = field(repr=False)
    data: dict[str, Any] = field(repr=False)


def label_weights(spec: Any, where: str, labels: Sequence[str]) -> dict[str, float]:
    """``{label: weight}`` from a YAML mapping, every label checked against ``labels``."""
    if spec is None:
        return {}
    if not isinstance(spec, Mapping):
        raise ResourceError(f"{where}: weights must be a mapping label → number")
    out = {}
    for lab, w in spec.items():
        if lab not in labels:
            raise ResourceError(f"{where}: unknown label {lab!r}", hint=f"use one of {labels}")
        out[str(lab)] = float(w)
    return out


def load_lexicon(lexicon: str | Path | Mapping[str, Any]) -> CueLexicon:
    """A bundled lexicon by name (loaded once), a YAML file, or a parsed mapping."""
    if isinstance(lexicon, str) and not lexicon.endswith((".yaml", ".yml")):
        return _load_bundled(lexicon)  # bundled resources are immutable: load once
    return _build_lexicon(lexicon)


@lru_cache(maxsize=8)
def _load_bundled(name: str) -> CueLexicon:
    return _build_lexicon(name)


def _build_lexicon(lexicon: str | Path | Mapping[str, Any]) -> CueLexicon:
    from kzdiscourse.resources import load_resource

    if isinstance(lexicon, Mapping):
        data = dict(lexicon)
        raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=True).encode("utf-8")
        path, sha = "<dict>", hashlib.sha256(raw).hexdigest()
    elif isinstance(lexicon, Path) or (
        isinstance(lexicon, str) and lexicon.endswith((".yaml", ".yml"))
    ):
        p = Path(lexicon)
        if not p.is_file():
            raise ResourceError("stance lexicon file not found", source=str(p))
        raw = p.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8-sig"))
        path, sha = str(p), hashlib.sha256(raw).hexdigest()
    else:
        res = load_resource(str(lexicon))
        data, path, sha = res.data, res.path, res.sha256
    if not isinstance(data, Mapping) or "groups" not in data:
        raise ResourceError("a stance lexicon needs a 'groups' mapping", source=str(lexicon))
    labels = list(ORIENTATION_LABELS)
    mapping: dict[str, list[str]] = {}
    weights: dict[tuple[str, str], dict[str, float]] = {}
    negated: dict[tuple[str, str], dict[str, float]] = {}
    for group, spec in data["groups"].items():
        g = str(group)
        gw = label_weights(spec.get("weights"), f"group {g}", labels)
        gn = label_weights(spec.get("negated"), f"group {g} (negated)", labels)
        mapping[g] = []
        for item in spec.get("entries") or []:
            if isinstance(item, Mapping):
                pattern = normalize_pattern(item["pattern"])
                w = label_weights(item.get("weights", gw), f"entry {pattern}", labels)
                n = label_weights(item.get("negated", gn), f"entry {pattern}", labels)
            else:
                pattern, w, n = normalize_pattern(item), gw, gn
            mapping[g].append(pattern)
            weights[(g, pattern)] = w
            negated[(g, pattern)] = n
    if path != load_resource("stance_cues_ru").path:
        # sections a custom lexicon leaves out come from the bundled one
        bundled = load_resource("stance_cues_ru").data
        data = {**{k: bundled[k] for k in RULE_SECTIONS if k in bundled}, **dict(data)}
    name = str(data.get("name", "stance_cues"))
    version = str(data.get("version", "unversioned"))
    cues = Dictionary.from_dict(mapping, name=name, version=version, source=path)
    centres_spec = (data.get("constructions") or {}).get("power_centres")
    centres = None
    if centres_spec:
        centres = Dictionary.from_dict(
            {str(k): list(v) for k, v in centres_spec["centres"].items()},
            name=f"{name}:power_centres",
            version=version,
            source=path,
        )
    return CueLexicon(name, version, sha, path, cues, centres, weights, negated, dict(data))
