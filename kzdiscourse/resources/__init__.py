"""Versioned word lists and rule sets shipped with kzdiscourse.

Every resource is a YAML file in this folder with at least ``name``, ``version`` and
``description`` keys. :func:`load_resource` parses it with ``yaml.safe_load`` (never the
unsafe loader) and returns a :class:`Resource` that carries the SHA-256 of the file's bytes,
which the Report manifest records so a reader can tell exactly which lists produced a table.

Examples
--------
>>> from kzdiscourse.resources import load_resource
>>> stop = load_resource("stopwords_ru")
>>> "и" in stop.data["words"]
True
>>> len(stop.sha256)
64
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as _importlib_resources
from pathlib import Path
from typing import Any

import yaml

from kzdiscourse.errors import ResourceError

__all__ = ["Resource", "list_resources", "load_resource", "resource_table"]

_PACKAGE = "kzdiscourse.resources"
_REQUIRED_KEYS = ("name", "version", "description")


@dataclass(frozen=True)
class Resource:
    """A parsed resource file.

    Attributes
    ----------
    name : str
        The resource's name (its file name without ``.yaml``).
    version : str
        The resource's own version, bumped whenever its content changes.
    sha256 : str
        SHA-256 of the file's bytes.
    path : str
        Where the file was read from.
    data : dict
        The parsed YAML document.
    """

    name: str
    version: str
    sha256: str
    path: str
    data: dict[str, Any] = field(repr=False)


def _parse(raw: bytes, path: str) -> Resource:
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ResourceError(
            f"cannot parse resource file: {exc}",
            source=path,
            hint="resource files are UTF-8 YAML; check the syntax near the reported line",
        ) from exc
    if not isinstance(data, dict) or any(k not in data for k in _REQUIRED_KEYS):
        raise ResourceError(
            f"resource file must be a mapping with keys {', '.join(_REQUIRED_KEYS)}",
            source=path,
            hint="add the missing keys at the top of the file",
        )
    return Resource(
        name=str(data["name"]),
        version=str(data["version"]),
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
        data=data,
    )


@cache
def load_resource(name: str) -> Resource:
    """Load a bundled resource by name.

    Parameters
    ----------
    name : str
        File name without the ``.yaml`` suffix, e.g. ``"stopwords_ru"``.

    Returns
    -------
    Resource

    Raises
    ------
    ResourceError
        If no such resource exists or the file is invalid.
    """
    ref = _importlib_resources.files(_PACKAGE).joinpath(f"{name}.yaml")
    if not ref.is_file():
        raise ResourceError(
            f"no bundled resource named {name!r}",
            hint=f"available resources: {', '.join(list_resources())}",
        )
    return _parse(ref.read_bytes(), f"kzdiscourse/resources/{name}.yaml")


def load_resource_file(path: str | Path) -> Resource:
    """Load a user-supplied resource file (same format as the bundled ones).

    Parameters
    ----------
    path : str or pathlib.Path
        Path to a UTF-8 YAML file.

    Returns
    -------
    Resource
    """
    p = Path(path)
    if not p.is_file():
        raise ResourceError("resource file not found", source=str(p), hint="check the path")
    return _parse(p.read_bytes(), str(p))


def list_resources() -> list[str]:
    """Names of all bundled resources, sorted."""
    root = _importlib_resources.files(_PACKAGE)
    return sorted(
        entry.name[: -len(".yaml")] for entry in root.iterdir() if entry.name.endswith(".yaml")
    )


def resource_table() -> list[dict[str, str]]:
    """Name, version and SHA-256 of every bundled resource (for manifests).

    Returns
    -------
    list of dict
        One ``{"name", "version", "sha256", "path"}`` record per resource, sorted by name.
    """
    out = []
    for name in list_resources():
        res = load_resource(name)
        out.append(
            {"name": res.name, "version": res.version, "sha256": res.sha256, "path": res.path}
        )
    return out
