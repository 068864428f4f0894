"""Rule-based stance scorer: a weighted cue lexicon with negation, contrast and clause rules.

:class:`LexiconStance` matches the cue lexicon ``stance_cues_ru`` (a versioned YAML resource,
``kzdiscourse/resources/stance_cues_ru.yaml``) on the tokens table with
:class:`~kzdiscourse.dictionary.Dictionary` (lemmas and multi-word lemma patterns; no
re-tokenising, no stop-word removal) and turns the matched cues into one probability per
label. Every step is explicit and shows in the :meth:`LexiconStance.evidence` table.

The rules (all parameters live in the YAML file)
-------------------------------------------------
1. **Cues.** Each cue belongs to a group with weights per label (``convergence`` →
   ``pro_eu``, ``multivector_balance`` → ``balance``, ``transactional`` → ``instrumental``
   …). Overlapping cues are resolved across the whole lexicon: the longest match wins
   (``стратегический партнерство`` beats ``партнерство``).
2. **Negation (codebook rule 2).** A negator (``не``, ``ни``, ``нет``, ``без`` …) negates a
   cue that starts at most ``window`` word tokens after it, unless a clause boundary
   (comma, colon, dash …) or a contrast conjunction lies between them. Additive «не только»,
   «не менее» are not negators. A negated cue uses its group's ``negated`` weights instead
   of its ``weights``: a denied partnership («не союзник») counts for ``instrumental``, a
   denied transaction («не сделка») for ``pro_eu``, a denied rupture or dependence («не
   предполагает разрыва», «ни зависимости») for ``balance``; a denied balance cue is
   dropped.
3. **«не X, а Y» (rule 2).** When a contrastive «а» follows a negator in the same
   sentence, every cue between the negator and «а» is negated (whatever the window), and
   the cues after «а» — what the sentence asserts — are multiplied by ``contrast_factor``.
4. **Concession.** Cues after «но», «однако», «зато», «тем не менее» (not the additive «не
   только …, но и») are multiplied by ``concession_factor``: the clause after the
   concession carries the point.
5. **Main clause first (rules 1 and 7).** A clause opened by a gerund (tag ``GRND``) at the
   start of the sentence or after a comma, or by a full participle (``PRTF``) after a
   comma, runs to the next clause boundary; cues inside it are multiplied by
   ``subordinate_factor``. *Limit:* this is a punctuation heuristic, not a parse; a
   participial phrase without commas, or a subordinate clause opened by a conjunction
   («хотя», «поскольку») is not detected, and a sentence "whose whole point is the
   combination" is recognised only through its balance cues.
6. **Constructions.** «ни … ни» (two «ни» in one sentence), «как …, так и …», and two or
   more distinct power centres (EU/West, Russia, China) in one sentence add ``balance``
   weight.
7. **Scope (codebook rules 5 and 6).** A cue inside the name of an agreement, document or
   office — within ``window`` words after a head lemma and a link preposition
   («Соглашение о расширенном партнёрстве», «комиссар по международному партнёрству») — is
   dropped (rule ``in_name``). In a sentence that names Russia or China but no EU/West
   power centre, asserted ``pro_eu`` weights are dropped (rule ``partner_not_west``): a
   partnership with Moscow is not an orientation toward the EU.

Each label's score is the sum of its cues' effective weights; ``none`` scores the constant
``none_bias``. Probabilities are ``softmax(temperature · scores)``; the label is the most
probable one and ``margin`` the gap between the two largest probabilities.

*Known limits:* bare event reports that contain a signal word outside a name (codebook
rule 6) and sentences that only report facts chosen for an argument (rule 3) are not
recognised as ``none`` when they contain cues; cue lemmas are not sense-disambiguated
(«расчёты» as payments, «при помощи»); irony and reported speech are not modelled.

Examples
--------
>>> from kzdiscourse.stance import LexiconStance
>>> lex = LexiconStance()
>>> lex.predict(["Казахстан — не союзник Запада, а расчётливый партнёр.",
...              "Астана проводит многовекторную политику.",
...              "Делегация прибыла в Брюссель во вторник."])
['instrumental', 'balance', 'none']
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from kzdiscourse.dictionary import Dictionary, normalize_pattern
from kzdiscourse.errors import InputError, ResourceError
from kzdiscourse.parsed import Parsed
from kzdiscourse.portable import exp
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.units import lemma_lists_to_tokens, texts_to_tokens, unit_keys

__all__ = ["EVIDENCE_COLUMNS", "SCORE_COLUMNS", "LexiconStance"]

#: Columns of the per-sentence score tables (lexicon and classifier).
SCORE_COLUMNS = [
    "doc_id",
    "par_id",
    "sent_id",
    "label",
    *[f"p_{lab}" for lab in STANCE_LABELS],
    "margin",
    "method",
]

#: Columns of :meth:`LexiconStance.evidence`.
EVIDENCE_COLUMNS = [
    "doc_id",
    "par_id",
    "sent_id",
    "tok_start",
    "tok_end",
    "start",
    "end",
    "cue",
    "text",
    "cue_group",
    "label",
    "base_weight",
    "rules",
    "factor",
    "weight",
    "decisive",
]

_SKIP_POS = ("PUNCT", "SYM")
#: Rule sections of a lexicon file; a custom lexicon without one inherits the bundled one.
_RULE_SECTIONS = ("scoring", "negation", "contrast", "subordinate", "constructions", "scope")


@dataclass(frozen=True)
class _Lexicon:
    name: str
    version: str
    sha256: str
    path: str
    cues: Dictionary
    centres: Dictionary | None
    weights: dict[tuple[str, str], dict[str, float]] = field(repr=False)
    negated: dict[tuple[str, str], dict[str, float]] = field(repr=False)
    data: dict[str, Any] = field(repr=False)


def _weights(spec: Any, where: str, labels: Sequence[str]) -> dict[str, float]:
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


def _load_lexicon(lexicon: str | Path | Mapping[str, Any]) -> _Lexicon:
    if isinstance(lexicon, str) and not lexicon.endswith((".yaml", ".yml")):
        return _load_bundled(lexicon)  # bundled resources are immutable: load once
    return _build_lexicon(lexicon)


@lru_cache(maxsize=8)
def _load_bundled(name: str) -> _Lexicon:
    return _build_lexicon(name)


def _build_lexicon(lexicon: str | Path | Mapping[str, Any]) -> _Lexicon:
    import hashlib

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
        gw = _weights(spec.get("weights"), f"group {g}", labels)
        gn = _weights(spec.get("negated"), f"group {g} (negated)", labels)
        mapping[g] = []
        for item in spec.get("entries") or []:
            if isinstance(item, Mapping):
                pattern = normalize_pattern(item["pattern"])
                w = _weights(item.get("weights", gw), f"entry {pattern}", labels)
                n = _weights(item.get("negated", gn), f"entry {pattern}", labels)
            else:
                pattern, w, n = normalize_pattern(item), gw, gn
            mapping[g].append(pattern)
            weights[(g, pattern)] = w
            negated[(g, pattern)] = n
    if path != load_resource("stance_cues_ru").path:
        # sections a custom lexicon leaves out come from the bundled one
        bundled = load_resource("stance_cues_ru").data
        data = {**{k: bundled[k] for k in _RULE_SECTIONS if k in bundled}, **dict(data)}
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
    return _Lexicon(name, version, sha, path, cues, centres, weights, negated, dict(data))


class LexiconStance:
    """Rule-based stance scorer over the tokens table (see the module docstring for rules).

    Parameters
    ----------
    lexicon : str, path or mapping, default "stance_cues_ru"
        A bundled resource name, a path to a YAML file in the same format, or the parsed
        mapping itself. A custom lexicon needs ``groups``; each rule section it leaves out
        (``scoring``, ``negation``, ``contrast``, ``subordinate``, ``constructions``) is
        taken from the bundled ``stance_cues_ru``.

    Attributes
    ----------
    name, version, sha256 : str
        Provenance of the lexicon (recorded in reports).

    Examples
    --------
    >>> lex = LexiconStance()
    >>> table = lex.score(["Сближение с ЕС не означает разрыва с Россией."])
    >>> table.loc[0, "label"]
    'balance'
    >>> ev = lex.evidence(["Сближение с ЕС не означает разрыва с Россией."])
    >>> ev.loc[ev["cue"] == "разрыв",
    ...        ["cue", "label", "rules", "weight"]].values.tolist()[0]
    ['разрыв', 'balance', 'negated', 1.0]
    """

    method = "lexicon"

    def __init__(self, lexicon: str | Path | Mapping[str, Any] = "stance_cues_ru") -> None:
        self._lex = _load_lexicon(lexicon)
        data = self._lex.data
        scoring = data.get("scoring") or {}
        self.none_bias = float(scoring.get("none_bias", 1.0))
        self.temperature = float(scoring.get("temperature", 2.0))
        self.subordinate_factor = float(scoring.get("subordinate_factor", 0.5))
        self.contrast_factor = float(scoring.get("contrast_factor", 1.5))
        self.concession_factor = float(scoring.get("concession_factor", 1.25))
        neg = data.get("negation") or {}
        self.window = int(neg.get("window", 3))
        self._negators = {normalize_pattern(w) for w in neg.get("negators") or []}
        self._not_negation = [normalize_pattern(w).split() for w in neg.get("not_negation") or []]
        self._neg_boundaries = set(neg.get("boundaries") or [])
        con = data.get("contrast") or {}
        self._contrastive = {normalize_pattern(w) for w in con.get("contrastive") or []}
        self._concessive = [normalize_pattern(w).split() for w in con.get("concessive") or []]
        sub = data.get("subordinate") or {}
        self._sub_tags = list(sub.get("opening_tags") or [])
        self._sub_boundaries = set(sub.get("boundaries") or [])
        self._constructions = data.get("constructions") or {}
        scope = data.get("scope") or {}
        names = scope.get("names") or {}
        self._name_heads = {normalize_pattern(w) for w in names.get("heads") or []}
        self._name_links = {normalize_pattern(w) for w in names.get("links") or []}
        self._name_pos = set(names.get("inside_pos") or [])
        self._name_tags = list(names.get("inside_tags") or [])
        self._name_window = int(names.get("window", 4))
        partner = scope.get("partner") or {}
        self._partner_label = partner.get("label")
        self._partner_requires = set(partner.get("requires") or [])
        self._partner_only = set(partner.get("only_centres") or [])

    # ------------------------------------------------------------------ provenance
    @property
    def name(self) -> str:
        return self._lex.name

    @property
    def version(self) -> str:
        return self._lex.version

    @property
    def sha256(self) -> str:
        return self._lex.sha256

    @property
    def dictionary(self) -> Dictionary:
        """The cue lexicon as a :class:`~kzdiscourse.dictionary.Dictionary`."""
        return self._lex.cues

    def manifest_record(self) -> dict[str, str]:
        """``{"name", "version", "sha256", "path"}`` of the lexicon."""
        return {
            "name": self._lex.name,
            "version": self._lex.version,
            "sha256": self._lex.sha256,
            "path": self._lex.path,
        }

    def __repr__(self) -> str:
        return f"LexiconStance({self._lex.name!r}, version={self._lex.version!r})"

    # ------------------------------------------------------------------ public API
    def score(self, data: Any) -> pd.DataFrame:
        """One row per sentence: the label, a probability per label and the margin.

        Parameters
        ----------
        data : Parsed, sequence of str, or sequence of lemma lists
            A parsed corpus (every sentence is scored from ``parsed.tokens``), sentence
            texts (each text is one unit, parsed exactly as ``parse()`` does), or
            pre-lemmatised units.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`SCORE_COLUMNS` (``doc_id, par_id, sent_id, label, p_pro_eu,
            p_balance, p_instrumental, p_none, margin, method``), in corpus / input order.
            For texts, ``doc_id`` is the text's position as a string.
        """
        tokens, units = _resolve(data)
        evidence = self._evidence(tokens)
        return self._scores(units, evidence)[0]

    def evidence(self, data: Any) -> pd.DataFrame:
        """Every cue that counted, per sentence, with its weight and the rules applied.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`EVIDENCE_COLUMNS`: the sentence key, the cue's token ids and
            character offsets, ``cue`` (the lexicon entry or construction), ``text`` (as
            written), ``cue_group``, ``label`` (``<NA>`` for a cue that negation or a scope
            rule dropped), ``base_weight`` (before the multiplying rules), ``rules``
            (``plain``, ``negated``, ``negated_in_contrast``, ``contrast_asserted``,
            ``concession``, ``subordinate_clause``, ``construction``, ``in_name``,
            ``partner_not_west``, joined by ``+``), ``factor`` (the
            product of the multipliers), ``weight`` (``base_weight · factor``) and
            ``decisive`` (True when the cue's label is the sentence's label).
        """
        tokens, units = _resolve(data)
        ev = self._evidence(tokens)
        return self._scores(units, ev)[1]

    def score_sentences(self, data: Any) -> pd.DataFrame:
        """The same as :meth:`score` (the name every stance scorer shares)."""
        return self.score(data)

    def score_with_evidence(self, data: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`score` and :meth:`evidence` from one pass over the tokens."""
        tokens, units = _resolve(data)
        return self._scores(units, self._evidence(tokens))

    def predict(self, data: Any) -> list[str]:
        """The label of every unit (see :meth:`score`)."""
        return self.score(data)["label"].tolist()

    def raw_scores(self, data: Any) -> pd.DataFrame:
        """Summed effective cue weights per label (before the softmax), one row per unit.

        Columns ``doc_id, sent_id`` and one ``s_<label>`` column per orientation label;
        used as features by :class:`~kzdiscourse.stance.StanceClassifier`.
        """
        tokens, units = _resolve(data)
        ev = self._evidence(tokens)
        return self._raw(units, ev)

    # ------------------------------------------------------------------ internals
    def _raw(self, units: pd.DataFrame, ev: pd.DataFrame) -> pd.DataFrame:
        keys = units[["doc_id", "sent_id"]].reset_index(drop=True)
        out = keys.copy()
        if ev.empty:
            for lab in ORIENTATION_LABELS:
                out[f"s_{lab}"] = 0.0
            return out
        sums = (
            ev.dropna(subset=["label"])
            .groupby(["doc_id", "sent_id", "label"], sort=False)["weight"]
            .sum()
            .unstack("label")
        )
        for lab in ORIENTATION_LABELS:
            col = sums[lab] if lab in sums.columns else pd.Series(dtype=float)
            idx = pd.MultiIndex.from_frame(keys)
            out[f"s_{lab}"] = col.reindex(idx).fillna(0.0).to_numpy(dtype=float)
        return out

    def _scores(self, units: pd.DataFrame, ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        raw = self._raw(units, ev)
        s = np.column_stack(
            [raw[f"s_{lab}"].to_numpy() for lab in ORIENTATION_LABELS]
            + [np.full(len(raw), self.none_bias)]
        )
        z = self.temperature * s
        z -= z.max(axis=1, keepdims=True) if len(z) else 0
        p = exp(z)  # the C library's exp: numpy's differs in the last bit by CPU
        p /= p.sum(axis=1, keepdims=True) if len(p) else 1
        out = units[["doc_id", "par_id", "sent_id"]].reset_index(drop=True).copy()
        labels = np.array(STANCE_LABELS, dtype=object)
        # ties go to the label listed first (none last), but a tie with none gives none
        best = np.argmax(p, axis=1) if len(p) else np.zeros(0, int)
        if len(p):
            none_ties = np.isclose(p[:, -1], p.max(axis=1))
            best = np.where(none_ties, len(STANCE_LABELS) - 1, best)
        out["label"] = labels[best] if len(p) else pd.Series(dtype=object)
        for k, lab in enumerate(STANCE_LABELS):
            out[f"p_{lab}"] = p[:, k] if len(p) else pd.Series(dtype=float)
        top2 = np.sort(p, axis=1)[:, -2:] if len(p) else np.zeros((0, 2))
        out["margin"] = top2[:, 1] - top2[:, 0]
        out["method"] = self.method
        if not ev.empty:
            lab_of = dict(
                zip(zip(out["doc_id"], out["sent_id"], strict=True), out["label"], strict=True)
            )
            sent_label = [lab_of.get(k) for k in zip(ev["doc_id"], ev["sent_id"], strict=True)]
            ev = ev.copy()
            ev["decisive"] = [
                (not pd.isna(lab)) and lab == s
                for lab, s in zip(ev["label"], sent_label, strict=True)
            ]
        return out[SCORE_COLUMNS], ev[EVIDENCE_COLUMNS] if not ev.empty else _empty_evidence()

    def _evidence(self, tokens: pd.DataFrame) -> pd.DataFrame:
        if tokens.empty:
            return _empty_evidence()
        tokens = tokens.reset_index(drop=True)
        matches = self._lex.cues.match(tokens, scope="dictionary")
        doc = tokens["doc_id"].to_numpy()
        sent = tokens["sent_id"].to_numpy()
        lemma = tokens["lemma"].astype(str).to_numpy()
        text = tokens["text"].astype(str).to_numpy()
        pos = tokens["pos"].astype(str).to_numpy()
        tag = (
            tokens["tag"].astype(str).to_numpy()
            if "tag" in tokens.columns
            else np.full(len(tokens), "")
        )
        par = (
            tokens["par_id"].to_numpy()
            if "par_id" in tokens.columns
            else np.zeros(len(tokens), int)
        )
        start = tokens["start"].to_numpy()
        end = tokens["end"].to_numpy()
        index = pd.MultiIndex.from_arrays([doc, tokens["tok_id"].to_numpy()])
        # sentence boundaries in the token arrays
        key = pd.factorize(pd.MultiIndex.from_arrays([doc, sent]))[0]
        change = np.flatnonzero(np.diff(key)) + 1
        bounds = np.concatenate([[0], change, [len(key)]])
        sent_range = {int(key[a]): (int(a), int(b)) for a, b in itertools.pairwise(bounds)}

        rows: list[dict[str, Any]] = []
        ctx_cache: dict[int, _Context] = {}
        not_west = self._not_west_sentences(tokens, key)

        def context(k: int) -> _Context:
            if k not in ctx_cache:
                a, b = sent_range[k]
                ctx_cache[k] = self._context(lemma[a:b], text[a:b], pos[a:b], tag[a:b], a)
            return ctx_cache[k]

        if not matches.empty:
            first = index.get_indexer(
                pd.MultiIndex.from_arrays([matches["doc_id"], matches["tok_start"]])
            )
            for m, p0 in zip(matches.itertuples(index=False), first, strict=True):
                ctx = context(int(key[p0]))
                rules, negate, factor = ctx.rules_at(int(p0))
                g, e = m.category, m.entry
                spec = self._lex.negated[(g, e)] if negate else self._lex.weights[(g, e)]
                dropped = False
                if ctx.in_name[int(p0) - ctx.offset]:
                    rules, spec, dropped = ["in_name"], {}, True  # codebook rule 6
                elif not negate and self._partner_label in spec and int(key[p0]) in not_west:
                    rules = [*rules, "partner_not_west"]  # codebook rule 5
                    spec = {k: v for k, v in spec.items() if k != self._partner_label}
                    dropped = not spec
                base = {
                    "doc_id": m.doc_id,
                    "par_id": int(m.par_id),
                    "sent_id": int(m.sent_id),
                    "tok_start": int(m.tok_start),
                    "tok_end": int(m.tok_end),
                    "start": int(m.start),
                    "end": int(m.end),
                    "cue": e,
                    "text": m.text,
                    "cue_group": g,
                    "rules": "+".join(rules) if rules else "plain",
                    "factor": factor,
                }
                if not spec:
                    if negate or dropped:  # keep the dropped cue visible
                        rows.append({**base, "label": pd.NA, "base_weight": 0.0, "weight": 0.0})
                    continue
                for lab, w in spec.items():
                    rows.append({**base, "label": lab, "base_weight": w, "weight": w * factor})
        rows.extend(
            self._construction_rows(tokens, key, sent_range, lemma, text, pos, par, start, end)
        )
        if not rows:
            return _empty_evidence()
        ev = pd.DataFrame(rows)
        ev["decisive"] = False
        order = pd.factorize(ev["doc_id"], sort=False)[0]
        doc_rank = {d: i for i, d in enumerate(pd.unique(doc))}
        order = ev["doc_id"].map(doc_rank).to_numpy()
        ev = ev.assign(_d=order).sort_values(
            ["_d", "sent_id", "tok_start", "cue", "label"], kind="stable"
        )
        return ev.drop(columns="_d").reset_index(drop=True)[EVIDENCE_COLUMNS]

    def _not_west_sentences(self, tokens: pd.DataFrame, key: np.ndarray) -> set[int]:
        """Sentence keys that name a power centre of ``only_centres`` but none of
        ``requires`` (codebook rule 5)."""
        if self._lex.centres is None or not self._partner_only or not self._partner_label:
            return set()
        m = self._lex.centres.match(tokens, scope="dictionary")
        if m.empty:
            return set()
        at = pd.MultiIndex.from_arrays([tokens["doc_id"], tokens["tok_id"]]).get_indexer(
            pd.MultiIndex.from_arrays([m["doc_id"], m["tok_start"]])
        )
        named: dict[int, set[str]] = {}
        for k, cat in zip(key[at], m["category"], strict=True):
            named.setdefault(int(k), set()).add(str(cat))
        return {
            k
            for k, cats in named.items()
            if cats & self._partner_only and not cats & self._partner_requires
        }

    def _construction_rows(
        self,
        tokens: pd.DataFrame,
        key: np.ndarray,
        sent_range: dict[int, tuple[int, int]],
        lemma: np.ndarray,
        text: np.ndarray,
        pos: np.ndarray,
        par: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        doc = tokens["doc_id"].to_numpy()
        sent = tokens["sent_id"].to_numpy()
        tok = tokens["tok_id"].to_numpy()
        cons = self._constructions

        def row(a: int, b: int, cue: str, group: str, spec: Mapping[str, float]) -> None:
            for lab, w in spec.items():
                rows.append(
                    {
                        "doc_id": doc[a],
                        "par_id": int(par[a]),
                        "sent_id": int(sent[a]),
                        "tok_start": int(tok[a]),
                        "tok_end": int(tok[b]),
                        "start": int(start[a]),
                        "end": int(end[b]),
                        "cue": cue,
                        "text": " … ".join([str(text[a]), str(text[b])])
                        if a != b
                        else str(text[a]),
                        "cue_group": group,
                        "label": lab,
                        "base_weight": float(w),
                        "rules": "construction",
                        "factor": 1.0,
                        "weight": float(w),
                    }
                )

        nn = cons.get("neither_nor")
        if nn:
            hits = np.flatnonzero(lemma == normalize_pattern(nn["lemma"]))
            if hits.size:
                for k in np.unique(key[hits]):
                    at = hits[key[hits] == k]
                    if at.size >= int(nn.get("min_count", 2)):
                        row(
                            int(at[0]),
                            int(at[1]),
                            f"{nn['lemma']} … {nn['lemma']}",
                            "neither_nor",
                            _weights(nn["weights"], "neither_nor", ORIENTATION_LABELS),
                        )
        aw = cons.get("as_well_as")
        if aw:
            first = normalize_pattern(aw["first"])
            second = normalize_pattern(aw["second"]).split()
            for k in np.unique(key[lemma == first]):
                a, b = sent_range[int(k)]
                words = [i for i in range(a, b) if pos[i] not in _SKIP_POS]
                lem = [lemma[i] for i in words]
                try:
                    i_first = lem.index(first)
                except ValueError:
                    continue
                for j in range(i_first + 2, len(lem) - len(second) + 1):
                    if lem[j : j + len(second)] == second:
                        row(
                            words[i_first],
                            words[j + len(second) - 1],
                            f"{first} … {' '.join(second)}",
                            "as_well_as",
                            _weights(aw["weights"], "as_well_as", ORIENTATION_LABELS),
                        )
                        break
        pc = cons.get("power_centres")
        if pc and self._lex.centres is not None:
            m = self._lex.centres.match(tokens, scope="dictionary")
            if not m.empty:
                firsts = m.drop_duplicates(["doc_id", "sent_id", "category"])
                at = pd.MultiIndex.from_arrays([doc, tok]).get_indexer(
                    pd.MultiIndex.from_arrays([firsts["doc_id"], firsts["tok_start"]])
                )
                firsts = firsts.assign(_at=at)
                need = int(pc.get("min_distinct", 2))
                spec = _weights(pc["weights"], "power_centres", ORIENTATION_LABELS)
                for _key, grp in firsts.groupby(["doc_id", "sent_id"], sort=False):
                    if len(grp) >= need:
                        cue = "power centres: " + "+".join(grp["category"])
                        row(
                            int(grp["_at"].iloc[0]),
                            int(grp["_at"].iloc[-1]),
                            cue,
                            "power_centres",
                            spec,
                        )
        return rows

    def _context(
        self, lemma: np.ndarray, text: np.ndarray, pos: np.ndarray, tag: np.ndarray, offset: int
    ) -> _Context:
        n = len(lemma)
        is_word = np.array([p not in _SKIP_POS for p in pos], dtype=bool)
        word_rank = np.cumsum(is_word) - 1  # index among word tokens
        neg_boundary = np.array([t in self._neg_boundaries for t in text], dtype=bool)
        words = np.flatnonzero(is_word)
        wl = [lemma[i] for i in words]

        def starts(pattern: list[str], at: int) -> bool:
            return wl[at : at + len(pattern)] == pattern

        # concessive and contrastive conjunctions (positions in the sentence)
        concessive: list[int] = []
        for w, i in enumerate(words):
            for pat in self._concessive:
                if starts(pat, w):
                    # «не только …, но и» is additive, not concessive
                    if pat == ["но"] and w + 1 < len(wl) and wl[w + 1] == "и":
                        continue
                    concessive.append(int(i))
        conj = set(concessive)
        negators: list[int] = []
        for w, i in enumerate(words):
            if wl[w] in self._negators and not any(starts(p, w) for p in self._not_negation):
                # the «не» of «тем не менее» is part of a concessive marker
                if any(c < i <= c + 2 for c in conj):
                    continue
                negators.append(int(i))
        contrast_at = [
            int(i)
            for w, i in enumerate(words)
            if wl[w] in self._contrastive and pos[i] != "PART" and any(j < i for j in negators)
        ]
        conj.update(contrast_at)
        # subordinate clauses opened by a gerund / participle
        sub = np.zeros(n, dtype=bool)
        sub_boundary = np.array([t in self._sub_boundaries for t in text], dtype=bool)
        for i in words:
            t = tag[i]
            prev = i - 1
            if prev >= 0 and lemma[prev] == "не":
                prev -= 1
            at_start = prev < 0 or not is_word[: prev + 1].any()
            after_comma = prev >= 0 and text[prev] == ","
            gerund = "GRND" in t and "GRND" in self._sub_tags and (at_start or after_comma)
            participle = "PRTF" in t and "PRTF" in self._sub_tags and after_comma
            opens = gerund or participle
            if opens:
                j = i
                while j < n and not (sub_boundary[j] and j > i):
                    j += 1
                sub[prev + 1 : j] = True
        # names of agreements and offices (codebook rule 6): head + link + ADJ/NOUN/«и» run
        in_name = np.zeros(n, dtype=bool)
        for w in range(len(words) - 1):
            if wl[w] in self._name_heads and wl[w + 1] in self._name_links:
                for v in range(w + 2, min(len(words), w + 2 + self._name_window)):
                    i = words[v]
                    tagged = any(t in tag[i] for t in self._name_tags)
                    if pos[i] not in self._name_pos and not tagged:
                        break
                    in_name[i] = True
        return _Context(
            offset=offset,
            in_name=in_name,
            word_rank=word_rank,
            neg_boundary=neg_boundary,
            negators=negators,
            contrast=contrast_at,
            concessive=concessive,
            conj=sorted(conj),
            subordinate=sub,
            window=self.window,
            factors=(self.contrast_factor, self.concession_factor, self.subordinate_factor),
        )


@dataclass
class _Context:
    """Negation, contrast, concession and clause facts of one sentence (local positions)."""

    offset: int
    in_name: np.ndarray
    word_rank: np.ndarray
    neg_boundary: np.ndarray
    negators: list[int]
    contrast: list[int]
    concessive: list[int]
    conj: list[int]
    subordinate: np.ndarray
    window: int
    factors: tuple[float, float, float]

    def rules_at(self, global_pos: int) -> tuple[list[str], bool, float]:
        i = global_pos - self.offset
        rules: list[str] = []
        negate = False
        contrast_factor, concession_factor, sub_factor = self.factors
        for j in self.negators:
            if j >= i:
                continue
            # «не X, а Y»: everything between the negator and the contrastive «а» is negated
            if any(j < c and i < c for c in self.contrast):
                negate = True
                rules.append("negated_in_contrast")
                break
            between = slice(j + 1, i)
            if self.neg_boundary[between].any() or any(j < c < i for c in self.conj):
                continue
            if self.word_rank[i] - self.word_rank[j] <= self.window:
                negate = True
                rules.append("negated")
                break
        factor = 1.0
        if not negate:
            if any(c < i for c in self.contrast):
                rules.append("contrast_asserted")
                factor *= contrast_factor
            elif any(c < i for c in self.concessive):
                rules.append("concession")
                factor *= concession_factor
        if self.subordinate[i]:
            rules.append("subordinate_clause")
            factor *= sub_factor
        return rules, negate, factor


def _resolve(data: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tokens, units) for a Parsed corpus, a sequence of texts or of lemma lists."""
    if isinstance(data, Parsed):
        units = data.sentences[["doc_id", "par_id", "sent_id"]].reset_index(drop=True)
        return data.tokens, units
    if isinstance(data, pd.DataFrame):
        raise InputError(
            "pass a Parsed corpus, a list of sentence texts or a list of lemma lists",
            hint="for a DataFrame of sentences use its text column: df['text'].tolist()",
        )
    if isinstance(data, str) or not isinstance(data, Sequence | pd.Series | np.ndarray):
        raise InputError(
            f"expected a Parsed corpus or a sequence of sentences, got {type(data).__name__}",
            hint="wrap a single sentence in a list",
        )
    items = list(data)
    units = unit_keys(len(items))
    units.insert(1, "par_id", 0)
    if items and all(isinstance(x, str) for x in items):
        return texts_to_tokens(items), units
    if all(not isinstance(x, str) and isinstance(x, Sequence | np.ndarray) for x in items):
        return lemma_lists_to_tokens(items), units
    raise InputError(
        "mixed input: pass either sentence texts (str) or lemma lists, not both",
    )


def _empty_evidence() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
    for col in ("par_id", "sent_id", "tok_start", "tok_end", "start", "end"):
        frame[col] = frame[col].astype(np.int64)
    for col in ("base_weight", "factor", "weight"):
        frame[col] = frame[col].astype(float)
    frame["decisive"] = frame["decisive"].astype(bool)
    return frame
