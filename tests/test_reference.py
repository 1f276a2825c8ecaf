"""The schema is declared once; the reference and JSON Schemas follow it, and its example is valid."""

from __future__ import annotations

import json

import pytest

from brochure.loader import load_yaml
from brochure.problems import Problems
from brochure.reference import example_lines, generated_files
from brochure.schema import PROGRAMME, Context
from conftest import ROOT, run_brochure


@pytest.mark.site
def test_committed_reference_and_json_schema_are_up_to_date():
    result = run_brochure(ROOT, "schema", "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.unit
def test_json_schema_lists_every_declared_field(project):
    schemas = {p.name: t for p, t in generated_files(project.settings).items() if p.suffix == ".json"}
    programme = json.loads(schemas["programme.schema.json"])
    assert set(programme["properties"]) == set(PROGRAMME.fields)
    assert programme["additionalProperties"] is False
    assert "title" in programme["required"]
    assert programme["properties"]["type"]["enum"][0] == "研修班"
    modules = programme["properties"]["modules"]["anyOf"][0]  # an optional field may be left empty (null)
    session = modules["items"]["properties"]["sessions"]["items"]
    assert session["properties"]["lecturers"]["minItems"] == 1


@pytest.mark.unit
def test_annotated_example_passes_the_checks_it_documents(project):
    """Copying the example from the reference gives a valid file once its sample files exist."""
    project.write("docs/attachments/notice.pdf", b"%PDF-1.4")
    project.write("docs/images/cover.jpg", b"\xff\xd8")
    path = project.write("example.yml", "\n".join(example_lines(PROGRAMME)))
    problems = Problems()
    doc = load_yaml(path, "example.yml", problems)
    assert doc is not None, problems.report()
    ids = {
        "lecturers": {"zhang-wenhua"},
        "sites": {"menglianggu-memorial"},
        "organisations": {"daiyue-spa", "daiyue-training", "sd-hrss"},
    }
    PROGRAMME.check(doc.data, (), Context(doc, problems, project.settings, ids))
    assert not problems, problems.report()
