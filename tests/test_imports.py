"""The import rules that keep one direction through the code, read from every module with ``ast``.

Shells (``ui``) reach the core only through the Assistant and the public types; the core never
imports a shell; the store knows nothing of the core beyond its types, settings and errors.
Imports inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_MAY_IMPORT = {"rag", "rag.assistant", "rag.types", "rag.settings", "rag.errors", "rag.citations"}
STORE_MAY_IMPORT = {"rag.types", "rag.settings", "rag.errors"}


def imports_of(package: str) -> dict[str, set[str]]:
    """Every module of ``package`` (as a relative path) and the absolute names it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif isinstance(node, ast.ImportFrom):  # relative: resolve against the module's package
                parts = list(path.relative_to(ROOT).with_suffix("").parts)[: -node.level]
                names.add(".".join([*parts, *([node.module] if node.module else [])]))
        found[str(path.relative_to(ROOT))] = names
    return found


def ours(names: set[str], top: str) -> set[str]:
    return {n for n in names if n == top or n.startswith(top + ".")}


def core_imports_beyond(package: str, allowed: set[str]) -> dict[str, list[str]]:
    """The modules of ``package`` importing parts of ``rag`` outside ``allowed``, and those parts."""
    found = {module: sorted(ours(names, "rag") - allowed) for module, names in imports_of(package).items()}
    return {module: wrong for module, wrong in found.items() if wrong}


def test_ui_reaches_the_core_only_through_the_assistant_and_public_types() -> None:
    assert core_imports_beyond("ui", UI_MAY_IMPORT) == {}
    assert all(not ours(names, "vectorstore") for names in imports_of("ui").values())


@pytest.mark.parametrize("package", ["rag", "vectorstore"])
def test_nothing_below_the_shells_imports_them(package: str) -> None:
    assert {module for module, names in imports_of(package).items() if ours(names, "ui")} == set()


def test_the_store_needs_only_types_settings_and_errors_of_the_core() -> None:
    assert core_imports_beyond("vectorstore", STORE_MAY_IMPORT) == {}


def test_the_rules_see_real_imports() -> None:
    ui = imports_of("ui")
    assert "rag.assistant" in ui["ui/server.py"] and "ui.api" in ui["ui/server.py"]
    assert "rag.types" in imports_of("vectorstore")["vectorstore/store.py"]
    assert "rag.loaders.article" in imports_of("rag")["rag/loaders/__init__.py"]  # a relative import


def test_the_citation_marker_pattern_lives_in_one_module() -> None:
    pattern = r"\[\d"  # how a regex for "[n]" starts, however the rest is written
    holders = [
        str(path.relative_to(ROOT))
        for package in ("rag", "ui", "vectorstore")
        for path in sorted((ROOT / package).rglob("*.py"))
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert holders == ["rag/citations.py"]
