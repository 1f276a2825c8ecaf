"""mkdocs.yml's `brochure:` options are declared once (schema.PLUGIN_OPTIONS), defaults included;
the settings, the JSON Schema and the editors' reference all follow that declaration."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from brochure.config import resolve_build_date
from brochure.loader import load_yaml
from brochure.problems import ContentError, Problems
from brochure.reference import generated_files, reference_markdown
from brochure.schema import PLUGIN_OPTIONS
from conftest import ROOT, Project

pytestmark = pytest.mark.unit

OPTIONS = PLUGIN_OPTIONS.fields


def set_brochure_block(project: Project, block: str) -> None:
    """Replace the options under `- brochure:` in the project's mkdocs.yml with `block`."""
    config = project.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    start = lines.index("  - brochure:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ") and lines[i].strip())
    config.write_text("\n".join([*lines[: start + 1], *block.splitlines(), *lines[end:]]) + "\n", encoding="utf-8")


def demo_block() -> dict:
    problems = Problems()
    doc = load_yaml(ROOT / "mkdocs.yml", "mkdocs.yml", problems)
    assert doc is not None, problems.report()
    block = next(p["brochure"] for p in doc.data["plugins"] if isinstance(p, dict) and "brochure" in p)
    return json.loads(json.dumps(block, default=str))  # as a YAML 1.2 editor reads it: dates are text


@pytest.mark.parametrize(
    "block",
    ["", "\n".join(f"      {name}:" for name in OPTIONS)],
    ids=["every option left out", "every option left empty"],
)
def test_an_option_left_out_takes_its_declared_default(project: Project, block: str):
    set_brochure_block(project, block)
    settings = project.settings
    for name, option in OPTIONS.items():
        if name == "content_dir":
            assert settings.content_dir == project.root / option.default
        elif name == "build_date":
            assert option.default is None
            assert settings.build_date == resolve_build_date(None)
        else:
            assert getattr(settings, name) == option.default, name


def test_a_list_written_empty_stays_empty(project: Project):
    """`required_roles: []` turns the check off; only a left-out list takes the default."""
    set_brochure_block(project, "      required_roles: []")
    assert project.settings.required_roles == ()


def test_default_required_roles_that_are_no_credit_roles_are_one_located_problem(project: Project):
    set_brochure_block(project, "      news_per_page: 10\n      credit_roles: [作者, 编辑]")
    line = (
        project.root.joinpath("mkdocs.yml")
        .read_text(encoding="utf-8")
        .splitlines()
        .index("      credit_roles: [作者, 编辑]")
    )
    with pytest.raises(ContentError) as raised:
        project.settings  # noqa: B018 (reading it checks mkdocs.yml)
    report = raised.value.problems.report()
    assert f"mkdocs.yml:{line + 1}: [plugins[0].brochure.credit_roles] 没有写 required_roles" in report, report
    assert "共发现 1 个问题" in report, report


def test_a_written_option_wins_over_its_default(project: Project):
    set_brochure_block(project, "      news_per_page: 3\n      programme_types: [研修班]\n      content_dir: content")
    project.write("content/libraries/lecturers.yml", "[]\n")
    settings = project.settings
    assert (settings.news_per_page, settings.programme_types) == (3, ("研修班",))
    assert settings.content_dir == project.root / "content"


def schema(project: Project) -> dict:
    files = {path.name: text for path, text in generated_files(project.settings).items()}
    return json.loads(files["mkdocs-brochure.schema.json"])


def test_the_json_schema_declares_every_option_with_its_default(project: Project):
    properties = schema(project)["properties"]
    assert list(properties) == list(OPTIONS)
    for name, option in OPTIONS.items():
        if option.default is not None:
            assert properties[name]["default"] == json.loads(json.dumps(option.default)), name


def test_the_json_schema_accepts_the_demo_block(project: Project):
    jsonschema.validate(demo_block(), schema(project))


@pytest.mark.parametrize(
    ("name", "value"),
    [("news_per_page", "ten"), ("pdf", "maybe"), ("programme_types", "研修班"), ("pdf_when_missing", "fail")],
)
def test_the_json_schema_rejects_what_check_rejects(project: Project, name: str, value: str):
    block = {**demo_block(), name: value}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(block, schema(project))


def test_the_reference_names_every_option_with_its_default(project: Project):
    section = reference_markdown(project.settings).split("## 网站设置", 1)[1]
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|", section, re.MULTILINE))
    assert list(rows) == list(OPTIONS)
    assert rows["news_per_page"].strip() == "`10`"
    assert rows["zh_hant"].strip() == "`false`"
