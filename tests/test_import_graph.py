"""The package's modules depend on each other one way: no import circle, even through an
import inside a function or one made only for type checking, and no module reaches into
another's private (`_underscored`) names. Read from the source, so a circle that happens to
import fine today (the second import comes late enough) is caught too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import zlay_desktop

PACKAGE = Path(zlay_desktop.__file__).parent
ROOT = PACKAGE.parent
PACKAGE_NAME = "zlay_desktop"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(path: Path, tree: ast.Module) -> Iterator[tuple[str, list[ast.alias]]]:
    """Each import statement anywhere in the file (functions and `if TYPE_CHECKING:` too):
    the module it names, made absolute, and the names it takes from it."""
    here = module_name(path).split(".") if path.is_relative_to(ROOT) else []
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield module, node.names


def with_parents(module: str) -> list[str]:
    """Importing `a.b.c` runs `a` and `a.b` first."""
    parts = module.split(".")
    return [".".join(parts[: end + 1]) for end in range(len(parts))]


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module, names in imported_names(path, tree):
            targets = [module, *(f"{module}.{alias.name}" for alias in names)]  # `from pkg import module`
            for target in targets:
                graph[name].update(m for m in with_parents(target) if m in modules)
        graph[name].discard(name)
        # A package's own parents are not an import it makes.
        graph[name].difference_update(with_parents(name))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it (first = last), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for imported in sorted(graph[module]):
            if imported in on_path:
                return [*path[path.index(imported) :], imported]
            if imported not in done:
                cycle = visit(imported)
                if cycle is not None:
                    return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done:
            cycle = visit(module)
            if cycle is not None:
                return cycle
    return None


def test_the_package_has_no_import_circle() -> None:
    graph = import_graph()
    assert {"zlay_desktop.app", "zlay_desktop.smoke", "zlay_desktop.ui.startup"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_entry_point_alone_knows_both_the_app_and_its_self_test() -> None:
    graph = import_graph()
    assert "zlay_desktop.smoke" not in graph["zlay_desktop.app"]
    assert {"zlay_desktop.app", "zlay_desktop.smoke"} <= graph["zlay_desktop.__main__"]


def test_the_cycle_finder_finds_a_circle_through_a_function_level_import() -> None:
    # The check above is only worth something if it sees what it looks for.
    source = "def later():\n    from zlay_desktop.b import thing\n"
    tree = ast.parse(source)
    found = [(m, [a.name for a in names]) for m, names in imported_names(PACKAGE / "a.py", tree)]
    assert found == [("zlay_desktop.b", ["thing"])]
    graph = {"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a"}, "x.d": set()}
    assert find_cycle(graph) == ["x.a", "x.b", "x.c", "x.a"]
    assert find_cycle({"x.a": {"x.b"}, "x.b": set()}) is None


def private_reaches_in(path: Path, tree: ast.Module, modules: dict[str, Path]) -> list[str]:
    """`from zlay_desktop.x import _name`, and `module._name` on a module of the package
    (`from zlay_desktop import app`, `import zlay_desktop.app as app`), in one file."""
    here = module_name(path) if path.is_relative_to(PACKAGE) else ""
    where = path.relative_to(ROOT)
    found = []
    module_aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            module_aliases.update(a.asname for a in node.names if a.asname and a.name in modules)
    for module, names in imported_names(path, tree):
        if module not in modules or module == here:
            continue
        for alias in names:
            if f"{module}.{alias.name}" in modules:
                module_aliases.add(alias.asname or alias.name)
            elif alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append(f"{where}: from {module} import {alias.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{where}: {node.value.id}.{node.attr}")
    return found


def test_no_module_reaches_into_another_modules_private_names() -> None:
    # The package, and the benchmarks, which watch the app from outside.
    modules = package_modules()
    found = []
    for folder in (PACKAGE, ROOT / "bench"):
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += private_reaches_in(path, tree, modules)
    assert found == []


def test_a_reach_into_a_private_name_is_seen() -> None:
    source = (
        "from zlay_desktop import app as app_module\n"
        "from zlay_desktop.ui.startup import _hidden\n"
        "import zlay_desktop.smoke as smoke\n"
        "app_module._wait()\n"
        "smoke._check()\n"
    )
    found = private_reaches_in(ROOT / "bench" / "x.py", ast.parse(source), package_modules())
    assert sorted(found) == [
        "bench/x.py: app_module._wait",
        "bench/x.py: from zlay_desktop.ui.startup import _hidden",
        "bench/x.py: smoke._check",
    ]
