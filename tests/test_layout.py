"""The dependency rule of DESIGN.md, for every module of every package.

Layers, bottom first; a module imports only modules of its own layer or of layers below it:

1. vocabulary: the record types, name rules, the settings object;
2. library (plain Python, no Django): readers, enrichers, search, curated-value rules, the
   citation formats, the OAI-PMH crosswalk and client;
3. catalog: models, migrations, records <-> rows, change log, ingest and harvest into it;
4. service layer (`fonds.archive`): visibility, the one way to change a record, search, URLs;
5. interfaces: reading room, REST API, OAI-PMH provider, feeds, citations, IIIF, staff side;
   interfaces never import each other (what two share belongs in the service layer);
6. entry points that wire it all: the command line, the server, Django's settings and WSGI.

Every module of src/fonds must be placed (a new one fails this test until it is).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out

SRC = Path(__file__).resolve().parents[1] / "src" / "fonds"

# Module name prefixes -> layer; the longest matching prefix wins.
LAYERS = {
    "fonds": 1, "fonds.records": 1, "fonds.names": 1, "fonds.settings": 1,
    "fonds.readers": 2, "fonds.enrich": 2, "fonds.search": 2, "fonds.ingest": 2, "fonds.curation": 2,
    "fonds.cite": 2, "fonds.oai.dc": 2, "fonds.oai.client": 2, "fonds.oai.tokens": 2, "fonds.oai.validation": 2,
    "fonds.catalog": 3, "fonds.oai.harvest": 3, "fonds.oai.models": 3, "fonds.api.models": 3,
    "fonds.archive": 4,
    # Jobs: their record sits beside the catalog; running them uses the service layer (changes, roles).
    "fonds.health": 4,
    "fonds.jobs.models": 3, "fonds.jobs.apps": 3, "fonds.jobs": 4,
    # API tokens say who may write: access control, so service layer (issue 12 is reworking them in place).
    "fonds.api.tokens": 4,
    "fonds.web": 5, "fonds.api": 5, "fonds.oai": 5, "fonds.feeds": 5, "fonds.cite.views": 5, "fonds.cite.urls": 5,
    "fonds.iiif": 5, "fonds.staff": 5,
    "fonds.cli": 6, "fonds.__main__": 6, "fonds.server": 6, "fonds.site": 6, "fonds.web.wsgi": 6,
}
PLAIN = 2  # layers up to this one import no Django
INTERFACES = 5


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")


def layer_of(module: str) -> int:
    best = max((prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")), key=len)
    return LAYERS[best]


def interface_of(module: str) -> str:
    """The interface a layer-5 module belongs to: its package ("fonds.web", "fonds.cite")."""
    return ".".join(module.split(".")[:2])


def imports(path: Path) -> set[str]:
    """Modules imported anywhere in the file (function-level imports included): for
    "from fonds.oai import dc", the module fonds.oai.dc; for "from fonds.search.engine import X",
    fonds.search.engine."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} if node.module.startswith("fonds") else set()
            submodules = {name for name in submodules if _is_module(name)}
            names |= submodules or {node.module}
    return names


MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_its_layer_and_below(path: Path):
    module = module_name(path)
    layer = layer_of(module)
    own_fonds = {name for name in imports(path) if name.split(".")[0] == "fonds"}
    # "from fonds.catalog import models" names fonds.catalog.models: judge the deepest name that is a module.
    upward = sorted(name for name in own_fonds if _is_module(name) and layer_of(name) > layer)
    assert upward == [], f"{module} (layer {layer}) imports from above"
    if layer <= PLAIN:
        django = sorted(name for name in imports(path) if name.split(".")[0] in ("django", "ninja"))
        assert django == [], f"{module} is plain Python and imports Django"
    if layer == INTERFACES:
        mine = interface_of(module)
        others = sorted(name for name in own_fonds if _is_module(name) and layer_of(name) == INTERFACES
                        and interface_of(name) != mine)
        assert others == [], f"{module} imports another interface"


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (SRC / relative).with_suffix(".py").is_file() or (SRC / relative / "__init__.py").is_file() or name == "fonds"


def test_every_module_has_a_layer():
    for path in MODULES:
        assert layer_of(module_name(path))


def _part(module: str) -> str:
    """A package's modules of one layer ("fonds.cite@2" for the citation formats, "fonds.cite@5" for
    its views)."""
    return f"{'.'.join(module.split('.')[:2])}@{layer_of(module)}"


def test_no_import_cycle_between_packages():
    """No package reaches itself through other packages' imports (the old catalog -> iiif ->
    feeds -> web -> catalog was such a cycle)."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        part = _part(module_name(path))
        targets = {_part(name) for name in imports(path) if name.startswith("fonds.") and _is_module(name)}
        graph.setdefault(part, set()).update(targets - {part})
    seen, stack = set(), []

    def visit(node: str) -> None:
        assert node not in stack, f"import cycle: {' -> '.join(stack[stack.index(node):] + [node])}"
        if node in seen:
            return
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        stack.pop()
        seen.add(node)

    for part in sorted(graph):
        visit(part)
