"""Each package's docstring is its map: every module of ``rag``, ``vectorstore`` and ``ui`` is named there.

A new engineer reads the map to find the one file for a concern; a module missing from it is a
place nobody will look.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def unmapped(package: str, *subpackages: str) -> list[str]:
    """The modules of ``package`` (and of ``subpackages``) its docstring does not name in ``backquotes``."""
    top = ROOT / package
    doc = ast.get_docstring(ast.parse((top / "__init__.py").read_text(encoding="utf-8"))) or ""
    modules = [p.stem for folder in (top, *(top / s for s in subpackages)) for p in folder.glob("*.py")]
    return sorted(
        name
        for name in set(modules) - {"__init__", "__main__"}
        if f"``{name}``" not in doc and f"``{package}.{name}``" not in doc
    )


@pytest.mark.parametrize(("package", "subpackages"), [("rag", ()), ("vectorstore", ()), ("ui", ("api",))])
def test_the_package_docstring_maps_every_module(package: str, subpackages: tuple[str, ...]) -> None:
    assert unmapped(package, *subpackages) == [], f"add them to {package}/__init__.py's map"
