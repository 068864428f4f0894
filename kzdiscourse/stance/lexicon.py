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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.dictionary import Dictionary
from kzdiscourse.portable import exp
from kzdiscourse.stance.cues import load_lexicon
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.rules import ClauseRules, SentenceContext
from kzdiscourse.stance.units import (
    plain_tokens,
    resolve_units,
    sentence_codes,
    token_positions,
)

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
        self._lex = load_lexicon(lexicon)
        scoring = self._lex.data.get("scoring") or {}
        self.none_bias = float(scoring.get("none_bias", 1.0))
        self.temperature = float(scoring.get("temperature", 2.0))
        self.rules = ClauseRules(self._lex)
        self.subordinate_factor = self.rules.subordinate_factor
        self.contrast_factor = self.rules.contrast_factor
        self.concession_factor = self.rules.concession_factor
        self.window = self.rules.window

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
        tokens, units = resolve_units(data)
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
        tokens, units = resolve_units(data)
        ev = self._evidence(tokens)
        return self._scores(units, ev)[1]

    def score_sentences(self, data: Any) -> pd.DataFrame:
        """The same as :meth:`score` (the name every stance scorer shares)."""
        return self.score(data)

    def score_with_evidence(self, data: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`score` and :meth:`evidence` from one pass over the tokens."""
        tokens, units = resolve_units(data)
        return self._scores(units, self._evidence(tokens))

    def score_tokens(
        self, tokens: pd.DataFrame, units: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`score` and :meth:`evidence` of given units of a tokens table.

        ``tokens`` needs ``doc_id, par_id, sent_id, tok_id, start, end, text, lemma, pos``
        (and ``tag`` for the clause rule); ``units`` the ``doc_id, par_id, sent_id`` keys to
        score, in output order (a unit without tokens scores ``none``). A unit is whatever
        the ``sent_id`` column groups: a parsed sentence, or a coded span re-keyed by the
        caller (as :mod:`kzdiscourse.stance.features` does).
        """
        return self._scores(units, self._evidence(tokens))

    def cue_scores(self, units: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
        """Summed cue weights per label (``s_<label>``) of ``units`` from an evidence table
        (:meth:`score_tokens`); what :meth:`raw_scores` returns."""
        return self._raw(units, evidence)

    def predict(self, data: Any) -> list[str]:
        """The label of every unit (see :meth:`score`)."""
        return self.score(data)["label"].tolist()

    def raw_scores(self, data: Any) -> pd.DataFrame:
        """Summed effective cue weights per label (before the softmax), one row per unit.

        Columns ``doc_id, sent_id`` and one ``s_<label>`` column per orientation label;
        used as features by :class:`~kzdiscourse.stance.StanceClassifier`.
        """
        tokens, units = resolve_units(data)
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
        tokens = plain_tokens(tokens)
        matches = self._lex.cues.match(tokens, scope="dictionary")
        doc = tokens["doc_id"].to_numpy()
        sent = tokens["sent_id"].to_numpy()
        lemma = tokens["lemma"].to_numpy(dtype=object)
        text = tokens["text"].to_numpy(dtype=object)
        pos = tokens["pos"].to_numpy(dtype=object)
        tag = (
            tokens["tag"].to_numpy(dtype=object)
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
        # sentence boundaries in the token arrays
        key = sentence_codes(doc, sent)
        change = np.flatnonzero(np.diff(key)) + 1
        bounds = np.concatenate([[0], change, [len(key)]])
        sent_range = {int(key[a]): (int(a), int(b)) for a, b in itertools.pairwise(bounds)}

        rows: list[dict[str, Any]] = []
        ctx_cache: dict[int, SentenceContext] = {}
        centre_matches = self.rules.centre_matches(tokens)
        not_west = self.rules.not_west_sentences(tokens, key, centre_matches)

        def context(k: int) -> SentenceContext:
            if k not in ctx_cache:
                a, b = sent_range[k]
                ctx_cache[k] = self.rules.context(lemma[a:b], text[a:b], pos[a:b], tag[a:b], a)
            return ctx_cache[k]

        if not matches.empty:
            first = token_positions(tokens, matches["doc_id"], matches["tok_start"])
            for m, p0 in zip(matches.itertuples(index=False), first, strict=True):
                ctx = context(int(key[p0]))
                rules, negate, factor = ctx.rules_at(int(p0))
                g, e = m.category, m.entry
                spec = self._lex.negated[(g, e)] if negate else self._lex.weights[(g, e)]
                dropped = False
                if ctx.in_name[int(p0) - ctx.offset]:
                    rules, spec, dropped = ["in_name"], {}, True  # codebook rule 6
                elif not negate and self.rules.partner_label in spec and int(key[p0]) in not_west:
                    rules = [*rules, "partner_not_west"]  # codebook rule 5
                    spec = {k: v for k, v in spec.items() if k != self.rules.partner_label}
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
            self.rules.construction_rows(
                tokens, key, sent_range, lemma, text, pos, par, start, end, centre_matches
            )
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


def _empty_evidence() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
    for col in ("par_id", "sent_id", "tok_start", "tok_end", "start", "end"):
        frame[col] = frame[col].astype(np.int64)
    for col in ("base_weight", "factor", "weight"):
        frame[col] = frame[col].astype(float)
    frame["decisive"] = frame["decisive"].astype(bool)
    return frame
