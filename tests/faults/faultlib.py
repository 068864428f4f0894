"""Shared pieces of the fault suite: texts, folders, and the checks every fault ends in.

A fault ends either in a correct result, or in a ``kzdiscourse.errors`` exception (CLI:
exit code 1 or 2) whose message names the problem and says what to do — never a bare
traceback, never a document lost without a word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.cli import main
from kzdiscourse.errors import KzDiscourseError

#: One sentence of Russian political prose (enough letters to tell an encoding when repeated).
RU = (
    "Казахстан расширяет сотрудничество с Европейским союзом, а Астана сохраняет баланс "
    "между Брюсселем и Москвой. Эксперты называют эту политику многовекторной.\n"
)
#: A few paragraphs: long enough for the encoding test to decide (about 600 characters).
RU_LONG = RU * 4
#: A second text, for two-document corpora.
RU_2 = "Европейский союз предлагает Центральной Азии инвестиции и новые транспортные коридоры.\n"


def helpful(exc: BaseException, *fragments: str) -> str:
    """The message of a library error that names the problem (``fragments``) and the fix."""
    assert isinstance(exc, KzDiscourseError), f"not a kzdiscourse error: {type(exc)!r}: {exc}"
    message = str(exc)
    assert "What to do:" in message, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), f"{fragment!r} not in: {message}"
    return message


def write_folder(root: Path, files: dict[str, str | bytes], name: str = "texts") -> Path:
    """A folder holding ``files`` (name → text or bytes)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for file, content in files.items():
        path = folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def two_documents() -> Corpus:
    """Two short documents from two outlets."""
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [RU, RU_2], "outlet": ["X", "Y"]})
    return Corpus.from_dataframe(frame)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in this process: exit code, stdout, stderr (no traceback)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def python_parameters(text: str) -> list[str]:
    """Python-style ``name=`` parameters a message names."""
    return re.findall(r"(?<![\w\-.])([a-z_][a-z0-9_]*)=", text)
