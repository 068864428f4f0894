"""Build ``kzdiscourse/resources/letter_bigrams_ru.yaml`` and calibrate the encoding test.

The counts come from the sentence text (``# text =``) of the UD Russian GSD and Taiga dev
sets (CC BY-SA 4.0, in /work/shared/data/ud or tests/data/ud); the calibration uses the
held-out GSD test set: chunks of about 150 and 1,000 characters, each scored as written
and as every other candidate encoding would turn its bytes into text (mojibake).

Run from the repository root::

    .venv/bin/python benchmarks/build_letter_bigrams.py [--ud DIR] [--write]

Without ``--write`` it only prints the calibration of the shipped resource.
"""

from __future__ import annotations

import argparse
import collections
import itertools
from pathlib import Path

import yaml

from kzdiscourse.encodings import (
    CANDIDATES,
    char_class,
    diagnose,
    letter_symbols,
    plausibility,
)

ROOT = Path(__file__).resolve().parents[1]
RESOURCE = ROOT / "kzdiscourse" / "resources" / "letter_bigrams_ru.yaml"
TRAIN = ("ru_gsd-ud-dev.conllu", "ru_taiga-ud-dev.conllu")
HELD_OUT = "ru_gsd-ud-test.conllu"


def sentences(path: Path) -> list[str]:
    prefix = "# text = "
    with path.open(encoding="utf-8") as f:
        return [line[len(prefix) :].rstrip("\n") for line in f if line.startswith(prefix)]


def counts(texts: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    letters: collections.Counter[str] = collections.Counter()
    classes: collections.Counter[str] = collections.Counter()
    for text in texts:
        symbols = letter_symbols(text)
        letters.update(a + b for a, b in itertools.pairwise(symbols))
        seq = "s" + "".join(char_class(ch) for ch in text) + "s"
        classes.update(a + b for a, b in itertools.pairwise(seq))
    return dict(sorted(letters.items())), dict(sorted(classes.items()))


def chunks(texts: list[str], size: int) -> list[str]:
    out, buf = [], ""
    for text in texts:
        buf += text + " "
        if len(buf) >= size:
            out.append(buf)
            buf = ""
    return out


def calibrate(held_out: list[str]) -> None:
    for size in (150, 1000):
        parts = chunks(held_out, size)
        right = [plausibility(c) for c in parts]
        missed = sum(not p.plausible for p in right)
        print(
            f"chunks of ~{size} chars: {len(parts)}; Russian judged implausible: {missed}; "
            f"lowest score {min(p.score for p in right):.2f}"
        )
        for written in CANDIDATES:
            for read in CANDIDATES:
                if written == read:
                    continue
                wrong, passed, best = 0, 0, -99.0
                for c in parts:
                    try:
                        text = c.encode(written, errors="replace").decode(read)
                    except UnicodeDecodeError:
                        continue
                    if text == c:
                        continue
                    wrong += 1
                    p = plausibility(text)
                    passed += p.plausible
                    best = max(best, p.score)
                print(
                    f"  {written:>12} read as {read:<12} {wrong:4d} mojibake chunks, "
                    f"{passed} judged plausible, best score {best:.2f}"
                )


def advice(held_out: list[str]) -> None:
    """What diagnose() advises for each held-out chunk written in each single-byte encoding."""
    for size in (150, 400, 1000):
        parts = chunks(held_out, size)
        for written in CANDIDATES[1:]:
            outcome: collections.Counter[str] = collections.Counter()
            for c in parts:
                data = c.encode(written, errors="replace")
                d = diagnose(data)
                if d.encoding is None:
                    outcome["ambiguous" if d.plausible else "none"] += 1
                elif d.text == data.decode(written):
                    outcome["right"] += 1
                else:
                    outcome["WRONG"] += 1
            print(
                f"  advice, chunks of ~{size} chars written in {written:<12}: "
                + ", ".join(f"{k} {v}" for k, v in sorted(outcome.items()))
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ud", type=Path, default=Path("/work/shared/data/ud"))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.write:
        train = [s for name in TRAIN for s in sentences(args.ud / name)]
        letters, classes = counts(train)
        data = {
            "name": "letter_bigrams_ru",
            "version": "1",
            "description": "Letter and character-class bigram counts of Russian text, for "
            "telling a file's encoding (kzdiscourse.encodings). Letters: lower-cased Russian "
            "letters, '_' between words. Classes: l/U lower/upper Cyrillic, s space, d digit, "
            "a Latin, p punctuation, o other.",
            "source": "sentence text of UD_Russian-GSD dev and UD_Russian-Taiga dev "
            f"({len(train)} sentences; CC BY-SA 4.0), built by "
            "benchmarks/build_letter_bigrams.py",
            "letter_bigrams": letters,
            "class_bigrams": classes,
        }
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        RESOURCE.write_text(text, encoding="utf-8")
        print(
            f"wrote {RESOURCE.relative_to(ROOT)}: {len(letters)} letter bigrams, "
            f"{len(classes)} class bigrams from {len(train)} sentences"
        )
    held_out = sentences(args.ud / HELD_OUT)
    calibrate(held_out)
    advice(held_out)


if __name__ == "__main__":
    main()
