"""The clause rules of the stance lexicon: negation, «не X, а Y», concession, main clause,
names of agreements and offices, Russia-/China-only sentences, and constructions.

:class:`ClauseRules` reads the rule sections of a :class:`~kzdiscourse.stance.cues.CueLexicon`
and works on the token arrays of one sentence at a time (:meth:`ClauseRules.context`) or of
the whole tokens table (:meth:`ClauseRules.not_west_sentences`,
:meth:`ClauseRules.construction_rows`). :class:`~kzdiscourse.stance.LexiconStance` turns
their facts into cue weights; :mod:`kzdiscourse.stance.features` reads them as features.

Examples
--------
>>> import numpy as np
>>> from kzdiscourse.stance.cues import load_lexicon
>>> rules = ClauseRules(load_lexicon("stance_cues_ru"))
>>> lemma = np.array(["это", "не", "союзник", ",", "а", "партнер"])
>>> pos = np.array(["PRON", "PART", "NOUN", "PUNCT", "CCONJ", "NOUN"])
>>> ctx = rules.context(lemma, lemma, pos, np.array([""] * 6), 0)
>>> ctx.rules_at(2), ctx.rules_at(5)
((['negated_in_contrast'], True, 1.0), (['contrast_asserted'], False, 1.5))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.dictionary import normalize_pattern
from kzdiscourse.stance.cues import CueLexicon, label_weights
from kzdiscourse.stance.labels import ORIENTATION_LABELS
from kzdiscourse.stance.units import token_positions

__all__ = ["SKIP_POS", "ClauseRules", "SentenceContext"]

#: Parts of speech that are not words for the rules (punctuation, symbols).
SKIP_POS = ("PUNCT", "SYM")
_SKIP_POS = SKIP_POS


class ClauseRules:
    """The rule sections of a cue lexicon, applied to token arrays.

    Parameters
    ----------
    lexicon : CueLexicon
    """

    def __init__(self, lexicon: CueLexicon) -> None:
        data = lexicon.data
        self.centres = lexicon.centres
        scoring = data.get("scoring") or {}
        self.subordinate_factor = float(scoring.get("subordinate_factor", 0.5))
        self.contrast_factor = float(scoring.get("contrast_factor", 1.5))
        self.concession_factor = float(scoring.get("concession_factor", 1.25))
        neg = data.get("negation") or {}
        self.window = int(neg.get("window", 3))
        self.negators = {normalize_pattern(w) for w in neg.get("negators") or []}
        self.not_negation = [normalize_pattern(w).split() for w in neg.get("not_negation") or []]
        self.neg_boundaries = set(neg.get("boundaries") or [])
        con = data.get("contrast") or {}
        self.contrastive = {normalize_pattern(w) for w in con.get("contrastive") or []}
        self.concessive = [normalize_pattern(w).split() for w in con.get("concessive") or []]
        sub = data.get("subordinate") or {}
        self.sub_tags = list(sub.get("opening_tags") or [])
        self.sub_boundaries = set(sub.get("boundaries") or [])
        self._constructions = data.get("constructions") or {}
        scope = data.get("scope") or {}
        names = scope.get("names") or {}
        self._name_heads = {normalize_pattern(w) for w in names.get("heads") or []}
        self._name_links = {normalize_pattern(w) for w in names.get("links") or []}
        self._name_pos = set(names.get("inside_pos") or [])
        self._name_tags = list(names.get("inside_tags") or [])
        self._name_window = int(names.get("window", 4))
        partner = scope.get("partner") or {}
        self.partner_label = partner.get("label")
        self._partner_requires = set(partner.get("requires") or [])
        self._partner_only = set(partner.get("only_centres") or [])

    # ------------------------------------------------------------------ provenance
    def centre_matches(self, tokens: pd.DataFrame) -> pd.DataFrame | None:
        """Power-centre mentions in ``tokens`` (matched once, shared by the rules)."""
        if self.centres is None:
            return None
        return self.centres.match(tokens, scope="dictionary")

    def not_west_sentences(
        self, tokens: pd.DataFrame, key: np.ndarray, matches: pd.DataFrame | None = None
    ) -> set[int]:
        """Sentence keys that name a power centre of ``only_centres`` but none of
        ``requires`` (codebook rule 5)."""
        if self.centres is None or not self._partner_only or not self.partner_label:
            return set()
        m = self.centre_matches(tokens) if matches is None else matches
        if m.empty:
            return set()
        at = token_positions(tokens, m["doc_id"], m["tok_start"])
        named: dict[int, set[str]] = {}
        for k, cat in zip(key[at], m["category"], strict=True):
            named.setdefault(int(k), set()).add(str(cat))
        return {
            k
            for k, cats in named.items()
            if cats & self._partner_only and not cats & self._partner_requires
        }

    def construction_rows(
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
        centre_matches: pd.DataFrame | None = None,
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
                            label_weights(nn["weights"], "neither_nor", ORIENTATION_LABELS),
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
                            label_weights(aw["weights"], "as_well_as", ORIENTATION_LABELS),
                        )
                        break
        pc = cons.get("power_centres")
        if pc and self.centres is not None:
            m = self.centre_matches(tokens) if centre_matches is None else centre_matches
            if not m.empty:
                firsts = m.drop_duplicates(["doc_id", "sent_id", "category"])
                at = token_positions(tokens, firsts["doc_id"], firsts["tok_start"])
                firsts = firsts.assign(_at=at)
                need = int(pc.get("min_distinct", 2))
                spec = label_weights(pc["weights"], "power_centres", ORIENTATION_LABELS)
                # the sentences naming enough centres, in order of first appearance (as a
                # group-by without sorting), each with its centres in match order
                sentence = pd.MultiIndex.from_frame(firsts[["doc_id", "sent_id"]])
                codes = np.asarray(pd.factorize(sentence)[0], dtype=np.int64)
                sizes = np.bincount(codes)
                grouped = np.argsort(codes, kind="stable")
                begin = np.r_[0, np.cumsum(sizes)[:-1]]
                cats = firsts["category"].to_numpy(dtype=object)
                ats = firsts["_at"].to_numpy()
                for g in np.flatnonzero(sizes >= need):
                    members = grouped[begin[g] : begin[g] + sizes[g]]
                    cue = "power centres: " + "+".join(cats[members])
                    row(int(ats[members[0]]), int(ats[members[-1]]), cue, "power_centres", spec)
        return rows

    def context(
        self, lemma: np.ndarray, text: np.ndarray, pos: np.ndarray, tag: np.ndarray, offset: int
    ) -> SentenceContext:
        """Negation, contrast, concession, clause and name facts of one sentence's tokens
        (arrays of that sentence; ``offset`` is its first token's position in the table)."""
        n = len(lemma)
        is_word = np.array([p not in _SKIP_POS for p in pos], dtype=bool)
        word_rank = np.cumsum(is_word) - 1  # index among word tokens
        neg_boundary = np.array([t in self.neg_boundaries for t in text], dtype=bool)
        words = np.flatnonzero(is_word)
        wl = [lemma[i] for i in words]

        def starts(pattern: list[str], at: int) -> bool:
            return wl[at : at + len(pattern)] == pattern

        # concessive and contrastive conjunctions (positions in the sentence)
        concessive: list[int] = []
        # only the patterns that start with the word can match there (in their order)
        by_first: dict[str, list[list[str]]] = {}
        for pat in self.concessive:
            by_first.setdefault(pat[0] if pat else "", []).append(pat)
        every = self.concessive if "" in by_first else None  # an empty pattern matches anywhere
        for w, i in enumerate(words):
            for pat in every if every is not None else by_first.get(wl[w], ()):
                if starts(pat, w):
                    # «не только …, но и» is additive, not concessive
                    if pat == ["но"] and w + 1 < len(wl) and wl[w + 1] == "и":
                        continue
                    concessive.append(int(i))
        conj = set(concessive)
        negators: list[int] = []
        for w, i in enumerate(words):
            if wl[w] in self.negators and not any(starts(p, w) for p in self.not_negation):
                # the «не» of «тем не менее» is part of a concessive marker
                if any(c < i <= c + 2 for c in conj):
                    continue
                negators.append(int(i))
        contrast_at = [
            int(i)
            for w, i in enumerate(words)
            if wl[w] in self.contrastive and pos[i] != "PART" and any(j < i for j in negators)
        ]
        conj.update(contrast_at)
        # subordinate clauses opened by a gerund / participle
        sub = np.zeros(n, dtype=bool)
        sub_boundary = np.array([t in self.sub_boundaries for t in text], dtype=bool)
        for i in words:
            t = tag[i]
            prev = i - 1
            if prev >= 0 and lemma[prev] == "не":
                prev -= 1
            at_start = prev < 0 or not is_word[: prev + 1].any()
            after_comma = prev >= 0 and text[prev] == ","
            gerund = "GRND" in t and "GRND" in self.sub_tags and (at_start or after_comma)
            participle = "PRTF" in t and "PRTF" in self.sub_tags and after_comma
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
        return SentenceContext(
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
class SentenceContext:
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
