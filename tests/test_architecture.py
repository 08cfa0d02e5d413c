"""The core stays free of Discord: only the client, the loopback fake and the cogs import it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"bot/app.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_discord():
    core = [p for p in (ROOT / "bot").rglob("*.py")
            if "loopback" not in p.parts and str(p.relative_to(ROOT)) not in ALLOWED]
    assert len(core) > 10
    offenders = [str(p.relative_to(ROOT)) for p in core if "discord" in _imports(p)]
    assert offenders == []


def test_cogs_hold_no_sql():
    for path in (ROOT / "cogs").glob("*.py"):
        text = path.read_text(encoding="utf-8").upper()
        sql = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM")
        assert not any(word in text for word in sql), path
