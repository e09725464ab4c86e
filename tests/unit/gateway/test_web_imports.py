"""The web app's slices keep to their part: a slice (gateway/web/<part>/) imports its
own part's contract and nothing else of any part, nor another slice; the shell, and
the modules beside the slices, import no part at all. Read from the source (ast),
so an import inside a function counts too. import-linter holds the shell to it as
well, but a wildcard there cannot say "its own part"."""

import ast
from pathlib import Path

import gateway.web

WEB = Path(gateway.web.__file__).parent


def imported(path: Path, source: str) -> set[str]:
    """Every module a file imports, absolute (a relative import resolved)."""
    package = ".".join(path.relative_to(WEB.parent.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            names.add(".".join(p for p in (base, node.module) if p))
    return names


def refusals(path: Path, source: str | None = None) -> list[str]:
    """The imports `path` may not make."""
    inside = path.relative_to(WEB).parts
    in_slice = len(inside) > 1 and inside[0] != "shell"
    own = inside[0] if in_slice else None
    refused = []
    for name in imported(path, path.read_text() if source is None else source):
        parts = name.split(".")
        if parts[0] == "services":
            refused += [name] if name != f"services.{own}.contract" else []
        elif parts[:2] == ["gateway", "web"] and len(parts) > 2 and len(inside) > 1:
            refused += [name] if parts[2] not in ("shell", own) else []
        elif parts[:2] in (["gateway", "routes"], ["gateway", "service"]):
            refused.append(name)  # the JSON routes and their composition stand above
    return sorted(refused)


def test_each_slice_imports_its_own_parts_contract_only_and_the_shell_none():
    modules = sorted(WEB.rglob("*.py"))
    assert {p.relative_to(WEB).parts[0] for p in modules} >= {"shell", "events", "feedback"}
    problems = {str(p.relative_to(WEB)): refusals(p) for p in modules}
    assert {path: names for path, names in problems.items() if names} == {}


def test_the_check_sees_another_parts_import():
    pages = WEB / "events" / "pages.py"
    crossing = pages.read_text() + "\nfrom services.feedback.contract import SCALES\n"
    assert refusals(pages, crossing) == ["services.feedback.contract"]
    shell = "from services.events.contract import AUDIENCES\nfrom ..events import WEB\n"
    assert refusals(WEB / "shell" / "render.py", shell) == [
        "gateway.web.events",
        "services.events.contract",
    ]
    assert refusals(WEB / "people" / "routes.py", "from ..feedback import survey\n") == [
        "gateway.web.feedback"
    ]
