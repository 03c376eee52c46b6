"""The library-first rule: records, readers and enrichers import no Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "fonds"
LIBRARY = [SRC / "records.py", SRC / "names.py", SRC / "ingest.py", *sorted((SRC / "readers").glob("*.py")),
           *sorted((SRC / "enrich").glob("*.py"))]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(SRC)))
def test_library_module_imports_no_django(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    offending = [name for name in imported if name.split(".")[0] == "django" or name.startswith(("fonds.catalog", "fonds.web", "fonds.site"))]
    assert offending == []
