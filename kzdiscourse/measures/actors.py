"""Actors: who is mentioned, together with whom, and who acts on whom.

Mentions come from the bundled ``actors_ru`` dictionary (variants → canonical actors:
kazakhstan, eu, russia, china, usa, central_asia, turkey, azerbaijan, uzbekistan), matched
by lemma so every inflected form and multi-word name counts once (``scope="dictionary"``:
a token belongs to at most one actor). Each mention's grammatical role (agent, patient or
other) comes from :mod:`kzdiscourse.agency`: a dependency parse (``method="syntax"``, the
default) or case rules (``method="case"``, chosen explicitly); every agency table names its
method, and the parser's absence is an error, never a silent switch.

The measure (:data:`MEASURE`) is a :class:`~kzdiscourse.measures.DictionaryMeasure` with
three more tables; all come from one pass of matching:

* ``actor_rates``, ``actor_tests`` — as for every dictionary measure (``category`` is the
  actor);
* ``actor_comentions`` — sentences mentioning both actors of each pair, per group;
* ``actor_agency`` — agent / patient / other counts per actor and group, and the shares of
  the actor's mentions as agent and as patient (what the agency figure draws);
* ``actor_verbs`` — the verbs each actor governs as agent or patient;
* ``actor_evidence`` — every mention with case, preposition, relation, role and verb.

Each table has a function of the same name.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.measures.actors import actor_evidence
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Казахстан подписал соглашение с ЕС."]})
>>> ev = actor_evidence(Corpus.from_dataframe(docs).parse(), by="doc_id", method="case")
>>> ev[["category", "relation", "role", "verb"]].values.tolist()
[['kazakhstan', 'subject', 'agent', 'подписать'], ['eu', 'oblique', 'patient', 'подписать']]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse.agency import (
    DEFAULT_METHOD,
    RELATIONS,
    check_method,
    mention_roles,
    method_label,
    resolve_method,
)
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.measures.base import FigureSpec, KeyTable, Tables
from kzdiscourse.measures.dictionary_measure import DictionaryMeasure
from kzdiscourse.measures.wording import percent
from kzdiscourse.parsed import Parsed
from kzdiscourse.rates import sentence_units

__all__ = [
    "AGENCY_COLUMNS",
    "AGENCY_MIN_MENTIONS",
    "MEASURE",
    "ActorsMeasure",
    "actor_agency",
    "actor_comentions",
    "actor_dictionary",
    "actor_evidence",
    "actor_rates",
    "actor_tests",
    "actor_verbs",
    "agency_key_table",
]

#: Columns of :func:`actor_agency`.
AGENCY_COLUMNS = [
    "group",
    "category",
    "method",
    "mentions",
    "agent",
    "patient",
    "other",
    "agent_share",
    "patient_share",
    *RELATIONS,
]

#: Actors shown in the report's agency figure need this many mentions in some group …
AGENCY_MIN_MENTIONS = 3


def actor_dictionary() -> Dictionary:
    """The bundled actor dictionary (``actors_ru``)."""
    return Dictionary.from_resource("actors_ru")


def _comentions(matches: pd.DataFrame, units: pd.DataFrame, actors: list[str]) -> pd.DataFrame:
    """Co-mentions per group from the hits and the sentence units (ids and group)."""
    present = matches[["doc_id", "sent_id", "category"]].drop_duplicates()
    ind = (
        present.assign(v=1)
        .pivot_table(index=["doc_id", "sent_id"], columns="category", values="v", fill_value=0)
        .reindex(columns=actors, fill_value=0)
    )
    keys = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
    mat = ind.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    rows = []
    for group in sorted(units["group"].unique()):
        sel = (units["group"] == group).to_numpy()
        g = mat[sel]
        both = g.T @ g
        n_sent = int(sel.sum())
        for i, a in enumerate(actors):
            for j in range(i, len(actors)):
                either = int(both[i, i] + both[j, j] - both[i, j])
                rows.append(
                    {
                        "group": group,
                        "actor_a": a,
                        "actor_b": actors[j],
                        "sentences": n_sent,
                        "sentences_a": int(both[i, i]),
                        "sentences_b": int(both[j, j]),
                        "both": int(both[i, j]),
                        "share_of_sentences": both[i, j] / n_sent if n_sent else float("nan"),
                        "jaccard": both[i, j] / either if either else float("nan"),
                    }
                )
    return pd.DataFrame.from_records(rows)


def agency_counts(
    ev: pd.DataFrame, groups: list[str], actors: list[str], method: str
) -> pd.DataFrame:
    """Mentions, roles and relations per group and actor (every pair, in the given orders),
    counted from the evidence rows in one pass."""
    pairs = pd.MultiIndex.from_product([groups, actors], names=["group", "category"])

    def counts(column: str, values: Any) -> pd.DataFrame:
        keep = ev[column].isin(list(values))
        table = ev.loc[keep].groupby(["group", "category", column]).size().unstack(column)
        table = table.reindex(index=pairs, columns=list(values))
        return table.fillna(0).astype("int64")

    roles = counts("role", ["agent", "patient", "other"])
    rel = counts("relation", list(RELATIONS))
    mentions = ev.groupby(["group", "category"]).size().reindex(pairs).fillna(0).astype("int64")
    n = mentions.to_numpy()
    agent, patient = roles["agent"].to_numpy(), roles["patient"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        agent_share = np.where(n > 0, agent / np.where(n > 0, n, 1), np.nan)
        patient_share = np.where(n > 0, patient / np.where(n > 0, n, 1), np.nan)
    out = pd.DataFrame(
        {
            "group": pairs.get_level_values("group"),
            "category": pairs.get_level_values("category"),
            "method": method,
            "mentions": n,
            "agent": agent,
            "patient": patient,
            "other": roles["other"].to_numpy(),
            "agent_share": agent_share,
            "patient_share": patient_share,
            **{r: rel[r].to_numpy() for r in RELATIONS},
        }
    )
    return out[AGENCY_COLUMNS]


def _verbs_from(ev: pd.DataFrame, actors: list[str], method: str) -> pd.DataFrame:
    ev = ev.loc[(ev["verb"] != "") & ev["role"].isin(["agent", "patient"])]
    out = ev.groupby(["group", "category", "role", "verb"]).size().rename("n").reset_index()
    out["method"] = method
    order = {a: i for i, a in enumerate(actors)}
    out["_a"] = out["category"].map(order)
    out = out.sort_values(
        ["group", "_a", "role", "n", "verb"],
        ascending=[True, True, True, False, True],
        kind="stable",
    )
    return out.drop(columns="_a").reset_index(drop=True)


def _agency_min(tables: Tables) -> int:
    # … unless no actor has that many: then every mentioned actor is shown
    most = int(tables["actor_agency"]["mentions"].max())
    return AGENCY_MIN_MENTIONS if most >= AGENCY_MIN_MENTIONS else 1


def _draw_agency(tables: Tables, **kw: Any) -> Any:
    from kzdiscourse.plots.agency import actor_agency as chart

    return chart(tables["actor_agency"], min_mentions=_agency_min(tables), **kw)


def _agency_caption(tables: Tables) -> str:
    methods = list(dict.fromkeys(tables["actor_agency"]["method"].astype(str)))
    how = ", ".join(method_label(m) for m in methods)
    return (
        "Share of each actor's mentions as grammatical agent (right, agent_share) and as "
        f"patient (left, patient_share), by group, from the {how}; the rest of the mentions "
        f"are neither (possessor, modifier, unknown). Actors with at least "
        f"{_agency_min(tables)} mention(s) in some group; n = mentions."
    )


def _agency_drawable(tables: Tables) -> bool:
    table = tables["actor_agency"]
    return not table.empty and bool((table["mentions"] > 0).any())


def agency_key_table(tables: Tables, *, prefix: str = "actor", rows: int = 9) -> KeyTable | None:
    """The agency key table: actors (the figure's, most mentioned first) down, groups across;
    each cell ``agent_share / patient_share of mentions``, the quantities of the figure.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["A", "B"], "category": ["eu", "eu"], "method": "case",
    ...     "mentions": [22, 4], "agent_share": [8 / 22, 0.25], "patient_share": [5 / 22, 0.5]})
    >>> agency_key_table({"actor_agency": t}).table.values.tolist()
    [['eu', '36% / 23% of 22', '25% / 50% of 4']]
    """
    table = tables[f"{prefix}_agency"]
    if table.empty or not bool((table["mentions"] > 0).any()):
        return None
    least = _agency_min({"actor_agency": table})
    most = table.groupby("category", sort=False)["mentions"].max()
    totals = table.groupby("category", sort=False)["mentions"].sum()
    order = list(totals[most >= least].sort_values(ascending=False, kind="stable").index)
    groups = sorted(table["group"].astype(str).unique())
    out = pd.DataFrame({"actor": [str(a) for a in order[:rows]]})
    for group in groups:
        sub = table[table["group"].astype(str) == group].set_index("category")
        out[group] = [
            f"{percent(sub.loc[a, 'agent_share'])} / {percent(sub.loc[a, 'patient_share'])} "
            f"of {int(sub.loc[a, 'mentions']):,}"
            if sub.loc[a, "mentions"] > 0
            else "no mentions"
            for a in order[:rows]
        ]
    methods = ", ".join(method_label(m) for m in dict.fromkeys(table["method"].astype(str)))
    caption = (
        "Share of each actor's mentions as grammatical agent / as patient (agent_share, "
        f"patient_share) of n mentions, from the {methods}; actors with at least {least} "
        "mention(s) in some group, as in the figure"
    )
    if len(order) > rows:
        caption += f" (the {rows} most mentioned of {len(order)})"
    return KeyTable(
        "Actor agency by group", out, caption + ".", (f"{prefix}_agency", f"{prefix}_rates")
    )


AGENCY_FIGURE = FigureSpec(
    "actor_agency",
    "Actor agency by group",
    _agency_caption,
    ("actor_agency",),
    _draw_agency,
    drawable=_agency_drawable,
)


class ActorsMeasure(DictionaryMeasure):
    """The actors measure: dictionary rates and tests, co-mentions and agency.

    ``method`` is the agency method (:mod:`kzdiscourse.agency`), ``"syntax"`` by default;
    ``{method}`` in a table description is replaced by its :func:`method_label`.
    """

    def __init__(self, *args: Any, method: str = DEFAULT_METHOD, **kwargs: Any) -> None:
        self.method = resolve_method(method)
        label = method_label(self.method)
        given = kwargs.pop("descriptions", None) or {}
        kwargs["descriptions"] = {k: v.replace("{method}", label) for k, v in given.items()}
        super().__init__(*args, **kwargs)

    @property
    def parameters(self) -> dict[str, Any]:
        """What the manifest records of this measure: the agency method."""
        return {"agency_method": self.method}

    def key_table(self, tables: Tables) -> KeyTable | None:
        """Agency: each actor's shares of mentions as agent and patient, per group."""
        return agency_key_table(tables, prefix=self.prefix)

    def extra_table_names(self) -> list[str]:
        """Co-mentions, agency and verbs (the evidence is the agency evidence)."""
        return [f"{self.prefix}_comentions", f"{self.prefix}_agency", f"{self.prefix}_verbs"]

    def evidence(self, matches: pd.DataFrame, parsed: Parsed, *, by: str) -> pd.DataFrame:
        """Every mention with its grammatical relation, role and verb."""
        return mention_roles(matches, parsed, self.dictionary, by=by, method=self.method)

    def evidence_order(self) -> list[str] | None:
        """The agency evidence is in corpus order (see :func:`mention_roles`)."""
        return None

    def extra_tables(
        self,
        matches: pd.DataFrame,
        units: pd.DataFrame,
        groups: pd.Series,
        *,
        by: str,
        seed: int,
        evidence: pd.DataFrame,
    ) -> dict[str, pd.DataFrame]:
        """Co-mentions from the matches; agency and verbs from the agency evidence."""
        actors = self.categories()
        labels = sorted(groups.unique())
        p = self.prefix
        return {
            f"{p}_comentions": _comentions(matches, units, actors),
            f"{p}_agency": agency_counts(evidence, labels, actors, self.method),
            f"{p}_verbs": _verbs_from(evidence, actors, self.method),
        }


#: The actors measure of :func:`kzdiscourse.compare`.
MEASURE = ActorsMeasure(
    "actors",
    "actors_ru",
    prefix="actor",
    scope="dictionary",
    describe=False,
    descriptions={
        "actor_rates": "Mentions of canonical actors (actors_ru: names, capitals, leaders, "
        "adjectives): count n, per 1,000 word tokens and share of sentences, with 95% "
        "bootstrap intervals.",
        "actor_tests": "Per-actor G² test of mention frequency between groups, p-value, BH p, "
        "log ratio.",
        "actor_comentions": "Sentences mentioning both actors of each pair, per group "
        "(long-form matrix, diagonal included), with share of sentences and Jaccard index.",
        "actor_agency": "Agent, patient and other counts per actor and group from the "
        "{method}, agent_share and patient_share (of the actor's mentions), and counts per "
        "grammatical relation.",
        "actor_verbs": "Verbs governed by each actor as agent or patient ({method}).",
        "actor_evidence": "Every actor mention with case, preposition, relation, role and "
        "verb ({method}).",
    },
    figures=(AGENCY_FIGURE,),
)


def _measure(
    dictionary: Dictionary | None, method: str = DEFAULT_METHOD, **kw: Any
) -> ActorsMeasure:
    check_method(method)
    if dictionary is None and method == MEASURE.method and not kw:
        return MEASURE
    return ActorsMeasure(
        "actors",
        dictionary if dictionary is not None else "actors_ru",
        prefix="actor",
        scope="dictionary",
        method=method,
        **kw,
    )


def actor_rates(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Actor mentions per group: count, per 1,000 tokens, share of sentences, 95% CIs.

    Returns
    -------
    pandas.DataFrame
        ``group, category,`` then the columns of :func:`kzdiscourse.rates.rate_table`.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> t = actor_rates(load_seeds().clean().parse(), by="outlet", n_boot=100)
    >>> t.query("category == 'eu' and group == 'Dzen'")["n"].item() > 10
    True
    """
    m = _measure(dictionary, block=block, n_boot=n_boot)
    return m.rates(m.matches(parsed), parsed, by=by, seed=seed)


def actor_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each actor's mention frequency between groups (see
    :func:`kzdiscourse.rates.compare_groups`)."""
    m = _measure(dictionary, n_boot=0)
    return m.tests(m.rates(m.matches(parsed), parsed, by=by, seed=0))


def actor_comentions(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Sentences in which two actors are both mentioned, per group.

    Returns
    -------
    pandas.DataFrame
        ``group, actor_a, actor_b, sentences, sentences_a, sentences_b, both,
        share_of_sentences, jaccard``: one row per group and unordered pair of actors
        (``actor_a`` before ``actor_b`` in dictionary order), the diagonal included
        (``actor_a == actor_b``: sentences mentioning that actor). ``both`` counts
        sentences mentioning both, ``share_of_sentences`` divides by all sentences of the
        group, ``jaccard`` = both / sentences mentioning either. Zero pairs are kept, so
        pivoting gives the full matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> from kzdiscourse import Corpus
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Москва и Пекин спорят. Брюссель молчит."]})
    >>> c = actor_comentions(Corpus.from_dataframe(docs).parse(), by="doc_id")
    >>> c.query("both > 0")[["actor_a", "actor_b", "both"]].values.tolist()
    [['eu', 'eu', 1], ['russia', 'russia', 1], ['russia', 'china', 1], ['china', 'china', 1]]
    """
    m = _measure(dictionary)
    return _comentions(m.matches(parsed), sentence_units(parsed, by), m.categories())


def actor_evidence(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = DEFAULT_METHOD,
) -> pd.DataFrame:
    """Every actor mention with its grammatical relation, role and governing verb.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, group, sent_id, tok_start, tok_end, category, text, kind, case,
        preposition, relation, role, verb, method``, in corpus order (see
        :mod:`kzdiscourse.agency`).
    """
    method = resolve_method(method)
    m = _measure(dictionary, method)
    return mention_roles(m.matches(parsed), parsed, m.dictionary, by=by, method=method)


def actor_agency(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = DEFAULT_METHOD,
) -> pd.DataFrame:
    """How often each actor is an agent, a patient or neither, per group.

    Returns
    -------
    pandas.DataFrame
        :data:`AGENCY_COLUMNS`: one row per group and actor (actors never mentioned in a
        group included with zeros); ``agent_share`` = agent / mentions and
        ``patient_share`` = patient / mentions (``nan`` without mentions; the rest are
        neither), the quantities the agency figure draws; one count column per relation;
        ``method`` names the method.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> t = actor_agency(load_seeds().clean().parse(), by="outlet", method="case")
    >>> t.query("category == 'kazakhstan' and group == 'Dzen'")["agent"].item() >= 3
    True
    """
    method = resolve_method(method)
    m = _measure(dictionary, method)
    ev = mention_roles(m.matches(parsed), parsed, m.dictionary, by=by, method=method)
    return agency_counts(ev, sorted(parsed.groups(by).unique()), m.categories(), method)


def actor_verbs(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = DEFAULT_METHOD,
) -> pd.DataFrame:
    """The verbs each actor governs as agent or patient, per group.

    Returns
    -------
    pandas.DataFrame
        ``group, category, role, verb, n, method``; sorted by group, actor (dictionary
        order), role, descending count ``n``, verb.
    """
    method = resolve_method(method)
    m = _measure(dictionary, method)
    ev = mention_roles(m.matches(parsed), parsed, m.dictionary, by=by, method=method)
    return _verbs_from(ev, m.categories(), method)
