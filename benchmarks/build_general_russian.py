"""Build the shipped general-Russian lemma table from wordfreq's ``large`` Russian list.

Every alphabetic, ё-folded form of the list is lemmatised by kzdiscourse's lemmatiser and
the proportions are summed per lemma (:func:`kzdiscourse.reference.lemma_proportions`, the
function that lemmatises any other list on first use). The result is written to
``kzdiscourse/resources/general_russian_lemmas.tsv.gz``: a JSON header line (source, versions,
the lemmas of the 2,000 most frequent forms for the staleness check), then one
``lemma<TAB>proportion`` line per lemma, proportions in Python's shortest exact form, so the
shipped table equals what :func:`lemma_proportions` computes, bit for bit. gzip's mtime is
0, so the same inputs give the same bytes.

Rebuild it whenever the lemmatiser changes (``tests/test_keyness.py`` fails and says so).

Usage::

    python benchmarks/build_general_russian.py            # writes the resource
    python benchmarks/build_general_russian.py --check    # only says whether it is current
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kzdiscourse.reference import (  # noqa: E402
    SHIPPED_FILE,
    lemma_proportions,
    shipped_table,
    wordfreq_forms,
)
from kzdiscourse.resources import load_resource  # noqa: E402

OUT = HERE.parent / "kzdiscourse" / "resources" / SHIPPED_FILE
#: Forms whose lemmas the header records for the staleness check.
CHECK_FORMS = 2000


def check_forms(forms: dict[str, float], n: int = CHECK_FORMS) -> list[str]:
    """The ``n`` most frequent forms (ties by form)."""
    return sorted(forms, key=lambda f: (-forms[f], f))[:n]


def form_lemmas(forms: list[str]) -> list[str]:
    """Each form's lemma, out of context, as :func:`lemma_proportions` lemmatises it."""
    from kzdiscourse.nlp import default_lemmatizer

    return [str(x) for x in default_lemmatizer().token_features(forms)["lemma"]]


def build(wordlist: str = "large") -> bytes:
    """The bytes of the shipped file."""
    forms, label = wordfreq_forms(wordlist)
    props = lemma_proportions(forms)
    top = check_forms(forms)
    header = {
        "name": "general_russian_lemmas",
        "label": label,
        "source": "wordfreq (https://github.com/rspeer/wordfreq), data CC BY-SA 4.0; this "
        "derived table is CC BY-SA 4.0 too",
        "wordlist": wordlist,
        "wordfreq": version("wordfreq"),
        "pymorphy3": version("pymorphy3"),
        "pymorphy3_dicts_ru": version("pymorphy3-dicts-ru"),
        "lemma_overrides_sha256": load_resource("lemma_overrides").sha256,
        "forms": len(forms),
        "lemmas": len(props),
        "min_form_proportion": min(forms.values()),
        "check": dict(zip(top, form_lemmas(top), strict=True)),
    }
    lines = [json.dumps(header, ensure_ascii=False, sort_keys=True)]
    lines += [f"{lemma}\t{p!r}" for lemma, p in props.items()]
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)


def stale_forms() -> list[tuple[str, str, str]]:
    """``(form, shipped lemma, current lemma)`` for every check form whose lemma changed."""
    header, _ = shipped_table()
    forms = list(header["check"])
    now = form_lemmas(forms)
    return [
        (f, header["check"][f], n)
        for f, n in zip(forms, now, strict=True)
        if n != header["check"][f]
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check the shipped file")
    args = ap.parse_args(argv)
    if args.check:
        stale = stale_forms()
        for form, old, new in stale[:20]:
            print(f"  {form}: shipped {old!r}, lemmatiser now {new!r}")
        print("current" if not stale else f"stale: {len(stale)} of {CHECK_FORMS} forms changed")
        return 1 if stale else 0
    t0 = time.perf_counter()
    data = build()
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
