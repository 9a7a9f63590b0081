"""The package's layers (ARCHITECTURE.md): every import points down, never up or sideways.

Read from the source with ``ast``, so an import inside a function counts as much as one at the
top of a module (only ``if TYPE_CHECKING:`` blocks are left out: they never run).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gkpub.build.channels import BuildContext, ChannelClash, write_channels

PKG = Path(__file__).resolve().parent.parent / "gkpub"

# Lowest first. A module may import its own package and packages of a lower rank only.
RANKS: dict[str, int] = {
    "gkpub": 0, "util": 0,
    "rules": 1,
    "content": 2,
    "compliance": 3, "store": 3,
    "outputs": 4, "importer": 4, "authoring": 4,
    "build": 5,
    "cli": 6, "__main__": 7,
}
# Pure rules: no file system, processes or network (the holiday tables are package data,
# read through importlib.resources).
RULES_FORBIDDEN = {"os", "pathlib", "shutil", "subprocess", "socket", "io", "tempfile", "sys"}


def layer_of(module: str) -> str:
    """'gkpub.content.items' → 'content'; 'gkpub' → 'gkpub'; 'gkpub.__main__' → '__main__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "gkpub"


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file (``module``: its dotted name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    here = (module or module_name(path)).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
            # `from gkpub import x` imports the module gkpub.x
            found += [(node.lineno, f"{mod}.{a.name}") for a in node.names
                      if mod.startswith("gkpub") and (PKG.parent / f"{mod}.{a.name}".replace(".", "/")).exists()]
    return found


def sources() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "starter" not in p.parts)


def test_every_package_has_a_rank() -> None:
    for path in sources():
        assert layer_of(module_name(path)) in RANKS, f"{path}: 新包没有写进 RANKS 和 ARCHITECTURE.md"


def test_imports_point_down() -> None:
    wrong = []
    for path in sources():
        mine = layer_of(module_name(path))
        for line, mod in imports(path):
            if not mod.startswith("gkpub"):
                continue
            theirs = layer_of(mod)
            if theirs == mine or mod == "gkpub":
                continue
            if RANKS[theirs] >= RANKS[mine]:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line}: {mine} imports {mod} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_rules_do_no_io() -> None:
    wrong = []
    for path in (PKG / "rules").rglob("*.py"):
        for line, mod in imports(path):
            if mod.split(".")[0] in RULES_FORBIDDEN:
                wrong.append(f"{path.name}:{line}: {mod}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                wrong.append(f"{path.name}:{node.lineno}: open()")
    assert not wrong, wrong


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: a content module importing the builder is caught."""
    fake = tmp_path / "probe.py"
    fake.write_text("def f():\n    from gkpub.build.builder import build\n    from ..cli import main\n",
                    encoding="utf-8")
    mods = [m for _, m in imports(fake, "gkpub.content.probe")]
    assert "gkpub.build.builder" in mods and "gkpub.cli" in mods
    assert all(RANKS[layer_of(m)] > RANKS["content"] for m in mods)


class _Named:
    def __init__(self, name: str, paths: list[str]):
        self.name, self.paths = name, paths

    def files(self, ctx: BuildContext):
        return [(p, b"x") for p in self.paths]


class _Sink:
    def __init__(self) -> None:
        self.got: list[str] = []

    def put(self, rel: str, payload: object) -> None:
        self.got.append(rel)


def _ctx(pages: list[str]) -> BuildContext:
    return BuildContext(site=None, renderer=None, report=None, page_paths=pages,  # type: ignore[arg-type]
                        layouts=[], out_dir=Path("."))


def test_two_channels_cannot_write_one_path() -> None:
    sink = _Sink()
    assert write_channels([_Named("甲", ["a.txt"]), _Named("乙", ["b.txt"])], _ctx(["index.html"]), sink) \
        == {"a.txt", "b.txt"}
    assert sink.got == ["a.txt", "b.txt"]
    with pytest.raises(ChannelClash, match="data/x.json.*「甲」和「乙」"):
        write_channels([_Named("甲", ["data/x.json"]), _Named("乙", ["data/x.json"])], _ctx([]), _Sink())
    with pytest.raises(ChannelClash, match="「网页」和「甲」"):
        write_channels([_Named("甲", ["index.html"])], _ctx(["index.html"]), _Sink())
