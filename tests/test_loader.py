"""The YAML loader: line numbers for every value, and no silent surprises."""

from __future__ import annotations

import pytest

from brochure.loader import load_yaml
from brochure.problems import Problems

pytestmark = pytest.mark.unit


def load(tmp_path, text: str | bytes):
    path = tmp_path / "x.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_yaml(path, "x.yml", problems), problems


def test_lines_of_nested_values(tmp_path):
    doc, problems = load(tmp_path, "a: 1\nb:\n  - c: 2\n    d: [x, y]\n")
    assert not problems
    assert doc.line(("b", 0, "d", 1)) == 4
    assert doc.line(("b", 0, "missing")) == 3  # falls back to the nearest ancestor


def test_dates_and_times_stay_text_for_the_schema_to_parse(tmp_path):
    doc, problems = load(tmp_path, "d: 2025-13-01\nt: 08:30\nn: 3\n")
    assert not problems
    # 2025-13-01 does not crash the loader; 08:30 is not YAML 1.1's sexagesimal 510.
    assert doc.data == {"d": "2025-13-01", "t": "08:30", "n": 3}


def test_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb += f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
    doc, problems = load(tmp_path, bomb)
    assert doc is None
    assert "过多" in problems.items[0].message


def test_unclosed_quote_reports_a_line_and_a_hint(tmp_path):
    doc, problems = load(tmp_path, 'a: 1\nb: "open\nc: 3\n')
    assert doc is None
    [p] = problems.items
    assert p.line >= 2 and "引号" in p.hint
