"""wordfreq's Russian lists read straight from its files equal wordfreq's own dictionaries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kzdiscourse.errors import InputError
from kzdiscourse.wordlists import russian_frequencies


@pytest.mark.parametrize("wordlist", ["small", "best"])
def test_russian_frequencies_equal_wordfreq_key_for_key_and_value_for_value(wordlist):
    wordfreq = pytest.importorskip("wordfreq")
    ours = russian_frequencies(wordlist)
    theirs = wordfreq.get_frequency_dict("ru", wordlist=wordlist)
    assert ours == theirs
    assert list(ours) == list(theirs)  # the same order, too


def test_reading_the_list_does_not_import_wordfreq():
    code = (
        "import sys; from kzdiscourse.wordlists import russian_frequencies; "
        "russian_frequencies('small'); print('wordfreq' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_unknown_list_is_named():
    with pytest.raises(InputError, match="unknown wordfreq list"):
        russian_frequencies("huge")
