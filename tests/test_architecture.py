"""The house reads from the bottom up (docs/architecture.md).

Each app imports only the apps below it; nothing imports inside a function to get round
a cycle (Django's ``AppConfig.ready()`` is the one place where imports run late, by design);
no module outside migrations grows past 500 lines.
"""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

# From the bottom up. An app may import the apps before it in this list, and the top apps
# only those named beside them: the public site, the open data and the exchange formats
# stand side by side.
LAYERS = {
    "recovery_site": set(),  # its helpers: env, clients, ratelimit, outages, logging …
    "resources": {"recovery_site"},
    "groups": {"recovery_site", "resources"},
    "moderation": {"recovery_site", "resources", "groups"},
    "accounts": {"recovery_site"},
    "exchange": {"recovery_site", "resources", "groups", "moderation"},
    "directory": {"recovery_site", "resources", "groups", "moderation"},
    "opendata": {"recovery_site", "resources", "groups", "moderation", "directory", "exchange"},
    "guides": {"recovery_site", "resources", "groups", "moderation", "directory"},
    "demo": {"recovery_site", "resources", "groups", "moderation", "exchange"},
}
# The project's wiring, which names every app by design.
WIRING = {"recovery_site/urls.py", "recovery_site/settings.py", "recovery_site/wsgi.py"}
LONGEST_MODULE = 500


def modules():
    for app in LAYERS:
        for path in sorted((PROJECT / app).rglob("*.py")):
            relative = path.relative_to(PROJECT)
            if "migrations" not in relative.parts and str(relative) not in WIRING:
                yield app, relative


def imported_apps(node):
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [node.module]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        return []
    return [name.split(".")[0] for name in names if name.split(".")[0] in LAYERS]


def test_every_import_between_apps_points_down():
    upward = []
    for app, path in modules():
        tree = ast.parse((PROJECT / path).read_text())
        for node in ast.walk(tree):
            for target in imported_apps(node):
                if target != app and target not in LAYERS[app]:
                    upward.append(f"{path}:{node.lineno} imports {target}")
    assert upward == []


def test_the_layers_have_no_cycle():
    # The table itself: each app's allowed apps come before it, so no cycle can be built.
    seen = set()
    for app, below in LAYERS.items():
        assert below <= seen, f"{app} may import {below - seen}, which is not below it"
        seen.add(app)


def function_imports(tree):
    for function in ast.walk(tree):
        functions = ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(function, functions) and function.name != "ready":
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node


def test_no_project_module_is_imported_inside_a_function():
    late = []
    for _app, path in modules():
        if path.name == "apps.py":
            continue  # AppConfig: Django loads models there after every app is registered
        tree = ast.parse((PROJECT / path).read_text())
        late += [f"{path}:{node.lineno}" for node in function_imports(tree) if imported_apps(node)]
    assert late == []


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_is_longer_than_500_lines(app):
    long = {
        str(path): lines
        for module_app, path in modules()
        if module_app == app
        and (lines := len((PROJECT / path).read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}
