"""The JSON Schema that editors' YAML editors use and `brochure check` give the same answer.

check-jsonschema reads YAML 1.2 (as VS Code's YAML extension does) and is written elsewhere;
`check` reads YAML 1.1 through PyYAML. Of 49 invalid variants tried from outside, 13 got
different answers: the schema let through 2027-02-30 and fee: -1, and marked what
`brochure new post` writes as wrong. Each variant here is one editor's edit of a valid file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brochure.loader import load_markdown, load_yaml
from brochure.problems import Problems
from brochure.reference import scaffold_post
from brochure.schema import POST, PROGRAMME, Context
from conftest import MINI_PROGRAMME, ROOT

pytestmark = pytest.mark.unit

PROGRAMME_TEXT = textwrap.dedent(MINI_PROGRAMME).lstrip("\n")
POST_TEXT = """---
title: 测试研修班开班
date: 2025-06-09 10:30
category: 培训动态
source: 岱岳大学公共管理学院
credits:
  供稿: 李晓彤
  编辑: 赵敏
  初审: 宋佳
  复审: 高志明
  审核发布: 张文华
---

正文。
"""

# (name, old, new, valid?) applied to PROGRAMME_TEXT
PROGRAMME_VARIANTS = [
    ("as is", "", "", True),
    ("impossible date", "start: 2025-06-09", "start: 2027-02-30", False),
    ("leap day", "end: 2025-06-13", "end: 2028-02-29", None),  # valid alone; the range rule is check's
    ("leap day in a common year", "start: 2025-06-09", "start: 2027-02-29", False),
    ("month 13", "start: 2025-06-09", "start: 2025-13-09", False),
    ("unpadded date", "start: 2025-06-09", "start: 2025-6-9", True),
    ("hour 25", '"08:30-11:30"', '"25:00-26:00"', False),
    ("minute 60", '"08:30-11:30"', '"08:60-11:30"', False),
    ("em dash time range", '"08:30-11:30"', '"08:30—11:30"', True),
    ("time range with 至", '"08:30-11:30"', '"08:30 至 11:30"', True),
    ("until midnight", '"08:30-11:30"', '"20:30-24:00"', True),
    ("past midnight", '"08:30-11:30"', '"20:30-24:30"', False),
    ("negative fee", "audience: 基层干部", "audience: 基层干部\nfee: -1", False),
    ("fee in yuan", "audience: 基层干部", "audience: 基层干部\nfee: 3800", True),
    ("fee as words", "audience: 基层干部", "audience: 基层干部\nfee: 免费", True),
    ("fee with decimals", "audience: 基层干部", "audience: 基层干部\nfee: 3800.5", True),
    ("fee with a leading zero", "audience: 基层干部", "audience: 基层干部\nfee: 0700", True),
    ("hours with a leading zero", "hours: 3", "hours: 010", True),
    ("empty title", "title: 测试研修班", 'title: ""', False),
    ("blank title", "title: 测试研修班", 'title: "  "', False),
    ("missing title", "title: 测试研修班\n", "", False),
    ("title no", "title: 测试研修班", "title: no", True),
    ("number as title", "title: 测试研修班", "title: 2025", True),
    ("phone with a leading zero", "venue:", "contacts:\n  - name: 王\n    phone: 053166661234\nvenue:", True),
    ("draft yes", "title: 测试研修班", "draft: yes\ntitle: 测试研修班", True),
    ("draft maybe", "title: 测试研修班", "draft: maybe\ntitle: 测试研修班", False),
    ("empty optional field", "audience: 基层干部", "audience: 基层干部\nsummary:", True),
    ("empty optional list", "audience: 基层干部", "audience: 基层干部\ntags:", True),
    ("capacity as words", "audience: 基层干部", "audience: 基层干部\ncapacity: 八十", False),
    ("capacity zero", "audience: 基层干部", "audience: 基层干部\ncapacity: 0", False),
    ("hours as words", "hours: 3", "hours: 三", False),
    ("unknown field", "audience: 基层干部", "audience: 基层干部\ncapacty: 80", False),
    ("type not offered", "type: 研修班", "type: 夏令营", False),
    ("lecturer id with capitals", "lecturers: [zhang-wenhua]", "lecturers: [Zhang-Wenhua]", False),
    ("no lecturers", "lecturers: [zhang-wenhua]", "lecturers: []", False),
    ("bad email", "audience: 基层干部", "audience: 基层干部\ncontacts:\n  - name: 王老师\n    email: wang@", False),
    ("bad url", "audience: 基层干部", "audience: 基层干部\nregistration:\n  url: www.example.cn", False),
]

POST_VARIANTS = [
    ("as is", "", "", True),
    ("impossible date", "date: 2025-06-09 10:30", "date: 2025-02-30 10:30", False),
    ("hour 24", "date: 2025-06-09 10:30", "date: 2025-06-09 24:30", False),
    ("date only", "date: 2025-06-09 10:30", "date: 2025-06-09", True),
    ("empty credit role", "  审核发布: 张文华", "  审核发布: 张文华\n  供图:", True),
    ("credit as a list", "  编辑: 赵敏", "  编辑: [赵敏, 钱程]", True),
    ("empty summary", "source: 岱岳", "summary:\nsource: 岱岳", True),
    ("blank source", "source: 岱岳大学公共管理学院", 'source: ""', False),
    ("unknown role", "  编辑: 赵敏", "  编辑: 赵敏\n  校对员: 钱程", False),
    ("draft on", "source: 岱岳", "draft: on\nsource: 岱岳", True),
]


def _variant(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1) if old else text


def _ours(path: Path, kind: str) -> bool:
    problems = Problems()
    if kind == "post":
        source = load_markdown(path, path.name, problems)
        doc = source.front if source else None
    else:
        doc = load_yaml(path, path.name, problems)
    if doc is not None:
        ids = {
            "lecturers": {"zhang-wenhua", "li-mingde"},
            "sites": {"menglianggu-memorial"},
            "organisations": {"daiyue-spa"},
        }
        from brochure.validate import load_settings

        settings = load_settings(ROOT / "mkdocs.yml")
        (POST if kind == "post" else PROGRAMME).check(doc.data, (), Context(doc, problems, settings, ids))
    return not problems


def _theirs(files: list[Path], schema: str) -> set[str]:
    """The files check-jsonschema rejects."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--schemafile",
            str(ROOT / "docs/schema" / schema),
            "-o",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    return {e["filename"] for e in report.get("errors", []) + report.get("parse_errors", [])}


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, tuple[bool, bool, bool | None]]:
    root = tmp_path_factory.mktemp("variants")
    out = {}
    for kind, base, variants, schema in (
        ("programme", PROGRAMME_TEXT, PROGRAMME_VARIANTS, "programme.schema.json"),
        ("post", POST_TEXT, POST_VARIANTS, "post.schema.json"),
    ):
        files = []
        for i, (_, old, new, _) in enumerate(variants):
            text = _variant(base, old, new)
            path = root / f"{kind}-{i}.{'md' if kind == 'post' else 'yml'}"
            if kind == "post":
                # check-jsonschema reads the front matter as the YAML document it is.
                (root / f"{kind}-{i}.yml").write_text(text.split("---\n")[1], encoding="utf-8")
                files.append(root / f"{kind}-{i}.yml")
            else:
                files.append(path)
            path.write_text(text, encoding="utf-8")
        rejected = _theirs(files, schema)
        for i, (name, _, _, expected) in enumerate(variants):
            path = root / f"{kind}-{i}.{'md' if kind == 'post' else 'yml'}"
            out[f"{kind}: {name}"] = (_ours(path, kind), str(files[i]) not in rejected, expected)
    return out


ALL = [f"programme: {v[0]}" for v in PROGRAMME_VARIANTS] + [f"post: {v[0]}" for v in POST_VARIANTS]


@pytest.mark.parametrize("name", ALL)
def test_check_and_the_json_schema_agree(answers, name):
    ours, theirs, expected = answers[name]
    if expected is not None:
        assert ours is expected, f"brochure check says {'valid' if ours else 'invalid'}"
    assert theirs is ours, f"check-jsonschema says {'valid' if theirs else 'invalid'}, brochure check the opposite"


def test_a_fresh_post_scaffold_is_valid_under_the_json_schema(tmp_path):
    # `brochure new post` leaves summary and the credit roles empty: VS Code marked every fresh
    # scaffold wrong.
    from argparse import Namespace
    from datetime import datetime

    from brochure.config import CHINA_TZ
    from brochure.validate import load_settings

    settings = load_settings(ROOT / "mkdocs.yml")
    args = Namespace(title="新稿件", category=None, programme=None)
    text = scaffold_post(settings, args, datetime(2026, 12, 1, 9, 0, tzinfo=CHINA_TZ), "post-1")
    front = tmp_path / "front.yml"
    front.write_text(text.split("---\n")[1], encoding="utf-8")
    assert _theirs([front], "post.schema.json") == set()
