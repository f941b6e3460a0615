"""Each Python port's methods exist in the JS module that implements it, and so does every call
main.py makes on the page's modules: a renamed JS export fails here, not in a reader's browser."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.llm.service import ComposerUIPort, LLMPort
from app.session.ports import ModesPort, PlayerPort, StorePort, UIPort

ROOT = Path(__file__).resolve().parents[2]
# The page's modules main.py reaches by message, by port name: python_worker/ports.js, the one table.
_PORT_LINE = re.compile(r'^\s*(\w+):\s*"\.\./([^"]+)",?$', re.M)
_PORTS_JS = ROOT / "python_worker" / "ports.js"
MODULES = dict(_PORT_LINE.findall(_PORTS_JS.read_text())) if _PORTS_JS.is_file() else {}
PORTS = {
    "ui": (UIPort, ComposerUIPort),
    "sound": (PlayerPort,),
    "store": (StorePort,),
    "bridge": (LLMPort,),
    "modes": (ModesPort,),
}

_DECLARED = re.compile(r"^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)", re.M)
_LISTED = re.compile(r"^export\s*\{([^}]*)\}(?:\s*from\s*[\"']([^\"']+)[\"'])?", re.M)
_STAR = re.compile(r"^export\s*\*\s*from\s*[\"']([^\"']+)[\"']", re.M)

pytestmark = pytest.mark.skipif(not (ROOT / "ui").is_dir(), reason="no JS modules here (the Pyodide run)")


def js_exports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    names = set(_DECLARED.findall(text))
    for listed, _source in _LISTED.findall(text):
        for item in listed.split(","):
            item = item.strip()
            if item:
                names.add(item.split(" as ")[-1].strip())
    for source in _STAR.findall(text):
        names |= js_exports((path.parent / source).resolve())
    return names


def protocol_methods(port: type) -> set[str]:
    return {name for name, value in vars(port).items() if callable(value) and not name.startswith("_")}


def test_every_module_main_py_imports_has_a_port() -> None:
    assert set(MODULES) == set(PORTS)


@pytest.mark.parametrize("module", sorted(PORTS))
def test_every_port_method_is_exported_by_its_js_module(module: str) -> None:
    exported = js_exports(ROOT / MODULES[module])
    wanted = set().union(*(protocol_methods(p) for p in PORTS[module]))
    assert wanted, module
    assert wanted - exported == set(), f"{MODULES[module]} lacks {sorted(wanted - exported)}"


def test_every_call_main_py_makes_on_a_js_module_is_exported() -> None:
    tree = ast.parse((ROOT / "main.py").read_text(encoding="utf-8"))
    calls = {
        (node.func.value.id, node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in MODULES
    }
    assert ("ui", "on") in calls
    exports = {m: js_exports(ROOT / path) for m, path in MODULES.items()}
    assert [f"{MODULES[m]}: {name}" for m, name in sorted(calls) if name not in exports[m]] == []


def test_the_export_reader_sees_what_it_should(tmp_path: Path) -> None:
    (tmp_path / "b.js").write_text("export function deep() {}\n")
    (tmp_path / "a.js").write_text(
        'export { x, y as z } from "./c.js";\nexport async function go() {}\nexport const k = 1;\n'
        'export * from "./b.js";\nfunction hidden() {}\n'
    )
    assert js_exports(tmp_path / "a.js") == {"x", "z", "go", "k", "deep"}
