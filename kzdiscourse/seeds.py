"""The bundled demo corpus: two Russian texts on Kazakhstan–EU relations.

``ankasam_2025_08`` is an analysis by the Turkish think tank ANKASAM (Russian version);
``dzen_2025_12`` is a column on Yandex Dzen. Both are kept raw, with their site boilerplate.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> seeds = load_seeds()
>>> seeds.doc_ids
['ankasam_2025_08', 'dzen_2025_12']
>>> seeds.documents.loc[0, "outlet"]
'ANKASAM'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kzdiscourse.corpus import Corpus
from kzdiscourse.errors import InputPathError

__all__ = ["load_seeds", "seeds_path"]


def seeds_path() -> Path:
    """Folder holding the seed texts and their ``metadata.csv``.

    In an installed wheel this is ``kzdiscourse/_seeds`` inside the package; in a source
    checkout (editable install) it is the repository's top-level ``seeds/``.
    """
    packaged = Path(str(resources.files("kzdiscourse").joinpath("_seeds")))
    if (packaged / "metadata.csv").is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "seeds"
    if (checkout / "metadata.csv").is_file():
        return checkout
    raise InputPathError(
        "the bundled seed corpus is missing from this installation",
        source=str(packaged),
        hint="reinstall kzdiscourse from a wheel or a full source checkout",
    )


def load_seeds() -> Corpus:
    """Load the two bundled seed texts, raw, with their metadata.

    Returns
    -------
    Corpus
        Two documents, ``ankasam_2025_08`` and ``dzen_2025_12``; call ``.clean()`` to remove
        the site boilerplate.
    """
    return Corpus.from_folder(seeds_path())
