"""The package's layout, as issue 16 asks for it to stay while the builder changes under it.

The pipeline (content in, Markdown and side files out) must not depend on the builder
(MkDocs today; Zensical or MkDocs 2 tomorrow) or on the speed machinery around it, so that it
can be run, tested and moved on its own. The README's layout section names every module.
"""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

pytestmark = pytest.mark.unit

PACKAGE = ROOT / "scripts/brochure"

# Content in, Markdown and side files out.
PIPELINE = {
    "config", "problems", "cjk", "loader", "schema", "sanitise", "docstree", "validate", "catalogue", "model",
    "render", "ical", "feed", "datafiles", "pagemeta", "images", "reference", "pdf", "parallel", "variant", "urls",
    "store", "review", "cms", "namefilters",
}  # fmt: skip
# The recipe runs the pipeline for a builder, and may ask the one store of the speed layer
# (generated.GenerationMemo) for what it rendered last time; it knows no builder and no adapter.
RECIPE = {"recipe"}
STORE = {"generated"}
# The speed machinery, the builder's adapters and the commands around the pipeline.
AROUND = {
    "plugin", "tree", "pagecache", "generated", "preview", "collector", "search", "cli", "benchmark",
    "importer", "publish", "admin", "laststamp", "localnginx", "previous",
}  # fmt: skip
BUILDERS = {"mkdocs", "material", "zensical"}
# Today these know MkDocs; issue 16 narrows this to the adapters alone.
KNOW_THE_BUILDER = {"plugin", "pagecache", "search", "cli"}


def imports(module: str) -> tuple[set[str], set[str]]:
    """(modules of this package, top-level outside packages) that `module` imports anywhere."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    local, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.module:
                local.add(node.module.split(".")[0])
            else:
                local.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            outside.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
    return local, outside


def modules() -> set[str]:
    return {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}


def test_every_module_is_either_pipeline_or_around_it():
    assert modules() == PIPELINE | RECIPE | AROUND, "add the new module to PIPELINE or AROUND, and to the README"


def test_the_pipeline_never_imports_the_builder_or_what_is_around_it():
    for module in sorted(PIPELINE):
        local, outside = imports(module)
        assert not local & AROUND, (module, local & AROUND)
        assert not outside & BUILDERS, (module, outside & BUILDERS)


def test_the_recipe_asks_only_the_pipeline_and_the_store():
    for module in sorted(RECIPE):
        local, outside = imports(module)
        assert local <= PIPELINE | STORE, (module, local - PIPELINE - STORE)
        assert not outside & BUILDERS, (module, outside & BUILDERS)


def test_only_the_adapters_know_the_builder():
    knowing = {module for module in modules() if imports(module)[1] & BUILDERS}
    assert knowing <= KNOW_THE_BUILDER, knowing - KNOW_THE_BUILDER


def test_the_readme_layout_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("scripts/brochure/", 1)[1].split("```", 1)[0]
    missing = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in layout)
    assert not missing, missing
