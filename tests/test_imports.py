"""The import rules that keep one direction through the code, read from every module with ``ast``.

Shells (``ui``) reach the core only through the Assistant and the public types; the core never
imports a shell; the store knows nothing of the core beyond its types, settings and errors.
Imports inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_MAY_IMPORT = {"rag", "rag.assistant", "rag.types", "rag.settings", "rag.errors", "rag.citations"}
STORE_MAY_IMPORT = {"rag.types", "rag.settings", "rag.errors"}


def imports_of(package: str) -> dict[str, set[str]]:
    """Every module of ``package`` (as a relative path) and the absolute names it imports."""
    return {
        str(path.relative_to(ROOT)): imports_in(path.read_text(encoding="utf-8"), path)
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imports_in(source: str, path: Path) -> set[str]:
    """The absolute names the module at ``path`` imports: statements anywhere, and import calls."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(_from_import(node, path))
        elif isinstance(node, ast.Call) and (name := _imported_by_call(node)):
            names.add(name)
    return names


def _from_import(node: ast.ImportFrom, path: Path) -> set[str]:
    """The module of a ``from ... import``, and each imported name that is a module itself."""
    module = node.module or ""
    if node.level:  # relative: resolve against the module's package
        parts = list(path.relative_to(ROOT).with_suffix("").parts)[: -node.level]
        module = ".".join([*parts, *([module] if module else [])])
    submodules = {f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}")}
    return {module, *submodules}  # `from rag import retrieval` imports rag.retrieval


def _imported_by_call(node: ast.Call) -> str | None:
    """The module an ``importlib.import_module("...")`` or ``__import__("...")`` call names."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    first = node.args[0] if node.args else None
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return str(first.value)
    return None


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


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


def test_the_rules_see_submodules_imported_by_name_and_by_call() -> None:
    source = "import importlib\nfrom rag import Assistant, retrieval\nimportlib.import_module('rag.chain')\n"
    assert imports_in(source, ROOT / "ui" / "shell.py") == {"importlib", "rag", "rag.retrieval", "rag.chain"}


def test_the_citation_marker_format_lives_in_one_module() -> None:
    holders = {
        str(path.relative_to(ROOT))
        for package in ("rag", "ui", "vectorstore")
        for path in sorted((ROOT / package).rglob("*.py"))
        if makes_markers(path.read_text(encoding="utf-8"))
    }
    assert holders == {"rag/citations.py"}
    scripts = [path for path in (ROOT / "ui").rglob("*") if path.suffix in (".js", ".css")]
    assert (
        scripts
        and [p.name for p in scripts if any(s in p.read_text(encoding="utf-8") for s in MARKER_SIGNS)] == []
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("re.compile(r'\\[(\\d+)\\]')", True),
        ("re.compile('\\\\[([0-9]+)]')", True),
        ("f'[{n}]'", True),
        ("f'see [{n}] here'", True),
        ("'[%d]' % n", True),
        ("'[{}]'.format(n)", True),
        ("'[' + str(n) + ']'", True),
        ("f'http://[{host}]:{port}/'", False),  # an IPv6 host
        ("re.compile(r'\\[([^\\]]+)\\]')", False),  # any bracketed text, e.g. a markdown link
        ("re.compile(r'\\w+')", False),
        ("'see [1] and [2]'", False),
    ],
)
def test_the_marker_search_sees_each_way_of_writing_one(code: str, expected: bool) -> None:
    assert makes_markers(code) is expected


# How a marker pattern in ui/app.js (or a stylesheet) would start.
MARKER_SIGNS = ("\\[\\d", "\\[(\\d", "[0-9]", "\\d+\\]")


def makes_markers(source: str) -> bool:
    """Whether Python ``source`` holds a regex for ``[n]`` markers or builds one from a number."""
    return any(_makes_marker(node) for node in ast.walk(ast.parse(source)))


def _makes_marker(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):  # f"[{n}]", but not f"[{host}]:{port}"
        parts = node.values
        return any(
            _text(a).endswith("[") and isinstance(b, ast.FormattedValue) and _text(c).startswith("]")
            and not _text(c).startswith("]:")
            for a, b, c in zip(parts, parts[1:], parts[2:], strict=False)
        )  # fmt: skip
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "[" + str(n) + "]"
        return _text(node.left).endswith("[") or _text(node.right).startswith("]")
    text = _text(node)
    return _marker_regex(text) or any(f"[{spec}]" in text for spec in ("%d", "%s", "{}", "{0}"))


def _marker_regex(text: str) -> bool:
    """A pattern that finds a whole ``[12]`` but not ``[ab]``: a citation marker pattern."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pattern = re.compile(text)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    marker, other = pattern.search("[12]"), pattern.search("[ab]")
    return bool(marker and "[12]" in marker.group(0)) and not (other and "[ab]" in other.group(0))


def _text(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
